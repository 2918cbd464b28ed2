"""The phrases of an index: every label, synonym and keyword, their match keys, and the
vocabulary of keys that query words are looked up in (exactly, as parts of compounds, or
as small typos)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from graph.search.documents import Document
from graph.search.text import analyse_all, is_stop_word, word_key

__all__ = ["CODE_WEIGHT", "FIELD_NAMES", "KEYWORD", "LABEL", "SYNONYM", "Phrases"]

#: The field a phrase comes from.
LABEL, SYNONYM, KEYWORD = 0, 1, 2
FIELD_NAMES: Final = ("label", "synonym", "keyword")
#: KLE's form titles and codes ("ok01") carry 500, 1000 or more: they only match whole.
CODE_WEIGHT: Final = 500

_MAX_COMPOUNDS: Final = 40
#: How well a verb's stem meets its noun's a letter shorter ("genoptrænes", "genoptræning"):
#: as good as the word itself, so a sentence with the verb holds the noun's phrase whole.
_VERB_NOUN: Final = 0.95
_LONGEST_WORD: Final = 40
_PARENTHESES = re.compile(r"\(([^()]*)\)")

Expansion = tuple[str, float, bool]  # a vocabulary key, quality 0..1, found by typo


def _weight_share(weight: int) -> float:
    """A keyword weight as 0..1: 5 (the default) is 0, 100 or more is 1."""
    return min(1.0, max(0.0, math.log(max(weight, 5) / 5) / math.log(20)))


@dataclass(slots=True)
class Phrases:
    """Parallel lists, one entry per phrase ``p``, and the inverted index over their keys.

    Examples
    --------
    >>> phrases = Phrases.build([Document("a", "task", "Hjælp (SFO)", "urn:a")], [[]])
    >>> phrases.text, phrases.origin, sorted(phrases.aliases)
    (['Hjælp (SFO)', 'SFO'], [0, 1], [1])
    """

    doc: list[int] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)  # LABEL, SYNONYM or KEYWORD
    weight: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    whole: list[str] = field(default_factory=list)
    share: list[float] = field(default_factory=list)
    own: list[bool] = field(default_factory=list)  # False for inherited keywords
    #: Phrases taken from a label's parentheses: matched as synonyms, shown as the label.
    aliases: set[int] = field(default_factory=set)
    inherited: set[int] = field(default_factory=set)
    label_keys: list[tuple[str, ...]] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    exact: dict[str, list[int]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    max_idf: float = 0.0
    vocabulary: list[str] = field(default_factory=list)
    blob: str = ""  # all keys, so compound parts are found by C-speed substring search
    #: A letter and the word after it in a phrase ("p", "bod" of "P-bøder").
    lettered: set[tuple[str, str]] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)
    #: Each document's live phrases, ``range(start, stop)`` (a replaced document's old
    #: phrases stay in the lists, out of every index).
    spans: list[tuple[int, int]] = field(default_factory=list)
    #: In how many documents each key stands (own phrases only): what ``idf`` is made of.
    frequency: Counter[str] = field(default_factory=Counter)

    @classmethod
    def build(cls, docs: Sequence[Document], keywords: Sequence[list[tuple[str, int]]]) -> Phrases:
        """The phrases of ``docs``, with ``keywords[i]`` the keywords of document ``i``
        (its own first, then any it inherits)."""
        phrases = cls()
        for i, doc in enumerate(docs):
            phrases._add_document(i, doc, keywords[i])
        phrases.inherited = {p for p, is_own in enumerate(phrases.own) if not is_own}
        shares = {w: _weight_share(w) for w in set(phrases.weight)}
        phrases.share = [shares[w] for w in phrases.weight]
        analysed = analyse_all(phrases.text)
        phrases.label_keys = [analysed[doc.label][1] for doc in docs]
        doc_keys: list[set[str]] = [set() for _ in docs]
        for p, text in enumerate(phrases.text):
            indexed = phrases._index_phrase(p, *analysed[text])
            if phrases.own[p]:
                doc_keys[phrases.doc[p]].update(indexed)
        phrases._count(doc_keys)
        return phrases

    def _add_document(self, i: int, doc: Document, keywords: list[tuple[str, int]]) -> None:
        # What a KLE title holds in parentheses is mostly another name for it:
        # "Hjælp til forsørgelse (kontanthjælp mv.)", "(SFO)", "(PPR)". It counts as a
        # synonym, but is reported as the label it is part of.
        aliases = [a for a in _PARENTHESES.findall(doc.label) if len(a.strip()) > 1]
        synonyms = [*aliases, *doc.synonyms]
        first = len(self.doc) + 1
        self.aliases.update(range(first, first + len(aliases)))
        span = (first - 1, first + len(synonyms) + len(keywords))
        if i < len(self.spans):
            self.spans[i] = span
        else:
            self.spans.append(span)
        self.doc.extend([i] * (1 + len(synonyms) + len(keywords)))
        self.origin.append(LABEL)
        self.origin.extend([SYNONYM] * len(synonyms))
        self.origin.extend([KEYWORD] * len(keywords))
        self.weight.extend([0] * (1 + len(synonyms)))
        self.weight.extend(weight for _, weight in keywords)
        self.text.append(doc.label)
        self.text.extend(synonyms)
        self.text.extend(text for text, _ in keywords)
        self.own.extend([True] * (1 + len(synonyms) + len(doc.keywords)))
        self.own.extend([False] * (len(keywords) - len(doc.keywords)))

    def _index_phrase(
        self, p: int, whole: str, keys: tuple[str, ...], *, shared: bool = False
    ) -> tuple[str, ...]:
        """Index phrase ``p``; the keys it is found by. ``shared``: the postings' lists are
        shared with another index, so each one appended to is copied first."""
        if self.weight[p] >= CODE_WEIGHT:
            keys = ()  # Form titles and codes: only the whole keyword matches.
        self.keys.append(keys)
        self.whole.append(whole)
        if not whole:
            return ()
        if shared:
            self.exact[whole] = [*self.exact.get(whole, ()), p]
            for key in keys:
                self.postings[key] = [*self.postings.get(key, ()), p]
        else:
            self.exact.setdefault(whole, []).append(p)
            for key in keys:
                self.postings.setdefault(key, []).append(p)
        for letter, word in pairwise(keys):
            if len(letter) == 1 and letter.isalpha() and len(word) >= 3:
                self.lettered.add((letter, word))
        return keys

    def _count(self, doc_keys: list[set[str]]) -> None:
        """Word rarity (idf) over documents, and the sorted vocabulary of keys."""
        self.frequency = Counter(key for keys in doc_keys for key in keys)
        n = max(len(doc_keys), 1)
        self.idf = {k: math.log(1 + n / df) for k, df in self.frequency.items()}
        self.max_idf = math.log(1 + n)
        self.vocabulary = sorted(self.postings)
        self._spell()

    def _spell(self) -> None:
        """The blob of the vocabulary and where each key starts in it."""
        self.blob = "\n".join(self.vocabulary)
        self.starts = list(accumulate((len(key) + 1 for key in self.vocabulary), initial=0))
        self.starts.pop()

    # -- a new Phrases with one document replaced --------------------------------------
    def with_document(
        self, i: int, doc: Document, keywords: list[tuple[str, int]], documents: int
    ) -> Phrases:
        """These phrases with document ``i``'s replaced by ``doc``'s (``i`` may be new, the
        next document), out of ``documents`` documents in all; ``self`` is left unchanged.

        The new phrases are appended and the old ones dropped from every index, so the
        result shares every list and posting it does not change with ``self`` (an index
        still answering from ``self`` sees nothing move). Costs the size of the document
        and of its keys' postings, plus a copy of the flat lists.

        Examples
        --------
        >>> docs = [Document("a", "unit", "Vejcenter", "urn:a"),
        ...         Document("b", "unit", "Havn", "urn:b")]
        >>> old = Phrases.build(docs, [[], []])
        >>> new = old.with_document(0, Document("a", "unit", "Pladscenter", "urn:a"), [], 2)
        >>> sorted(new.postings), sorted(old.postings)
        (['havn', 'pladscent'], ['havn', 'vejcent'])
        >>> new.idf == Phrases.build([Document("a", "unit", "Pladscenter", "urn:a"), docs[1]],
        ...                          [[], []]).idf
        True
        """
        new = replace(
            self,
            doc=list(self.doc),
            origin=list(self.origin),
            weight=list(self.weight),
            text=list(self.text),
            keys=list(self.keys),
            whole=list(self.whole),
            share=list(self.share),
            own=list(self.own),
            aliases=set(self.aliases),
            inherited=set(self.inherited),
            label_keys=list(self.label_keys),
            postings=dict(self.postings),
            exact=dict(self.exact),
            idf=dict(self.idf),
            lettered=set(self.lettered),
            spans=list(self.spans),
            frequency=Counter(self.frequency),
        )
        gone = range(*self.spans[i]) if i < len(self.spans) else range(0)
        before = {key for p in gone if self.own[p] for key in self.keys[p]}
        touched = {key for p in gone for key in self.keys[p]}
        new._drop(gone)
        start = len(new.doc)
        new._add_document(i, doc, keywords)
        shares = {w: _weight_share(w) for w in set(new.weight[start:])}
        new.share.extend(shares[w] for w in new.weight[start:])
        new.inherited.update(p for p in range(start, len(new.doc)) if not new.own[p])
        analysed = analyse_all(new.text[start:])
        if i < len(new.label_keys):
            new.label_keys[i] = analysed[doc.label][1]
        else:
            new.label_keys.append(analysed[doc.label][1])
        after: set[str] = set()
        for p in range(start, len(new.doc)):
            indexed = new._index_phrase(p, *analysed[new.text[p]], shared=True)
            touched.update(indexed)
            if new.own[p]:
                after.update(indexed)
        new._recount(before, after, documents)
        vocabulary = {key for key in touched if (key in self.postings) != (key in new.postings)}
        if vocabulary:
            new.vocabulary = list(self.vocabulary)
            for key in vocabulary:
                if key in new.postings:
                    insort(new.vocabulary, key)
                else:
                    del new.vocabulary[bisect_left(new.vocabulary, key)]
            new._spell()
        return new

    def _drop(self, gone: range) -> None:
        """Take phrases ``gone`` out of the postings, exact matches and lettered pairs."""
        dropped = set(gone)
        for key in {key for p in gone for key in self.keys[p]}:
            kept = [p for p in self.postings[key] if p not in dropped]
            if kept:
                self.postings[key] = kept
            else:
                del self.postings[key]
        for whole in {self.whole[p] for p in gone if self.whole[p]}:
            kept = [p for p in self.exact[whole] if p not in dropped]
            if kept:
                self.exact[whole] = kept
            else:
                del self.exact[whole]
        self.aliases -= dropped
        self.inherited -= dropped
        pairs = {pair for p in gone for pair in pairwise(self.keys[p]) if pair in self.lettered}
        for pair in pairs:
            if not any(pair in pairwise(self.keys[p]) for p in self.postings.get(pair[1], ())):
                self.lettered.discard(pair)

    def _recount(self, before: set[str], after: set[str], documents: int) -> None:
        """Word rarity after one document's own keys went from ``before`` to ``after``."""
        self.frequency.subtract(before)
        self.frequency.update(after)
        n = max(documents, 1)
        if math.log(1 + n) != self.max_idf:  # a document more: every rarity moves
            self.frequency = +self.frequency
            self.idf = {k: math.log(1 + n / df) for k, df in self.frequency.items()}
            self.max_idf = math.log(1 + n)
            return
        for key in before | after:
            df = self.frequency[key]
            if df > 0:
                self.idf[key] = math.log(1 + n / df)
            else:
                del self.frequency[key]
                del self.idf[key]

    # -- looking up query words -----------------------------------------------------
    def expand(self, key: str, *, fuzzy: bool) -> list[Expansion]:
        """Vocabulary keys a query key meets, with a quality 0..1 and whether by typo."""
        out: list[Expansion] = []
        known = key in self.postings
        if known:
            out.append((key, 1.0, False))
        if len(key) > _LONGEST_WORD:
            return out  # no word, and no typo of one
        if len(key) >= 3:
            # A common word is part of hundreds of compounds; the closest ones suffice.
            out += sorted(self._compounds(key), key=lambda part: -part[1])[:_MAX_COMPOUNDS]
        if not known and len(key) >= 7 and key[:-1] in self.postings:
            # The stems of a verb and its noun may differ by a letter: "genoptrænes"
            # (genoptran) and "genoptræning" (genoptra).
            out.append((key[:-1], _VERB_NOUN, False))
        if (fuzzy or not known) and len(key) >= 4:
            edits = 1 if len(key) <= 7 else 2
            for other, distance, _ in process.extract(
                key, self.vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=20
            ):
                if other != key:
                    out.append((other, 0.8 - 0.1 * distance, True))
        return out

    def _compounds(self, key: str) -> list[Expansion]:
        """Vocabulary keys that start with or hold ``key``."""
        parts: list[Expansion] = []
        seen: set[int] = set()
        for m in re.finditer(re.escape(key), self.blob):
            j = bisect_right(self.starts, m.start()) - 1
            other = self.vocabulary[j]
            if j in seen or other == key:
                continue
            seen.add(j)
            share = len(key) / len(other)
            if m.start() == self.starts[j]:
                # "iværksætter" nearly is "iværksætteri"; "pas" is far from "pasning".
                near = len(key) >= 5 and len(other) - len(key) <= 4
                # A short word is its own word before it is the start of a longer one.
                start = 0.4 if len(key) <= 4 else 0.55
                parts.append((other, 0.9 if near else start + 0.35 * share, False))
            elif len(key) >= 4:
                parts.append((other, 0.45 + 0.35 * share, False))
        return parts

    def join(self, words: list[str]) -> list[str]:
        """The plain words with two that make a known compound written as one
        ("kontant hjælp" as "kontanthjælp", "førtids pension" as "førtidspension"); a stop
        word joins nothing ("skal have hjælp" is no "havehjælp")."""
        joined: list[str] = []
        for word in words:
            if (
                joined
                and word.isalpha()
                and joined[-1].isalpha()
                and not (is_stop_word(word) or is_stop_word(joined[-1]))
            ):
                compound = joined[-1] + word
                if word_key(compound) in self.postings and word_key(word) != word_key(compound):
                    joined[-1] = compound
                    continue
            joined.append(word)
        return joined

    def object_compounds(self, factors: dict[str, float]) -> dict[str, float]:
        """The known compounds a verb and a later word of the query make together, the
        later word first, as Danish compounds a verb with its object: "stoppe med at ryge"
        is "rygestop". Each counts as much as the more important of its two words.

        Examples
        --------
        >>> phrases = Phrases.build([Document("a", "task", "Rygestop", "urn:a")], [[]])
        >>> phrases.object_compounds({"stop": 1.0, "ryg": 0.6})
        {'rygestop': 1.0}
        """
        keys = list(factors)
        found: dict[str, float] = {}
        for i, verb in enumerate(keys):
            for later in keys[i + 1 :]:
                for link in ("", "e", "s"):
                    compound = later + link + verb
                    if len(compound) >= 6 and compound in self.postings:
                        found[compound] = max(factors[verb], factors[later])
        return {key: factor for key, factor in found.items() if key not in factors}

    def split(self, key: str) -> tuple[str, ...]:
        """An unknown compound as two known words ("beskæftigelses" + "forvaltning",
        "pas" + "foto"), unless it is one letter off a known word."""
        if key in self.postings:
            return (key,)
        if len(key) >= 7 and process.extractOne(
            key, self.vocabulary, scorer=OSA.distance, score_cutoff=1
        ):
            return (key,)  # a typo of a known word ("plejhjem"), not two words
        # A letter-prefix compound typed without its hyphen: "pbøde" is "p-bøde", "akasse"
        # "a-kasse", where a phrase writes the letter and the word so ("P-bøder").
        lettered = (key[:1], word_key(key[1:]))
        if lettered in self.lettered:
            return lettered
        for cut in range(3, len(key) - 3):
            head, modifier = key[cut:], word_key(key[:cut])
            if head in self.postings and modifier in self.postings:
                return modifier, head
        return (key,)

    def weights(
        self, keys: tuple[str, ...], expansions: list[list[Expansion]], factors: list[float]
    ) -> list[float]:
        """How much each query key counts: rarer words count more, and each as much as
        the query's structure says (``factors``, from :func:`~graph.search.text.query_terms`)."""
        weights = []
        for key, expansion, factor in zip(keys, expansions, factors, strict=True):
            if key in self.idf:
                weight = self.idf[key]
            elif expansion:
                weight = max(self.idf.get(o, self.max_idf) for o, _, _ in expansion)
            else:
                weight = self.max_idf
            weights.append(weight * factor)
        return weights
