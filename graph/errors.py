"""The small hierarchy of errors the graph library raises.

Each message names the culprit and, where it can, what to do about it. The HTTP layer maps
these to problem+json in one place; nothing else builds HTTP errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

__all__ = [
    "InvalidDataError",
    "InvalidInputError",
    "NoConfidentMatchError",
    "NoReferralPathError",
    "StafetError",
    "Suggestion",
    "UnknownEntityError",
]


class StafetError(Exception):
    """Base class of every error Stafet raises on purpose."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A near match offered when a name or id is unknown."""

    id: str
    kind: str
    label: str


class UnknownEntityError(StafetError, LookupError):
    """A unit, task, law or forum that the graph does not know.

    Examples
    --------
    >>> err = UnknownEntityError("unit", "bfi", [Suggestion("bif", "unit", "BIF")])
    >>> str(err)
    "Ukendt enhed: 'bfi'. Mente du: bif (BIF)?"
    """

    KIND_NAMES: ClassVar[dict[str, str]] = {
        "unit": "enhed",
        "task": "opgave",
        "law": "lov",
        "forum": "forum",
        "any": "ressource",
    }

    def __init__(self, kind: str, query: str, suggestions: Sequence[Suggestion] = ()) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = list(suggestions)
        name = self.KIND_NAMES.get(kind, kind)
        message = f"Ukendt {name}: {query!r}."
        if self.suggestions:
            near = ", ".join(f"{s.id} ({s.label})" for s in self.suggestions)
            message += f" Mente du: {near}?"
        super().__init__(message)


class NoConfidentMatchError(UnknownEntityError):
    """Free text that nothing matches well enough to answer with: a guess would mislead.

    A subclass of :class:`UnknownEntityError`, so whoever handles an unknown name handles
    this too; the message says what was not found and offers the nearest matches.

    Examples
    --------
    >>> err = NoConfidentMatchError("task", "pasnig", [Suggestion("kle-23.09.02", "task", "Pas")])
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    Ukendt opgave: 'pasnig'. Vi fandt ingen opgave, der passer sikkert.
    Mente du: Pas (kle-23.09.02)?
    >>> print(NoConfidentMatchError("forum", "x"))  # doctest: +NORMALIZE_WHITESPACE
    Ukendt forum: 'x'. Vi fandt intet forum, der passer sikkert.
    Prøv et andet ord, et id eller et KLE-nummer.
    """

    NONE_OF: ClassVar[dict[str, str]] = {
        "unit": "ingen enhed",
        "task": "ingen opgave",
        "law": "ingen lov",
        "forum": "intet forum",
        "any": "intet",
    }
    #: Longer queries are shortened in the message.
    SHOWN_LENGTH: ClassVar[int] = 80

    def __init__(self, kind: str, query: str, suggestions: Sequence[Suggestion] = ()) -> None:
        super().__init__(kind, query, suggestions)
        shown = query if len(query) <= self.SHOWN_LENGTH else query[: self.SHOWN_LENGTH] + "…"
        message = (
            f"Ukendt {self.KIND_NAMES.get(kind, kind)}: {shown!r}. "
            f"Vi fandt {self.NONE_OF.get(kind, 'intet')}, der passer sikkert."
        )
        if self.suggestions:
            names = [f"{s.label} ({s.id})" for s in self.suggestions]
            near = " eller ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            message += f" Mente du: {near}?"
        else:
            message += " Prøv et andet ord, et id eller et KLE-nummer."
        self.args = (message,)


class InvalidInputError(StafetError, ValueError):
    """A value a person gave that the library understood but cannot use.

    The message is one Danish sentence that says what is wrong and what would work; the
    faces show it as it is (HTTP 422, a CLI error line).

    Examples
    --------
    >>> str(InvalidInputError("Alder skal være mellem 0 og 130 (fik 200)."))
    'Alder skal være mellem 0 og 130 (fik 200).'
    """


class NoReferralPathError(StafetError):
    """No chain of hand-overs connects the unit to any unit that handles the task."""

    def __init__(self, from_unit: str, task: str) -> None:
        self.from_unit = from_unit
        self.task = task
        super().__init__(
            f"Der findes ingen henvisningsvej fra {from_unit!r} til en enhed, der varetager "
            f"opgaven {task!r}. Kontakt Borgerrådgiveren eller den ansvarlige forvaltning."
        )


class InvalidDataError(StafetError, ValueError):
    """Data that cannot be loaded: malformed Turtle (with file and line) or SHACL violations."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        where = ""
        if file is not None:
            where = f"{file}, linje {line}: " if line is not None else f"{file}: "
        super().__init__(where + message)
