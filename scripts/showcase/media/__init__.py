"""Images: the one-image codec, the rendition cache, the publish plan, share cards, fonts."""
