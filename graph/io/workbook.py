"""The KLE workbook municipalities fill in for OS2mo, both ways.

OS2mo annotates organisation units with KLE numbers in three aspects and loads a first
annotation from a workbook (OS2mo's documentation, "KLE i MO"; the sheets and columns are in
``docs/import.md``):

- ``Org``: the units to choose from (``EnhedNavn``);
- ``KLE``: every KLE number with its title (``Niveau``, ``EmneNr``, ``EmneTitel``);
- ``Ansvarlig``: ``Niveau``, ``EmneNr``, ``EmneTitel``, ``EnhedNavn`` — every KLE number, the
  responsible unit chosen in column D (meant one-to-one);
- ``Indsigt`` and ``Udførende``: ``EnhedNavn``, ``KLE`` — many-to-many.

Stafet's roles map as ``ansvarlig`` ↔ Ansvarlig, ``udfoerende`` ↔ Udførende and ``indsigt``
↔ Indsigt (FK Organisation's Informeret); its other roles have no column there and are not
exported. :func:`export_workbook` writes the responsibilities in force today (a number
with an age split has one ``Ansvarlig`` row per unit); :func:`read_workbook` reads a filled
workbook into the rows of :mod:`graph.io.imports`, unit names resolved through search, and
a responsibility the register already has (task, unit and role, whatever its age band) is
unchanged, so exporting and importing again changes nothing.
"""

from __future__ import annotations

import io
import re
from datetime import date

from graph.data.knowledge import Knowledge
from graph.data.model import Task
from graph.errors import UnknownEntityError
from graph.io.imports import ContactRow, ResponsibilityRow
from graph.io.resolve import resolve_agent, resolve_task
from graph.io.spreadsheet import CellError, Limits, SpreadsheetError, Table, neutralise, read_tables

__all__ = ["ASPECTS", "HEADERS", "SOURCE", "export_workbook", "is_workbook", "read_workbook"]

#: The aspect sheets and the Stafet role each holds.
ASPECTS = {"Ansvarlig": "ansvarlig", "Indsigt": "indsigt", "Udførende": "udfoerende"}
#: The header row of each sheet, as OS2mo's program reads it.
HEADERS = {
    "Org": ("EnhedNavn",),
    "KLE": ("Niveau", "EmneNr", "EmneTitel"),
    "Ansvarlig": ("Niveau", "EmneNr", "EmneTitel", "EnhedNavn"),
    "Indsigt": ("EnhedNavn", "KLE"),
    "Udførende": ("EnhedNavn", "KLE"),
}
#: The source a responsibility read from the workbook names (with the sheet and row).
SOURCE = "Kommunens KLE-opmærkning til OS2mo (arbejdsbogen)"
_LEVELS = {"main": 1, "group": 2, "topic": 3}
_NUMBER = re.compile(r"\s*(?:kle[- ]?)?(\d{1,2}(?:\.\d{1,2}){0,2})\b", re.IGNORECASE)


def is_workbook(tables: list[Table]) -> bool:
    """Is this the OS2mo KLE workbook (it has an ``Ansvarlig`` sheet)?"""
    return any(t.sheet == "Ansvarlig" for t in tables)


# -- export -------------------------------------------------------------------------------------


def export_workbook(kg: Knowledge, *, on: date | None = None) -> bytes:
    """Stafet's responsibilities in force on ``on`` (today) as OS2mo's KLE workbook.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> tables = read_tables(export_workbook(load_knowledge()))
    >>> [t.sheet for t in tables]
    ['Org', 'KLE', 'Ansvarlig', 'Indsigt', 'Udførende']
    >>> [row for row in tables[2].rows if row[1] == "32.03.16"]
    [('3', '32.03.16', 'Førtidspension', 'Socialforvaltningen')]
    """
    from openpyxl import Workbook

    tasks = sorted((t for t in kg.tasks.values() if t.level in _LEVELS), key=lambda t: t.notation)
    book = Workbook(write_only=True)
    for name, rows in _content(kg, tasks, _holders(kg, tasks, on or date.today())).items():
        sheet = book.create_sheet(name)
        for letter in "ABCD":
            sheet.column_dimensions[letter].width = 40 if letter in "CD" else 12
        sheet.freeze_panes = "A2"
        for values in rows:
            sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _holders(kg: Knowledge, tasks: list[Task], day: date) -> dict[tuple[str, str], list[str]]:
    """(role, task) → the names of the units in that role on ``day``, each once."""
    holders: dict[tuple[str, str], list[str]] = {}
    for task in tasks:
        for p in kg.participations_by_task.get(task.id, []):
            if p.role in ASPECTS.values() and p.is_valid_on(day):
                names = holders.setdefault((p.role, task.id), [])
                if (label := kg.agent_label(p.unit)) not in names:
                    names.append(label)
    return holders


def _content(
    kg: Knowledge, tasks: list[Task], holders: dict[tuple[str, str], list[str]]
) -> dict[str, list[list[object]]]:
    """Every sheet's rows, header first, text neutralised."""
    content: dict[str, list[list[object]]] = {name: [list(h)] for name, h in HEADERS.items()}
    for unit in sorted(kg.units.values(), key=lambda u: u.label):
        if unit.kind != "municipality":
            content["Org"].append([neutralise(unit.label)])
    for task in tasks:
        level = _LEVELS[task.level]
        title = neutralise(task.label)
        content["KLE"].append([level, task.notation, title])
        for name in holders.get(("ansvarlig", task.id), [""]):
            content["Ansvarlig"].append([level, task.notation, title, neutralise(name)])
    for sheet, role in (("Indsigt", "indsigt"), ("Udførende", "udfoerende")):
        for task in tasks:
            for name in holders.get((role, task.id), []):
                content[sheet].append([neutralise(name), task.notation])
    return content


# -- import -------------------------------------------------------------------------------------


def read_workbook(
    kg: Knowledge, data: bytes | list[Table], *, limits: Limits | None = None
) -> list[ResponsibilityRow | ContactRow]:
    """Read a filled-in OS2mo KLE workbook into responsibility rows.

    A row of ``Ansvarlig`` without a unit (column D) is a KLE number nobody was chosen for,
    and is skipped. New responsibilities are ``antaget`` with a note saying where they come
    from: OS2mo's annotation is guidance that the unit still has to confirm.

    Raises
    ------
    SpreadsheetError
        With every problem found: a missing sheet or header, an unknown KLE number, a unit
        name the search does not match confidently (with suggestions), formulas.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> rows = read_workbook(kg, export_workbook(kg))
    >>> sorted({r.role for r in rows if isinstance(r, ResponsibilityRow)})
    ['ansvarlig', 'udfoerende']
    """
    tables = read_tables(data, limits=limits) if isinstance(data, bytes) else data
    by_name = {t.sheet: t for t in tables}
    errors: list[CellError] = []
    rows: list[ResponsibilityRow | ContactRow] = []
    for sheet, role in ASPECTS.items():
        table = by_name.get(sheet)
        if table is None:
            errors.append(CellError(None, None, None, f"arbejdsbogen har intet ark '{sheet}'"))
            continue
        errors.extend(table.errors)
        header = HEADERS[sheet]
        found = tuple(table.rows[0][: len(header)]) if table.rows else ()
        if found != header:
            errors.append(
                CellError(sheet, 1, None, f"overskrifterne skal være {', '.join(header)} "
                          f"(OS2mo's arbejdsbog), ikke {', '.join(found) or 'tomme'}")
            )  # fmt: skip
            continue
        unit_column, kle_column = (3, 1) if sheet == "Ansvarlig" else (0, 1)
        for number in range(2, len(table.rows) + 1):
            row, error = _row(kg, table, number, role, unit_column, kle_column)
            if error is not None:
                errors.append(error)
            elif row is not None:
                rows.append(row)
    if errors:
        raise SpreadsheetError(errors)
    return rows


def _row(
    kg: Knowledge, table: Table, number: int, role: str, unit_column: int, kle_column: int
) -> tuple[ResponsibilityRow | None, CellError | None]:
    name = table.cell(number, unit_column).strip()
    kle = table.cell(number, kle_column).strip()
    sheet = table.sheet
    unit_letter, kle_letter = "ABCD"[unit_column], "ABCD"[kle_column]
    if not name:
        if kle and role != "ansvarlig":
            return None, CellError(sheet, number, unit_letter, "EnhedNavn mangler")
        return None, None
    if not kle:
        return None, CellError(sheet, number, kle_letter, "KLE-nummeret mangler")
    match = _NUMBER.match(kle)
    try:
        task = resolve_task(kg, match[1] if match else kle)
    except UnknownEntityError as err:
        return None, CellError(sheet, number, kle_letter, str(err), tuple(err.suggestions))
    try:
        unit = resolve_agent(kg, name)
    except UnknownEntityError as err:
        return None, CellError(sheet, number, unit_letter, str(err), tuple(err.suggestions))
    note = f"Fra OS2mo's KLE-opmærkning (ark '{sheet}', række {number}); enheden skal bekræfte det."
    return ResponsibilityRow(
        sheet, number, unit_letter, task=task, unit=unit, role=role, match_conditions=False,
        source_if_new=SOURCE, locator_if_new=f"ark '{sheet}', række {number}", note_if_new=note,
    ), None  # fmt: skip
