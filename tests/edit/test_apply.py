"""Edits on the real data, in a store of record: exact changes, rules, review, access, timing."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.data.knowledge import Knowledge
from graph.edit.access import Editor
from graph.edit.apply import ALL_BUILDERS, apply_batch
from graph.edit.errors import (
    EditForbiddenError,
    EditInvalidError,
    StaleResourceError,
    UnknownResourceError,
)
from graph.edit.operations import (
    AgeBand,
    Batch,
    Confirm,
    ContactPointFields,
    CreateContactPoint,
    CreateMembership,
    CreateResponsibility,
    CreateUnit,
    Dispute,
    EndResponsibility,
    MembershipFields,
    MoveUnit,
    Operation,
    RenameUnit,
    ResponsibilityFields,
    UnitFields,
)
from graph.edit.read import read_resource
from graph.edit.resources import current_etag, resource_uri
from graph.edit.review import open_disputes
from graph.edit.shacl import validate_focused, warm_up
from graph.edit.workspace import Workspace
from graph.store.embedded import EmbeddedStore
from graph.store.source import StoreSource
from ontology.namespaces import CV, STAFET, STATUS
from tests.edit.seeded import seeded_copy

ADMIN = Editor("admin@kk.dk", "admin")
SOF_EDITOR = Editor("redaktoer@sof.kk.dk", "editor", "sof")
REVIEWER = Editor("koordinationsgruppen@kk.dk", "reviewer")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    path = seeded_copy(tmp_path_factory.mktemp("edit") / "store")
    opened = EmbeddedStore(path)
    warm_up()
    yield opened
    opened.close()


def insight(unit: str = "sof", **extra: object) -> ResponsibilityFields:
    values: dict[str, object] = {
        "task": "kle-32.03.16",
        "unit": unit,
        "role": "indsigt",
        "description": "Enheden får indsigt i sagen om førtidspension.",
        "status": "antaget",
        "source": "kk-dk",
        "note": "Antaget indtil enheden bekræfter det.",
    }
    values.update(extra)
    return ResponsibilityFields(**values)  # type: ignore[arg-type]


def commit(store: EmbeddedStore, kg: Knowledge, *ops: Operation, editor: Editor = ADMIN) -> str:
    applied = apply_batch(store, kg, Batch(tuple(ops), reason="test"), editor)
    assert applied.change is not None
    return applied.touched[0].rsplit("/", 1)[-1]


def test_a_new_responsibility_is_one_exact_change_with_its_provenance(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    before = store.read_graph()
    applied = apply_batch(
        store, kg, Batch((CreateResponsibility(insight()),), reason="SOF skal se sagen"), ADMIN
    )
    change = applied.change
    assert change is not None and change.kind == "create"
    assert all(t in before for t in change.removed) and not any(t in before for t in change.added)
    uri = resource_uri("responsibility", "kle-32.03.16-sof-indsigt")
    assert change.resources[0] == str(uri)
    assert (uri, RDF.type, CV.Participation) in change.added
    assert (uri, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) not in change.added
    assert (resource_uri("responsibility", "x"), RDF.type, CV.Participation) not in change.added
    task = URIRef("https://stafet.kk.dk/id/task/kle-32.03.16")
    assert (task, CV.hasParticipation, uri) in change.added
    logged = store.changes(change.sequence - 1)[-1]
    assert (logged.agent, logged.reason, logged.source) == (
        "admin@kk.dk",
        "SOF skal se sagen",
        "kk-dk",
    )
    assert logged.added == change.added
    view = read_resource(store, "responsibility", "kle-32.03.16-sof-indsigt")
    assert view.fields.unit == "sof" and view.fields.status == "antaget"  # type: ignore[union-attr]
    assert view.etag == current_etag(store, "responsibility", "kle-32.03.16-sof-indsigt")


def test_ending_sets_valid_until_and_deletes_nothing(store: EmbeddedStore, kg: Knowledge) -> None:
    ident = commit(store, kg, CreateResponsibility(insight("bif")))
    applied = apply_batch(store, kg, Batch((EndResponsibility(ident, date(2026, 12, 31)),)), ADMIN)
    assert applied.change is not None and applied.change.kind == "end"
    assert not applied.change.removed
    uri = resource_uri("responsibility", ident)
    until = Literal("2026-12-31", datatype=XSD.date)
    assert applied.change.added == {(uri, STAFET.validUntil, until)}


def test_a_second_current_ansvarlig_is_refused_in_danish(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    head = store.head()
    second = insight("bif", role="ansvarlig", description="BIF træffer afgørelse.")
    with pytest.raises(EditInvalidError) as caught:
        apply_batch(store, kg, Batch((CreateResponsibility(second),)), ADMIN)
    (error,) = caught.value.errors
    assert error.field == "role"
    assert "allerede en ansvarlig enhed (sof" in error.message
    assert store.head() == head


def test_ansvarlig_split_by_age_must_not_overlap(store: EmbeddedStore, kg: Knowledge) -> None:
    # Personlig pleje (27.36.04): SOF for 18-64, SUF for 65+ (real data); under 18 is free.
    children = insight(
        "buf",
        task="kle-27.36.04",
        role="ansvarlig",
        description="BUF visiterer børn.",
        conditions=(AgeBand(max_age=17),),
    )
    assert commit(store, kg, CreateResponsibility(children)) == "kle-27.36.04-buf-ansvarlig"
    overlapping = replace(children, conditions=(AgeBand(min_age=60),))
    with pytest.raises(EditInvalidError) as caught:
        apply_batch(store, kg, Batch((CreateResponsibility(overlapping),)), ADMIN)
    messages = " ".join(e.message for e in caught.value.errors)
    assert "sof-den-sociale-hjemmepleje" in messages and "suf-visitation" in messages
    later = replace(overlapping, valid_from=date(2100, 1, 1), conditions=(AgeBand(max_age=10),))
    with pytest.raises(EditInvalidError):  # the BUF one made above has no end
        apply_batch(store, kg, Batch((CreateResponsibility(later),)), ADMIN)


def test_unknown_references_and_bad_periods_name_their_fields(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    bad = insight(
        "ingen-enhed",
        task="kle-99.99.99",
        role="chef",
        legal_basis=("ingen-lov",),
        valid_from=date(2027, 1, 1),
        valid_until=date(2026, 1, 1),
        status="bekraeftet",
        source=None,
    )
    with pytest.raises(EditInvalidError) as caught:
        apply_batch(store, kg, Batch((CreateResponsibility(bad),)), ADMIN)
    fields = {e.field: e.message for e in caught.value.errors}
    assert fields["task"] == "Ukendt opgave: 'kle-99.99.99'."
    assert fields["unit"].startswith("Ukendt enhed")
    assert fields["role"] == "Ukendt rolle: 'chef'."
    assert fields["legal_basis[0]"] == "Ukendt lov eller bestemmelse: 'ingen-lov'."
    assert fields["valid_until"] == "'Gyldig til' må ikke ligge før 'gyldig fra'."
    assert "kilde" in fields["source"]


def test_a_batch_is_all_or_nothing(store: EmbeddedStore, kg: Knowledge) -> None:
    head = store.head()
    good = CreateResponsibility(insight("kff"))
    bad = CreateResponsibility(insight("kff", description=""))
    with pytest.raises(EditInvalidError) as caught:
        apply_batch(store, kg, Batch((good, bad)), ADMIN)
    assert [e.field for e in caught.value.errors] == ["operations[1].description"]
    assert store.head() == head
    assert current_etag(store, "responsibility", "kle-32.03.16-kff-indsigt") is None


def test_a_stale_etag_is_refused(store: EmbeddedStore, kg: Knowledge) -> None:
    ident = commit(store, kg, CreateResponsibility(insight("tmf")))
    old = current_etag(store, "responsibility", ident)
    assert old is not None
    commit(store, kg, Dispute("responsibility", ident, "Er det rigtigt?"))
    with pytest.raises(StaleResourceError) as caught:
        apply_batch(
            store,
            kg,
            Batch((EndResponsibility(ident, date(2026, 12, 31)),)),
            ADMIN,
            if_match={("responsibility", ident): old},
        )
    assert caught.value.current == current_etag(store, "responsibility", ident) != old
    with pytest.raises(UnknownResourceError):
        apply_batch(store, kg, Batch((EndResponsibility("findes-ikke", date(2026, 1, 1)),)), ADMIN)


def test_confirm_records_who_when_and_against_what_and_closes_disputes(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    ident = commit(store, kg, CreateResponsibility(insight("suf")))
    commit(
        store, kg, Dispute("responsibility", ident, "SUF ser ikke disse sager."), editor=REVIEWER
    )
    listed = [d for d in open_disputes(store) if d.id == ident]
    assert [(d.reason, d.by, d.kind) for d in listed] == [
        ("SUF ser ikke disse sager.", "koordinationsgruppen@kk.dk", "responsibility")
    ]
    commit(
        store,
        kg,
        Confirm(
            "responsibility",
            ident,
            "https://www.kk.dk/foertidspension",
            assured_on=date(2026, 11, 30),
        ),
        editor=REVIEWER,
    )
    view = read_resource(store, "responsibility", ident)
    assert view.fields.status == "bekraeftet"
    assert (view.assured_on, view.assured_by) == (date(2026, 11, 30), "koordinationsgruppen@kk.dk")
    assert view.disputes[0].resolved_at is not None
    assert not [d for d in open_disputes(store) if d.id == ident]
    uri = resource_uri("responsibility", ident)
    assert (uri, STAFET.status, STATUS.bekraeftet) in store.resource_triples([uri])


def test_editors_stay_in_their_administration_and_reviewers_only_review(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    commit(store, kg, CreateResponsibility(insight("sof-borgercenter-handicap")), editor=SOF_EDITOR)
    with pytest.raises(EditForbiddenError):
        apply_batch(store, kg, Batch((CreateResponsibility(insight("bif-jobcenter")),)), SOF_EDITOR)
    with pytest.raises(EditForbiddenError):
        apply_batch(store, kg, Batch((CreateResponsibility(insight("sof")),)), REVIEWER)
    with pytest.raises(EditForbiddenError):  # an editor reviews only in their own subtree
        apply_batch(
            store,
            kg,
            Batch((Dispute("responsibility", "kle-32.03.16-udk-udbetaler", "?"),)),
            SOF_EDITOR,
        )


def test_rename_and_move_on_a_date_keep_the_history(store: EmbeddedStore, kg: Knowledge) -> None:
    unit = "sof-borgercenter-handicap"
    commit(store, kg, RenameUnit(unit, "Center for Handicap", date(2026, 6, 1), "antaget", "kk-dk"))
    commit(store, kg, MoveUnit(unit, "suf", date(2027, 1, 1), "antaget", "kk-dk"))
    with pytest.raises(EditInvalidError) as caught:  # a dated change before the last one
        apply_batch(
            store, kg, Batch((RenameUnit(unit, "X", date(2026, 1, 1), "antaget", "kk-dk"),)), ADMIN
        )
    assert caught.value.errors[0].field == "on"
    after = Knowledge.from_source(StoreSource(store))
    handicap = after.units[unit]
    assert handicap.label == "Center for Handicap"
    assert handicap.label_on(date(2014, 6, 1)) == "Handicapcenter København"
    assert handicap.label_on(date(2020, 1, 1)) == "Borgercenter Handicap"
    assert handicap.label_on(date(2026, 7, 1)) == "Center for Handicap"
    assert (handicap.parent_on(date(2026, 12, 31)), handicap.parent_on(date(2027, 1, 1))) == (
        "sof",
        "suf",
    )
    assert handicap.parent == "sof"  # the move has not happened yet today


def test_new_unit_contact_point_and_membership(store: EmbeddedStore, kg: Knowledge) -> None:
    unit = commit(
        store, kg, CreateUnit(UnitFields("Center for Afprøvning", "sof", "antaget", "kk-dk"))
    )
    assert unit == "center-for-afproevning"
    contact = commit(
        store,
        kg,
        CreateContactPoint(
            ContactPointFields(unit, "antaget", "Hovednummer", ("33 17 33 17",), source="kk-dk")
        ),
    )
    assert read_resource(store, "contact-point", contact).fields.holder == unit  # type: ignore[union-attr]
    member = commit(
        store,
        kg,
        CreateMembership(MembershipFields(unit, "koordinationsgruppen", "antaget", source="kk-dk")),
    )
    assert read_resource(store, "membership", member).fields.organization == "koordinationsgruppen"  # type: ignore[union-attr]


def test_labels_are_stored_verbatim_and_control_characters_refused(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    hostile = (
        'Robert"); DROP TABLE enheder;-- <script>alert(1)</script> } INSERT DATA { <x> <y> <z> }'
    )
    ident = commit(store, kg, CreateResponsibility(insight("kff", description=hostile)))
    assert read_resource(store, "responsibility", ident).fields.description == hostile  # type: ignore[union-attr]
    with pytest.raises(EditInvalidError) as caught:
        apply_batch(
            store, kg, Batch((CreateResponsibility(insight("kff", description="a\x00b")),)), ADMIN
        )
    assert caught.value.errors[0].message == "Teksten indeholder kontroltegn, som ikke kan gemmes."


def test_shacl_catches_what_the_builders_do_not(store: EmbeddedStore) -> None:
    uri = resource_uri("responsibility", "kle-32.03.16-sof-ansvarlig")
    status = (uri, STAFET.status, STATUS.bekraeftet)
    errors = validate_focused(store, [uri], frozenset({status}), frozenset())
    assert [e.message for e in errors] == [
        "Faktum skal have præcis én status: bekræftet eller antaget."
    ]
    assert errors[0].field == "status"


def test_focused_validation_is_well_under_a_second(store: EmbeddedStore) -> None:
    op = CreateUnit(
        UnitFields("Center for Måling", "sof-borgercenter-handicap", "antaget", "kk-dk")
    )
    ws = Workspace(store, agent="x")
    ALL_BUILDERS[type(op)](ws, op)
    removed, added = ws.delta()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        assert validate_focused(store, ws.touched, removed, added) == []
        times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.5, times


def test_writers_in_one_process_take_turns_and_none_is_refused(
    store: EmbeddedStore, kg: Knowledge
) -> None:
    # Four staff members save at once (the app's thread pool): each change takes tens of ms
    # to compute and validate, so without turns most would lose the head race again and
    # again and some would be refused with "registret ændres af mange på én gang".
    held = {p.task for p in kg.participations_by_unit.get("tmf", ())}
    free = [t.id for t in kg.tasks.values() if t.level == "topic" and t.id not in held][:24]
    head, refused = store.head().sequence, []

    def save(tasks: list[str]) -> None:
        for task in tasks:
            try:
                commit(store, kg, CreateResponsibility(insight("tmf", task=task)))
            except Exception as exc:  # reported below
                refused.append(exc)

    threads = [threading.Thread(target=save, args=(free[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert refused == []
    assert store.head().sequence == head + len(free) == head + 24
