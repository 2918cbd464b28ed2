"""Edits (issue 11): operations on units, responsibilities, contact points, forums and
authorities, validated (focused SHACL and the rules SHACL cannot say) and committed to the
store of record as one :class:`~graph.store.change.Change` each."""
