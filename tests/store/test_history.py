"""Registration time on a store seeded with the real data: the graph as recorded, the log, diffs.

The changes are committed here with :meth:`Store.commit`: a test-only move of who decides
on førtidspension (KLE 32.03.16) from SOF to BIF, and a test-only name for SUF, so that
"what we believed then" and "what we believe now" differ on a real question.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from graph.data.knowledge import Knowledge
from graph.data.loader import default_source
from graph.errors import InvalidInputError, UnknownEntityError
from graph.present.history import change_log_json, registration_diff_json
from graph.questions.history import change_log, group_facts, valid_time_diff
from graph.questions.responsibility import who_handles
from graph.store.change import Change, new_change
from graph.store.embedded import EmbeddedStore
from graph.store.history import (
    RecordedSource,
    graph_as_recorded,
    net_effect,
    parse_moment,
    registration_diff,
    resolve_registration,
)
from ontology.namespaces import CV, ID

DECISION = ID["participation/kle-32.03.16-sof-ansvarlig"]
SOF, BIF = ID["unit/sof"], ID["unit/bif"]
SUF = ID["unit/suf"]


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    seed = default_source().store()
    store.initialise(seed.quads_for_pattern(None, None, None), agent="seed", reason="seed")
    return store


@pytest.fixture(scope="module")
def moved(store: EmbeddedStore) -> tuple[Change, Change]:
    """Change 2 moves the førtidspension decision to BIF; change 3 renames SUF (a test name)."""
    head = store.head()
    move = new_change(
        agent="anna",
        kind="update",
        reason="Afgørelsen flyttes (test)",
        source="https://www.kk.dk/",
        resources=[str(DECISION)],
        removed=[(DECISION, CV.hasParticipant, SOF)],
        added=[(DECISION, CV.hasParticipant, BIF)],
    )
    first = store.commit(move, expected=head.sequence)
    old = {t for t in store.resource_triples([SUF]) if t[1] == SKOS.prefLabel}
    rename = new_change(
        agent="bo",
        kind="update",
        reason="Nyt navn (test)",
        resources=[str(SUF)],
        removed=old,
        added=[(SUF, SKOS.prefLabel, Literal("Sundhedsforvaltningen (prøve)", lang="da"))],
    )
    second = store.commit(rename, expected=first.sequence)
    return first, second


@pytest.fixture(scope="module")
def now(store: EmbeddedStore, moved: tuple[Change, Change]) -> Knowledge:
    return Knowledge.from_source(RecordedSource(store, store.head().sequence))


def _deciders(kg: Knowledge) -> set[str]:
    return {p.unit for p in who_handles(kg, "førtidspension").responsible}


def test_the_graph_as_recorded_before_a_change_answers_the_old_owner(
    store: EmbeddedStore, moved: tuple[Change, Change], now: Knowledge
) -> None:
    first, _ = moved
    before = graph_as_recorded(store, first.sequence - 1)
    assert (DECISION, CV.hasParticipant, SOF) in before
    assert (DECISION, CV.hasParticipant, BIF) not in before
    then = Knowledge.from_source(RecordedSource(store, first.sequence - 1))
    assert _deciders(then) == {"sof"}
    assert _deciders(now) == {"bif"}


def test_a_moment_is_a_sequence_number_or_a_time(
    store: EmbeddedStore, moved: tuple[Change, Change]
) -> None:
    first, second = moved
    assert resolve_registration(store, first.recorded_at) == first.sequence
    between = first.recorded_at + (second.recorded_at - first.recorded_at) / 2
    assert resolve_registration(store, between) == first.sequence
    assert resolve_registration(store, datetime.now(UTC) + timedelta(days=1)) == second.sequence
    assert parse_moment(str(second.sequence)) == second.sequence
    assert parse_moment(first.recorded_at.isoformat()) == first.recorded_at


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (0, "begynder med ændring 1"),
        (99, "kun 3 ændringer"),
        (datetime(2020, 1, 1, tzinfo=UTC), "oprettet efter 2020-01-01"),
    ],
)
def test_a_moment_outside_the_history_is_refused_in_danish(
    store: EmbeddedStore, moved: tuple[Change, Change], moment: int | datetime, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        resolve_registration(store, moment)


def test_a_moment_that_is_neither_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="hverken et ændringsnummer"):
        parse_moment("sidste tirsdag")


def test_the_difference_between_two_registrations_is_the_net_effect(
    store: EmbeddedStore, moved: tuple[Change, Change], now: Knowledge
) -> None:
    _, second = moved
    diff = registration_diff(store, 1, second.sequence)
    assert (DECISION, CV.hasParticipant, BIF) in diff.added
    assert (DECISION, CV.hasParticipant, SOF) in diff.removed
    backwards = registration_diff(store, second.sequence, 1)
    assert backwards.added == diff.removed and backwards.removed == diff.added
    assert registration_diff(store, 2, 2).added == frozenset()
    found = group_facts(now, diff.removed, diff.added)
    data = registration_diff_json(now, diff.before, diff.after, found)
    (decision,) = [r for r in data["resources"] if r["uri"] == str(DECISION)]
    assert decision["kind"] == "participation"
    (field,) = decision["fields"]
    assert field["label"] == "enhed"
    assert field["removed"] == ["Socialforvaltningen"]
    assert field["added"] == ["Beskæftigelses-, Integrations- og Erhvervsforvaltningen"]


def test_net_effect_cancels_a_change_that_was_undone() -> None:
    a = (URIRef("urn:u"), SKOS.prefLabel, Literal("A"))
    there = new_change(agent="x", kind="create", added=[a])
    back = new_change(agent="x", kind="update", removed=[a])
    assert net_effect([there, back]) == (frozenset(), frozenset())


def test_the_change_log_filters_by_unit_administration_kind_time_and_resource(
    store: EmbeddedStore, moved: tuple[Change, Change], now: Knowledge
) -> None:
    first, second = moved
    logged = store.changes()

    def sequences(**filters: object) -> list[int]:
        return [e.sequence for e in change_log(now, logged, **filters).entries]  # type: ignore[arg-type]

    assert sequences() == [3, 2, 1]
    assert sequences(unit="bif") == [2]  # the decision moved to BIF
    assert sequences(unit="sof") == [2]  # … and away from SOF
    assert sequences(forvaltning="bif") == [2]
    assert sequences(forvaltning="suf") == [3]
    assert sequences(kind="init") == [1]
    assert sequences(resource="kle-32.03.16-sof-ansvarlig") == [2]
    assert sequences(resource=str(SUF)) == [3]
    assert sequences(since=second.recorded_at) == [3]
    assert sequences(until=first.recorded_at) == [2, 1]
    page = change_log(now, logged, limit=2)
    assert [e.sequence for e in page.entries] == [3, 2] and page.next == 2
    rest = change_log(now, logged, limit=2, before=page.next)
    assert [e.sequence for e in rest.entries] == [1] and rest.next is None


def test_a_change_reads_as_who_when_why_and_before_after(
    store: EmbeddedStore, moved: tuple[Change, Change], now: Knowledge
) -> None:
    data = change_log_json(now, change_log(now, store.changes(), unit="suf"))
    (entry,) = data["changes"]
    assert (entry["sequence"], entry["who"], entry["kind"], entry["reason"]) == (
        3,
        "bo",
        "update",
        "Nyt navn (test)",
    )
    (suf,) = entry["resources"]
    assert suf["id"] == "suf" and suf["kind"] == "unit"
    (name,) = suf["fields"]
    assert name["label"] == "navn"
    assert name["before"] == ["Sundheds- og Omsorgsforvaltningen"]
    assert name["after"] == ["Sundhedsforvaltningen (prøve)"]


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"unit": "zzqxv"}, UnknownEntityError),
        ({"forvaltning": "bif-jobcenter"}, InvalidInputError),
        ({"resource": "unit/ingen"}, UnknownEntityError),
        ({"limit": 0}, InvalidInputError),
    ],
)
def test_bad_filters_are_refused(
    store: EmbeddedStore, now: Knowledge, filters: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        change_log(now, store.changes(), **filters)  # type: ignore[arg-type]


def test_two_days_differ_in_the_health_reform_and_bifs_name(kg: Knowledge) -> None:
    diff = valid_time_diff(kg, date(2026, 6, 1), date(2027, 6, 1))
    ended = {p.id for p in diff.only_before}
    started = {p.id for p in diff.only_after}
    assert "kle-29.18.00-suf-ansvarlig-til-2026" in ended
    assert "kle-29.18.00-region-oestdanmark-ansvarlig" in started
    renamed = valid_time_diff(kg, date(2025, 6, 1), date(2026, 6, 1)).names
    assert [(n.before, n.after) for n in renamed if n.unit == "bif"] == [
        (
            "Beskæftigelses- og Integrationsforvaltningen",
            "Beskæftigelses-, Integrations- og Erhvervsforvaltningen",
        )
    ]
    assert valid_time_diff(kg, date(2026, 6, 1), date(2026, 6, 1)).only_after == ()
