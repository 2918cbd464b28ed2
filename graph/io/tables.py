"""The coordination group's lists as files: a workbook, CSV files, and the graph for Gephi.

The rows and their Danish columns come from :mod:`graph.present.tables`; this module only
writes them. Text that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.errors import InvalidInputError
from graph.io.graph_files import graph_file
from graph.present.coordination import communities, summary
from graph.present.tables import COLUMNS, bottleneck_table, gap_table, overlap_table
from graph.questions import coordination
from graph.questions.quality import administration_key

__all__ = ["TABLE_FORMATS", "export_tables"]

#: What :func:`export_tables` writes.
TABLE_FORMATS = ("xlsx", "gexf", "gaps-csv", "overlaps-csv", "bottlenecks-csv")

_TABLES = {
    "gaps-csv": gap_table,
    "overlaps-csv": overlap_table,
    "bottlenecks-csv": bottleneck_table,
}


def export_tables(kg: Knowledge, fmt: str) -> bytes:
    """The coordination group's lists as files (one of :data:`TABLE_FORMATS`).

    ``xlsx`` is one workbook with a sheet per list; ``gaps-csv``, ``overlaps-csv`` and
    ``bottlenecks-csv`` one list each (UTF-8, comma-separated); ``gexf`` the whole graph
    for Gephi, with each unit's administration, bottleneck passes and community.

    Raises
    ------
    InvalidInputError
        If ``fmt`` is not one of :data:`TABLE_FORMATS`.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> export_tables(load_knowledge(), "gaps-csv").splitlines()[0]
    b'hul,id,navn,kle,forvaltning,detalje'
    """
    if fmt == "xlsx":
        return _workbook(kg)
    if fmt == "gexf":
        return _gexf(kg)
    if fmt in _TABLES:
        return _csv(_TABLES[fmt](kg), COLUMNS[fmt])
    raise InvalidInputError(f"Ukendt format {fmt!r}; vælg et af {', '.join(TABLE_FORMATS)}.")


def _cell(value: Any) -> Any:
    # A text starting like a formula would be run by a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c, "")) for c in columns})
    return buffer.getvalue().encode("utf-8")


def _workbook(kg: Knowledge) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    figures = summary(kg)
    sheet = book.active
    sheet.title = "Sammenfatning"
    sheet.append(["Stafet: overlap, huller og flaskehalse"])
    sheet.append(["Dato", date.today().isoformat()])
    sheet.append(["Data-fingeraftryk", kg.fingerprint])
    for key, value in figures["overlaps"].items():
        sheet.append([f"overlap: {key}", value])
    for key, value in figures["gaps"].items():
        sheet.append([f"huller: {key}", value])
    sheet["A1"].font = Font(bold=True)
    community_rows = [
        {"faellesskab": c["name"], "enhed_id": m["id"], "enhed": m["label"]}
        for c in communities(kg)
        for m in c["members"]
    ]
    sheets = [
        ("Overlap", overlap_table(kg), COLUMNS["overlaps-csv"]),
        ("Huller", gap_table(kg), COLUMNS["gaps-csv"]),
        ("Flaskehalse", bottleneck_table(kg), COLUMNS["bottlenecks-csv"]),
        ("Fællesskaber", community_rows, ["faellesskab", "enhed_id", "enhed"]),
    ]
    for title, rows, columns in sheets:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            for index, key in enumerate(columns, start=1):
                value = sheet.cell(row=number, column=index, value=row.get(key, ""))
                if isinstance(value.value, str) and value.value.startswith("="):
                    value.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
        for letter, key in zip("ABCDEFGHIJ", columns, strict=False):
            width = max([len(key), *(len(str(r.get(key, ""))) for r in rows[:500])])
            sheet.column_dimensions[letter].width = min(60, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _gexf(kg: Knowledge) -> bytes:
    passes = {row.unit: row.passes for row in coordination.bottlenecks(kg)}
    community = {
        member: index
        for index, c in enumerate(coordination.communities(kg))
        for member in c.members
    }
    extras = {
        node: {
            "forvaltning": administration_key(kg, data["id"]),
            "flaskehals": str(passes.get(data["id"], 0)),
            "faellesskab": str(community.get(data["id"], -1)),
        }
        for node, data in kg.graph.nodes(data=True)
        if data.get("kind") == "unit"
    }
    return graph_file(kg, "gexf", extras)
