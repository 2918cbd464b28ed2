"""Read a spreadsheet someone uploaded without trusting it: XLSX or CSV, within limits.

Every importer reads its file through :func:`read_tables`, which gives plain text cells and
refuses what a spreadsheet must not carry into the register:

- a file that is not a spreadsheet (or the old binary ``.xls``), or one larger than
  :class:`Limits` allows: in bytes, unpacked bytes (a zip bomb), rows, columns or characters
  in a cell;
- formula cells (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``) and text that a spreadsheet would
  run as a formula when the data is exported again (CSV injection: text beginning with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return). A number such as ``-5`` or a phone number
  such as ``+45 33 66 33 66`` is not a formula and is let through; a leading ``'`` (how
  Stafet's exports and spreadsheets mark such text as text) is taken off first.

Every problem is a :class:`CellError` naming sheet, row and column in Danish; all of a file's
problems are collected in one :class:`SpreadsheetError`. :func:`neutralise` is the export's
side of the same rule.

CSV is read as Danish Excel writes it: UTF-8 with or without BOM (Windows-1252 if it is not
UTF-8), ``;`` or ``,`` (or tab) as separator, found from the header line.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

from graph.errors import InvalidInputError, Suggestion

__all__ = [
    "FORMULA_PREFIXES",
    "CellError",
    "Limits",
    "SpreadsheetError",
    "Table",
    "column_letter",
    "neutralise",
    "read_tables",
]

#: Text beginning with one of these is run as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-][0-9][0-9 .,]*")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_CSV_SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a spreadsheet is read before it is refused.

    The defaults fit the OS2mo KLE workbook of a whole municipality many times over.
    """

    max_bytes: int = 5_000_000
    max_unpacked_bytes: int = 50_000_000
    max_rows: int = 20_000
    max_columns: int = 40
    max_cells: int = 200_000
    max_cell_chars: int = 4_000


@dataclass(frozen=True, slots=True)
class CellError:
    """One problem in a spreadsheet, where a person can find it.

    Examples
    --------
    >>> str(CellError("Ansvar", 14, "C", "ukendt rolle 'chef'"))
    "Ark 'Ansvar', række 14, kolonne C: ukendt rolle 'chef'"
    >>> str(CellError(None, 3, None, "rækken er for lang"))
    'CSV-filen, række 3: rækken er for lang'
    >>> str(CellError(None, None, None, "filen er tom"))
    'Filen: filen er tom'
    """

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    suggestions: tuple[Suggestion, ...] = ()

    def __str__(self) -> str:
        if self.sheet is not None:
            where = [f"Ark '{self.sheet}'"]
        elif self.row is not None:
            where = ["CSV-filen"]
        else:
            where = ["Filen"]
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column is not None:
            where.append(f"kolonne {self.column}")
        return f"{', '.join(where)}: {self.message}"


ProblemKind = Literal["invalid", "too-large", "not-a-spreadsheet"]


class SpreadsheetError(InvalidInputError):
    """A spreadsheet that cannot be imported; ``errors`` lists every problem found.

    ``kind`` says what kind of problem it is for a face to answer with: ``not-a-spreadsheet``
    (415), ``too-large`` (413) or ``invalid`` (422).
    """

    def __init__(self, errors: list[CellError], kind: ProblemKind = "invalid") -> None:
        self.errors = tuple(errors)
        self.kind: ProblemKind = kind
        first = "; ".join(str(e) for e in errors[:3])
        more = f" (og {len(errors) - 3} fejl mere)" if len(errors) > 3 else ""
        super().__init__(f"{first}{more}")


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (or the CSV file) as text cells; ``rows[0]`` is spreadsheet row 1.

    ``sheet`` is the sheet's name, or ``None`` for a CSV file.
    """

    sheet: str | None
    rows: tuple[tuple[str, ...], ...]
    errors: tuple[CellError, ...] = field(default=())

    def cell(self, row: int, column: int) -> str:
        """The text in spreadsheet row ``row`` (1-based), column ``column`` (0-based)."""
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else ()
        return cells[column] if column < len(cells) else ""


def column_letter(index: int) -> str:
    """The spreadsheet letter of 0-based column ``index``.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def neutralise(value: Any) -> Any:
    """A value to write into an exported cell: text a spreadsheet would run gets a ``'``.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("+45 33 66 33 66"), neutralise(5)
    ('\\'=HYPERLINK("http://x")', "'+45 33 66 33 66", 5)
    >>> neutralise("Socialforvaltningen")
    'Socialforvaltningen'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def read_tables(data: bytes, *, limits: Limits | None = None) -> list[Table]:
    """Read an XLSX workbook (every sheet) or a CSV file (one table) as text cells.

    Parameters
    ----------
    data
        The file's bytes; XLSX is told from CSV by its content, not its name.
    limits
        What is refused as too large (:class:`Limits` by default).

    Returns
    -------
    list of Table
        In the workbook's order. Cell-level problems (formulas, formula-like text) are
        collected on each table's ``errors``.

    Raises
    ------
    SpreadsheetError
        For a file that is not a spreadsheet, too large, or unreadable as a whole.

    Examples
    --------
    >>> [t.rows for t in read_tables("enhed;rolle\\r\\nSOF;ansvarlig\\r\\n".encode())]
    [(('enhed', 'rolle'), ('SOF', 'ansvarlig'))]
    >>> read_tables(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    Traceback (most recent call last):
    ...
    graph.io.spreadsheet.SpreadsheetError: Filen: filen er hverken et XLSX-regneark eller en CSV-fil
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise _file_error(f"filen er for stor (højst {limits.max_bytes:,} byte)", "too-large")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if data.startswith(_OLE_MAGIC):
        raise _file_error(
            "det gamle Excel-format (.xls) kan ikke læses; gem filen som .xlsx eller CSV",
            "not-a-spreadsheet",
        )
    return [_read_csv(data, limits)]


def _file_error(message: str, kind: ProblemKind = "invalid") -> SpreadsheetError:
    return SpreadsheetError([CellError(None, None, None, message)], kind)


# -- cells --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell's value as text: whole numbers without ``.0``, dates as ``ÅÅÅÅ-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sand" if value else "falsk"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip(" ")


def _check_text(text: str, limits: Limits) -> tuple[str, str | None]:
    """The cell's text (a leading ``'`` before a formula sign removed) and what is wrong."""
    if len(text) > limits.max_cell_chars:
        return "", f"cellen er for lang (højst {limits.max_cell_chars} tegn)"
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER_LIKE.fullmatch(text):
        sign = {"\t": "et tabulatortegn", "\r": "et linjeskift"}.get(text[0], f"'{text[0]}'")
        return "", (
            f"teksten begynder med {sign} og ville blive udført som en formel i et regneark; "
            "fjern tegnet (formler og formellignende tekst indlæses ikke)"
        )
    return text.strip(), None


# -- XLSX -----------------------------------------------------------------------------------


def _check_zip(data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error(
            "filen er hverken et XLSX-regneark eller en CSV-fil", "not-a-spreadsheet"
        ) from None
    with archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise _file_error(
                "filen er et zip-arkiv, men ikke et XLSX-regneark", "not-a-spreadsheet"
            )
        if len(members) > 1_000 or sum(m.file_size for m in members) > limits.max_unpacked_bytes:
            raise _file_error(
                f"regnearket fylder for meget udpakket (højst {limits.max_unpacked_bytes:,} byte)",
                "too-large",
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                with archive.open(member) as stream:
                    head = stream.read(2_048)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise _file_error(
                        "regnearket indeholder XML-erklæringer (DOCTYPE), som ikke tillades"
                    )


def _read_xlsx(data: bytes, limits: Limits) -> list[Table]:
    from openpyxl import load_workbook

    _check_zip(data, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise _file_error(
            "regnearket er beskadiget og kan ikke læses", "not-a-spreadsheet"
        ) from None
    try:
        tables = []
        cells = 0
        for sheet in book.worksheets:
            table, used = _read_sheet(sheet, limits, limits.max_cells - cells)
            cells += used
            tables.append(table)
        return tables
    except SpreadsheetError:
        raise
    except Exception:  # a broken sheet part surfaces while iterating
        raise _file_error(
            "regnearket er beskadiget og kan ikke læses", "not-a-spreadsheet"
        ) from None
    finally:
        book.close()


def _read_sheet(sheet: Any, limits: Limits, cells_left: int) -> tuple[Table, int]:
    name = str(sheet.title)
    rows: list[tuple[str, ...]] = []
    errors: list[CellError] = []
    used = 0
    for number, row in enumerate(sheet.iter_rows(max_col=limits.max_columns), start=1):
        if number > limits.max_rows:
            raise SpreadsheetError(
                [
                    CellError(
                        name,
                        number,
                        None,
                        f"arket har for mange rækker (højst {limits.max_rows:,})",
                    )
                ],
                "too-large",
            )
        texts: list[str] = []
        for index, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if value is None:
                texts.append("")
                continue
            used += 1
            if used > cells_left:
                raise SpreadsheetError(
                    [
                        CellError(
                            name,
                            number,
                            None,
                            f"for mange udfyldte celler (højst {limits.max_cells:,})",
                        )
                    ],
                    "too-large",
                )
            if getattr(cell, "data_type", None) == "f":
                errors.append(
                    CellError(
                        name,
                        number,
                        column_letter(index),
                        "cellen indeholder en formel; skriv værdien i stedet",
                    )
                )
                texts.append("")
                continue
            text, problem = _check_text(_text(value), limits)
            if problem:
                errors.append(CellError(name, number, column_letter(index), problem))
            texts.append(text)
        while texts and not texts[-1]:
            texts.pop()
        rows.append(tuple(texts))
    while rows and not rows[-1]:
        rows.pop()
    return Table(name, tuple(rows), tuple(errors)), used


# -- CSV ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise _file_error("filen er hverken et XLSX-regneark eller en CSV-fil", "not-a-spreadsheet")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Danish Excel's "CSV (semikolonsepareret)"
    except UnicodeDecodeError:
        raise _file_error(
            "CSV-filen er hverken UTF-8 eller Windows-1252; gem den som UTF-8"
        ) from None


def _separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in _CSV_SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(data: bytes, limits: Limits) -> Table:
    text = _decode(data)
    if not text.strip():
        raise _file_error("filen er tom")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=True)
    rows: list[tuple[str, ...]] = []
    errors: list[CellError] = []
    cells = 0
    try:
        for number, raw in enumerate(reader, start=1):
            if number > limits.max_rows:
                raise SpreadsheetError(
                    [
                        CellError(
                            None,
                            number,
                            None,
                            f"filen har for mange rækker (højst {limits.max_rows:,})",
                        )
                    ],
                    "too-large",
                )
            if len(raw) > limits.max_columns:
                raise SpreadsheetError(
                    [
                        CellError(
                            None,
                            number,
                            None,
                            f"rækken har for mange kolonner (højst {limits.max_columns})",
                        )
                    ],
                    "too-large",
                )
            cells += sum(1 for value in raw if value)
            if cells > limits.max_cells:
                raise SpreadsheetError(
                    [
                        CellError(
                            None,
                            number,
                            None,
                            f"for mange udfyldte celler (højst {limits.max_cells:,})",
                        )
                    ],
                    "too-large",
                )
            texts = []
            for index, value in enumerate(raw):
                cell, problem = _check_text(value.strip(" "), limits)
                if problem:
                    errors.append(CellError(None, number, column_letter(index), problem))
                texts.append(cell)
            while texts and not texts[-1]:
                texts.pop()
            rows.append(tuple(texts))
    except csv.Error as err:
        raise _file_error(f"CSV-filen kan ikke læses (række {reader.line_num}): {err}") from None
    while rows and not rows[-1]:
        rows.pop()
    return Table(None, tuple(rows), tuple(errors))
