"""Audio in: reading WAV files, resampling, endpointing, sources and the listener.

Modules here import numpy, soxr and sounddevice only where they are used, so
that importing an error type (``wavfile.AudioFileError``) for the command
line costs nothing at start-up.
"""
