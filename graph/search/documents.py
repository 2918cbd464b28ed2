"""What the index holds and answers: :class:`Document`, :class:`Hit`, and the :class:`Codes`
that say how the documents' hierarchical codes are typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["Codes", "Document", "Hit", "unique_documents"]


@dataclass(frozen=True, slots=True)
class Document:
    """One thing people search for: a task (KLE topic or group), unit, law or forum.

    ``notation`` is an optional dotted hierarchical code ("27.60.08" lies under "27.60"):
    a document whose code extends another's by one dotted part lies below it.

    Examples
    --------
    >>> Document("fvl", "law", "Forvaltningsloven", "urn:law:fvl", synonyms=("fvl",)).label
    'Forvaltningsloven'
    """

    id: str
    kind: str
    label: str
    uri: str
    notation: str | None = None
    synonyms: tuple[str, ...] = ()
    keywords: tuple[tuple[str, int], ...] = ()
    #: Points added to every text match (not to id or number matches); negative to
    #: lower documents that people rarely mean.
    boost: float = 0.0


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result; ``matched`` says how it was found and ``matched_text`` by what.

    Examples
    --------
    >>> Hit("bif", "unit", "BIF", "urn:u", None, 94.0, "synonym", "BIF").matched
    'synonym'
    """

    id: str
    kind: str
    label: str
    uri: str
    notation: str | None
    score: float
    matched: str
    matched_text: str
    #: How sure the index is that this is what was meant (0–100): the score, or 0 where
    #: the query gives no ground for one (see :mod:`graph.search.confidence`).
    confidence: float = 0.0


def _no_code(typed: str) -> tuple[str, bool] | None:
    return None


def _never(text: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Codes:
    """The rules of the documents' codes, which the caller knows and the index does not.

    Parameters
    ----------
    read
        A query (stripped and casefolded) written as a code: ``(code, written_as_id)``,
        or ``None`` when it is no code. A code query is answered by codes alone.
    is_general
        True for a code that stands for its parent's own general entry: its keywords
        count for the parent, and it ranks a little below it.
    is_retiring
        True for a label that marks its document as being phased out (it loses a little).

    Examples
    --------
    >>> codes = Codes(read=lambda typed: (typed, False) if typed.isdigit() else None)
    >>> codes.read("12"), codes.read("tolv"), codes.is_general("12.00")
    (('12', False), None, False)
    """

    read: Callable[[str], tuple[str, bool] | None] = _no_code
    is_general: Callable[[str], bool] = _never
    is_retiring: Callable[[str], bool] = _never


def unique_documents(documents: Iterable[Document]) -> tuple[Document, ...]:
    """The documents without later duplicates of an id, in their order.

    Examples
    --------
    >>> docs = [Document("a", "task", "A", "urn:a"), Document("a", "task", "B", "urn:b")]
    >>> [d.label for d in unique_documents(docs)]
    ['A']
    """
    first: dict[str, Document] = {}
    for doc in documents:
        first.setdefault(doc.id, doc)
    return tuple(first.values())
