"""Find tasks, units, laws and forums the way staff type them.

A pure text index over plain :class:`Document` records (no RDF here): the caller feeds it
ids, labels, synonyms and keywords, and :meth:`SearchIndex.search` answers any case, with
or without æ/ø/å, typos, inflected forms, codes and abbreviations, each hit with its
confidence (:mod:`graph.search.confidence`). What codes mean, :class:`Codes` says.

How a query is matched
----------------------
Every word is reduced to a match key (:mod:`graph.search.text`). An inverted index maps
each key to the labels, synonyms and keywords that hold it; what a title holds in
parentheses ("(kontanthjælp mv.)", "(SFO)") counts as a synonym. A query word meets a key
exactly, as the start or a part of a compound ("pension" in "førtidspension"), split into
two known words when it is an unknown compound ("beskæftigelses" + "forvaltningen"), or,
when it meets nothing exactly, as a small typo found with rapidfuzz over the vocabulary of
keys (never over all documents). A verb and a later word that compound to a known word
count as that word too ("holde op (stoppe) med at ryge" as "rygestop").

How hits are ranked
-------------------
In tiers, best first: an id or code (100); the whole label (97); the whole synonym
(94); a label or synonym with all the query's words and no others, or starting with them
(84-92); a label or synonym holding them all (78-84), or a keyword that is the query
(74-80, more for a higher keyword weight); partial matches, weighted by how rare the matched
words are; typos last (x 0.75). Within its tier a hit gains a little for every other
phrase that matches, for covering more of the query across phrases, for a title that
relates to the query, and, for a group, when most of its members match; it never
climbs into the tier above. Keywords of weight 500 or more (form titles and internal codes
such as "ok01") only match a query that is exactly that keyword. A group stands for its
own general entry (:attr:`Codes.is_general`) and inherits its keywords. On equal scores
the more specific code wins; a retiring entry (:attr:`Codes.is_retiring`) loses a little.

Examples
--------
>>> index = SearchIndex([
...     Document("kle-32.03.16", "task", "Førtidspension", "urn:t1", "32.03.16",
...              keywords=(("invalidepension", 5),)),
...     Document("bif", "unit", "Beskæftigelses- og Integrationsforvaltningen", "urn:u1",
...              synonyms=("BIF",)),
... ])
>>> [(h.id, h.matched) for h in index.search("fortidspension")]
[('kle-32.03.16', 'label')]
>>> index.search("invalide pension")[0].id
'kle-32.03.16'
>>> index.search("BIF", kind="unit")[0].matched
'id'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from graph.errors import InvalidInputError
from graph.search.confidence import QueryEvidence, confidence, query_evidence
from graph.search.documents import Codes, Document, Hit, unique_documents
from graph.search.phrases import FIELD_NAMES, LABEL, Expansion, Phrases
from graph.search.scoring import head_agreement, phrase_score, whole_score
from graph.search.text import content_keys, plain_words, query_terms

__all__ = ["ANY_KIND", "MAX_QUERY_LENGTH", "SearchIndex"]

ANY_KIND: Final = "any"
"""The kind that searches all kinds."""

MAX_QUERY_LENGTH: Final = 200
"""Longer queries are cut to this many characters."""

_MAX_QUERY_WORDS: Final = 40  # words as typed, stop words included
_MAX_QUERY_KEYS: Final = 12  # the words that count


@dataclass(slots=True)
class _Candidate:
    """The best evidence found so far for one document."""

    score: float  # of the best phrase
    phrase: int  # index of the best phrase, -1 for an id or number
    matched: str
    coverage: float = 1.0  # share of the query the best phrase covers, by word rarity
    ceiling: float = 100.0  # bonuses never lift a hit above the tier of its best phrase
    penalty: float = 0.0
    bonus: float = 0.0
    extra: int = 0  # other phrases of the document that match

    @property
    def total(self) -> float:
        return min(self.score + self.bonus, self.ceiling) - self.penalty

    def keep_better(self, other: _Candidate) -> None:
        """Count ``other`` as one more matching phrase, and keep it if it is better."""
        self.extra += 1
        if other.score - other.penalty > self.score - self.penalty:
            self.score, self.phrase = other.score, other.phrase
            self.coverage, self.ceiling = other.coverage, other.ceiling
            self.penalty = other.penalty


@dataclass(slots=True)
class _TextQuery:
    """A query's keys, what each meets in the vocabulary, and how much each counts."""

    keys: tuple[str, ...]
    whole: str  # the query's whole plain text
    expansions: list[list[Expansion]]
    weights: list[float]
    total: float
    evidence: QueryEvidence

    def coverage(self, row: dict[int, float]) -> float:
        """The share of the query that ``row`` (query word → quality) covers."""
        return sum(self.weights[i] * q for i, q in row.items()) / self.total


@dataclass(slots=True)
class _PhraseMatches:
    """The phrases a query meets."""

    quality: dict[int, dict[int, float]] = field(default_factory=dict)  # p → word → 0..1
    typo: set[int] = field(default_factory=set)  # phrases only a typo reached
    hit_keys: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    whole: set[int] = field(default_factory=set)  # phrases that are the whole query
    doc_cover: dict[int, dict[int, float]] = field(default_factory=dict)  # over phrases
    title_cover: dict[int, float] = field(default_factory=dict)  # by label or alias


class SearchIndex:
    """An in-memory text index over documents.

    Parameters
    ----------
    documents
        The documents; ids should be unique (a later duplicate is ignored).
    kinds
        The kinds a search can be limited to besides :data:`ANY_KIND`; by default those
        of the documents, in the order they first appear.
    codes
        What the documents' codes mean; by default no query is read as a code.

    Examples
    --------
    >>> numbers = Codes(read=lambda typed: (typed, False) if typed[:1].isdigit() else None)
    >>> index = SearchIndex([
    ...     Document("kle-27.60", "task", "Hjælpemidler, forbrugsgoder", "urn:g", "27.60"),
    ...     Document("kle-27.60.08", "task", "Mobilitetshjælpemidler", "urn:t", "27.60.08",
    ...              keywords=(("kørestol", 5), ("rollator", 5))),
    ... ], codes=numbers)
    >>> [h.id for h in index.search("korestol")]
    ['kle-27.60.08']
    >>> index.search("27.60.08")[0].matched
    'notation'
    >>> index.suggest("hjælpemidle")[0].id
    'kle-27.60'
    """

    def __init__(
        self,
        documents: Iterable[Document],
        *,
        kinds: Sequence[str] | None = None,
        codes: Codes | None = None,
    ) -> None:
        self._codes = codes if codes is not None else Codes()
        self._docs: tuple[Document, ...] = unique_documents(documents)
        docs = self._docs
        if kinds is None:
            kinds = list(dict.fromkeys(doc.kind for doc in docs))
        self.kinds: tuple[str, ...] = (ANY_KIND, *kinds)
        """The kinds :meth:`search` accepts."""
        self._by_id_key: dict[str, int] = {}
        self._by_notation: dict[str, int] = {}
        self._position = {doc.id: i for i, doc in enumerate(docs)}
        for i, doc in enumerate(docs):
            self._by_id_key.setdefault(" ".join(plain_words(doc.id)), i)
            if doc.notation:
                self._by_notation.setdefault(doc.notation, i)
        self._depth = [doc.notation.count(".") + 1 if doc.notation else 0 for doc in docs]
        self._parent: list[int | None] = [self._parent_of(doc) for doc in docs]
        self._penalty = [1.0 if self._codes.is_retiring(doc.label) else 0.0 for doc in docs]
        self._children: dict[int, int] = defaultdict(int)
        self._general: set[int] = set()
        self._arrange_groups()
        self._phrases = Phrases.build(docs, self._inherited_keywords())

    # -- building ---------------------------------------------------------------------
    def _parent_of(self, doc: Document) -> int | None:
        if not doc.notation or "." not in doc.notation:
            return None
        return self._by_notation.get(doc.notation.rsplit(".", 1)[0])

    def _arrange_groups(self) -> None:
        """Count each group's members; a group stands for its general entry."""
        for i, doc in enumerate(self._docs):
            parent = self._parent[i]
            if parent is None:
                continue
            if doc.notation and self._codes.is_general(doc.notation):
                self._general.add(i)
                self._penalty[i] += 1.0
            else:
                self._children[parent] += 1

    def _inherited_keywords(self) -> list[list[tuple[str, int]]]:
        """Each document's keywords, a group's with those of its general entry."""
        keywords = [list(doc.keywords) for doc in self._docs]
        # Deepest first, so the keywords of NN.00.00 reach NN through NN.00.
        for i in sorted(self._general, key=lambda j: -self._depth[j]):
            parent = self._parent[i]
            if parent is not None:
                keywords[parent].extend(keywords[i])
        return keywords

    # -- searching --------------------------------------------------------------------
    def search(self, query: str, *, kind: str = ANY_KIND, limit: int = 10) -> list[Hit]:
        """Search labels, synonyms, keywords, ids and KLE numbers.

        Parameters
        ----------
        query
            What the person typed: words, an id, or a KLE number ("32.03.16", "320316",
            "kle-32.03"). Cut to :data:`MAX_QUERY_LENGTH` characters.
        kind
            One of :attr:`kinds`.
        limit
            At most this many hits.

        Returns
        -------
        list of Hit
            Best first; empty when nothing matches.

        Raises
        ------
        InvalidInputError
            For an empty query or an unknown kind (the message is in Danish).

        Examples
        --------
        >>> index = SearchIndex([Document("pas", "task", "Pas", "urn:pas", "23.09.02")])
        >>> index.search("PAS")[0].score
        100.0
        >>> index.search("   ")
        Traceback (most recent call last):
        ...
        graph.errors.InvalidInputError: Søgningen er tom: skriv et ord, et id eller et KLE-nummer.
        """
        return self._search(query, kind, limit, always_fuzzy=False)

    def suggest(self, query: str, *, kind: str = ANY_KIND, limit: int = 5) -> list[Hit]:
        """The nearest documents for an error message, trying typos even for known words.

        Parameters
        ----------
        query
            What the person typed.
        kind
            One of :attr:`kinds`.
        limit
            At most this many suggestions.

        Returns
        -------
        list of Hit
            Best first.

        Raises
        ------
        InvalidInputError
            For an empty query or an unknown kind.

        Examples
        --------
        >>> index = SearchIndex([Document("sof", "unit", "Socialforvaltningen", "urn:sof")])
        >>> [h.id for h in index.suggest("sfo")]
        ['sof']
        """
        hits = {h.id: h for h in self._search(query, kind, limit, always_fuzzy=True)}
        # A mistyped id ("bfi" for "bif") is no word, so compare it with the ids as well.
        typed = " ".join(plain_words(query[:MAX_QUERY_LENGTH]))
        ids = {key: i for key, i in self._by_id_key.items() if self._kind_ok(i, kind)}
        for key, similarity, _ in process.extract(
            typed, list(ids), scorer=OSA.normalized_similarity, limit=limit, score_cutoff=0.5
        ):
            i = ids[key]
            hit = self._hit(i, round(60.0 * similarity, 2), "fuzzy", self._docs[i].id)
            if hit.id not in hits or hits[hit.id].score < hit.score:
                hits[hit.id] = hit
        return sorted(hits.values(), key=lambda h: (-h.score, h.id))[:limit]

    def _kind_ok(self, i: int, kind: str) -> bool:
        return kind == ANY_KIND or self._docs[i].kind == kind

    def _hit(self, i: int, score: float, matched: str, text: str) -> Hit:
        doc = self._docs[i]
        score = max(0.0, min(100.0, score))
        return Hit(doc.id, doc.kind, doc.label, doc.uri, doc.notation, score, matched, text)

    def _search(self, query: str, kind: str, limit: int, *, always_fuzzy: bool) -> list[Hit]:
        if kind not in self.kinds:
            raise InvalidInputError(f"Ukendt slags {kind!r}: vælg en af {', '.join(self.kinds)}.")
        if len(query) > MAX_QUERY_LENGTH:  # cut, without the word it cuts in two
            cut = query[:MAX_QUERY_LENGTH]
            query = cut if query[MAX_QUERY_LENGTH].isspace() else cut.rsplit(None, 1)[0]
        words = plain_words(query)
        if not words:
            raise InvalidInputError("Søgningen er tom: skriv et ord, et id eller et KLE-nummer.")
        if limit <= 0:
            return []
        found: dict[int, _Candidate] = {}
        text_query = None
        if not self._match_id_or_code(query, words, kind, found):
            text_query = self._match_text(
                words[:_MAX_QUERY_WORDS], found, always_fuzzy=always_fuzzy
            )
            self._reward_groups(found)
            for i, candidate in found.items():
                candidate.penalty -= self._docs[i].boost
        ranked = sorted(
            (i for i in found if self._kind_ok(i, kind)),
            key=lambda i: (-round(found[i].total, 6), -self._depth[i], self._docs[i].id),
        )
        return [self._ranked_hit(i, found[i], text_query) for i in ranked[:limit]]

    def _ranked_hit(self, i: int, candidate: _Candidate, query: _TextQuery | None) -> Hit:
        p = candidate.phrase
        if p < 0:
            text = self._docs[i].notation or self._docs[i].id
        else:
            text = self._docs[i].label if p in self._phrases.aliases else self._phrases.text[p]
        hit = self._hit(i, round(candidate.total, 2), candidate.matched, text)
        sure = hit.score
        if query is not None:  # an id or a code is sure as it scores
            sure = confidence(hit.score, query.evidence, query.keys, fuzzy=hit.matched == "fuzzy")
        return replace(hit, confidence=sure)

    def _match_id_or_code(
        self, query: str, words: list[str], kind: str, found: dict[int, _Candidate]
    ) -> bool:
        """Ids and codes; True when the query is one (known or not)."""
        typed = query.strip().casefold()
        code = self._codes.read(typed)
        if code is not None:
            notation, as_id = code
            matched = "id" if as_id else "notation"
            for i, doc in enumerate(self._docs):
                if doc.notation == notation:
                    found[i] = _Candidate(100.0, -1, matched)
                elif doc.notation and doc.notation.startswith(notation + "."):
                    below = self._depth[i] - notation.count(".") - 1
                    found[i] = _Candidate(90.0 - 10.0 * below, -1, "notation")
            # A dotted or prefixed code is a code even when unknown; bare digits may be words.
            if found or not typed.isdigit():
                return True
        by_id = self._by_id_key.get(" ".join(words))
        if by_id is not None and self._kind_ok(by_id, kind):
            found[by_id] = _Candidate(100.0, -1, "id")
            return True
        return False

    # -- matching words ---------------------------------------------------------------
    def _match_text(
        self, words: list[str], found: dict[int, _Candidate], *, always_fuzzy: bool
    ) -> _TextQuery:
        query = self._text_query(words, always_fuzzy=always_fuzzy)
        matches = self._phrase_matches(query)
        for p, row in matches.quality.items():
            self._add_phrase(p, row, query, matches, found)
        for doc, candidate in found.items():
            self._settle(doc, candidate, query, matches)
        return query

    def _text_query(self, words: list[str], *, always_fuzzy: bool) -> _TextQuery:
        phrases = self._phrases
        # Stop words alone are still searched, but give no ground for confidence.
        terms = query_terms(phrases.join(words))
        factors: dict[str, float] = {}
        for key, factor in terms or tuple((key, 1.0) for key in content_keys(words)):
            for part in phrases.split(key):
                factors[part] = max(factors.get(part, 0.0), factor)
        factors.update(phrases.object_compounds(factors))
        keys = tuple(factors)[:_MAX_QUERY_KEYS]
        expansions = [phrases.expand(key, fuzzy=always_fuzzy) for key in keys]
        weights = phrases.weights(keys, expansions, [factors[key] for key in keys])
        evidence = query_evidence(keys, expansions, weights) if terms else (0.0, False)
        return _TextQuery(keys, " ".join(words), expansions, weights, sum(weights), evidence)

    def _phrase_matches(self, query: _TextQuery) -> _PhraseMatches:
        """Each phrase the query meets, with the best quality of each query word in it."""
        matches = _PhraseMatches()
        quality, postings = matches.quality, self._phrases.postings
        for position, expansion in enumerate(query.expansions):
            for other, q, by_typo in expansion:
                for p in postings[other]:
                    row = quality.get(p)
                    if row is None:
                        row = quality[p] = {}
                    if q > row.get(position, 0.0):
                        row[position] = q
                        if by_typo:
                            matches.typo.add(p)
                    matches.hit_keys[p].add(other)
        matches.whole = set(self._phrases.exact.get(query.whole, ()))
        for p in matches.whole:
            quality[p] = dict.fromkeys(range(len(query.keys)), 1.0)
            matches.typo.discard(p)
        return matches

    def _add_phrase(
        self,
        p: int,
        row: dict[int, float],
        query: _TextQuery,
        matches: _PhraseMatches,
        found: dict[int, _Candidate],
    ) -> None:
        """Score one matching phrase and let it count for its document."""
        phrases = self._phrases
        doc = phrases.doc[p]
        coverage = query.coverage(row)
        score, ceiling = self._score(p, row, coverage, query, matches)
        if phrases.origin[p] == LABEL or p in phrases.aliases:
            matches.title_cover[doc] = max(matches.title_cover.get(doc, 0.0), coverage)
        cover = matches.doc_cover.get(doc)
        if cover is None:
            matches.doc_cover[doc] = dict(row)
        else:
            for i, q in row.items():
                if q > cover.get(i, 0.0):
                    cover[i] = q
        # A topic's own keyword beats the same keyword its group inherited.
        penalty = self._penalty[doc] + (0.5 if p in phrases.inherited else 0.0)
        candidate = _Candidate(score, p, "", coverage, ceiling, penalty)
        if doc in found:
            found[doc].keep_better(candidate)
        else:
            found[doc] = candidate

    def _score(
        self,
        p: int,
        row: dict[int, float],
        coverage: float,
        query: _TextQuery,
        matches: _PhraseMatches,
    ) -> tuple[float, float]:
        """Score and ceiling of one matching phrase."""
        if p in matches.whole:
            return whole_score(self._phrases, p)
        phrase_keys = self._phrases.keys[p]
        share = len(matches.hit_keys[p]) / len(phrase_keys) if phrase_keys else 0.0
        score, ceiling = phrase_score(
            self._phrases, p, row, share, coverage, query.keys, query.whole
        )
        if p in matches.typo:
            return score * 0.75, 73.9
        return score, ceiling

    def _settle(
        self, doc: int, candidate: _Candidate, query: _TextQuery, matches: _PhraseMatches
    ) -> None:
        """Say how a document's best phrase matched, and add its bonuses."""
        p = candidate.phrase
        origin = self._phrases.origin[p]
        if p in matches.typo:
            candidate.matched = "fuzzy"
        else:
            candidate.matched = FIELD_NAMES[LABEL if p in self._phrases.aliases else origin]
        # Several phrases that together cover the query beat one that covers part.
        union = query.coverage(matches.doc_cover[doc])
        candidate.bonus += 15.0 * max(0.0, union - candidate.coverage)
        candidate.bonus += min(2.0, 0.4 * candidate.extra)
        if origin != LABEL and candidate.score >= 40.0:
            # Of topics found by keyword, prefer the one whose title is about the query.
            related = max(
                matches.title_cover.get(doc, 0.0), head_agreement(self._phrases, query.keys, doc)
            )
            candidate.bonus += related

    def _reward_groups(self, found: dict[int, _Candidate]) -> None:
        """A group gains a little when most of its members also matched."""
        matching: dict[int, int] = defaultdict(int)
        for i, candidate in found.items():
            parent = self._parent[i]
            if parent is not None and i not in self._general and candidate.total >= 40.0:
                matching[parent] += 1
        for group, count in matching.items():
            breadth = count / self._children[group]
            # Only when most of the group is about the query.
            if group in found and group not in self._general and count >= 2 and breadth >= 0.5:
                found[group].bonus += 3.0 * breadth
