"""Read OS2KLE, KL's emnesystematik (KLE) as one line per topic (emne).

``OS2KLE.txt`` has one line per KLE topic::

    KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=førtidspension[5];…

Text is normalised to NFC, soft hyphens are removed and runs of whitespace become one
space; everything else, Danish letters included, is kept as it is. A ``;`` only separates
keywords right after a ``[weight]``, so a keyword may itself contain ``;``, ``:`` or
``'``, and a title may contain ``'``. A line that breaks the format raises
:class:`KLEFormatError` naming the file and the line. :mod:`graph.io.kle_import` turns
the topics into Turtle.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from graph.data.ids import KLE_TOPIC

__all__ = [
    "KLEFormatError",
    "Keyword",
    "Topic",
    "group_title",
    "parse_line",
    "parse_os2kle",
]

_GENERAL = " i almindelighed"
_LINE = re.compile(
    r"KLENummer='(?P<number>[^']*)':KLETitel='(?P<title>.*)':Keywords\[Weight\]=(?P<keywords>.*)",
    re.DOTALL,
)
_NUMBER = KLE_TOPIC
# One keyword: anything up to the first "[…]" that ends the text or is followed by ";".
_KEYWORD = re.compile(r"(?P<text>.*?)\[(?P<weight>[^\[\]]*)\](?:;|\Z)", re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


class KLEFormatError(ValueError):
    """A line of an OS2KLE file does not follow the format.

    Parameters
    ----------
    source
        The file (or another name for the input) the line comes from.
    line
        The 1-based line number, or ``None`` when the problem is not on one line.
    reason
        What is wrong, for a person to read.

    Examples
    --------
    >>> str(KLEFormatError("OS2KLE.txt", 17, "mangler KLENummer"))
    'OS2KLE.txt, linje 17: mangler KLENummer'
    """

    def __init__(self, source: str | Path, line: int | None, reason: str) -> None:
        self.source = str(source)
        self.line = line
        self.reason = reason
        where = self.source if line is None else f"{self.source}, linje {line}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Keyword:
    """A weighted KLE keyword (emneord).

    Parameters
    ----------
    text
        The keyword, normalised.
    weight
        OS2KLE's weight, a non-negative integer.
    """

    text: str
    weight: int


@dataclass(frozen=True)
class Topic:
    """One line of OS2KLE: a KLE topic (emne).

    Parameters
    ----------
    number
        ``NN.NN.NN``.
    title
        The topic's title, normalised.
    keywords
        The keywords in file order, each text once.
    line
        The line number in the source file (0 when parsed without one).
    """

    number: str
    title: str
    keywords: tuple[Keyword, ...]
    line: int = 0


def _clean(text: str) -> str:
    """Normalise to NFC, drop soft hyphens and collapse whitespace."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return _WHITESPACE.sub(" ", text).strip()


def _parse_keywords(text: str, source: str | Path, line: int) -> tuple[Keyword, ...]:
    """Split ``kw[w];kw[w];…`` into keywords, merging repeats (highest weight wins)."""
    weights: dict[str, int] = {}
    pos = 0
    while pos < len(text):
        match = _KEYWORD.match(text, pos)
        if match is None:
            raise KLEFormatError(source, line, f"nøgleord uden [vægt]: {text[pos:]!r}")
        raw_weight = match["weight"].strip()
        word = _clean(match["text"])
        if not raw_weight.isascii() or not raw_weight.isdigit():
            raise KLEFormatError(
                source, line, f"ugyldig vægt {raw_weight!r} for nøgleordet {word!r}"
            )
        if not word:
            raise KLEFormatError(source, line, f"tomt nøgleord med vægt {raw_weight}")
        weights[word] = max(weights.get(word, 0), int(raw_weight))
        pos = match.end()
    return tuple(Keyword(word, weight) for word, weight in weights.items())


def parse_line(text: str, *, source: str | Path = "<tekst>", line: int = 0) -> Topic:
    """Parse one OS2KLE line.

    Parameters
    ----------
    text
        The line, without its line break.
    source, line
        Where the line comes from, for error messages.

    Returns
    -------
    Topic
        The topic with its title and keywords.

    Raises
    ------
    KLEFormatError
        If the line does not follow the format.

    Examples
    --------
    >>> parse_line("KLETitel='x':Keywords[Weight]=", source="OS2KLE.txt", line=3)
    Traceback (most recent call last):
    ...
    graph.io.os2kle.KLEFormatError: OS2KLE.txt, linje 3: linjen begynder ikke med KLENummer='…'
    """
    if not text.startswith("KLENummer='"):
        raise KLEFormatError(source, line, "linjen begynder ikke med KLENummer='…'")
    match = _LINE.fullmatch(text)
    if match is None:
        raise KLEFormatError(
            source,
            line,
            "linjen følger ikke formatet KLENummer='…':KLETitel='…':Keywords[Weight]=…",
        )
    number = match["number"].strip()
    if not _NUMBER.fullmatch(number):
        raise KLEFormatError(source, line, f"ugyldigt KLE-nummer {number!r} (forventet NN.NN.NN)")
    title = _clean(match["title"])
    if not title:
        raise KLEFormatError(source, line, f"KLE {number} har ingen titel")
    keywords = _parse_keywords(match["keywords"].strip(), source, line)
    return Topic(number, title, keywords, line)


def parse_os2kle(path: str | Path) -> list[Topic]:
    """Read an OS2KLE file.

    Parameters
    ----------
    path
        ``OS2KLE.txt`` (UTF-8, with or without BOM; LF or CRLF line breaks). Empty lines are
        skipped.

    Returns
    -------
    list of Topic
        The topics sorted by number.

    Raises
    ------
    KLEFormatError
        If a line is not UTF-8, breaks the format or repeats a KLE number, or if the file
        holds no topics.
    """
    path = Path(path)
    topics: dict[str, Topic] = {}
    for line_no, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        if line_no == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as err:
            raise KLEFormatError(path, line_no, f"ikke gyldig UTF-8 ({err.reason})") from None
        if not text.strip():
            continue
        topic = parse_line(text, source=path, line=line_no)
        if (earlier := topics.get(topic.number)) is not None:
            raise KLEFormatError(
                path, line_no, f"KLE {topic.number} står allerede i linje {earlier.line}"
            )
        topics[topic.number] = topic
    if not topics:
        raise KLEFormatError(path, None, "filen indeholder ingen KLE-emner")
    return [topics[number] for number in sorted(topics)]


def group_title(general_title: str) -> str:
    """Derive a (main) group's title from its "… i almindelighed" topic.

    Parameters
    ----------
    general_title
        The title of the ``NN.NN.00`` (or ``NN.00.00``) topic.

    Returns
    -------
    str
        The title without " i almindelighed" (at the end, or else its first occurrence).

    Examples
    --------
    >>> group_title("Veje og trafik i almindelighed")
    'Veje og trafik'
    >>> group_title("Rengøring i almindelighed, kommunens ejendomme")
    'Rengøring, kommunens ejendomme'
    """
    if general_title.endswith(_GENERAL):
        return general_title.removesuffix(_GENERAL)
    return _clean(general_title.replace(_GENERAL, "", 1))
