"""``stafet export-workbook`` and ``stafet import`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from graph.io.template import COLUMNS
from tests.io.helpers import csv_text

HEADER = [c.header for c in COLUMNS]


def _row(**cells: str) -> list[str]:
    by_key = {c.key: c.header for c in COLUMNS}
    values = {by_key[key]: value for key, value in cells.items()}
    return [values.get(header, "") for header in HEADER]


def test_export_then_dry_run_import_reports_no_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "kle.xlsx"
    assert main(["export-workbook", "-o", str(workbook)]) == 0
    assert main(["import", str(workbook), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "OS2mo's KLE-arbejdsbog:" in out
    assert "0 nye, 0 ændrede, 0 afsluttede" in out
    assert "Prøvekørsel: intet er gemt." in out


def test_import_errors_are_printed_in_danish_with_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "ansvar.csv"
    sheet.write_text(
        csv_text(
            [HEADER,
             _row(unit="Socialforvaltningen", kle="32.03.16", role="ansvarlig", status="antaget",
                  source="kk-dk", note="=HYPERLINK(\"http://evil.example\")"),
             _row(unit="Rumfartsforvaltningen Zxq", kle="32.03.16", role="ansvarlig",
                  status="antaget", source="kk-dk")]
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert main(["import", str(sheet), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "Regnearket er ikke indlæst (2 fejl; intet er gemt):" in err
    assert "CSV-filen, række 2, kolonne P: teksten begynder med '='" in err
    assert "CSV-filen, række 3, kolonne A: Ukendt enhed: 'Rumfartsforvaltningen Zxq'" in err


def test_import_commits_one_change_to_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STAFET_STORE_PATH", str(tmp_path / "store"))
    sheet = tmp_path / "ansvar.csv"
    sheet.write_text(
        csv_text(
            [HEADER,
             _row(unit="Socialforvaltningen", kle="32.03.16", role="ansvarlig", status="antaget",
                  source="kk-dk", id="kle-32.03.16-sof-ansvarlig", note="Til genbekræftelse.")]
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert main(["import", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "Ark" not in out and "Række 2: ændret – 32.03.16 Førtidspension" in out
    assert "Gemt som én ændring (nr. 2)." in out  # change 1 is the seed
