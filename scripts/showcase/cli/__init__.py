"""The `showcase` command."""
