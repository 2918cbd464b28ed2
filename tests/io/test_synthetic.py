"""The synthetic national-scale generator: deterministic, compiles, SHACL-valid, answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.data.knowledge import Knowledge
from graph.data.validation import validate_graph
from graph.io.synthetic import SOURCE_ID, generate, main, synthetic_source
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles

SCALE = 0.05


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic")
    generate(SCALE, path)
    return path


@pytest.fixture(scope="module")
def kg(folder: Path) -> Knowledge:
    return Knowledge.from_source(synthetic_source(folder))


def test_same_seed_gives_byte_identical_files(folder: Path, tmp_path: Path) -> None:
    again = generate(SCALE, tmp_path)
    assert [p.read_bytes() for p in again] == [(folder / p.name).read_bytes() for p in again]
    other = generate(SCALE, tmp_path / "other", seed=14)
    assert other[0].read_bytes() != again[0].read_bytes()


def test_the_command_writes_one_file_per_municipality(tmp_path: Path) -> None:
    assert main(["--scale", "2", "-o", str(tmp_path), "--seed", "1"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kommune-001.ttl",
        "kommune-002.ttl",
        "national.ttl",
    ]


def test_compiles_to_a_deep_hierarchy_with_every_kind_of_fact(kg: Knowledge) -> None:
    registry = kg.registry
    team = registry.units["syn001-f3-c2-a1-t1"]
    administration = kg.administration_of(team.id)
    assert administration is not None and administration.id == "syn001-f3"
    assert kg.unit_ancestors(team.id) == [
        "syn001-f3-c2-a1",
        "syn001-f3-c2",
        "syn001-f3",
        "syn001",
    ]
    assert any(u.names for u in registry.units.values())
    assert any(u.parents for u in registry.units.values())
    assert registry.forums and registry.memberships and registry.arrangements
    assert registry.contacts["syn001-f1"].email == ("syn001-f1@syn001.example",)
    parts = registry.participations.values()
    assert any(p.conditions for p in parts) and any(p.step for p in parts)
    assert any(p.valid_until for p in parts) and any(p.legal_basis for p in parts)
    # Every synthetic fact cites the generator, never a real source.
    assert {s.id for p in parts for s in p.provenance.sources} == {SOURCE_ID}
    assert {p.provenance.status for p in parts} == {"antaget"}


def test_one_municipality_is_shacl_valid(folder: Path) -> None:
    report = validate_graph(synthetic_source(folder).read())
    assert report.violations == []


def test_who_handles_answers_with_a_synthetic_owner(kg: Knowledge) -> None:
    answer = who_handles(kg, "kle-32.03.16")
    owners = [p.unit for p in answer.handlers if p.role == "ansvarlig"]
    assert len(owners) == 1 and owners[0].startswith("syn001-f")


def test_referral_path_leads_from_the_single_entry_to_the_owner(kg: Knowledge) -> None:
    answer = referral_path(kg, "syn001-f1-c1", "kle-32.03.16")
    assert answer.target.role == "ansvarlig"
    assert answer.hops and answer.hops[-1].target == answer.target.unit
