"""Sources → RDF → :class:`~graph.data.knowledge.Knowledge`: load, validate, compile, cache."""
