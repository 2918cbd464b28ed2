"""Read the editable table of default owners (``data/copenhagen/default-owners.csv``).

One row per KLE group: ``kle_group,unit,note``, where ``unit`` is a unit id or ``-``
(a confirmed fact already names the group's ansvarlig). A row that breaks the format
raises :class:`DefaultOwnersError` naming the file and the line.
:mod:`graph.io.defaults_import` turns the rows into Turtle.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from graph.data.ids import KLE_GROUP
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
COLUMNS = ("kle_group", "unit", "note")
#: The ``unit`` value of a group whose ansvarlig a confirmed fact already names.
NO_DEFAULT = "-"

_GROUP = KLE_GROUP
_UNIT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


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
    group
        The KLE group, ``NN.NN``.
    unit
        The unit id, or ``None`` for ``-`` (a confirmed fact names the ansvarlig).
    note
        Why this unit, in Danish (may be empty).
    line
        The row's line number in the file.
    """

    group: str
    unit: str | None
    note: str
    line: int


def parse_default_owners(text: str, *, source: str | Path = "<tekst>") -> list[DefaultOwner]:
    """Parse the CSV text of the table.

    Parameters
    ----------
    text
        The whole file: a header ``kle_group,unit,note`` and one row per KLE group. Empty
        lines are skipped; fields may be quoted.
    source
        The file name, for error messages.

    Returns
    -------
    list of DefaultOwner
        The rows in file order.

    Raises
    ------
    DefaultOwnersError
        If the header is wrong, a row does not have three fields, a group is not
        ``NN.NN``, a unit is neither ``-`` nor a unit id, or a group appears twice.

    Examples
    --------
    >>> parse_default_owners("kle_group,unit,note\\n32.3,sof,x\\n", source="t.csv")
    Traceback (most recent call last):
    ...
    graph.io.owner_table.DefaultOwnersError: t.csv, linje 2: ugyldig KLE-gruppe '32.3' \
(forventet NN.NN, fx 32.03)
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
            group, unit, note = (cell.strip() for cell in row)
            if not _GROUP.fullmatch(group):
                raise DefaultOwnersError(
                    source, line, f"ugyldig KLE-gruppe {group!r} (forventet NN.NN, fx 32.03)"
                )
            if unit != NO_DEFAULT and not _UNIT_ID.fullmatch(unit):
                raise DefaultOwnersError(
                    source,
                    line,
                    f"ugyldigt enheds-id {unit!r} for KLE-gruppe {group} (små bogstaver, tal "
                    f"og bindestreg, eller {NO_DEFAULT!r} for ingen standardejer)",
                )
            if group in seen:
                raise DefaultOwnersError(
                    source, line, f"KLE-gruppe {group} står allerede i linje {seen[group]}"
                )
            seen[group] = line
            owners.append(DefaultOwner(group, None if unit == NO_DEFAULT else unit, note, line))
    except csv.Error as err:
        raise DefaultOwnersError(source, reader.line_num, f"ugyldig CSV: {err}") from None
    return owners


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
