"""A KLE main group or group without an owner answers with the owners of the topics below it."""

from __future__ import annotations

from datetime import date

import pytest

from cli.main import main
from graph.data.knowledge import Knowledge
from graph.present.answers import who_json
from graph.questions.breakdown import breakdown
from graph.questions.responsibility import WhoNoteKind, owners, who_handles


def test_libraries_are_the_culture_administrations_but_school_libraries_are_not(
    kg: Knowledge,
) -> None:
    answer = who_handles(kg, "Biblioteker")
    assert answer.task.id == "kle-21" and answer.handlers == ()
    below = answer.breakdown
    assert below is not None and below.majority is not None
    assert below.majority.owner == "kff" and "kff-biblioteker" in below.majority.units
    # KLE 21.06 Skolebiblioteker: the schools' libraries belong with the schools (BUF).
    assert {t.task.notation for t in below.differing} == {"21.06.00"}
    assert {d.owners for d in below.differing} == {("buf",)}
    kinds = [note.kind for note in answer.notes]
    assert WhoNoteKind.BREAKDOWN in kinds and WhoNoteKind.NO_HANDLER not in kinds


@pytest.mark.parametrize("notation", ["00", "21", "32"])
def test_the_main_groups_that_answered_nothing_now_name_their_owners(
    kg: Knowledge, notation: str
) -> None:
    answer = who_handles(kg, notation)
    assert answer.breakdown, f"KLE {notation} answers with nothing"
    below = answer.breakdown
    # Every topic is counted once per owner; a topic split by age counts for each.
    counted = {t for share in below.owners for t in share.topics}
    unowned = {t.task.id for t in below.differing if not t.owners}
    assert counted | unowned == {
        t.id for t in kg.tasks.values() if t.level == "topic" and t.notation.startswith(notation)
    }
    assert below.owners == tuple(sorted(below.owners, key=lambda s: -s.count))


def test_each_share_is_what_the_one_walk_says_for_its_topics(kg: Knowledge) -> None:
    below = breakdown(kg, "kle-32")
    for share in below.owners:
        for topic in share.topics:
            _, parts = owners(kg, topic)
            assert share.owner in {
                (kg.administration_of(p.unit) or kg.units[p.unit]).id for p in parts
            }
    # Folkepension and other pensions are Udbetaling Danmark's: an outside authority owns a share.
    assert "udk" in {share.owner for share in below.owners}
    assert sum(share.share for share in below.owners) >= 1.0 - 1e-9


def test_a_topic_or_an_owned_group_has_no_breakdown(kg: Knowledge) -> None:
    assert who_handles(kg, "32.03.16").breakdown is None
    assert who_handles(kg, "27.60").breakdown is None  # the group has its own default owner
    assert breakdown(kg, "kle-32.03.16").total == 0


def test_age_filters_the_topics_owners(kg: Knowledge) -> None:
    """Aids (27.60) are Borgercenter Handicap's under 65 and Hjælpemiddelcentret's from 65."""
    young = breakdown(kg, "kle-27", age=30)
    old = breakdown(kg, "kle-27", age=70)
    shares = (
        {s.owner: set(s.topics) for s in young.owners},
        {s.owner: set(s.topics) for s in old.owners},
    )
    aids = {t for t in kg.tasks if t.startswith("kle-27.60.")}
    assert aids <= shares[0]["sof"] and not aids & shares[0].get("suf", set())
    assert aids <= shares[1]["suf"] and not aids & shares[1].get("sof", set())


def test_the_cli_prints_the_breakdown_in_danish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["who", "21"]) == 0
    out = capsys.readouterr().out
    assert "Kultur- og Fritidsforvaltningen: 32 af 33 emner" in out
    assert "21.06.00 Skolebiblioteker i almindelighed: Børne- og Ungdomsforvaltningen" in out


# ------------------------------------------------------------ the dated organisation


def test_bif_is_named_as_it_was_on_the_day_asked(kg: Knowledge) -> None:
    old, new = (
        "Beskæftigelses- og Integrationsforvaltningen",
        ("Beskæftigelses-, Integrations- og Erhvervsforvaltningen"),
    )
    bif = kg.units["bif"]
    assert bif.label == new  # today
    assert bif.label_on(date(2025, 12, 31)) == old
    assert bif.label_on(date(2026, 1, 1)) == new
    before = who_json(kg, who_handles(kg, "15.00", as_of=date(2025, 6, 1)))
    after = who_json(kg, who_handles(kg, "15.00", as_of=date(2026, 6, 1)))
    assert before["handlers"][0]["unit"]["label"] == old
    assert after["handlers"][0]["unit"]["label"] == new
    assert kg.resolve("unit", old)[0].id == "bif"  # the old name still finds it


def test_a_unit_founded_in_2015_was_part_of_no_administration_before(kg: Knowledge) -> None:
    voksne = "sof-borgercenter-voksne"
    assert kg.administration_of(voksne, date(2015, 4, 30)) is None
    assert kg.administration_of(voksne, date(2015, 5, 1)) == kg.units["sof"]
    assert kg.unit_ancestors(voksne) == ["sof", "kk"]
    handicap = kg.units["sof-borgercenter-handicap"]
    assert handicap.label_on(date(2014, 1, 1)) == "Handicapcenter København"


def test_the_cli_names_the_unit_as_of_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["who", "15.00", "--as-of", "2025-06-01"]) == 0
    assert "Beskæftigelses- og Integrationsforvaltningen" in capsys.readouterr().out


def test_a_dated_name_without_a_period_or_source_is_a_violation() -> None:
    from graph.data.loader import parse_turtle
    from graph.data.validation import validate_graph

    data = parse_turtle(
        """
        @prefix stafet: <https://stafet.kk.dk/def#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://stafet.kk.dk/id/unit/x> stafet:datedName [
            a stafet:DatedName ; skos:prefLabel "Gammelt navn"@da ] ;
          stafet:datedParent [ a stafet:DatedParent ;
            stafet:validFrom "2015-05-01"^^xsd:date ] .
        """,
        name="dated.ttl",
    )
    messages = {f.message for f in validate_graph(data, rulesets=("stafet",)).violations}
    assert "Et dateret navn skal have en gyldighedsperiode (gyldig fra og/eller til)." in messages
    assert "En dateret overordnet enhed peger på præcis én enhed." in messages
    assert "Faktum mangler en kilde (dct:source)." in messages
