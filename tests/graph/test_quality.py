"""overlaps and gaps: what the coordination group works from."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import FACT_KINDS, GAP_KINDS
from graph.questions import quality


def test_shipped_data_has_no_task_without_an_owner(kg: Knowledge) -> None:
    result = gaps_json(kg, quality.gaps(kg))
    assert result["tasks_without_ansvarlig"] == []
    assert result["counts"]["tasks"] == len(kg.tasks)


def test_defaults_show_up_as_tasks_resting_on_assumptions(kg: Knowledge) -> None:
    result = gaps_json(kg, quality.gaps(kg))
    assumed = {row["notation"] for row in result["tasks_only_antaget"]}
    assert "32.03.16" not in assumed, "førtidspension is confirmed"
    assert "05.07.01" not in assumed, "road cleaning is confirmed"
    assert result["counts"]["tasks_only_antaget"] > 1000
    assert result["counts"]["antaget"] >= result["counts"]["tasks_only_antaget"] // 10


def test_a_provision_a_complaint_goes_by_is_cited(kg: Knowledge) -> None:
    # rsl § 66 (genvurdering) and § 60 (Ankestyrelsen) are cited by appeal routes only
    result = gaps_json(kg, quality.gaps(kg))
    uncited = {row["id"] for row in result["laws_not_cited"]}
    assert not uncited & {"retssikkerhedsloven-60", "retssikkerhedsloven-66"}, uncited


def test_unknown_contacts_are_gaps_and_known_ones_are_not(kg: Knowledge) -> None:
    result = gaps_json(kg, quality.gaps(kg))
    missing = {row["id"] for row in result["units_without_contact"]}
    assert "borgerraadgiveren" not in missing
    assert "bif-jobcenter" in missing
    unreachable = {row["id"] for row in result["contacts_without_phone_or_email"]}
    assert "borgerraadgiveren" not in unreachable


def test_age_split_hjaelpemidler_is_a_split_not_an_overlap(kg: Knowledge) -> None:
    result = overlaps_json(kg, quality.overlaps(kg))
    split = {row["task"]["notation"] for row in result["split_by_conditions"]}
    assert "27.60" in split
    assert not any(
        row["task"]["notation"] == "27.60" and row["role"] == "ansvarlig"
        for row in result["overlaps"]
    )
    assert result["counts"]["ansvarlig_overlaps"] == 0


def test_overlap_matrix_is_symmetric_and_counts_shared_tasks(kg: Knowledge) -> None:
    result = overlaps_json(kg, quality.overlaps(kg))
    keys = result["administrations"]
    assert {"bif", "sof", "suf", "okf", "buf", "tmf", "kff"} <= set(keys)
    for a in keys:
        for b in keys:
            assert result["matrix"][a][b] == result["matrix"][b][a]
            assert result["shared"][a][b] == result["shared"][b][a]
    assert result["shared"]["bif"]["sof"] >= 1  # førtidspension


def test_two_ansvarlig_show_up_as_a_high_severity_overlap(
    mini_files: list[Path], tmp_path: Path
) -> None:
    extra = tmp_path / "second.ttl"
    extra.write_text(
        """
        @prefix stafet: <https://stafet.kk.dk/def#> .
        @prefix cv: <http://data.europa.eu/m8g/> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <https://stafet.kk.dk/id/task/kle-01.01> cv:hasParticipation
            <https://stafet.kk.dk/id/participation/second> .
        <https://stafet.kk.dk/id/participation/second> a cv:Participation ;
            cv:hasParticipant <https://stafet.kk.dk/id/unit/b> ;
            cv:role <https://stafet.kk.dk/def/role/ansvarlig> ;
            stafet:status <https://stafet.kk.dk/def/status/antaget> .
        """,
        encoding="utf-8",
    )
    world = Knowledge.from_source(TurtleFiles([*mini_files, extra]))
    result = overlaps_json(world, quality.overlaps(world))
    assert [(r["task"]["notation"], r["role"], r["severity"]) for r in result["overlaps"]] == [
        ("01.01", "ansvarlig", "hoej")
    ]
    assert result["matrix"]["a"]["b"] == 1


def test_every_gap_kind_has_a_danish_name(kg: Knowledge) -> None:
    found = quality.gaps(kg)
    assert set(found.found) <= set(GAP_KINDS)
    assert set(found.assumed) <= set(FACT_KINDS)


def test_the_answers_are_typed_and_frozen(kg: Knowledge) -> None:
    found = quality.gaps(kg)
    jobcenter = next(
        row
        for row in found.found["units_without_contact"]
        if isinstance(row, quality.UnitWithoutContact) and row.unit.id == "bif-jobcenter"
    )
    assert jobcenter.inherits_from is None or jobcenter.inherits_from in kg.units
    with pytest.raises(FrozenInstanceError):
        found.tasks = 0  # type: ignore[misc]
    split = next(s for s in quality.overlaps(kg).split_by_conditions if s.task.notation == "27.60")
    assert {p.unit for p in split.shares} >= {"sof-borgercenter-handicap"}
