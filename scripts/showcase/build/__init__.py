"""The build: the pipeline of stages, incremental state, the output folder and its swap."""
