"""Find tasks, units, laws and forums the way staff type them.

A pure text index over plain :class:`Document` records (no RDF here): the caller feeds it
ids, labels, synonyms and KLE keywords, and :meth:`SearchIndex.search` answers any case,
with or without æ/ø/å, with small typos, inflected forms, KLE numbers and abbreviations.

How a query is matched
----------------------
Text is folded (:func:`fold`) and every word is reduced to a *match key*
(:func:`match_keys`): the word with æ/ae, ø/oe and å/aa written as one plain letter, so
"førtidspension", "foertidspension" and "fortidspension" coincide, stemmed by the Danish
Snowball algorithm (:func:`danish_stem`), with "middel"/"midler" and "ansøgning"/"ansøge"
brought together. Stop words ("til", "om", "af", …) are left out. An inverted index maps
each key to the labels, synonyms and keywords that hold it; what a KLE title holds in
parentheses ("(kontanthjælp mv.)", "(SFO)") counts as a synonym. A query word meets a key
exactly, as the start or a part of a compound ("pension" in "førtidspension"), split into
two known words when it is an unknown compound ("beskæftigelses" + "forvaltningen"), or,
when it meets nothing exactly, as a small typo found with rapidfuzz over the vocabulary of
keys (never over all documents).

How hits are ranked
-------------------
In tiers, best first: an id or KLE number (100); the whole label (97); the whole synonym
(94); a label or synonym with all the query's words and no others, or starting with them
(84-92); a label or synonym holding them all (78-84), or a keyword that is the query
(74-80, more for a higher KLE weight); partial matches, weighted by how rare the matched
words are; typos last (x 0.75). Within its tier a hit gains a little for every other
phrase that matches, for covering more of the query across phrases, for a title that
relates to the query, and, for a KLE group, when most of its topics match; it never
climbs into the tier above. Keywords of weight 500 or more (form titles and internal codes
such as "ok01") only match a query that is exactly that keyword. A group stands for its
own "… i almindelighed" topic (``NN.NN.00``) and inherits its keywords. On equal scores
the more specific KLE number wins; a topic marked "[udgår …]" loses a little.

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

import math
import re
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from graph.errors import InvalidInputError

__all__ = [
    "KINDS",
    "MAX_QUERY_LENGTH",
    "Document",
    "Hit",
    "SearchIndex",
    "danish_stem",
    "fold",
    "match_keys",
]

KINDS: Final = ("any", "task", "unit", "law", "forum")
"""The kinds a search can be limited to; ``"any"`` searches them all."""

MAX_QUERY_LENGTH: Final = 200
"""Longer queries are cut to this many characters."""

_MAX_QUERY_WORDS: Final = 12
_MAX_COMPOUNDS: Final = 40
_LONGEST_WORD: Final = 40
_CODE_WEIGHT: Final = 500  # KLE's form titles and codes ("ok01") carry 500, 1000 or more.

_LABEL, _SYNONYM, _KEYWORD = 0, 1, 2
_FIELD_NAMES: Final = ("label", "synonym", "keyword")

# Danish stop words as people write them; folded to match keys' letters below.
_STOP_WORDS: Final = """
    ad af al alle alt anden andet andre at bare blev blive bliver da de dem den denne der
    deres det dette dig din dine disse dit dog du efter eller en end er et for fra fx gennem
    ham han hans har have havde her hos hun hvad hvem hver hvilke hvilken hvis hvor hvordan
    hvornår i ifm ifbm ikke ind jeg jer jo kan kunne m man mange med meget men mig min mine
    mit mm mod mv må ned noget nogle nu når og også om op os over på samt sig sin sine sit
    skal skulle som sådan thi til ud under v var ved vi vil ville vor være været
"""

_OTHER_LETTERS: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f]")  # accents once NFKD has split them off
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same on ASCII text, and faster
_EL_ENDING = re.compile(r"([b-df-hj-np-tv-z])\1?el$")
_NOTATION = re.compile(r"^(?:kle[\s._-]*)?(\d{2})(?:[.\s_-]?(\d{2}))?(?:[.\s_-]?(\d{2}))?$")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_RETIRING = re.compile(r"\[udgår\b", re.IGNORECASE)

# Snowball's Danish stemmer through PyStemmer (its C implementation): the pure-Python
# snowballstemmer took about 0.4 s for the ~17,000 words of an index build. A Stemmer
# object is not thread-safe, and queries arrive on several threads: one per thread.
_STEMMERS = threading.local()


@dataclass(frozen=True, slots=True)
class Document:
    """One thing people search for: a task (KLE topic or group), unit, law or forum.

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
    #: Points added to every text match (not to id or number matches): the knowledge
    #: graph lowers tasks of the municipality's internal running, which staff referring
    #: a citizen rarely mean.
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


def fold(text: str) -> str:
    """Fold Danish text for comparison.

    Casefold, write æ, ø, å (and ä, ö, ü) as ae, oe, aa, drop other accents, and turn every
    run of whitespace or punctuation into one space.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        Lowercase letters and digits separated by single spaces.

    Examples
    --------
    >>> fold("  Børne- og Ungdomsforvaltningen ")
    'boerne og ungdomsforvaltningen'
    >>> fold("Café Ærø, §85a")
    'cafe aeroe 85a'
    """
    return " ".join(_WORD.findall(_ascii(text)))


def _ascii(text: str) -> str:
    text = text.casefold()
    if not text.isascii():
        text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
        if not text.isascii():
            text = text.translate(_OTHER_LETTERS)
            text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text


def danish_stem(word: str) -> str:
    """Stem one lowercase Danish word with the Snowball algorithm.

    Examples
    --------
    >>> [danish_stem(w) for w in ("pensioner", "hjælpemidler", "plejeboliger", "hjemløst")]
    ['pension', 'hjælpemidl', 'plejebo', 'hjemløs']
    """
    stemmer = getattr(_STEMMERS, "danish", None)
    if stemmer is None:
        stemmer = _STEMMERS.danish = Stemmer.Stemmer("danish")
    stem: str = stemmer.stemWord(word)
    return stem


def _plain(folded: str) -> str:
    """Folded text with ae, oe, aa as one letter, so ø, oe and o coincide."""
    return folded.replace("aa", "a").replace("ae", "a").replace("oe", "o")


@lru_cache(maxsize=200_000)
def _key(plain_word: str) -> str:
    """The match key of a plain word: its stem, a little further reduced."""
    if not plain_word.isalpha():
        return plain_word
    stem = danish_stem(plain_word)
    # The stemmer leaves "middel" and "midler" apart; so do "regel" and "regler".
    if len(stem) >= 5 and stem.endswith("el"):
        stem = _EL_ENDING.sub(r"\1l", stem)
    # A noun in -ning meets its verb: "ansøgning"/"ansøge", "flytning"/"flytte"
    # (not when little is left: "ordning", "regning").
    elif len(stem) >= 8 and stem.endswith("ning"):
        stem = stem[:-4]
    return stem


_STOP_KEYS: Final = frozenset(_plain(fold(_STOP_WORDS)).split())


def _words(text: str) -> list[str]:
    """The plain words of a text, stop words included."""
    text = _plain(_ascii(text))
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def _content_keys(words: list[str]) -> tuple[str, ...]:
    """Keys of the words that carry meaning (of all words if none do), without repeats."""
    keys = [_key(w) for w in words if w not in _STOP_KEYS] or [_key(w) for w in words]
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=100_000)
def _analyse(text: str) -> tuple[str, tuple[str, ...]]:
    """A phrase's whole plain text and its content keys."""
    words = _words(text)
    return " ".join(words), _content_keys(words)


def _analyse_all(texts: Iterable[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """:func:`_analyse` for many texts at once: folding them as one string is faster."""
    unique = list(dict.fromkeys(texts))
    joined = _plain(_ascii("\x00".join(unique)))
    lines = joined.split("\x00")
    if len(lines) != len(unique):  # Cannot happen with casefold and NFKD; be safe anyway.
        return {text: _analyse(text) for text in unique}
    analysed = {}
    for text, line in zip(unique, lines, strict=True):
        words = (_ASCII_WORD if line.isascii() else _WORD).findall(line)
        analysed[text] = " ".join(words), _content_keys(words)
    return analysed


def match_keys(text: str) -> tuple[str, ...]:
    """The match keys a text is indexed under: plain letters, stemmed, stop words left out.

    Parameters
    ----------
    text
        A label, keyword or query.

    Returns
    -------
    tuple of str
        One key per meaningful word, in order, without repeats.

    Examples
    --------
    >>> match_keys("Hjælpemidler") == match_keys("hjaelpemiddel") == match_keys("hjalpemidler")
    True
    >>> match_keys("Ansøgning om førtidspension") == match_keys("ansøge førtidspensionen")
    True
    """
    return _analyse(text)[1]


def _weight_share(weight: int) -> float:
    """A KLE keyword weight as 0..1: 5 (the default) is 0, 100 or more is 1."""
    return min(1.0, max(0.0, math.log(max(weight, 5) / 5) / math.log(20)))


def _common_tail(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


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


_Query = tuple[tuple[str, ...], str]  # the query's keys and its whole plain text


class SearchIndex:
    """An in-memory text index over documents.

    Parameters
    ----------
    documents
        The documents; ids should be unique (a later duplicate is ignored).

    Examples
    --------
    >>> index = SearchIndex([
    ...     Document("kle-27.60", "task", "Hjælpemidler, forbrugsgoder", "urn:g", "27.60"),
    ...     Document("kle-27.60.08", "task", "Mobilitetshjælpemidler", "urn:t", "27.60.08",
    ...              keywords=(("kørestol", 5), ("rollator", 5))),
    ... ])
    >>> [h.id for h in index.search("korestol")]
    ['kle-27.60.08']
    >>> index.search("27.60.08")[0].matched
    'notation'
    >>> index.suggest("hjælpemidle")[0].id
    'kle-27.60'
    """

    def __init__(self, documents: Iterable[Document]) -> None:
        docs: list[Document] = []
        seen: set[str] = set()
        for document in documents:
            if document.id not in seen:
                seen.add(document.id)
                docs.append(document)
        self._docs: tuple[Document, ...] = tuple(docs)
        self._by_id_key: dict[str, int] = {}
        self._by_notation: dict[str, int] = {}
        for i, doc in enumerate(docs):
            self._by_id_key.setdefault(" ".join(_words(doc.id)), i)
            if doc.notation:
                self._by_notation.setdefault(doc.notation, i)
        self._depth = [doc.notation.count(".") + 1 if doc.notation else 0 for doc in docs]
        self._parent: list[int | None] = [self._parent_of(doc) for doc in docs]
        self._penalty = [1.0 if _RETIRING.search(doc.label) else 0.0 for doc in docs]
        self._children: dict[int, int] = defaultdict(int)
        # A group stands for its "… i almindelighed" topic (NN.NN.00, or NN.00 for NN).
        self._general: set[int] = set()
        for i, doc in enumerate(docs):
            parent = self._parent[i]
            if parent is None:
                continue
            if doc.notation and doc.notation.endswith(".00"):
                self._general.add(i)
                self._penalty[i] += 1.0
            else:
                self._children[parent] += 1

        # A group inherits the keywords of its general topic; deepest first, so the
        # keywords of NN.00.00 reach NN through NN.00.
        keywords = [list(doc.keywords) for doc in docs]
        for i in sorted(self._general, key=lambda j: -self._depth[j]):
            parent = self._parent[i]
            if parent is not None:
                keywords[parent].extend(keywords[i])
        self._p_doc: list[int] = []
        self._p_field: list[int] = []
        self._p_weight: list[int] = []
        self._p_text: list[str] = []
        self._p_keys: list[tuple[str, ...]] = []
        self._p_whole: list[str] = []
        self._label_keys: list[tuple[str, ...]] = []
        own: list[bool] = []  # False for keywords inherited from a general topic
        # What a KLE title holds in parentheses is mostly another name for it:
        # "Hjælp til forsørgelse (kontanthjælp mv.)", "(SFO)", "(PPR)". It counts as a
        # synonym, but is reported as the label it is part of.
        self._aliases: set[int] = set()
        for i, doc in enumerate(docs):
            aliases = [a for a in _PARENTHESES.findall(doc.label) if len(a.strip()) > 1]
            synonyms = [*aliases, *doc.synonyms]
            self._aliases.update(range(len(self._p_doc) + 1, len(self._p_doc) + 1 + len(aliases)))
            self._p_doc.extend([i] * (1 + len(synonyms) + len(keywords[i])))
            self._p_field.append(_LABEL)
            self._p_field.extend([_SYNONYM] * len(synonyms))
            self._p_field.extend([_KEYWORD] * len(keywords[i]))
            self._p_weight.extend([0] * (1 + len(synonyms)))
            self._p_weight.extend(weight for _, weight in keywords[i])
            self._p_text.append(doc.label)
            self._p_text.extend(synonyms)
            self._p_text.extend(text for text, _ in keywords[i])
            own.extend([True] * (1 + len(synonyms) + len(doc.keywords)))
            own.extend([False] * (len(keywords[i]) - len(doc.keywords)))
        self._postings: dict[str, list[int]] = {}
        self._exact: dict[str, list[int]] = {}
        doc_keys: list[set[str]] = [set() for _ in docs]
        self._inherited = {p for p, is_own in enumerate(own) if not is_own}
        shares = {w: _weight_share(w) for w in set(self._p_weight)}
        self._p_share = [shares[w] for w in self._p_weight]
        postings, exact, weights = self._postings, self._exact, self._p_weight
        analysed = _analyse_all(self._p_text)
        self._label_keys = [analysed[doc.label][1] for doc in docs]
        for p, text in enumerate(self._p_text):
            whole, keys = analysed[text]
            if weights[p] >= _CODE_WEIGHT:
                keys = ()  # Form titles and codes: only the whole keyword matches.
            self._p_keys.append(keys)
            self._p_whole.append(whole)
            if not whole:
                continue
            if whole in exact:
                exact[whole].append(p)
            else:
                exact[whole] = [p]
            for key in keys:
                if key in postings:
                    postings[key].append(p)
                else:
                    postings[key] = [p]
            if own[p]:
                doc_keys[self._p_doc[p]].update(keys)
        document_frequency = Counter(key for keys in doc_keys for key in keys)

        n = max(len(docs), 1)
        self._idf = {k: math.log(1 + n / df) for k, df in document_frequency.items()}
        self._max_idf = math.log(1 + n)
        self._vocabulary: list[str] = sorted(self._postings)
        # One string of all keys, so compound parts are found by C-speed substring search.
        self._blob = "\n".join(self._vocabulary)
        self._starts: list[int] = []
        offset = 0
        for key in self._vocabulary:
            self._starts.append(offset)
            offset += len(key) + 1

    # -- building ---------------------------------------------------------------------
    def _parent_of(self, doc: Document) -> int | None:
        if not doc.notation or "." not in doc.notation:
            return None
        return self._by_notation.get(doc.notation.rsplit(".", 1)[0])

    # -- searching --------------------------------------------------------------------
    def search(self, query: str, *, kind: str = "any", limit: int = 10) -> list[Hit]:
        """Search labels, synonyms, keywords, ids and KLE numbers.

        Parameters
        ----------
        query
            What the person typed: words, an id, or a KLE number ("32.03.16", "320316",
            "kle-32.03"). Cut to :data:`MAX_QUERY_LENGTH` characters.
        kind
            One of :data:`KINDS`.
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

    def suggest(self, query: str, *, kind: str = "any", limit: int = 5) -> list[Hit]:
        """The nearest documents for an error message, trying typos even for known words.

        Parameters
        ----------
        query
            What the person typed.
        kind
            One of :data:`KINDS`.
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
        typed = " ".join(_words(query[:MAX_QUERY_LENGTH]))
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
        return kind == "any" or self._docs[i].kind == kind

    def _hit(self, i: int, score: float, matched: str, text: str) -> Hit:
        doc = self._docs[i]
        score = max(0.0, min(100.0, score))
        return Hit(doc.id, doc.kind, doc.label, doc.uri, doc.notation, score, matched, text)

    def _search(self, query: str, kind: str, limit: int, *, always_fuzzy: bool) -> list[Hit]:
        if kind not in KINDS:
            raise InvalidInputError(f"Ukendt slags {kind!r}: vælg en af {', '.join(KINDS)}.")
        query = query[:MAX_QUERY_LENGTH]
        words = _words(query)
        if not words:
            raise InvalidInputError("Søgningen er tom: skriv et ord, et id eller et KLE-nummer.")
        if limit <= 0:
            return []
        found: dict[int, _Candidate] = {}
        if not self._match_id_or_notation(query, words, kind, found):
            self._match_text(words[:_MAX_QUERY_WORDS], found, always_fuzzy=always_fuzzy)
            self._reward_groups(found)
            for i, candidate in found.items():
                candidate.penalty -= self._docs[i].boost
        ranked = sorted(
            (i for i in found if self._kind_ok(i, kind)),
            key=lambda i: (-round(found[i].total, 6), -self._depth[i], self._docs[i].id),
        )
        hits = []
        for i in ranked[:limit]:
            candidate = found[i]
            p = candidate.phrase
            if p < 0:
                text = self._docs[i].notation or self._docs[i].id
            else:
                text = self._docs[i].label if p in self._aliases else self._p_text[p]
            hits.append(self._hit(i, round(candidate.total, 2), candidate.matched, text))
        return hits

    def _match_id_or_notation(
        self, query: str, words: list[str], kind: str, found: dict[int, _Candidate]
    ) -> bool:
        """Ids and KLE numbers; True when the query is one (known or not)."""
        typed = query.strip().casefold()
        number = _NOTATION.match(typed)
        if number is not None:
            notation = ".".join(part for part in number.groups() if part)
            matched = "id" if typed.startswith("kle") else "notation"
            for i, doc in enumerate(self._docs):
                if doc.notation == notation:
                    found[i] = _Candidate(100.0, -1, matched)
                elif doc.notation and doc.notation.startswith(notation + "."):
                    below = self._depth[i] - notation.count(".") - 1
                    found[i] = _Candidate(90.0 - 10.0 * below, -1, "notation")
            # A dotted or "kle" number is a number even when unknown; bare digits may be words.
            if found or not typed.isdigit():
                return True
        by_id = self._by_id_key.get(" ".join(words))
        if by_id is not None and self._kind_ok(by_id, kind):
            found[by_id] = _Candidate(100.0, -1, "id")
            return True
        return False

    def _expand(self, key: str, *, fuzzy: bool) -> list[tuple[str, float, bool]]:
        """Vocabulary keys a query key meets, with a quality 0..1 and whether by typo."""
        out: list[tuple[str, float, bool]] = []
        parts: list[tuple[str, float, bool]] = []
        known = key in self._postings
        if known:
            out.append((key, 1.0, False))
        if len(key) > _LONGEST_WORD:
            return out  # no word, and no typo of one
        if len(key) >= 3:
            seen: set[int] = set()
            for m in re.finditer(re.escape(key), self._blob):
                j = bisect_right(self._starts, m.start()) - 1
                other = self._vocabulary[j]
                if j in seen or other == key:
                    continue
                seen.add(j)
                share = len(key) / len(other)
                if m.start() == self._starts[j]:
                    # "iværksætter" nearly is "iværksætteri"; "pas" is far from "pasning".
                    near = len(key) >= 5 and len(other) - len(key) <= 4
                    parts.append((other, 0.9 if near else 0.55 + 0.35 * share, False))
                elif len(key) >= 4:
                    parts.append((other, 0.45 + 0.35 * share, False))
            # A common word is part of hundreds of compounds; the closest ones suffice.
            out += sorted(parts, key=lambda part: -part[1])[:_MAX_COMPOUNDS]
        if (fuzzy or not known) and len(key) >= 4:
            edits = 1 if len(key) <= 7 else 2
            for other, distance, _ in process.extract(
                key, self._vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=20
            ):
                if other != key:
                    out.append((other, 0.8 - 0.1 * distance, True))
        return out

    def _split(self, key: str) -> tuple[str, ...]:
        """An unknown compound as two known words ("beskæftigelses" + "forvaltning")."""
        if key in self._postings:
            return (key,)
        for cut in range(4, len(key) - 3):
            head, modifier = key[cut:], _key(key[:cut])
            if head in self._postings and modifier in self._postings:
                return modifier, head
        return (key,)

    def _match_text(
        self, words: list[str], found: dict[int, _Candidate], *, always_fuzzy: bool
    ) -> None:
        whole_query = " ".join(words)
        keys = tuple(dict.fromkeys(k for key in _content_keys(words) for k in self._split(key)))
        expansions = [self._expand(key, fuzzy=always_fuzzy) for key in keys]
        weights = []  # rarer words count more
        for key, expansion in zip(keys, expansions, strict=True):
            if key in self._idf:
                weights.append(self._idf[key])
            elif expansion:
                weights.append(max(self._idf.get(o, self._max_idf) for o, _, _ in expansion))
            else:
                weights.append(self._max_idf)
        total = sum(weights)

        # phrase -> {query word: best quality}; phrases a typo reached; their keys hit.
        quality: dict[int, dict[int, float]] = {}
        typo: set[int] = set()
        hit_keys: dict[int, set[str]] = defaultdict(set)
        for position, expansion in enumerate(expansions):
            for other, q, by_typo in expansion:
                for p in self._postings[other]:
                    row = quality.get(p)
                    if row is None:
                        row = quality[p] = {}
                    if q > row.get(position, 0.0):
                        row[position] = q
                        if by_typo:
                            typo.add(p)
                    hit_keys[p].add(other)
        whole_phrases = set(self._exact.get(whole_query, ()))
        for p in whole_phrases:
            quality[p] = dict.fromkeys(range(len(keys)), 1.0)
            typo.discard(p)

        doc_cover: dict[int, dict[int, float]] = {}
        title_cover: dict[int, float] = {}
        query = (keys, whole_query)
        for p, row in quality.items():
            doc = self._p_doc[p]
            coverage = sum(weights[i] * q for i, q in row.items()) / total
            if p in whole_phrases:
                score, ceiling = self._whole_score(p)
            else:
                phrase_keys = self._p_keys[p]
                share = len(hit_keys[p]) / len(phrase_keys) if phrase_keys else 0.0
                score, ceiling = self._phrase_score(p, row, share, coverage, query)
                if p in typo:
                    score, ceiling = score * 0.75, 73.9
            if self._p_field[p] == _LABEL or p in self._aliases:
                title_cover[doc] = max(title_cover.get(doc, 0.0), coverage)
            cover = doc_cover.get(doc)
            if cover is None:
                doc_cover[doc] = dict(row)
            else:
                for i, q in row.items():
                    if q > cover.get(i, 0.0):
                        cover[i] = q
            # A topic's own keyword beats the same keyword its group inherited.
            penalty = self._penalty[doc] + (0.5 if p in self._inherited else 0.0)
            candidate = found.get(doc)
            if candidate is None:
                found[doc] = _Candidate(score, p, "", coverage, ceiling, penalty)
                continue
            candidate.extra += 1
            if score - penalty > candidate.score - candidate.penalty:
                candidate.score, candidate.phrase = score, p
                candidate.coverage, candidate.ceiling = coverage, ceiling
                candidate.penalty = penalty
        for doc, candidate in found.items():
            p = candidate.phrase
            if p in typo:
                candidate.matched = "fuzzy"
            else:
                candidate.matched = _FIELD_NAMES[_LABEL if p in self._aliases else self._p_field[p]]
            # Several phrases that together cover the query beat one that covers part.
            union = sum(weights[i] * q for i, q in doc_cover[doc].items()) / total
            candidate.bonus += 15.0 * max(0.0, union - candidate.coverage)
            candidate.bonus += min(2.0, 0.4 * candidate.extra)
            if self._p_field[p] != _LABEL and candidate.score >= 40.0:
                # Of topics found by keyword, prefer the one whose title is about the query.
                related = max(title_cover.get(doc, 0.0), self._head_agreement(keys, doc))
                candidate.bonus += related

    def _whole_score(self, p: int) -> tuple[float, float]:
        """Score and ceiling of a phrase that is the whole query."""
        field = self._p_field[p]
        if field == _KEYWORD:
            return 74.0 + 6.0 * self._p_share[p], 85.9
        score = 97.0 if field == _LABEL else 94.0
        return score, score  # needs no help, and ties go to the more specific

    def _phrase_score(
        self, p: int, row: dict[int, float], share: float, coverage: float, query: _Query
    ) -> tuple[float, float]:
        """Score and ceiling of a phrase that holds some of the query's words.

        ``row`` is the quality (0..1) with which each query word met the phrase, ``share``
        the part of the phrase's own words met, ``coverage`` the part of the query met
        (rarer words counting more).
        """
        keys, whole_query = query
        field = self._p_field[p]
        weight = self._p_share[p]
        every_word = len(row) == len(keys) and min(row.values()) >= 0.9
        nearly = 0.0 if min(row.values()) == 1.0 else 2.0
        if every_word and share == 1.0:  # all the words, in some form
            if field == _KEYWORD:
                return 72.0 + 6.0 * weight - nearly, 85.9
            return (92.0 if field == _LABEL else 90.0) - nearly, 93.9
        if field != _KEYWORD and (
            self._p_keys[p][: len(keys)] == keys
            # "teknik og miljø…" as typed: whole words, then maybe the start of one.
            or (" " in whole_query and self._p_whole[p].startswith(whole_query))
        ):
            return 86.0 - 2.0 * field + 4.0 * share - nearly, 93.9
        if field != _KEYWORD and every_word:
            return 80.0 - 2.0 * field + 4.0 * share - nearly, 85.9
        top = (80.0, 78.0, 66.0 + 8.0 * weight)[field]
        return top * (0.92 + 0.08 * share) * coverage**1.5, 85.9

    def _head_agreement(self, keys: tuple[str, ...], doc: int) -> float:
        """Up to 1 when the label ends like the query's last word (Danish compounds are
        right-headed: "invalidepension" and "Førtidspension" are both pensions)."""
        label = self._label_keys[doc]
        if not keys or not label:
            return 0.0
        last = keys[-1]
        best = 0
        for key in label:
            tail = _common_tail(last, key)
            if tail >= 4 and last[-tail:] in self._postings:
                best = max(best, tail)
        return best / len(last) / len(label)

    def _reward_groups(self, found: dict[int, _Candidate]) -> None:
        """A group gains a little when most of its topics also matched."""
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
