"""Images: the one-image codec, rendition caches, process pool, publish plan, share cards, fonts."""
