"""Stafet's own import template: a unit's responsibilities and contact points, one a row.

The template is one sheet, :data:`SHEET` (``Ansvar``), with the Danish columns of
:data:`COLUMNS`; the XLSX version adds a sheet of instructions (``Vejledning``: every column
with its meaning and one example) and one of valid values (``Gyldige værdier``: roles,
statuses, sources, laws). The CSV version is the same columns, separated by ``;`` with a
UTF-8 BOM as Danish Excel writes it. ``docs/import.md`` says the same for people.

A row with a KLE number states a responsibility; a row with a phone, e-mail or web address
states a contact point of the unit; a row may do both. An empty cell says nothing: the
value the register has is kept (and a new responsibility gets none). :func:`read_template`
checks every cell and gives the neutral rows of :mod:`graph.io.imports`, or raises
:class:`~graph.io.spreadsheet.SpreadsheetError` with every problem found, each naming
sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.edit.operations import AgeBand, FactStatus
from graph.errors import Suggestion, UnknownEntityError
from graph.io.imports import ContactRow, ResponsibilityRow
from graph.io.resolve import resolve_agent, resolve_task
from graph.io.spreadsheet import (
    CellError,
    Limits,
    SpreadsheetError,
    Table,
    column_letter,
    neutralise,
    read_tables,
)
from graph.present.vocabulary import ROLE_LABELS, STATUS_LABELS

__all__ = [
    "COLUMNS",
    "SHEET",
    "Column",
    "read_template",
    "rows_from_table",
    "template_csv",
    "template_xlsx",
]

#: The sheet the rows are read from.
SHEET = "Ansvar"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the template: its key, Danish header, meaning and an example."""

    key: str
    header: str
    meaning: str
    example: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("unit", "enhed", "Enhedens navn eller id, som Stafet kender den.",
           "Borgercenter Handicap", required=True),
    Column("kle", "KLE-nummer", "Opgavens KLE-nummer: emne, gruppe eller hovedgruppe.",
           "27.60"),
    Column("role", "rolle", "Enhedens rolle i opgaven (se 'Gyldige værdier').", "ansvarlig"),
    Column("min_age", "alder fra", "Laveste alder (hele år), hvis ansvaret afhænger af alder.",
           "18"),
    Column("max_age", "alder til", "Højeste alder (hele år, inklusive).", "64"),
    Column("legal_basis", "lovgrundlag", "Id på lovbestemmelser, adskilt af komma "
           "(se 'Gyldige værdier').", "serviceloven"),
    Column("description", "beskrivelse", "Én sætning om, hvad enheden gør i opgaven.",
           "Borgercenter Handicap bevilger hjælpemidler til borgere under 65 år."),
    Column("source", "kilde", "Hvor det står: et kilde-id (se 'Gyldige værdier'), en "
           "webadresse eller et dokuments navn.", "kk-dk", required=True),
    Column("locator", "kildested", "Afsnit eller overskrift i kilden.", "hjælpemidler"),
    Column("status", "status", "bekræftet (en kilde siger det) eller antaget (skal "
           "bekræftes).", STATUS_LABELS["bekraeftet"], required=True),
    Column("valid_from", "gyldig fra", "Første dag, det gælder (ÅÅÅÅ-MM-DD).", "2026-01-01"),
    Column("valid_until", "gyldig til", "Sidste dag, det gælder; udfyldt for et eksisterende "
           "ansvar afslutter det (intet slettes).", "2026-12-31"),
    Column("telephone", "kontaktpunkt telefon", "Enhedens funktionelle telefonnummer "
           "(aldrig en persons direkte nummer).", "33 66 14 00"),
    Column("email", "kontaktpunkt e-mail", "Enhedens funktionelle postkasse.",
           "borgerraadgiveren@kk.dk"),
    Column("page", "kontaktpunkt web", "Enhedens side på nettet.", "https://www.kk.dk"),
    Column("note", "note", "Bemærkning; ved status antaget: hvorfor det antages.",
           "Antaget ud fra forvaltningens ressortområde."),
    Column("id", "id", "Ansvarets id i Stafet, hvis rækken retter et eksisterende ansvar "
           "(tom for et nyt).", "kle-27.60-sof-borgercenter-handicap-ansvarlig"),
)  # fmt: skip

_BY_HEADER = {column.header.casefold(): column for column in COLUMNS}
_PHONE = re.compile(r"\+?[0-9][0-9 ]{6,18}[0-9]")
_EMAIL = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[a-zA-Z]{2,}")
_URL = re.compile(r"https?://[^\s<>\"]+")
_DATE = re.compile(r"(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>\d{4})")
_SPLIT = re.compile(r"\s*[,;]\s*")


def _codes(labels: Any) -> dict[str, str]:
    found = {code.casefold(): code for code in labels}
    found.update({label.casefold(): code for code, label in labels.items()})
    return found


_ROLES = _codes(ROLE_LABELS)
_STATUSES = _codes(STATUS_LABELS)


# -- writing the template ---------------------------------------------------------------------


def template_csv() -> bytes:
    """The template as CSV: the header line, ``;``-separated, UTF-8 with BOM.

    >>> template_csv().decode("utf-8-sig").split(";")[:3]
    ['enhed', 'KLE-nummer', 'rolle']
    """
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(c.header for c in COLUMNS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(kg: Knowledge) -> bytes:
    """The template as a workbook: ``Ansvar`` (empty), ``Vejledning``, ``Gyldige værdier``.

    >>> from graph.data.knowledge import load_knowledge
    >>> [t.sheet for t in read_tables(template_xlsx(load_knowledge()))]
    ['Ansvar', 'Vejledning', 'Gyldige værdier']
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS):
        sheet.cell(row=1, column=index + 1).font = Font(bold=True)
        sheet.column_dimensions[column_letter(index)].width = max(14, len(column.header) + 4)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Vejledning")
    for line in (
        ["Stafets skabelon: en enheds ansvar og kontaktpunkter, ét pr. række i arket 'Ansvar'."],
        ["En række med KLE-nummer er et ansvar; en række med telefon, e-mail eller web er et "
         "kontaktpunkt for enheden. Tomme celler ændrer intet. Formler indlæses ikke."],
        [],
        ["kolonne", "overskrift", "betydning", "eksempel", "skal udfyldes"],
    ):  # fmt: skip
        guide.append(line)
    for index, column in enumerate(COLUMNS):
        guide.append(
            [column_letter(index), column.header, column.meaning, neutralise(column.example),
             "ja" if column.required else ""]
        )  # fmt: skip
    guide["A1"].font = Font(bold=True)
    values = book.create_sheet("Gyldige værdier")
    values.append(["slags", "værdi", "betydning"])
    for code, label in ROLE_LABELS.items():
        values.append(["rolle", label, code])
    for code, label in STATUS_LABELS.items():
        values.append(["status", label, code])
    for source in sorted(kg.registry.sources.values(), key=lambda s: s.id):
        values.append(["kilde", source.id, neutralise(source.label)])
    for law in sorted(kg.laws.values(), key=lambda law: law.id):
        values.append(["lovgrundlag", law.id, neutralise(law.label)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- reading it ---------------------------------------------------------------------------------


def read_template(
    kg: Knowledge, data: bytes | list[Table], *, limits: Limits | None = None
) -> list[ResponsibilityRow | ContactRow]:
    """Read a filled-in template (XLSX or CSV, or its tables already read) into checked rows.

    Raises
    ------
    SpreadsheetError
        With every problem in the file, each naming sheet, row and column.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> text = "enhed;KLE-nummer;rolle;status;kilde\\nSOF;32.03.16;ansvarlig;bekræftet;kk-dk\\n"
    >>> [(r.unit, r.task, r.role, r.status) for r in read_template(kg, text.encode())]
    [('sof', 'kle-32.03.16', 'ansvarlig', 'bekraeftet')]
    >>> read_template(kg, b"enhed;KLE-nummer;rolle;status;kilde\\nSOF;32.03.16;chef;antaget;kk-dk")
    Traceback (most recent call last):
    ...
    graph.io.spreadsheet.SpreadsheetError: CSV-filen, række 2, kolonne C: ukendt rolle 'chef'; ...
    """
    tables = read_tables(data, limits=limits) if isinstance(data, bytes) else data
    if tables[0].sheet is not None:
        named = [t for t in tables if t.sheet == SHEET]
        if not named:
            raise SpreadsheetError(
                [CellError(None, None, None, f"regnearket har intet ark med navnet '{SHEET}'")]
            )
        tables = named
    rows, errors = rows_from_table(kg, tables[0])
    if errors:
        raise SpreadsheetError(errors)
    if not rows:
        raise SpreadsheetError([CellError(tables[0].sheet, None, None, "arket har ingen rækker")])
    return rows


def rows_from_table(
    kg: Knowledge, table: Table
) -> tuple[list[ResponsibilityRow | ContactRow], list[CellError]]:
    """The rows of a template table, and every problem in it (the table's own first)."""
    errors = list(table.errors)
    if not table.rows:
        return [], [*errors, CellError(table.sheet, 1, None, "arket er tomt")]
    columns, header_errors = _header(table)
    errors.extend(header_errors)
    if header_errors:
        return [], errors
    rows: list[ResponsibilityRow | ContactRow] = []
    for number in range(2, len(table.rows) + 1):
        if not any(table.rows[number - 1]):
            continue
        cells = _Row(kg, table, number, columns)
        rows.extend(cells.parse())
        errors.extend(cells.errors)
    return rows, errors


def _header(table: Table) -> tuple[dict[str, int], list[CellError]]:
    columns: dict[str, int] = {}
    errors: list[CellError] = []
    for index, text in enumerate(table.rows[0]):
        name = text.strip().rstrip("*").strip().casefold()
        if not name:
            continue
        column = _BY_HEADER.get(name)
        if column is None:
            errors.append(
                CellError(table.sheet, 1, column_letter(index),
                          f"ukendt kolonne {text!r}; skabelonens kolonner er: "
                          + ", ".join(c.header for c in COLUMNS))
            )  # fmt: skip
        elif column.key in columns:
            errors.append(
                CellError(table.sheet, 1, column_letter(index), f"kolonnen {text!r} står to gange")
            )
        else:
            columns[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in columns:
            errors.append(CellError(table.sheet, 1, None, f"kolonnen '{column.header}' mangler"))
    return columns, errors


class _Row:
    """One data row: each cell read and checked, problems collected."""

    def __init__(self, kg: Knowledge, table: Table, number: int, columns: dict[str, int]) -> None:
        self.kg, self.table, self.number, self.columns = kg, table, number, columns
        self.errors: list[CellError] = []

    def text(self, key: str) -> str:
        index = self.columns.get(key)
        return "" if index is None else self.table.cell(self.number, index).strip()

    def letter(self, key: str) -> str:
        return column_letter(self.columns.get(key, 0))

    def fail(
        self, key: str | None, message: str, suggestions: list[Suggestion] | None = None
    ) -> None:
        column = None if key is None else self.letter(key)
        self.errors.append(
            CellError(self.table.sheet, self.number, column, message, tuple(suggestions or ()))
        )

    def value(self, key: str, read: Callable[[str], Any]) -> Any:
        text = self.text(key)
        if not text:
            return None
        try:
            return read(text)
        except UnknownEntityError as err:
            self.fail(key, str(err), err.suggestions)
        except ValueError as err:
            self.fail(key, str(err))
        return None

    def parse(self) -> list[ResponsibilityRow | ContactRow]:
        unit = self.value("unit", lambda t: resolve_agent(self.kg, t))
        if not self.text("unit"):
            self.fail("unit", "enheden skal udfyldes")
        status = self.value("status", _status)
        if not self.text("status"):
            self.fail("status", "status skal udfyldes: bekræftet eller antaget")
        sources = self.value("source", lambda t: _sources(self.kg, t))
        note = self.text("note") or None
        if not self.text("source"):
            self.fail(
                "source",
                "kilden skal udfyldes: hvor står det? (et kilde-id, en "
                "webadresse eller et dokuments navn)",
            )
        contact = self._contact(unit, status, sources)
        responsibility = self._responsibility(unit, status, sources, note)
        if not self.errors and contact is None and responsibility is None:
            self.fail(None, "rækken har hverken KLE-nummer eller kontaktpunkt")
        if self.errors or unit is None:
            return []
        return [r for r in (responsibility, contact) if r is not None]

    def _responsibility(
        self, unit: str | None, status: FactStatus | None, sources: tuple[str, ...] | None,
        note: str | None,
    ) -> ResponsibilityRow | None:  # fmt: skip
        task = self.value("kle", lambda t: resolve_task(self.kg, t))
        role = self.value("role", _role)
        if not self.text("kle"):
            for key in ("role", "min_age", "max_age", "legal_basis", "description", "id"):
                if self.text(key):
                    self.fail(
                        "kle", f"kolonnen '{_header_of(key)}' er udfyldt, men KLE-nummeret mangler"
                    )
                    break
            return None
        if not self.text("role"):
            self.fail("role", "rollen skal udfyldes for et ansvar")
        low, high = self.value("min_age", _age), self.value("max_age", _age)
        if low is not None and high is not None and low > high:
            self.fail("max_age", f"alder til ({high}) er mindre end alder fra ({low})")
        start, end = self.value("valid_from", _date), self.value("valid_until", _date)
        if start is not None and end is not None and start > end:
            self.fail("valid_until", "gyldig til ligger før gyldig fra")
        laws = self.value("legal_basis", lambda t: _laws(self.kg, t))
        ident = self.value("id", lambda t: _responsibility_id(self.kg, t))
        if task is None or unit is None or role is None:
            return None
        bands = (AgeBand(low, high),) if low is not None or high is not None else ()
        return ResponsibilityRow(
            self.table.sheet, self.number, self.letter("unit"), task=task, unit=unit, role=role,
            conditions=bands, id=ident, description=self.text("description") or None,
            legal_basis=laws, sources=sources, locator=self.text("locator") or None,
            status=status, valid_from=start, valid_until=end, note=note,
        )  # fmt: skip

    def _contact(
        self, unit: str | None, status: FactStatus | None, sources: tuple[str, ...] | None
    ) -> ContactRow | None:
        phones = self.value("telephone", lambda t: _many(t, _PHONE, "telefonnummer"))
        emails = self.value("email", lambda t: _many(t, _EMAIL, "e-mailadresse"))
        pages = self.value("page", lambda t: _many(t, _URL, "webadresse (https://…)"))
        if not (phones or emails or pages):
            return None
        if unit is not None and unit not in self.kg.units:
            self.fail("unit", "kun enheder og myndigheder har kontaktpunkter her, ikke fora")
            return None
        if unit is None:
            return None
        return ContactRow(
            self.table.sheet, self.number, self.letter("unit"), holder=unit,
            telephone=phones or (), email=emails or (), page=pages or (), status=status,
            sources=sources, locator=self.text("locator") or None,
        )  # fmt: skip


def _header_of(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def _status(text: str) -> FactStatus:
    code = _STATUSES.get(text.casefold())
    if code == "bekraeftet":
        return "bekraeftet"
    if code == "antaget":
        return "antaget"
    raise ValueError(f"ukendt status {text!r}; skriv bekræftet eller antaget")


def _role(text: str) -> str:
    code = _ROLES.get(text.casefold())
    if code is None:
        raise ValueError(
            f"ukendt rolle {text!r}; gyldige roller: {', '.join(ROLE_LABELS.values())}"
        )
    return code


def _age(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 130:
        raise ValueError(f"alderen skal være et helt antal år fra 0 til 130, ikke {text!r}")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else _dmy(text)
    except ValueError:
        raise ValueError(f"ugyldig dato {text!r}; skriv ÅÅÅÅ-MM-DD, fx 2026-01-01") from None


def _dmy(text: str) -> date:
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return date(int(match["y"]), int(match["m"]), int(match["d"]))


def _many(text: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
    values = tuple(v for v in _SPLIT.split(text) if v)
    for value in values:
        if not pattern.fullmatch(value):
            raise ValueError(f"{value!r} er ikke et gyldigt {what}")
    return values


def _sources(kg: Knowledge, text: str) -> tuple[str, ...]:
    values = tuple(v for v in _SPLIT.split(text) if v)
    for value in values:
        known = value in kg.registry.sources or _URL.fullmatch(value)
        if not known and " " not in value:  # one word: a mistyped id, not a document's name
            raise ValueError(
                f"ukendt kilde-id {value!r}; angiv et kilde-id (se arket 'Gyldige værdier'), "
                "en webadresse (https://…) eller dokumentets navn"
            )
    return values


def _laws(kg: Knowledge, text: str) -> tuple[str, ...]:
    found = []
    for value in (v for v in _SPLIT.split(text) if v):
        if value in kg.laws:
            found.append(value)
        else:
            law, _ = kg.resolve("law", value)
            found.append(str(law.id))
    return tuple(dict.fromkeys(found))


def _responsibility_id(kg: Knowledge, text: str) -> str:
    if text not in kg.registry.participations:
        raise ValueError(f"ansvaret med id {text!r} findes ikke; tøm cellen for et nyt ansvar")
    return text
