"""A new search index from an old one and a few changed documents, without building it again.

Following an edit renames a unit or two; building the index again costs seconds at scale.
:func:`with_documents` puts the changed documents in place (or adds new ones) and patches
the phrases, postings, word rarities and vocabulary they touch
(:meth:`~graph.search.phrases.Phrases.with_document`).

Safe while the old index answers requests: the old index is never changed. The new one is a
shallow copy that shares every list and dict the change leaves alone; each structure the
change touches (a posting list, the per-phrase lists, the vocabulary) is copied first and
only the copy is changed. The result answers exactly as an index built again from the same
documents (``tests/graph/test_search_update.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy

from graph.search.documents import Document, unique_documents
from graph.search.index import SearchIndex
from graph.search.text import plain_words

__all__ = ["with_documents"]


def with_documents(index: SearchIndex, documents: Iterable[Document]) -> SearchIndex:
    """A new index: ``index`` with ``documents`` in place of those with their ids (or added).

    A document with a code (``notation``), now or before, or of a kind the index does not
    know, changes the groups of codes: then the index is built again.

    Examples
    --------
    >>> index = SearchIndex([Document("a", "unit", "Vejcenter", "urn:a")])
    >>> renamed = with_documents(index, [Document("a", "unit", "Pladscenter", "urn:a")])
    >>> [h.id for h in renamed.search("pladscenter")], index.search("pladscenter")
    (['a'], [])
    >>> [h.id for h in renamed.search("vejcenter")], [h.id for h in index.search("vejcenter")]
    ([], ['a'])
    """
    changed = unique_documents(documents)
    new = copy(index)
    docs = list(index._docs)
    for doc in changed:
        i = index._position.get(doc.id, len(docs))
        if doc.notation or doc.kind not in index.kinds or (i < len(docs) and docs[i].notation):
            return _rebuilt(index, changed)
        _put(new, i, doc, docs)
    new._docs = tuple(docs)
    return new


def _rebuilt(index: SearchIndex, changed: Sequence[Document]) -> SearchIndex:
    replaced = {doc.id: doc for doc in changed}
    kept = [replaced.pop(doc.id, doc) for doc in index._docs]
    return SearchIndex([*kept, *replaced.values()], kinds=index.kinds[1:], codes=index._codes)


def _put(new: SearchIndex, i: int, doc: Document, docs: list[Document]) -> None:
    """Document ``i`` of ``new`` (maybe new, at the end) becomes ``doc``; ``docs`` its list.
    Every structure changed is ``new``'s own copy."""
    if i == len(docs):
        docs.append(doc)
        new._position = {**new._position, doc.id: i}
        new._by_id_key = dict(new._by_id_key)
        new._by_id_key.setdefault(" ".join(plain_words(doc.id)), i)
        new._depth = [*new._depth, 0]
        new._parent = [*new._parent, None]
        new._penalty = [*new._penalty, 0.0]
    else:
        docs[i] = doc
        new._penalty = list(new._penalty)
    new._penalty[i] = 1.0 if new._codes.is_retiring(doc.label) else 0.0
    new._phrases = new._phrases.with_document(i, doc, list(doc.keywords), len(docs))
