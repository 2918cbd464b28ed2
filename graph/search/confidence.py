"""How sure the index is of a text hit, so that a caller can refuse to guess.

A hit's score ranks it among the others; its *confidence* says whether the best of them is
worth answering with. It is the score, unless the query gives no ground for one:

- no query word has three letters (a single letter, "or", bare digits);
- it holds stop words alone;
- less than half of the query (by word rarity) is met by the vocabulary exactly, as part
  of a compound, or as a typo of a long word: a query made mostly of unknown words
  ("ukendt-enhed"), which typos must not rescue;
- the hit was reached by a typo of a short word ("tasks" as "tank").

The price: a sentence of mostly everyday words that KLE does not hold ("mit barn har
*ondt* i en tand") is refused with suggestions rather than answered.

:data:`CONFIDENCE_FLOOR` is measured, not chosen: see ``docs/api.md`` (errors) for the
scores of right and wrong answers it separates.
"""

from __future__ import annotations

from typing import Final

from graph.search.phrases import Expansion

__all__ = [
    "CONFIDENCE_FLOOR",
    "MIN_EVIDENCE",
    "WHOLE_MATCH",
    "QueryEvidence",
    "confidence",
    "query_evidence",
]

CONFIDENCE_FLOOR: Final = 15.0
"""Below this confidence a text hit is no answer, only a suggestion."""

WHOLE_MATCH: Final = 94.0
"""The score of a query that is a whole label or synonym: sure, however short."""

MIN_EVIDENCE: Final = 0.5
"""The share of a query (by word rarity) the vocabulary must meet for any confidence."""

#: A typo of a word shorter than this is no evidence: too many short words are one edit
#: apart ("task"/"tank", "pas"/"pos").
_SHORTEST_TYPO: Final = 6

#: A query word met only as a small part of a longer word ("drop" in "dropfodskinne",
#: "task" in "skoletaske") is no evidence that the query is about it.
_WEAKEST_PART: Final = 0.7

#: A query of this many words that count is a sentence ("mit barn har ondt i en tand").
_SENTENCE: Final = 3

#: A query needs a word of this many letters: "a", "ø", "or" or digits alone mean nothing.
_FEWEST_LETTERS: Final = 3

QueryEvidence = tuple[float, bool]  # the share of the query met, a short word met by typo


def query_evidence(
    keys: tuple[str, ...], expansions: list[list[Expansion]], weights: list[float]
) -> QueryEvidence:
    """The share of the query's weight that the vocabulary meets, and whether a short word
    is met only by a typo.

    Examples
    --------
    >>> query_evidence(("pension", "xyz"), [[("pension", 1.0, False)], []], [3.0, 1.0])
    (0.75, False)
    >>> query_evidence(("task",), [[("tank", 0.7, True)]], [1.0])
    (0.0, True)
    """
    quality: list[float] = []
    short_typo = False
    for key, expansion in zip(keys, expansions, strict=True):
        exact = max((q for _, q, by_typo in expansion if not by_typo), default=0.0)
        if exact < _WEAKEST_PART:  # a word that is only a small part of a longer one
            exact = 0.0
        typo = max((q for _, q, by_typo in expansion if by_typo), default=0.0)
        if typo and len(key) < _SHORTEST_TYPO:
            short_typo, typo = True, 0.0
        quality.append(max(exact, typo))
    counted = list(weights)
    known = [w for w, q in zip(weights, quality, strict=True) if q]
    if len(keys) >= _SENTENCE and known:
        # In a sentence, an everyday word the vocabulary lacks ("ligger", "overalt") says
        # less about the query than its rarity would: it counts as an average met word.
        average = sum(known) / len(known)
        counted = [w if q else min(w, average) for w, q in zip(weights, quality, strict=True)]
    met = sum(w * q for w, q in zip(counted, quality, strict=True))
    total = sum(counted)
    return (met / total if total else 0.0), short_typo


def confidence(
    score: float, evidence: QueryEvidence, keys: tuple[str, ...], *, fuzzy: bool
) -> float:
    """The confidence (0–100) of a text hit with ``score`` for a query of ``keys``.

    Examples
    --------
    >>> confidence(97.0, (1.0, False), ("pas",), fuzzy=False)
    97.0
    >>> confidence(86.7, (1.0, False), ("a",), fuzzy=False)
    0.0
    >>> confidence(70.0, (0.3, False), ("drop", "tabl", "task"), fuzzy=False)
    0.0
    >>> confidence(9.9, (0.9, True), ("task",), fuzzy=True)
    0.0
    """
    share, short_typo = evidence
    if score >= WHOLE_MATCH and not fuzzy:
        return score  # the query is a whole name or synonym, however short ("SU", "ØU")
    if not any(sum(c.isalpha() for c in key) >= _FEWEST_LETTERS for key in keys):
        return 0.0
    if share < MIN_EVIDENCE or (fuzzy and short_typo):
        return 0.0
    return score
