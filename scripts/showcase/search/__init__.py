"""Full-text search: the sharded n-gram index, the search page's script and the header box."""
