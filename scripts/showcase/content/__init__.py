"""The branch data: content model, strict YAML, loading, checks, taxonomy, updates, scaffold."""
