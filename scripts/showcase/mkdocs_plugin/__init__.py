"""The MkDocs plugin `showcase`: configuration and hooks, each a short call into the build."""
