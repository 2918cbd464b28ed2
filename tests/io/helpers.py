"""Spreadsheets made in the tests (never binary files of unknown origin)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook


def xlsx(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with these sheets and rows; a text starting with '=' becomes a formula."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Sequence[str]], sep: str = ";") -> str:
    return "".join(sep.join(row) + "\r\n" for row in rows)


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """``data`` (a zip) with some members replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename not in replace:
                out.writestr(item, source.read(item))
        for name, body in replace.items():
            out.writestr(name, body)
    return buffer.getvalue()
