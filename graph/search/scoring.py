"""How well one phrase matches a query: the tiers of :mod:`graph.search.index`."""

from __future__ import annotations

from graph.search.phrases import KEYWORD, LABEL, Phrases

__all__ = ["head_agreement", "phrase_score", "whole_score"]


def whole_score(phrases: Phrases, p: int) -> tuple[float, float]:
    """Score and ceiling of phrase ``p`` when it is the whole query.

    Examples
    --------
    >>> from graph.search.documents import Document
    >>> phrases = Phrases.build([Document("a", "task", "Pas", "urn:a")], [[("pas", 5)]])
    >>> whole_score(phrases, 0), whole_score(phrases, 1)
    ((97.0, 97.0), (74.0, 85.9))
    """
    origin = phrases.origin[p]
    if origin == KEYWORD:
        return 74.0 + 6.0 * phrases.share[p], 85.9
    score = 97.0 if origin == LABEL else 94.0
    return score, score  # needs no help, and ties go to the more specific


def phrase_score(
    phrases: Phrases,
    p: int,
    row: dict[int, float],
    share: float,
    coverage: float,
    keys: tuple[str, ...],
    whole_query: str,
) -> tuple[float, float]:
    """Score and ceiling of phrase ``p`` when it holds some of the query's words.

    ``row`` is the quality (0..1) with which each query word met the phrase, ``share``
    the part of the phrase's own words met, ``coverage`` the part of the query met
    (rarer words counting more); ``keys`` and ``whole_query`` are the query's.

    Examples
    --------
    >>> from graph.search.documents import Document
    >>> phrases = Phrases.build([Document("a", "task", "Pas til børn", "urn:a")], [[]])
    >>> phrase_score(phrases, 0, {0: 1.0}, 0.5, 1.0, ("pas",), "pas")
    (88.0, 93.9)
    """
    origin = phrases.origin[p]
    weight = phrases.share[p]
    every_word = len(row) == len(keys) and min(row.values()) >= 0.9
    nearly = 0.0 if min(row.values()) == 1.0 else 2.0
    if every_word and share == 1.0:  # all the words, in some form
        if origin == KEYWORD:
            return 72.0 + 6.0 * weight - nearly, 85.9
        return (92.0 if origin == LABEL else 90.0) - nearly, 93.9
    if origin != KEYWORD and (
        phrases.keys[p][: len(keys)] == keys
        # "teknik og miljø…" as typed: whole words, then maybe the start of one.
        or (" " in whole_query and phrases.whole[p].startswith(whole_query))
    ):
        return 86.0 - 2.0 * origin + 4.0 * share - nearly, 93.9
    if origin != KEYWORD and every_word:
        return 80.0 - 2.0 * origin + 4.0 * share - nearly, 85.9
    if share == 1.0 and min(row.values()) >= 0.95:
        # The whole phrase stands in a longer query ("… vil søge førtidspension"): how
        # people describe a problem. The more of the query it covers, the better.
        top = (60.0, 58.0, 50.0 + 6.0 * weight)[origin]
        return top * (0.55 + 0.45 * coverage), 71.9
    top = (80.0, 78.0, 66.0 + 8.0 * weight)[origin]
    return top * (0.92 + 0.08 * share) * coverage**1.5, 85.9


def head_agreement(phrases: Phrases, keys: tuple[str, ...], doc: int) -> float:
    """Up to 1 when the label of ``doc`` ends like the query's last word.

    Danish compounds are right-headed: "invalidepension" and "Førtidspension" are both
    pensions.

    Examples
    --------
    >>> from graph.search.documents import Document
    >>> docs = [Document("a", "task", "Førtidspension", "urn:a"),
    ...         Document("b", "task", "Pension", "urn:b")]
    >>> head_agreement(Phrases.build(docs, [[], []]), ("invalidepension",), 0)
    0.4666666666666667
    """
    label = phrases.label_keys[doc]
    if not keys or not label:
        return 0.0
    last = keys[-1]
    best = 0
    for key in label:
        tail = _common_tail(last, key)
        if tail >= 4 and last[-tail:] in phrases.postings:
            best = max(best, tail)
    return best / len(last) / len(label)


def _common_tail(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n
