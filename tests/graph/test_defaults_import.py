"""Tests for the default-owner importer (``graph/defaults_import.py``) and its shipped table."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from graph.data.knowledge import Knowledge
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
    kle_topics,
    known_sources,
    known_units,
    main,
    parse_default_owners,
    read_default_owners,
    serialize_default_owners,
)
from graph.questions.responsibility import owners as owners_of
from ontology.namespaces import CV, ROLE, STAFET, STATUS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "copenhagen"
TABLE = DATA / "default-owners.csv"
SHIPPED_TTL = DATA / "default-owners.ttl"
ORGANISATION = DATA / "organisation.ttl"
AUTHORITIES = DATA / "authorities.ttl"
RESPONSIBILITIES = DATA / "responsibilities.ttl"
SOURCES = DATA / "sources.ttl"
OS2KLE = ROOT / "data" / "kle" / "source" / "OS2KLE.txt"

UNITS = {"sof": "Socialforvaltningen", "suf": "Sundheds- og Omsorgsforvaltningen"}
GROUPS = {"27.00": "Social service", "27.60": "Hjælpemidler, forbrugsgoder, boligindretning m.v."}
TOPICS = {"27.60.16": "Forbrugsgoder"}
HEADER = "kle,unit,source,note\n"


def _error(text: str, sources: set[str] | None = None) -> DefaultOwnersError:
    with pytest.raises(DefaultOwnersError) as caught:
        build_graph(
            parse_default_owners(text, source="t.csv"),
            UNITS,
            GROUPS,
            topics=TOPICS,
            sources=sources,
            source="t.csv",
        )
    return caught.value


def _facts() -> Graph:
    """The hand-written ownership facts the table must not contradict or repeat."""
    graph = Graph()
    for path in (RESPONSIBILITIES, AUTHORITIES):
        graph.parse(path, format="turtle")
    return graph


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
    groups = [o for o in owners if not o.is_topic]
    assert len(groups) == 498
    assert [o.group for o in groups] == sorted(set(numbers))
    assert list(kle_groups(OS2KLE)) == sorted(set(numbers))


def test_topic_rows_name_real_topics_right_after_their_group(owners: list[DefaultOwner]) -> None:
    topics = kle_topics(OS2KLE)
    rows = [o for o in owners if o.is_topic]
    assert rows, "the table holds topic rows"
    for row in rows:
        assert row.kle in topics
        before = owners[owners.index(row) - 1]
        assert before.group == row.group, f"{row.kle} is not placed under its group"


def test_every_unit_in_the_table_is_a_unit_or_an_outside_authority(
    owners: list[DefaultOwner],
) -> None:
    units = known_units(Graph().parse(ORGANISATION, format="turtle"))
    units |= known_units(Graph().parse(AUTHORITIES, format="turtle"))
    assert {o.unit for o in owners if o.unit is not None} <= set(units)
    assert "personregisterfoereren" in {o.unit for o in owners}


def test_every_source_in_the_table_is_in_sources_ttl(owners: list[DefaultOwner]) -> None:
    sources = known_sources(Graph().parse(SOURCES, format="turtle"))
    named = {o.source for o in owners if o.source is not None}
    assert named and named <= sources


def test_shipped_turtle_is_what_the_importer_generates_from_the_table() -> None:
    graph = import_default_owners(TABLE, ORGANISATION, OS2KLE)
    assert serialize_default_owners(graph) == SHIPPED_TTL.read_text(encoding="utf-8")


def test_every_default_is_an_ansvarlig_assumed_unless_a_source_confirms_it(
    owners: list[DefaultOwner], shipped: Graph
) -> None:
    participations = set(shipped.subjects(RDF.type, CV.Participation))
    assert len(participations) == sum(o.unit is not None for o in owners)
    for row in (o for o in owners if o.unit is not None):
        part = PARTICIPATION[f"kle-{row.kle}-standardejer"]
        assert set(shipped.subjects(CV.hasParticipation, part)) == {TASK[f"kle-{row.kle}"]}
        assert shipped.value(part, CV.role) == ROLE.ansvarlig
        assert shipped.value(part, CV.hasParticipant) == UNIT[row.unit or ""]
        description = shipped.value(part, DCTERMS.description)
        assert isinstance(description, Literal) and description.language == "da"
        what = "Ejer på emneniveau" if row.is_topic else "Standardejer"
        if row.source is None:
            assert shipped.value(part, STAFET.status) == STATUS.antaget
            # facts.md gives the broad division of labour no outside source: none is claimed
            assert shipped.value(part, DCTERMS.source) == SOURCE
            assert str(SOURCE).endswith("/ingen-ekstern-kilde")
            locator = shipped.value(part, STAFET.sourceLocator)
            assert isinstance(locator, Literal) and "grov arbejdsdeling" in locator
            assert "facts.md" not in locator
            assert description.startswith(f"{what} (antaget): ")
            assert row.note, f"{row.kle}: an assumed owner needs its reason"
        else:
            assert shipped.value(part, STAFET.status) == STATUS.bekraeftet
            assert shipped.value(part, DCTERMS.source) == URIRef(
                f"https://stafet.kk.dk/id/source/{row.source}"
            )
            assert description.startswith(f"{what} (bekræftet af kilden): ")


def test_dash_rows_yield_nothing_because_a_confirmed_fact_names_the_ansvarlig(
    owners: list[DefaultOwner], shipped: Graph
) -> None:
    facts = _facts()
    dashed = [o.group for o in owners if o.unit is None]
    assert {"27.60", "28.09", "32.21", "32.06"} <= set(dashed)
    for group in dashed:
        task = TASK[f"kle-{group}"]
        assert (task, CV.hasParticipation, None) not in shipped
        assert any(
            (part, CV.role, ROLE.ansvarlig) in facts
            for part in facts.objects(task, CV.hasParticipation)
        ), f"{group}: '-' but no ansvarlig in responsibilities.ttl or authorities.ttl"


def test_no_task_gets_two_unconditioned_current_ansvarlig(shipped: Graph) -> None:
    graph = _facts()
    graph += shipped
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
        parse_default_owners(HEADER + '27.00,sof,,"SOF: voksne, udsatte"\n27.60,-,,dækket\n'),
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


def test_a_topic_row_becomes_a_participation_on_the_topic_confirmed_by_its_source() -> None:
    text = HEADER + "27.00,sof,,x\n27.60,-,,y\n27.60.16,suf,kk-forbrugsgoder,65 år og derover\n"
    graph = build_graph(
        parse_default_owners(text), UNITS, GROUPS, topics=TOPICS, sources={"kk-forbrugsgoder"}
    )
    part = PARTICIPATION["kle-27.60.16-standardejer"]
    assert set(graph.objects(TASK["kle-27.60.16"], CV.hasParticipation)) == {part}
    assert graph.value(part, CV.hasParticipant) == UNIT["suf"]
    assert graph.value(part, STAFET.status) == STATUS.bekraeftet
    assert graph.value(part, DCTERMS.source) == URIRef(
        "https://stafet.kk.dk/id/source/kk-forbrugsgoder"
    )
    assert (part, STAFET.sourceLocator, None) not in graph
    assert str(graph.value(part, DCTERMS.description)) == (
        "Ejer på emneniveau (bekræftet af kilden): Sundheds- og Omsorgsforvaltningen er "
        "ansvarlig for KLE 27.60.16 Forbrugsgoder. Grundlag: 65 år og derover"
    )


def test_bom_and_blank_lines_are_tolerated() -> None:
    owners = parse_default_owners("\ufeff" + HEADER + "\n27.00,sof,,\n\n27.60,suf,,x\n")
    assert [(o.group, o.unit, o.source, o.note, o.line) for o in owners] == [
        ("27.00", "sof", None, "", 3),
        ("27.60", "suf", None, "x", 5),
    ]


# -- errors -----------------------------------------------------------------------------


def test_unknown_unit_names_the_row_the_unit_and_the_group() -> None:
    err = _error(HEADER + "27.00,sof,,ok\n27.60,socialforvaltningen,,typo\n")
    assert err.line == 3
    assert isinstance(err, InvalidDataError)
    assert str(err) == (
        "t.csv, linje 3: ukendt enhed 'socialforvaltningen' for KLE 27.60 "
        "(enheder står i organisation.ttl og authorities.ttl)"
    )


def test_unknown_source_names_the_row_and_the_source() -> None:
    err = _error(HEADER + "27.00,sof,kk-dkk,x\n27.60,suf,,x\n", sources={"kk-dk"})
    assert err.line == 2
    assert "ukendt kilde 'kk-dkk' for KLE 27.00 (kilder står i sources.ttl)" in str(err)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("kle_group,unit,note\n27.00,sof,x\n", 1, "overskriften skal være kle,unit,source,note"),
        ("", 1, "overskriften skal være"),
        (HEADER + "27.00,sof,x\n", 2, "forventede 4 felter"),
        (HEADER + "27.00,sof,,x,y\n", 2, "forventede 4 felter"),
        (HEADER + "27.00,sof,,x\n2760,sof,,x\n", 3, "ugyldigt KLE-nummer '2760'"),
        (HEADER + "27.60.08.01,sof,,x\n", 2, "ugyldigt KLE-nummer '27.60.08.01'"),
        (HEADER + "27,sof,,x\n", 2, "ugyldigt KLE-nummer '27'"),
        (HEADER + "27.00,SOF,,x\n", 2, "ugyldigt enheds-id 'SOF'"),
        (HEADER + "27.00,,,x\n", 2, "ugyldigt enheds-id ''"),
        (HEADER + "27.00,sof,kk dk,x\n", 2, "ugyldigt kilde-id 'kk dk'"),
        (HEADER + "27.60,-,kk-dk,x\n", 2, "KLE 27.60 har ingen ejer ('-'), men en kilde 'kk-dk'"),
        (HEADER + "27.00,sof,,x\n27.00,suf,,y\n", 3, "KLE 27.00 står allerede i linje 2"),
        (HEADER + "27.60.16,sof,,x\n27.60.16,suf,,y\n", 3, "KLE 27.60.16 står allerede"),
        (HEADER + '27.00,sof,,"x"y\n', 2, "ugyldig CSV"),
    ],
)
def test_malformed_rows_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DefaultOwnersError) as caught:
        parse_default_owners(text, source="t.csv")
    assert caught.value.line == line
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"t.csv, linje {line}: ")


def test_unknown_kle_group_names_the_row() -> None:
    err = _error(HEADER + "27.00,sof,,x\n27.60,suf,,x\n27.99,sof,,x\n")
    assert err.line == 4
    assert "KLE-gruppe 27.99 findes ikke" in str(err)


def test_unknown_kle_topic_names_the_row() -> None:
    err = _error(HEADER + "27.00,sof,,x\n27.60,suf,,x\n27.60.99,sof,,x\n")
    assert err.line == 4
    assert "KLE-emne 27.60.99 findes ikke" in str(err)


def test_a_missing_group_is_an_error_unless_allowed() -> None:
    err = _error(HEADER + "27.00,sof,,x\n")
    assert err.line is None
    assert str(err).startswith("t.csv: 1 KLE-grupper mangler en række: 27.60")
    rows = parse_default_owners(HEADER + "27.00,sof,,x\n")
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
    table.write_text(HEADER + "00.01,nope,,x\n", encoding="utf-8")
    code = main([str(table), "--organisation", str(ORGANISATION), "-o", str(tmp_path / "x.ttl")])
    assert code == 1
    err = capsys.readouterr().err
    assert "Fejl:" in err
    assert "linje 2: ukendt enhed 'nope' for KLE 00.01" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.ttl").exists()


# -- the real data: a topic row wins over its group's default ----------------------------


def test_a_topic_row_overrides_its_group_in_the_walk_up_kle(kg: Knowledge) -> None:
    level, parts = owners_of(kg, "kle-23.02.10")
    assert (level, [p.unit for p in parts]) == ("kle-23.02.10", ["kff-borgerservice"])
    assert [p.provenance.status for p in parts] == ["antaget"]
    # The rest of the group is the state's: citizenship is the ministry's, not Borgerservice's.
    assert [p.unit for p in owners_of(kg, "kle-23.02")[1]] == ["uim"]
    assert [p.unit for p in owners_of(kg, "kle-23.02.00")[1]] == ["uim"]


def test_group_23_04_belongs_to_the_parish_registrar_not_to_borgerservice(kg: Knowledge) -> None:
    level, parts = owners_of(kg, "kle-23.04")
    assert (level, [p.unit for p in parts]) == ("kle-23.04", ["personregisterfoereren"])
    assert [p.provenance.status for p in parts] == ["bekraeftet"]


def test_elections_are_kff_by_the_committee_s_own_task_list(kg: Knowledge) -> None:
    for task in ("kle-84.01", "kle-84.03.04", "kle-84.05", "kle-84.07"):
        assert {kg.administration_of(p.unit).id for p in owners_of(kg, task)[1]} == {"kff"}, task
