"""SHACL validation: the shipped data conforms; each kind of bad data is caught in Danish."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.data.loader import TurtleFiles, default_source
from graph.data.validation import validate_graph
from graph.errors import InvalidDataError

PREFIXES = """
@prefix stafet: <https://stafet.kk.dk/def#> .
@prefix role:   <https://stafet.kk.dk/def/role/> .
@prefix status: <https://stafet.kk.dk/def/status/> .
@prefix unit:   <https://stafet.kk.dk/id/unit/> .
@prefix task:   <https://stafet.kk.dk/id/task/> .
@prefix part:   <https://stafet.kk.dk/id/participation/> .
@prefix contact: <https://stafet.kk.dk/id/contact/> .
@prefix src:    <https://stafet.kk.dk/id/source/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix cv:     <http://data.europa.eu/m8g/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""


def _validate(mini_files: list[Path], tmp_path: Path, extra: str) -> list[str]:
    path = tmp_path / "extra.ttl"
    path.write_text(PREFIXES + extra, encoding="utf-8")
    report = validate_graph(TurtleFiles([*mini_files, path]).read(), rulesets=["stafet"])
    return [f.message for f in report.violations]


def test_small_world_conforms_to_our_shapes(mini_files: list[Path]) -> None:
    report = validate_graph(TurtleFiles(mini_files).read())
    assert report.conforms, [f.to_dict() for f in report.violations]


def test_hierarchy_cycle_is_a_violation(mini_files: list[Path], tmp_path: Path) -> None:
    messages = _validate(
        mini_files,
        tmp_path,
        """
        unit:c a org:OrganizationalUnit ; skos:prefLabel "C"@da ; org:subOrganizationOf unit:d ;
            dct:source src:test ; stafet:status status:antaget .
        unit:d a org:OrganizationalUnit ; skos:prefLabel "D"@da ; org:subOrganizationOf unit:c ;
            dct:source src:test ; stafet:status status:antaget .
        """,
    )
    assert sum("når ikke kommunen" in m for m in messages) == 2


def test_two_unconditioned_ansvarlig_is_a_violation(mini_files: list[Path], tmp_path: Path) -> None:
    messages = _validate(
        mini_files,
        tmp_path,
        """
        task:kle-01.01 cv:hasParticipation part:second .
        part:second a cv:Participation ; dct:identifier "second" ; dct:description "B"@da ;
            cv:hasParticipant unit:b ; cv:role role:ansvarlig ;
            dct:source src:test ; stafet:status status:antaget .
        """,
    )
    assert any("mere end én ansvarlig" in m for m in messages)


def test_ansvarlig_split_by_age_is_not_a_violation(mini_files: list[Path], tmp_path: Path) -> None:
    messages = _validate(
        mini_files,
        tmp_path,
        """
        task:kle-01.01.01 cv:hasParticipation part:young , part:old .
        part:young a cv:Participation ; dct:identifier "young" ; dct:description "A"@da ;
            cv:hasParticipant unit:a ; cv:role role:ansvarlig ; stafet:condition [
              a stafet:AgeCondition ; stafet:maxAge 64 ] ;
            dct:source src:test ; stafet:status status:antaget .
        part:old a cv:Participation ; dct:identifier "old" ; dct:description "B"@da ;
            cv:hasParticipant unit:b ; cv:role role:ansvarlig ; stafet:condition [
              a stafet:AgeCondition ; stafet:minAge 65 ] ;
            dct:source src:test ; stafet:status status:antaget .
        """,
    )
    assert messages == []


def test_unknown_role_missing_status_and_reversed_validity(
    mini_files: list[Path], tmp_path: Path
) -> None:
    messages = _validate(
        mini_files,
        tmp_path,
        """
        task:kle-01.01.01 cv:hasParticipation part:odd .
        part:odd a cv:Participation ; dct:identifier "odd" ; dct:description "?"@da ;
            cv:hasParticipant unit:b ; cv:role <https://example.org/boss> ;
            stafet:validFrom "2020-01-01"^^xsd:date ; stafet:validUntil "2019-01-01"^^xsd:date ;
            dct:source src:test .
        """,
    )
    assert any("rolleliste" in m for m in messages)
    assert any("præcis én status" in m for m in messages)
    assert any("Gyldighedsperioden" in m for m in messages)


def test_contact_point_without_phone_or_email_is_a_warning_not_a_violation(
    mini_files: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / "contact.ttl"
    path.write_text(
        PREFIXES
        + """
        unit:a cv:contactPoint contact:a .
        contact:a a cv:ContactPoint ; dct:source src:test ; stafet:status status:antaget .
        """,
        encoding="utf-8",
    )
    report = validate_graph(TurtleFiles([*mini_files, path]).read(), rulesets=["stafet"])
    assert report.conforms
    assert [w.focus for w in report.warnings] == ["https://stafet.kk.dk/id/contact/a"]
    assert "hverken telefon eller e-mail" in report.warnings[0].message


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    with pytest.raises(InvalidDataError) as caught:
        TurtleFiles([path]).read()
    assert caught.value.line == 3
    assert "broken.ttl, linje 3" in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError, match="findes ikke"):
        TurtleFiles([tmp_path / "nope.ttl"])


@pytest.mark.slow
def test_shipped_data_conforms_to_our_shapes_and_cpsv_ap() -> None:
    report = validate_graph(default_source().read())
    assert report.violations == []
    assert set(report.rulesets) == {"stafet", "cpsv-ap"}
