"""The OS2mo KLE workbook: exported from the real data, read back as no change, and refused
when it is broken or hostile."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.io.imports import ResponsibilityRow, Scope, plan_import
from graph.io.spreadsheet import FORMULA_PREFIXES, SpreadsheetError, read_tables
from graph.io.workbook import HEADERS, SOURCE, export_workbook, read_workbook
from tests.io.helpers import xlsx


@pytest.fixture(scope="module")
def exported(kg: Knowledge) -> bytes:
    return export_workbook(kg)


def _sheets(data: bytes) -> dict[str | None, tuple[tuple[str, ...], ...]]:
    return {t.sheet: t.rows for t in read_tables(data)}


def test_the_export_has_os2mos_sheets_and_stafets_roles(kg: Knowledge, exported: bytes) -> None:
    sheets = _sheets(exported)
    assert {name: rows[0] for name, rows in sheets.items()} == HEADERS
    ansvarlig = sheets["Ansvarlig"]
    # Every KLE number is listed (OS2mo's sheet is pre-filled), one row per responsible unit.
    numbers = {row[1] for row in ansvarlig[1:]}
    assert numbers == {t.notation for t in kg.tasks.values() if t.level != "service"}
    assert ("3", "32.03.16", "Førtidspension", "Socialforvaltningen") in ansvarlig
    # Hjælpemidler are split by age: both centres stand as Ansvarlig for 27.60.
    hjaelp = {row[3] for row in ansvarlig if row[1] == "27.60"}
    assert hjaelp == {"Borgercenter Handicap", "Hjælpemiddelcentret"}
    assert ("Jobcenter København", "32.03.16") in sheets["Udførende"]
    # Udbetaling Danmark pays førtidspension: udbetaler has no OS2mo aspect, so it is absent.
    named = {row[3] for row in ansvarlig if row[1] == "32.03.16"}
    named |= {r[0] for name in ("Indsigt", "Udførende") for r in sheets[name] if r[1] == "32.03.16"}
    assert named == {"Socialforvaltningen", "Jobcenter København"}


def test_export_then_import_changes_nothing(kg: Knowledge, exported: bytes) -> None:
    rows = read_workbook(kg, exported)
    plan = plan_import(kg, rows, Scope("admin"))
    assert not plan.errors and not plan.forbidden
    assert len(plan.entries) == len(rows) > 500
    assert {e.action for e in plan.entries} == {"unchanged"}
    assert not plan.batch(reason="test").operations


def test_a_filled_workbook_is_read_as_new_assumed_responsibilities(kg: Knowledge) -> None:
    data = xlsx(
        {
            "Ansvarlig": [HEADERS["Ansvarlig"], ["3", "32.03.16", "Førtidspension", ""],
                          ["2", "28.00", "Børn og unge", "Borgercenter Børn og Unge"]],
            "Indsigt": [HEADERS["Indsigt"], ["Jobcenter København", "32.03.16 Førtidspension"]],
            "Udførende": [HEADERS["Udførende"]],
        }
    )  # fmt: skip
    rows = read_workbook(kg, data)
    assert [(r.sheet, r.row, r.task, r.role) for r in rows] == [  # type: ignore[union-attr]
        ("Ansvarlig", 3, "kle-28.00", "ansvarlig"),
        ("Indsigt", 2, "kle-32.03.16", "indsigt"),
    ]
    plan = plan_import(kg, rows, Scope("admin"))
    jobcenter = plan.entries[1]
    assert jobcenter.action == "new"
    fields = jobcenter.operation.fields  # type: ignore[union-attr]
    assert (fields.unit, fields.status, fields.source) == ("bif-jobcenter", "antaget", SOURCE)
    assert fields.locator == "ark 'Indsigt', række 2"


def test_unknown_names_and_numbers_are_reported_with_suggestions(kg: Knowledge) -> None:
    data = xlsx(
        {
            "Ansvarlig": [HEADERS["Ansvarlig"], ["3", "32.03.99", "?", "Socialforvaltningen"],
                          ["3", "32.03.16", "Førtidspension", "Rumfartsforvaltningen Zxq"]],
            "Indsigt": [HEADERS["Indsigt"]],
            "Udførende": [HEADERS["Udførende"], ["", "32.03.16"]],
        }
    )  # fmt: skip
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(kg, data)
    errors = caught.value.errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [
        ("Ansvarlig", 2, "B"),
        ("Ansvarlig", 3, "D"),
        ("Udførende", 2, "A"),
    ]
    assert errors[0].suggestions and str(errors[0]).startswith(
        "Ark 'Ansvarlig', række 2, kolonne B: Ukendt opgave"
    )
    assert str(errors[1]).startswith("Ark 'Ansvarlig', række 3, kolonne D: Ukendt enhed")


def test_a_workbook_with_missing_sheets_or_moved_columns_is_refused(kg: Knowledge) -> None:
    data = xlsx({"Ansvarlig": [["EmneNr", "Niveau", "EmneTitel", "EnhedNavn"]]})
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(kg, data)
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("Ark 'Ansvarlig', række 1: overskrifterne skal være Niveau")
    assert "Filen: arbejdsbogen har intet ark 'Indsigt'" in messages
    assert "Filen: arbejdsbogen har intet ark 'Udførende'" in messages


def test_formulas_in_the_workbook_are_refused(kg: Knowledge) -> None:
    data = xlsx(
        {
            "Ansvarlig": [HEADERS["Ansvarlig"], ["3", "32.03.16", "x", "=cmd|' /C calc'!A0"]],
            "Indsigt": [HEADERS["Indsigt"], ["@SUM(1+1)", "32.03.16"]],
            "Udførende": [HEADERS["Udførende"]],
        }
    )
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(kg, data)
    where = [(e.sheet, e.row, e.column) for e in caught.value.errors]
    assert ("Ansvarlig", 2, "D") in where and ("Indsigt", 2, "A") in where


def test_every_export_neutralises_formulas(tmp_path: Path, mini_files: list[Path]) -> None:
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(
        """
@prefix unit: <https://stafet.kk.dk/id/unit/> . @prefix task: <https://stafet.kk.dk/id/task/> .
@prefix part: <https://stafet.kk.dk/id/participation/> . @prefix cv: <http://data.europa.eu/m8g/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix role: <https://stafet.kk.dk/def/role/> .
@prefix stafet: <https://stafet.kk.dk/def#> . @prefix status: <https://stafet.kk.dk/def/status/> .
@prefix src: <https://stafet.kk.dk/id/source/> .
unit:evil a org:OrganizationalUnit ; dct:identifier "evil" ;
    dct:title "=HYPERLINK(\\"http://evil.example\\",\\"klik\\")"@da ;
    skos:prefLabel "=HYPERLINK(\\"http://evil.example\\",\\"klik\\")"@da ;
    org:subOrganizationOf unit:b ; dct:source src:test ; stafet:status status:antaget .
task:kle-01.01.01 cv:hasParticipation part:evil .
part:evil a cv:Participation ; dct:identifier "evil" ; dct:description "-2+3"@da ;
    cv:hasParticipant unit:evil ; cv:role role:udfoerende ;
    dct:source src:test ; stafet:status status:antaget .
""",
        encoding="utf-8",
    )
    kg = Knowledge.from_source(TurtleFiles([*mini_files, hostile]))
    book = load_workbook(io.BytesIO(export_workbook(kg)), read_only=True)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert '\'=HYPERLINK("http://evil.example","klik")' in texts
    assert not [t for t in texts if t.startswith(FORMULA_PREFIXES)]
    # Read back, the label is refused as formula-like text, not run or stored.
    with pytest.raises(SpreadsheetError):
        read_workbook(kg, export_workbook(kg))


def test_rows_keep_their_place(kg: Knowledge, exported: bytes) -> None:
    rows = [r for r in read_workbook(kg, exported) if isinstance(r, ResponsibilityRow)]
    first = rows[0]
    assert first.sheet == "Ansvarlig" and first.row >= 2 and first.unit_column == "D"
