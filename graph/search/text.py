"""Danish text as the index compares it: folding, words, Snowball stems and match keys.

Text is folded (:func:`fold`) and every word is reduced to a *match key*
(:func:`match_keys`): the word with æ/ae, ø/oe and å/aa written as one plain letter, so
"førtidspension", "foertidspension" and "fortidspension" coincide, stemmed by the Danish
Snowball algorithm (:func:`danish_stem`), with "middel"/"midler" and "ansøgning"/"ansøge"
brought together. Stop words are left out: the Snowball project's Danish list
(``danish_stop.txt`` beside this module, with its licence) and a few abbreviations and
question words of our own.

A query is read as a person writes it (:func:`query_terms`): the words people ask *with*
("hvordan", "brug for", "søger") are dropped, and the words that only say *whom* or *what
about* it is ("min mor", "efter hospital") count less than the thing asked for.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Final

import Stemmer

__all__ = [
    "analyse",
    "analyse_all",
    "content_keys",
    "danish_stem",
    "fold",
    "is_stop_word",
    "match_keys",
    "plain_words",
    "query_terms",
    "word_key",
]

# The Snowball list leaves out the abbreviations of KLE titles ("mv.", "fx"), question
# words, and the pronouns "ingen"/"intet" and "egen"/"eget"/"egne"; these are ours.
_OUR_STOP_WORDS: Final = """
    al andet andre bare blevet dine dit egen eget egne fx gennem hver hvem hvilke hvilken
    hvordan hvornår ifm ifbm ingen intet kan m mm mv må samt v ved vores
"""
#: Words people ask *with*, not about: dropped from queries only (a title may hold them,
#: "Lejerens brug af det lejede"). "brug"/"behov" only before "for".
_QUERY_FILLERS: Final = """
    hej tak venligst gerne hvorfor hvad hvilket kan søge søger søgte søges gøre gør gjorde
    ønsker ønske hedder sker skete sket
"""
#: Verbs with a particle that mean one plain verb (Den Danske Ordbog): "holde op med at
#: ryge" is "stoppe med at ryge", which titles write as "rygestop".
_PARTICLE_VERBS: Final = {("hold", "op"): "stop"}
#: A question word starts a question of its own: "min far er død, hvad sker der med arven"
#: asks about the inheritance, which the words before do not modify.
_QUESTION_WORDS: Final = "hvad hvem hvor hvordan hvornår hvorfor hvilken hvilket hvilke"
_NEED_WORDS: Final = frozenset({"brug", "behov"})
#: Verbs of asking and words for help in general: they count, but what they ask for is
#: the head that a preposition after them modifies ("ansøge om førtidspension", "hjælp til
#: rengøring").
_ASKING_VERBS: Final = """
    ansøge ansøger anmode anmoder bestille bestiller hjælp støtte rådgivning vejledning
"""
#: The people a question is about, not what it asks for ("min mor", "naboens børn").
_PERSONS: Final = """
    mor far mormor morfar farmor farfar bedstemor bedstefar forældre forælder barn børn
    søn sønner datter døtre dreng pige baby teenager mand kone hustru ægtefælle kæreste
    partner bror søster søskende nabo naboen naboens naboer ven veninde venner familie
    familien arbejdsgiver chef kollega
"""
#: The persons who are children: a question about one is about children ("tandlæge til
#: min datter" asks for the children's dental care), and so is one that gives an age
#: under 18 ("min søn på 7").
_CHILDREN: Final = "barn børn søn sønner datter døtre dreng drenge pige piger baby teenager"
_CHILD_AGE: Final = 18
#: Prepositions: after the thing asked for, one starts a modifier ("efter hospital").
_PREPOSITIONS: Final = """
    til efter for af om med på i fra ved hos under over uden mod omkring pga
"""
#: How much a word counts when it names whom the question is about, or modifies its head.
PERSON_FACTOR: Final = 0.3
MODIFIER_FACTOR: Final = 0.6
#: A number in a sentence is mostly an age, a time or a count ("jeg er 24", "15 timer").
NUMBER_FACTOR: Final = 0.3

_OTHER_LETTERS: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f]")  # accents once NFKD has split them off
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same on ASCII text, and faster
_EL_ENDING = re.compile(r"([b-df-hj-np-tv-z])\1?el$")

# Snowball's Danish stemmer through PyStemmer (its C implementation): the pure-Python
# snowballstemmer took about 0.4 s for the ~17,000 words of an index build. A Stemmer
# object is not thread-safe, and queries arrive on several threads: one per thread.
_STEMMERS = threading.local()


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
def word_key(plain_word: str) -> str:
    """The match key of one plain word (see :func:`plain_words`): its stem, a little reduced.

    Examples
    --------
    >>> word_key("midler") == word_key("middel"), word_key("ansogning"), word_key("85a")
    (True, 'ansog', '85a')
    >>> word_key("registrering") == word_key("registreret")
    True
    """
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
    # A noun in -ering meets its verb in -ere: "registrering"/"registreret", "vurdering"/
    # "vurdere" (the stemmer leaves the noun whole).
    elif len(stem) >= 9 and stem.endswith("ering"):
        stem = stem[:-5]
    return stem


def _snowball_stop_words() -> str:
    path = Path(__file__).with_name("danish_stop.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return " ".join(line for line in lines if line.strip() and not line.startswith("#"))


def _plain_set(words: str) -> frozenset[str]:
    return frozenset(_plain(fold(words)).split())


_STOP_KEYS: Final = _plain_set(_snowball_stop_words() + _OUR_STOP_WORDS)
_FILLER_KEYS: Final = _plain_set(_QUERY_FILLERS)
_PERSON_KEYS: Final = frozenset(word_key(w) for w in _plain_set(_PERSONS))
_CHILD_KEYS: Final = frozenset(word_key(w) for w in _plain_set(_CHILDREN))
#: The key a child in the question adds: "børn", as titles name them.
CHILD_KEY: Final = word_key("born")
_AGE_WORDS: Final = _plain_set("er på")
_PREPOSITION_KEYS: Final = _plain_set(_PREPOSITIONS)
_ASKING_KEYS: Final = _plain_set(_ASKING_VERBS)
_CONJUNCTION_KEYS: Final = _plain_set("og eller men samt")
_QUESTION_KEYS: Final = _plain_set(_QUESTION_WORDS)


def is_stop_word(word: str) -> bool:
    """Whether a plain word (see :func:`plain_words`) is a stop word.

    Examples
    --------
    >>> is_stop_word("have"), is_stop_word("hjalp")
    (True, False)
    """
    return word in _STOP_KEYS


def plain_words(text: str) -> list[str]:
    """The plain words of a text (folded, æ/ø/å as one letter), stop words included.

    Examples
    --------
    >>> plain_words("Hjælp til forsørgelse (SFO)")
    ['hjalp', 'til', 'forsorgelse', 'sfo']
    """
    text = _plain(_ascii(text))
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def content_keys(words: list[str]) -> tuple[str, ...]:
    """Keys of the words that carry meaning (of all words if none do), without repeats.

    Examples
    --------
    >>> content_keys(["hjalp", "til", "hjalp"]), content_keys(["til", "og"])
    (('hjalp',), ('til', 'og'))
    """
    keys = [word_key(w) for w in words if w not in _STOP_KEYS] or [word_key(w) for w in words]
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=100_000)
def analyse(text: str) -> tuple[str, tuple[str, ...]]:
    """A phrase's whole plain text and its content keys.

    Examples
    --------
    >>> analyse("Pas til børn")
    ('pas til born', ('pas', 'born'))
    """
    words = plain_words(text)
    return " ".join(words), content_keys(words)


def analyse_all(texts: Iterable[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """:func:`analyse` for many texts at once: folding them as one string is faster.

    Examples
    --------
    >>> analyse_all(["Pas", "Pas til børn"]) == {t: analyse(t) for t in ("Pas", "Pas til børn")}
    True
    """
    unique = list(dict.fromkeys(texts))
    joined = _plain(_ascii("\x00".join(unique)))
    lines = joined.split("\x00")
    if len(lines) != len(unique):  # Cannot happen with casefold and NFKD; be safe anyway.
        return {text: analyse(text) for text in unique}
    analysed = {}
    for text, line in zip(unique, lines, strict=True):
        words = (_ASCII_WORD if line.isascii() else _WORD).findall(line)
        analysed[text] = " ".join(words), content_keys(words)
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
    return analyse(text)[1]


def query_terms(words: list[str]) -> tuple[tuple[str, float], ...]:
    """The keys of a query's plain words, each with how much it counts (0..1), as a person
    means them.

    Stop words and the words people ask with are dropped ("hvordan", "søger", "brug for");
    the people a question is about count little ("min mor": 0.3); once the thing asked
    for is named, a preposition starts a modifier ("genoptræning efter hospital": 0.6).
    A query of nothing else has no terms.

    Examples
    --------
    >>> query_terms(plain_words("min mor har brug for hjemmehjælp"))
    (('mor', 0.3), ('hjemmehjalp', 1.0))
    >>> query_terms(plain_words("genoptræning efter hospital"))
    (('genoptra', 1.0), ('hospital', 0.6))
    >>> query_terms(plain_words("hvordan og hvor"))
    ()
    """
    terms: dict[str, float] = {}
    modifier = head = skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
        elif word in _PREPOSITION_KEYS:
            modifier = modifier or head
        elif word in _QUESTION_KEYS and i > 0:
            modifier = head = False
        elif word in _STOP_KEYS or word in _FILLER_KEYS:
            # A conjunction starts a clause of its own: "… fra hospitalet og skal genoptrænes".
            modifier = modifier and word not in _CONJUNCTION_KEYS
        elif word in _NEED_WORDS and words[i + 1 : i + 2] == ["for"]:
            skip = True
        else:
            key, factor, child, skip = _term(words, i, modifier=modifier)
            for counted in (key, CHILD_KEY) if child else (key,):
                terms[counted] = max(terms.get(counted, 0.0), factor)
            head = head or not (key in _PERSON_KEYS or word in _ASKING_KEYS)
    return tuple(terms.items())


def _term(words: list[str], i: int, *, modifier: bool) -> tuple[str, float, bool, bool]:
    """The content word ``words[i]`` as a query term: its key, how much it counts, whether
    it says the question is about a child, and whether it took the next word along (the
    particle of a particle verb)."""
    word = words[i]
    key = word_key(word)
    plain = _PARTICLE_VERBS.get((key, words[i + 1] if i + 1 < len(words) else ""))
    factor = (PERSON_FACTOR if key in _PERSON_KEYS else 1.0) * (
        MODIFIER_FACTOR if modifier else 1.0
    )
    child = key in _CHILD_KEYS
    if word.isdigit() and len(words) > 1:
        factor *= NUMBER_FACTOR
        child = i > 0 and words[i - 1] in _AGE_WORDS and int(word) < _CHILD_AGE
    return plain or key, factor, child, plain is not None
