"""The branch data: model, strict YAML, text decoding, loading, checks, taxonomy, updates, scaffold."""
