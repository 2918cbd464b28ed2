"""Read the editable table of default owners (``data/copenhagen/default-owners.csv``).

One row per KLE group (``NN.NN``), and a row per KLE topic (``NN.NN.NN``) where the topic's
owner differs from its group's: ``kle,unit,source,note``. ``unit`` is a unit or authority
id, or ``-`` for no single default owner (a confirmed fact or the topics below name the
ansvarlig). ``source`` is empty (the row is ``antaget``, and ``note`` says why) or the id of
a source in ``sources.ttl`` that states the owner (the row is ``bekraeftet``). A row that
breaks the format raises :class:`DefaultOwnersError` naming the file and the line.
:mod:`graph.io.defaults_import` turns the rows into Turtle.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from graph.data.ids import KLE_GROUP, KLE_TOPIC
from graph.errors import InvalidDataError

__all__ = [
    "COLUMNS",
    "NO_DEFAULT",
    "DefaultOwner",
    "DefaultOwnersError",
    "parse_default_owners",
    "read_default_owners",
]

#: The table's columns, in order.
COLUMNS = ("kle", "unit", "source", "note")
#: The ``unit`` value of a KLE number with no single default owner.
NO_DEFAULT = "-"

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class DefaultOwnersError(InvalidDataError):
    """The table of default owners is wrong at a given line.

    Parameters
    ----------
    source
        The file (or another name for the input).
    line
        The 1-based line number (the header is line 1), or ``None`` when the problem is
        not on one line.
    reason
        What is wrong, for a person to read.

    Examples
    --------
    >>> str(DefaultOwnersError("default-owners.csv", 7, "ukendt enhed 'xyz'"))
    "default-owners.csv, linje 7: ukendt enhed 'xyz'"
    """

    def __init__(self, source: str | Path, line: int | None, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(reason, file=self.source, line=line)


@dataclass(frozen=True, slots=True)
class DefaultOwner:
    """One row of the table.

    Parameters
    ----------
    kle
        The KLE group (``NN.NN``) or topic (``NN.NN.NN``).
    unit
        The unit id, or ``None`` for ``-`` (no single default owner).
    source
        The id of the source that states the owner (``bekraeftet``), or ``None``
        (``antaget``).
    note
        Why this unit, in Danish (may be empty).
    line
        The row's line number in the file.

    Examples
    --------
    >>> row = DefaultOwner("23.02.10", "kff-borgerservice", None, "grundlovsceremoni", 9)
    >>> row.group, row.is_topic, row.confirmed
    ('23.02', True, False)
    """

    kle: str
    unit: str | None
    source: str | None
    note: str
    line: int

    @property
    def group(self) -> str:
        """The KLE group the row's number belongs to (itself for a group row)."""
        return self.kle[:5]

    @property
    def is_topic(self) -> bool:
        """Whether the row is for a KLE topic rather than a group."""
        return len(self.kle) > len(self.group)

    @property
    def confirmed(self) -> bool:
        """Whether a source states the owner (status ``bekraeftet``)."""
        return self.source is not None


def parse_default_owners(text: str, *, source: str | Path = "<tekst>") -> list[DefaultOwner]:
    """Parse the CSV text of the table.

    Parameters
    ----------
    text
        The whole file: a header ``kle,unit,source,note``, one row per KLE group and one
        per KLE topic whose owner differs. Empty lines are skipped; fields may be quoted.
    source
        The file name, for error messages.

    Returns
    -------
    list of DefaultOwner
        The rows in file order.

    Raises
    ------
    DefaultOwnersError
        If the header is wrong, a row does not have four fields, a number is neither
        ``NN.NN`` nor ``NN.NN.NN``, a unit is neither ``-`` nor a unit id, a source is not
        an id, a ``-`` row names a source, or a number appears twice.

    Examples
    --------
    >>> parse_default_owners("kle,unit,source,note\\n32.3,sof,,x\\n", source="t.csv")
    Traceback (most recent call last):
    ...
    graph.io.owner_table.DefaultOwnersError: t.csv, linje 2: ugyldigt KLE-nummer '32.3' \
(forventet en gruppe NN.NN eller et emne NN.NN.NN, fx 32.03 eller 32.03.16)
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    owners: list[DefaultOwner] = []
    seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != COLUMNS:
            raise DefaultOwnersError(
                source, 1, f"overskriften skal være {','.join(COLUMNS)}, ikke {header!r}"
            )
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                raise DefaultOwnersError(
                    source,
                    line,
                    f"forventede {len(COLUMNS)} felter ({', '.join(COLUMNS)}), "
                    f"fandt {len(row)}: {row!r}",
                )
            owner = _row(row, line, source)
            if owner.kle in seen:
                raise DefaultOwnersError(
                    source, line, f"KLE {owner.kle} står allerede i linje {seen[owner.kle]}"
                )
            seen[owner.kle] = line
            owners.append(owner)
    except csv.Error as err:
        raise DefaultOwnersError(source, reader.line_num, f"ugyldig CSV: {err}") from None
    return owners


def _row(cells: list[str], line: int, source: str | Path) -> DefaultOwner:
    """One checked row."""
    kle, unit, origin, note = (cell.strip() for cell in cells)
    if not (KLE_GROUP.fullmatch(kle) or KLE_TOPIC.fullmatch(kle)):
        raise DefaultOwnersError(
            source,
            line,
            f"ugyldigt KLE-nummer {kle!r} (forventet en gruppe NN.NN eller et emne "
            "NN.NN.NN, fx 32.03 eller 32.03.16)",
        )
    if unit != NO_DEFAULT and not _ID.fullmatch(unit):
        raise DefaultOwnersError(
            source,
            line,
            f"ugyldigt enheds-id {unit!r} for KLE {kle} (små bogstaver, tal og bindestreg, "
            f"eller {NO_DEFAULT!r} for ingen standardejer)",
        )
    if origin and not _ID.fullmatch(origin):
        raise DefaultOwnersError(
            source, line, f"ugyldigt kilde-id {origin!r} for KLE {kle} (et id fra sources.ttl)"
        )
    if origin and unit == NO_DEFAULT:
        raise DefaultOwnersError(
            source, line, f"KLE {kle} har ingen ejer ({NO_DEFAULT!r}), men en kilde {origin!r}"
        )
    return DefaultOwner(kle, None if unit == NO_DEFAULT else unit, origin or None, note, line)


def read_default_owners(path: str | Path) -> list[DefaultOwner]:
    """Read the table from a UTF-8 file (with or without BOM).

    Parameters
    ----------
    path
        ``default-owners.csv``.

    Returns
    -------
    list of DefaultOwner
        See :func:`parse_default_owners`.
    """
    path = Path(path)
    return parse_default_owners(path.read_text(encoding="utf-8"), source=path)
