"""Compiling from Oxigraph (no rdflib graph) gives the registry the rdflib compile gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.data.compile import compile_registry
from graph.data.facts import Facts
from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles, default_source, read_snapshot
from graph.io.synthetic import generate, synthetic_source
from graph.questions.responsibility import who_handles
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store
from graph.store.source import StoreSource


def test_the_copenhagen_data_compiles_the_same_from_oxigraph() -> None:
    source = default_source()
    facts, store = read_snapshot(source)
    new = compile_registry(facts)
    assert new == compile_registry(source.read())
    assert len(new.participations) > 600 and "bif" in new.units
    assert list(new.units) == list(compile_registry(source.read()).units)  # the same order
    assert len(store) > len(facts)  # the store keeps what the compiler does not read


def test_synthetic_data_compiles_the_same_from_oxigraph(tmp_path: Path) -> None:
    generate(0.05, tmp_path)
    source = synthetic_source(tmp_path)
    new = compile_registry(read_snapshot(source)[0])
    assert new == compile_registry(source.read())
    assert any(unit.startswith("syn001") for unit in new.units)


def test_a_store_of_record_compiles_the_same_from_oxigraph(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    seed_store(store, default_source())
    source = StoreSource(store)
    facts, _ = read_snapshot(source)
    assert compile_registry(facts) == compile_registry(source.read())


EDGES = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix cv: <http://data.europa.eu/m8g/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stafet: <https://stafet.kk.dk/def#> .
@prefix task: <https://stafet.kk.dk/id/task/> .
@prefix unit: <https://stafet.kk.dk/id/unit/> .
@prefix participation: <https://stafet.kk.dk/id/participation/> .
@prefix role: <https://stafet.kk.dk/def/role/> .

task:kle-01.01.01 cv:hasParticipation participation:kant .
participation:kant cv:hasParticipant unit:a ; cv:role role:udfoerende , role:ansvarlig ;
    stafet:stepOrder "2"^^xsd:nonNegativeInteger ;
    stafet:stepLabel "b"@da , "a"@da , "c"@en ;
    stafet:validFrom "2024-01-01"^^xsd:date ; stafet:validUntil "ikke en dag"^^xsd:date ;
    skos:note "uden sprog" ;
    stafet:condition [ stafet:minAge "18"^^xsd:integer ; stafet:maxAge "64"^^xsd:int ] .
task:kle-01.01.01 stafet:inSocialField "false"^^xsd:boolean ;
    stafet:internalOperation "0"^^xsd:boolean .
"""


def _without_blank_ids(registry: object) -> object:
    """Blank-node conditions take their id from the parse (random): compare the rest."""
    from dataclasses import replace

    assert hasattr(registry, "participations")
    registry.participations = {
        key: replace(part, conditions=tuple(replace(c, id="") for c in part.conditions))
        for key, part in registry.participations.items()
    }
    return registry


def test_literals_mean_what_rdflib_makes_of_them(mini_files: list[Path], tmp_path: Path) -> None:
    edges = tmp_path / "edges.ttl"
    edges.write_text(EDGES, encoding="utf-8")
    source = TurtleFiles([*mini_files, edges])
    old = compile_registry(source.read())
    new = compile_registry(source.facts())
    assert _without_blank_ids(new) == _without_blank_ids(old)
    part = new.participations["kant"]
    assert (part.role, part.step, part.step_label, part.note) == ("ansvarlig", 2, "a", "uden sprog")
    assert part.valid_until is None  # an ill-typed date is no date, as in rdflib
    assert [(c.min_age, c.max_age, c.label) for c in part.conditions] == [(18, 64, "18–64 år")]
    task = new.tasks["kle-01.01.01"]
    assert (task.in_social_field, task.internal_operation) == (False, False)


def test_only_the_predicates_the_compiler_reads_are_kept() -> None:
    facts = Facts.from_turtle(b'<urn:a> <urn:elsewhere> "x" ; <urn:b> <urn:c> .')
    assert len(facts) == 0


def test_a_knowledge_from_turtle_files_answers_without_an_rdflib_graph(
    mini_files: list[Path],
) -> None:
    kg = Knowledge.from_source(TurtleFiles(mini_files))
    assert kg._rdf is None  # nothing on the load path built it
    assert who_handles(kg, "kle-01.01.01").handlers
    assert len(kg.store) > 0


def test_a_bad_file_is_named_on_the_oxigraph_path(tmp_path: Path) -> None:
    from graph.errors import InvalidDataError

    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> .", encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"broken\.ttl"):
        Knowledge.from_source(TurtleFiles([broken]))
