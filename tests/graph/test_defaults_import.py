"""Tests for the default-owner importer (``graph/defaults_import.py``) and its shipped table."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from graph.errors import InvalidDataError
from graph.io.defaults_import import (
    PARTICIPATION,
    SOURCE,
    TASK,
    UNIT,
    DefaultOwner,
    DefaultOwnersError,
    build_graph,
    import_default_owners,
    kle_groups,
    known_units,
    main,
    parse_default_owners,
    read_default_owners,
    serialize_default_owners,
)
from ontology.namespaces import CV, ROLE, STAFET, STATUS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "copenhagen"
TABLE = DATA / "default-owners.csv"
SHIPPED_TTL = DATA / "default-owners.ttl"
ORGANISATION = DATA / "organisation.ttl"
RESPONSIBILITIES = DATA / "responsibilities.ttl"
OS2KLE = ROOT / "data" / "kle" / "source" / "OS2KLE.txt"

UNITS = {"sof": "Socialforvaltningen", "suf": "Sundheds- og Omsorgsforvaltningen"}
GROUPS = {"27.00": "Social service", "27.60": "Hjælpemidler, forbrugsgoder, boligindretning m.v."}
HEADER = "kle_group,unit,note\n"


def _error(text: str) -> DefaultOwnersError:
    with pytest.raises(DefaultOwnersError) as caught:
        build_graph(parse_default_owners(text, source="t.csv"), UNITS, GROUPS, source="t.csv")
    return caught.value


# -- the shipped table ------------------------------------------------------------------


@pytest.fixture(scope="module")
def owners() -> list[DefaultOwner]:
    return read_default_owners(TABLE)


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return Graph().parse(SHIPPED_TTL, format="turtle")


def test_table_has_one_row_for_each_of_the_498_groups_of_the_shipped_kle(
    owners: list[DefaultOwner],
) -> None:
    # Read the groups straight from the source, independently of the KLE importer.
    numbers = re.findall(r"^KLENummer='(\d\d\.\d\d)\.\d\d'", OS2KLE.read_text("utf-8"), re.M)
    assert len(owners) == 498
    assert [o.group for o in owners] == sorted(set(numbers))
    assert list(kle_groups(OS2KLE)) == sorted(set(numbers))


def test_every_unit_in_the_table_is_defined_in_organisation_ttl(
    owners: list[DefaultOwner],
) -> None:
    units = known_units(Graph().parse(ORGANISATION, format="turtle"))
    assert {o.unit for o in owners if o.unit is not None} <= set(units)


def test_shipped_turtle_is_what_the_importer_generates_from_the_table() -> None:
    graph = import_default_owners(TABLE, ORGANISATION, OS2KLE)
    assert serialize_default_owners(graph) == SHIPPED_TTL.read_text(encoding="utf-8")


def test_every_default_is_an_assumed_ansvarlig_with_its_source(
    owners: list[DefaultOwner], shipped: Graph
) -> None:
    participations = set(shipped.subjects(RDF.type, CV.Participation))
    assert len(participations) == sum(o.unit is not None for o in owners)
    for part in participations:
        assert shipped.value(part, CV.role) == ROLE.ansvarlig
        assert shipped.value(part, STAFET.status) == STATUS.antaget
        assert shipped.value(part, DCTERMS.source) == SOURCE
        locator = shipped.value(part, STAFET.sourceLocator)
        assert isinstance(locator, Literal) and "Broad division of labour" in locator
        description = shipped.value(part, DCTERMS.description)
        assert isinstance(description, Literal) and description.language == "da"
        assert description.startswith("Standardejer (antaget): ")
        assert len(list(shipped.subjects(CV.hasParticipation, part))) == 1


def test_dash_rows_yield_nothing_because_a_confirmed_fact_names_the_ansvarlig(
    owners: list[DefaultOwner], shipped: Graph
) -> None:
    facts = Graph().parse(RESPONSIBILITIES, format="turtle")
    dashed = [o.group for o in owners if o.unit is None]
    assert {"27.60", "28.09", "32.21", "32.06"} <= set(dashed)
    for group in dashed:
        task = TASK[f"kle-{group}"]
        assert (task, CV.hasParticipation, None) not in shipped
        assert any(
            (part, CV.role, ROLE.ansvarlig) in facts
            for part in facts.objects(task, CV.hasParticipation)
        ), f"{group}: '-' but no ansvarlig in responsibilities.ttl"


def test_no_task_gets_two_unconditioned_current_ansvarlig(shipped: Graph) -> None:
    graph = Graph()
    graph += shipped
    graph.parse(RESPONSIBILITIES, format="turtle")
    unconditioned: dict[URIRef, list[URIRef]] = defaultdict(list)
    for task, part in graph.subject_objects(CV.hasParticipation):
        if (
            (part, CV.role, ROLE.ansvarlig) in graph
            and (part, STAFET.condition, None) not in graph
            and (part, STAFET.validUntil, None) not in graph
        ):
            assert isinstance(task, URIRef) and isinstance(part, URIRef)
            unconditioned[task].append(part)
    assert {task: parts for task, parts in unconditioned.items() if len(parts) > 1} == {}


# -- building ---------------------------------------------------------------------------


def test_a_row_becomes_one_participation_on_the_group_task() -> None:
    graph = build_graph(
        parse_default_owners(HEADER + '27.00,sof,"SOF: voksne, udsatte"\n27.60,-,dækket\n'),
        UNITS,
        GROUPS,
    )
    part = PARTICIPATION["kle-27.00-standardejer"]
    assert set(graph.objects(TASK["kle-27.00"], CV.hasParticipation)) == {part}
    assert graph.value(part, CV.hasParticipant) == UNIT["sof"]
    assert graph.value(part, DCTERMS.identifier) == Literal("kle-27.00-standardejer")
    assert str(graph.value(part, DCTERMS.description)) == (
        "Standardejer (antaget): Socialforvaltningen er ansvarlig for KLE 27.00 Social service, "
        "indtil enheden har bekræftet det. Grundlag: SOF: voksne, udsatte"
    )
    assert (TASK["kle-27.60"], None, None) not in graph


def test_bom_and_blank_lines_are_tolerated() -> None:
    owners = parse_default_owners("\ufeff" + HEADER + "\n27.00,sof,\n\n27.60,suf,x\n")
    assert [(o.group, o.unit, o.note, o.line) for o in owners] == [
        ("27.00", "sof", "", 3),
        ("27.60", "suf", "x", 5),
    ]


# -- errors -----------------------------------------------------------------------------


def test_unknown_unit_names_the_row_the_unit_and_the_group() -> None:
    err = _error(HEADER + "27.00,sof,ok\n27.60,socialforvaltningen,typo\n")
    assert err.line == 3
    assert isinstance(err, InvalidDataError)
    assert str(err) == (
        "t.csv, linje 3: ukendt enhed 'socialforvaltningen' for KLE-gruppe 27.60 "
        "(enheder står i organisation.ttl)"
    )


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("group,unit,note\n27.00,sof,x\n", 1, "overskriften skal være kle_group,unit,note"),
        ("", 1, "overskriften skal være"),
        (HEADER + "27.00,sof\n", 2, "forventede 3 felter"),
        (HEADER + "27.00,sof,x,y\n", 2, "forventede 3 felter"),
        (HEADER + "27.00,sof,x\n2760,sof,x\n", 3, "ugyldig KLE-gruppe '2760'"),
        (HEADER + "27.60.08,sof,x\n", 2, "ugyldig KLE-gruppe '27.60.08'"),
        (HEADER + "27.00,SOF,x\n", 2, "ugyldigt enheds-id 'SOF'"),
        (HEADER + "27.00,,x\n", 2, "ugyldigt enheds-id ''"),
        (HEADER + "27.00,sof,x\n27.00,suf,y\n", 3, "KLE-gruppe 27.00 står allerede i linje 2"),
        (HEADER + '27.00,sof,"x"y\n', 2, "ugyldig CSV"),
    ],
)
def test_malformed_rows_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DefaultOwnersError) as caught:
        parse_default_owners(text, source="t.csv")
    assert caught.value.line == line
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"t.csv, linje {line}: ")


def test_unknown_kle_group_names_the_row() -> None:
    err = _error(HEADER + "27.00,sof,x\n27.60,suf,x\n27.99,sof,x\n")
    assert err.line == 4
    assert "KLE-gruppe 27.99 findes ikke" in str(err)


def test_a_missing_group_is_an_error_unless_allowed() -> None:
    err = _error(HEADER + "27.00,sof,x\n")
    assert err.line is None
    assert str(err).startswith("t.csv: 1 KLE-grupper mangler en række: 27.60")
    rows = parse_default_owners(HEADER + "27.00,sof,x\n")
    graph = build_graph(rows, UNITS, GROUPS, require_all=False)
    assert len(set(graph.subjects(RDF.type, CV.Participation))) == 1


# -- command line -----------------------------------------------------------------------


def test_cli_writes_the_shipped_turtle(tmp_path: Path) -> None:
    target = tmp_path / "default-owners.ttl"
    assert main([str(TABLE), "-o", str(target), "--organisation", str(ORGANISATION)]) == 0
    assert target.read_text(encoding="utf-8") == SHIPPED_TTL.read_text(encoding="utf-8")


def test_cli_reports_a_bad_row_in_danish_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "default-owners.csv"
    table.write_text(HEADER + "00.01,nope,x\n", encoding="utf-8")
    code = main([str(table), "--organisation", str(ORGANISATION), "-o", str(tmp_path / "x.ttl")])
    assert code == 1
    err = capsys.readouterr().err
    assert "Fejl:" in err
    assert "linje 2: ukendt enhed 'nope' for KLE-gruppe 00.01" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.ttl").exists()
