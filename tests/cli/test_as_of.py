"""``--as-of`` on every CLI question: the answer as things stood that day."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli.main import main


def test_deps_names_bif_as_it_was_named_before_2026(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deps", "bif", "sof", "--as-of", "2025-06-01", "--json"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert units[0]["label"] == "Beskæftigelses- og Integrationsforvaltningen"
    assert main(["deps", "bif", "sof", "--json"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert units[0]["label"] == "Beskæftigelses-, Integrations- og Erhvervsforvaltningen"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_gaps_take_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    # Until 2027 SUF's confirmed responsibility holds akutsygepleje (KLE 29.18.00); from
    # 2027 the region's, whose link to 29.18.00 is assumed: the topic is then only assumed.
    def assumed(day: str) -> set[str]:
        data = _json(capsys, "gaps", "--as-of", day, "--json")
        return {task["id"] for task in data["tasks_only_antaget"]}

    assert "kle-29.18.00" not in assumed("2026-06-01")
    assert "kle-29.18.00" in assumed("2027-06-01")


def test_overlaps_take_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    before = _json(capsys, "overlaps", "--as-of", "2026-06-01", "--json")
    after = _json(capsys, "overlaps", "--as-of", "2027-06-01", "--json")
    assert before["shared"] != after["shared"]
    with pytest.raises(SystemExit):
        main(["overlaps", "--as-of", "1. juni"])
