"""Why an edit was refused: invalid (each field with a Danish message), stale, out of scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from graph.errors import InvalidInputError, StafetError, UnknownEntityError

__all__ = [
    "EditForbiddenError",
    "EditInvalidError",
    "FieldError",
    "StaleResourceError",
    "UnknownResourceError",
]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One broken rule: the field it concerns (``""`` for the edit as a whole) and why."""

    field: str
    message: str


class EditInvalidError(InvalidInputError):
    """The edit breaks the rules for data; nothing was stored.

    >>> err = EditInvalidError([FieldError("valid_from", "Gyldig fra skal ligge før gyldig til.")])
    >>> str(err)
    'Ændringen overholder ikke reglerne: valid_from: Gyldig fra skal ligge før gyldig til.'
    """

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        text = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors)
        super().__init__(f"Ændringen overholder ikke reglerne: {text}")


class StaleResourceError(StafetError):
    """The resource changed since the caller read it (its ETag is no longer ``expected``)."""

    def __init__(self, kind: str, ident: str, current: str) -> None:
        super().__init__(
            f"{kind} {ident!r} er ændret, siden du hentede den: hent den igen (ETag {current}) "
            "og gentag ændringen"
        )
        self.kind, self.ident, self.current = kind, ident, current


class EditForbiddenError(StafetError):
    """The caller may not make this edit (outside their administration, or not a reviewer)."""


class UnknownResourceError(UnknownEntityError):
    """An edit names a resource that does not exist.

    >>> str(UnknownResourceError("responsibility", "x"))
    "Ukendt ansvar: 'x'."
    """

    KIND_NAMES: ClassVar[dict[str, str]] = {
        **UnknownEntityError.KIND_NAMES,
        "responsibility": "ansvar",
        "contact-point": "kontaktpunkt",
        "membership": "medlemskab",
        "authority": "myndighed",
    }

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(kind, ident)
