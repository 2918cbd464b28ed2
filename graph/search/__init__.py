"""Danish text search: folding, stemming and a weighted index.

Generic: it knows documents, fields, weights and codes, nothing of units or tasks; what
a code means the caller says in :class:`Codes`.
"""

from __future__ import annotations

from graph.search.confidence import CONFIDENCE_FLOOR
from graph.search.documents import Codes, Document, Hit
from graph.search.index import ANY_KIND, MAX_QUERY_LENGTH, SearchIndex
from graph.search.text import danish_stem, fold, match_keys
from graph.search.update import with_documents

__all__ = [
    "ANY_KIND",
    "CONFIDENCE_FLOOR",
    "MAX_QUERY_LENGTH",
    "Codes",
    "Document",
    "Hit",
    "SearchIndex",
    "danish_stem",
    "fold",
    "match_keys",
    "with_documents",
]
