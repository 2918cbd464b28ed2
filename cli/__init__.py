"""``stafet``: the command-line face of the graph library."""
