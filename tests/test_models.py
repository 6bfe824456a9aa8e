"""The model store: install from a zip or a folder, and download from a local HTTP server."""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from audio_helpers import korean_model_dir
from click.testing import CliRunner

from voice_haven.cli import main
from voice_haven.recognition import models
from voice_haven.recognition.base import RecognizerUnavailable
from voice_haven.recognition.models import (
    Downloadable,
    ModelError,
    download,
    install,
    installed,
    model_problem,
)
from voice_haven.recognition.select import (
    choose,
    find_english_model,
    is_english_model,
    resolve_model,
)

NAME = "vosk-model-small-en-us-0.15"


def model_folder(root: Path, name: str = NAME, readme: str = "US English model") -> Path:
    """A folder with a Vosk model's layout (the store checks files; it never loads them)."""
    folder = root / name
    for part, content in (
        ("am/final.mdl", b"acoustic model " * 100),
        ("conf/mfcc.conf", b"--use-energy=false\n"),
        ("conf/model.conf", b"--beam=10.0\n"),
        ("graph/HCLr.fst", b"graph " * 100),
        ("graph/Gr.fst", b"grammar " * 100),
        ("README", readme.encode()),
    ):
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        (folder / part).write_bytes(content)
    return folder


def model_zip(tmp_path: Path, top: str | None = NAME) -> Path:
    source = model_folder(tmp_path / "build")
    archive = tmp_path / f"{NAME}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for file in sorted(source.rglob("*")):
            inside = file.relative_to(source)
            out.write(file, str(Path(top) / inside) if top else str(inside))
    return archive


def test_a_real_model_folder_is_recognised_and_a_wrong_one_explained(tmp_path: Path) -> None:
    assert model_problem(korean_model_dir()) is None
    assert model_problem(tmp_path / "nope") == "the folder does not exist"
    assert model_problem(tmp_path) == "it has no am/final.mdl"
    (tmp_path / "am").mkdir()
    (tmp_path / "am" / "final.mdl").write_bytes(b"x")
    assert model_problem(tmp_path) == "it has no conf folder"
    (tmp_path / "conf").mkdir()
    assert "decoding graph" in str(model_problem(tmp_path))


def test_install_from_a_zip_with_a_top_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = install(model_zip(tmp_path), data)
    assert result.path == data / "models" / NAME and not result.already
    assert model_problem(result.path) is None
    assert installed(data) == [result.path]
    assert not [p for p in (data / "models").iterdir() if p.name.startswith(".")]
    assert install(model_zip(tmp_path), data).already


def test_install_from_a_flat_zip_names_the_model_after_the_zip(tmp_path: Path) -> None:
    result = install(model_zip(tmp_path, top=None), tmp_path / "data")
    assert result.path.name == NAME


def test_install_from_a_folder_copies_it(tmp_path: Path) -> None:
    source = model_folder(tmp_path / "usb")
    result = install(source, tmp_path / "data")
    assert result.path == tmp_path / "data" / "models" / NAME
    assert source.is_dir()  # the original stays where it was


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.zip", "does not exist"),
        (lambda tmp: _write(tmp / "notes.txt", b"hello"), "neither a Vosk model folder nor a zip"),
        (lambda tmp: tmp, "is not a Vosk model: it has no am/final.mdl"),
        (lambda tmp: _zip_of(tmp, {"readme.txt": b"hi"}), "does not hold a Vosk model"),
        (lambda tmp: _zip_of(tmp, {"../../evil.txt": b"x"}), "outside its folder"),
        (lambda tmp: _write(tmp / "cut.zip", model_zip(tmp).read_bytes()[:-200]), "incomplete"),
    ],
)
def test_install_problems_are_one_sentence(tmp_path: Path, make: object, expected: str) -> None:
    source = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ModelError) as caught:
        install(source, tmp_path / "data")
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert installed(tmp_path / "data") == []
    assert not (tmp_path.parent / "evil.txt").exists()


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _zip_of(tmp: Path, files: dict[str, bytes]) -> Path:
    archive = tmp / "odd.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name, content in files.items():
            out.writestr(name, content)
    return archive


def test_english_models_are_told_apart_by_name_or_readme(tmp_path: Path) -> None:
    assert is_english_model(model_folder(tmp_path, "vosk-model-small-en-in-0.4", readme=""))
    assert is_english_model(model_folder(tmp_path, "my-model", readme="US English model"))
    assert not is_english_model(korean_model_dir())  # README: "Small Korean for Vosk"
    assert not is_english_model(model_folder(tmp_path, "vosk-model-small-fr-0.22", readme="French"))
    assert not is_english_model(model_folder(tmp_path, "vosk-model-small-de-0.15", readme=""))


def test_model_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.delenv("VOICE_HAVEN_MODEL", raising=False)
    assert resolve_model(None, data) is None
    install(model_folder(tmp_path / "a", "vosk-model-en-us-0.22-lgraph"), data)
    install(model_folder(tmp_path / "b", "vosk-model-small-en-us-0.15"), data)
    install(model_folder(tmp_path / "c", "vosk-model-small-ko-0.22", readme="Korean"), data)
    store = data / "models"
    assert resolve_model(None, data) == store / "vosk-model-small-en-us-0.15"  # small first
    assert find_english_model(None, data) == store / "vosk-model-small-en-us-0.15"
    assert find_english_model(korean_model_dir(), data) is None
    assert find_english_model(tmp_path / "not-there-en-us", data) is None
    monkeypatch.setenv("VOICE_HAVEN_MODEL", str(tmp_path / "env-model"))
    assert resolve_model(None, data) == tmp_path / "env-model"
    assert resolve_model(tmp_path / "given", data) == tmp_path / "given"


# --- downloading from a local server ------------------------------------------


@dataclass
class Server:
    """A local HTTP server for the model zip that honours Range, or misbehaves on demand."""

    folder: Path
    url: str = ""
    ranges: list[str | None] = field(default_factory=list)
    cut_after: int | None = None
    """Close the connection after this many bytes of the body (a dropped network)."""
    ignore_range: bool = False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    state = Server(tmp_path / "site")
    state.folder.mkdir()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.ranges.append(self.headers.get("Range"))
            path = state.folder / self.path.lstrip("/")
            if not path.is_file():
                self.send_error(404, "Not Found")
                return
            body = path.read_bytes()
            start = 0
            wanted = self.headers.get("Range")
            if wanted and not state.ignore_range:
                start = int(wanted.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    self.send_error(416, "Range Not Satisfiable")
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            payload = body[start:]
            if state.cut_after is not None:
                payload = payload[: state.cut_after]
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            """Quiet: the test output is not the place for access logs."""

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def publish(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **known: object
) -> bytes:
    """Serve a model zip under the catalogue name, with its true size and sha256 listed."""
    body = model_zip(tmp_path).read_bytes()
    (server.folder / f"{NAME}.zip").write_bytes(body)
    entry = Downloadable(
        NAME,
        "test model",
        "1 MB",
        known.get("size", len(body)),  # type: ignore[arg-type]
        known.get("sha256", hashlib.sha256(body).hexdigest()),  # type: ignore[arg-type]
    )
    monkeypatch.setitem(models.CATALOG, NAME, entry)
    return body


def test_download_verifies_and_installs_and_leaves_no_part_file(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server, tmp_path, monkeypatch)
    data = tmp_path / "data"
    monkeypatch.setenv("VOICE_HAVEN_MODEL_URL", server.url)
    result = CliRunner().invoke(main, ["model", "download", NAME, "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert f"{NAME} is installed" in result.output
    assert installed(data) == [data / "models" / NAME]
    assert not list((data / "models").glob("*.part"))
    again = CliRunner().invoke(main, ["model", "download", NAME, "--data-dir", str(data)])
    assert "already installed" in again.output and len(server.ranges) == 1


def test_an_interrupted_download_resumes_with_a_range_request(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = publish(server, tmp_path, monkeypatch)
    data = tmp_path / "data"
    server.cut_after = len(body) // 3
    with pytest.raises(ModelError, match="run the same command again to resume"):
        download(NAME, data, server.url)
    part = data / "models" / f"{NAME}.zip.part"
    assert part.stat().st_size == len(body) // 3  # kept for resuming
    server.cut_after = None
    assert download(NAME, data, server.url).path == data / "models" / NAME
    assert server.ranges == [None, f"bytes={len(body) // 3}-"]
    assert not part.exists()


def test_a_server_that_ignores_range_is_downloaded_from_the_start(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = publish(server, tmp_path, monkeypatch)
    data = tmp_path / "data"
    part = data / "models" / f"{NAME}.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(body[:100])
    server.ignore_range = True
    assert model_problem(download(NAME, data, server.url).path) is None


def test_a_wrong_checksum_removes_the_download(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server, tmp_path, monkeypatch, sha256="0" * 64)
    data = tmp_path / "data"
    with pytest.raises(ModelError, match="does not match its published checksum"):
        download(NAME, data, server.url)
    assert list((data / "models").iterdir()) == []


def test_a_download_of_the_wrong_size_is_removed(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = publish(server, tmp_path, monkeypatch, size=100)
    data = tmp_path / "data"
    part = data / "models" / f"{NAME}.zip.part"
    with pytest.raises(ModelError, match="instead of 100"):
        download(NAME, data, server.url)
    assert not part.exists() and len(body) > 100


def test_download_problems_are_one_sentence_with_no_traceback(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "data")
    runner = CliRunner()
    missing = runner.invoke(
        main, ["model", "download", NAME, "--from", server.url, "--data-dir", data]
    )
    assert missing.exit_code != 0 and "404" in missing.output
    unknown = runner.invoke(main, ["model", "download", "vosk-model-huge", "--data-dir", data])
    assert unknown.exit_code != 0 and "no model called vosk-model-huge" in unknown.output
    offline = runner.invoke(
        main, ["model", "download", NAME, "--from", "http://127.0.0.1:9/", "--data-dir", data]
    )
    assert offline.exit_code != 0 and "voice-haven model install" in offline.output
    for result in (missing, unknown, offline):
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output


def test_model_commands_list_path_and_install(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    empty = runner.invoke(main, ["model", "list", *data])
    assert "No Vosk model is installed" in empty.output and NAME in empty.output
    done = runner.invoke(main, ["model", "install", str(model_zip(tmp_path)), *data])
    assert done.exit_code == 0 and "sessions listen with it" in done.output
    listed = runner.invoke(main, ["model", "list", "--json", *data])
    assert '"english": true' in listed.output
    where = runner.invoke(main, ["model", "path", NAME, *data])
    assert where.output.strip() == str(tmp_path / "data" / "models" / NAME)
    store = runner.invoke(main, ["model", "path", *data])
    assert store.output.strip() == str(tmp_path / "data" / "models")
    bad = runner.invoke(main, ["model", "install", str(tmp_path / "nothing.zip"), *data])
    assert bad.exit_code == 2 and "nothing.zip does not exist." in bad.output
    assert os.listdir(tmp_path / "data" / "models") == [NAME]


def test_choosing_a_recognizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICE_HAVEN_MODEL", raising=False)
    data = tmp_path / "data"
    with pytest.raises(RecognizerUnavailable, match="No Vosk model was found"):
        choose("vosk", None, data)
    with pytest.raises(RecognizerUnavailable, match="no recognizer called whisper"):
        choose("whisper", None, data)
    vosk = choose("vosk", korean_model_dir(), data)
    assert vosk.recognizer.name == "vosk" and vosk.description.startswith("Vosk (")
    # auto never picks a model that cannot hear English, and says why.
    fallback = choose("auto", korean_model_dir(), data)
    assert fallback.recognizer.name == "sphinx"
    assert fallback.description.startswith("PocketSphinx (US English), because the Vosk model")
    plain = choose("auto", None, data)
    assert (plain.recognizer.name, plain.description) == ("sphinx", "PocketSphinx (US English)")
