"""Helpers around the build: synthetic projects, sample photos, the preview server."""
