"""The build pipeline: its stages in order, settings, the project lock, incremental state, the output folder and its swap."""
