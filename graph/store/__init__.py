"""The store of record (issue 11): where the graph's truth lives once it is edited.

- :mod:`graph.store.change`: a :class:`Change` (exact triples removed and added, who, why)
- :mod:`graph.store.terms`: rdflib ↔ Oxigraph terms, skolemised blank nodes
- :mod:`graph.store.backend`: the :class:`Store` interface, the log and guarded commits
- :mod:`graph.store.embedded`: the embedded Oxigraph store on disk (the default)
- :mod:`graph.store.source`: the store as a :class:`~graph.data.loader.Source`
"""
