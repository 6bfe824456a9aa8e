"""Speech recognizers behind one small interface (see ``base``)."""
