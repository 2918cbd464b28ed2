"""The CLI answers in Danish: no role ids, vias or administration keys, no English.

The same lists as the pages (tests/pages/test_errors_pages_language.py) scan what each
question command prints for a person (not ``--json``, which is for tools and keeps codes).
"""

from __future__ import annotations

import pytest

from cli.main import main
from tests.pages.test_errors_pages_language import slips

COMMANDS = [
    ["who", "førtidspension"],
    ["who", "hjælpemidler", "--age", "70"],
    ["who", "enkeltydelser"],
    ["path", "--from", "borgerraadgiveren", "førtidspension"],
    ["path", "--from", "bif", "boligstøtte"],
    ["deps", "bif", "sof"],
    ["deps", "buf", "sof"],
    ["overlaps"],
    ["gaps"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_cli_output_has_no_codes_and_no_english(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.strip()
    assert slips(out) == []


def test_overlaps_name_the_administrations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overlaps"]) == 0
    out = capsys.readouterr().out
    assert "Øvrige" in out and "ØKF" in out
    assert "oevrige" not in out and " okf " not in out


def test_forum_members_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deps", "bif", "sof"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "bif: bif" not in out and "BIF:" in out
