"""History over HTTP: ``as_of`` on every read route, ``recorded_as_of``, the change log, diffs.

Valid time is asked of the ordinary app (the shipped Turtle). Registration time needs a
store: an app on an embedded store in a temporary directory, seeded with the real data, to
which this module commits two changes with :meth:`Store.commit` (a test-only move of the
førtidspension decision from SOF to BIF, then a test-only name for SUF).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal
from rdflib.namespace import SKOS

from api.main import create_app
from api.runtime import Runtime
from api.settings import Settings
from graph.store.change import Change, new_change
from ontology.namespaces import CV, ID
from tests.api.helpers import assert_problem

DECISION = ID["participation/kle-32.03.16-sof-ansvarlig"]
SOF, BIF, SUF = ID["unit/sof"], ID["unit/bif"], ID["unit/suf"]
BIF_BEFORE_2026 = "Beskæftigelses- og Integrationsforvaltningen"
BIF_NOW = "Beskæftigelses-, Integrations- og Erhvervsforvaltningen"

#: Every read route with the parameters it needs besides the day.
READ_ROUTES: list[tuple[str, dict[str, str]]] = [
    ("/api/v1/who", {"task": "førtidspension"}),
    ("/api/v1/referral", {"from": "borgerraadgiveren", "task": "førtidspension"}),
    ("/api/v1/dependencies", {"units": "bif,sof"}),
    ("/api/v1/units/bif", {}),
    ("/api/v1/tasks/kle-32.03.16", {}),
    ("/api/v1/search", {"q": "BIF"}),
    ("/api/v1/overlaps", {}),
    ("/api/v1/gaps", {}),
]


# -- valid time ---------------------------------------------------------------------


@pytest.mark.parametrize(("path", "params"), READ_ROUTES)
def test_every_read_route_takes_as_of_and_refuses_a_bad_date_in_danish(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    assert client.get(path, params={**params, "as_of": "2025-06-01"}).status_code == 200
    body = assert_problem(
        client.get(path, params={**params, "as_of": "1. juni 2025"}), 422, "invalid-parameter"
    )
    assert "'as_of' skal være en dato som ÅÅÅÅ-MM-DD" in body["detail"]


def _payers(client: TestClient, day: str) -> set[str]:
    data = client.get("/api/v1/who", params={"task": "førtidspension", "as_of": day}).json()
    return {h["unit"]["id"] for h in data["handlers"] if h["role"] == "udbetaler"}


def test_foertidspension_is_paid_by_udbetaling_danmark_only_after_it_took_over(
    client: TestClient,
) -> None:
    # facts.md: Udbetaling Danmark took over the payment of førtidspension between 1 October
    # 2012 and 1 March 2013; the data dates it from 1 March 2013.
    assert "udk" not in _payers(client, "2012-06-01")
    assert "udk" in _payers(client, "2013-03-01")


def test_a_unit_resource_and_a_search_name_bif_as_it_was_named_that_day(
    client: TestClient,
) -> None:
    then = client.get("/api/v1/units/bif", params={"as_of": "2025-06-01"}).json()
    assert then["label"] == BIF_BEFORE_2026
    assert client.get("/api/v1/units/bif").json()["label"] == BIF_NOW
    found = client.get("/api/v1/search", params={"q": "bif", "as_of": "2025-06-01"}).json()
    assert found["as_of"] == "2025-06-01"
    assert [r["label"] for r in found["results"] if r["id"] == "bif"] == [BIF_BEFORE_2026]
    deps = client.get("/api/v1/dependencies", params={"units": "bif,sof", "as_of": "2025-06-01"})
    assert deps.json()["units"][0]["label"] == BIF_BEFORE_2026
    plain = client.get("/api/v1/search", params={"q": "bif"}).json()
    assert "as_of" not in plain
    assert [r["label"] for r in plain["results"] if r["id"] == "bif"] == [BIF_NOW]


def test_akutsygepleje_moves_to_the_region_in_2027(client: TestClient) -> None:
    def owners(day: str) -> set[str]:
        data = client.get("/api/v1/who", params={"task": "akutsygepleje", "as_of": day}).json()
        return {h["unit"]["id"] for h in data["handlers"] if h["role"] == "ansvarlig"}

    assert owners("2026-06-01") == {"suf"}
    assert owners("2027-06-01") == {"region-oestdanmark"}
    diff = client.get(
        "/api/v1/diff", params={"from_date": "2026-06-01", "to_date": "2027-06-01"}
    ).json()
    ended = {p["id"] for p in diff["responsibilities"]["only_from"]}
    started = {p["id"] for p in diff["responsibilities"]["only_to"]}
    assert "kle-29.18.00-suf-ansvarlig-til-2026" in ended
    assert "kle-29.18.00-region-oestdanmark-ansvarlig" in started


def test_the_difference_between_two_days_names_bifs_new_name(client: TestClient) -> None:
    diff = client.get(
        "/api/v1/diff", params={"from_date": "2025-06-01", "to_date": "2026-06-01"}
    ).json()
    assert {"unit": "bif", "from": BIF_BEFORE_2026, "to": BIF_NOW} in [
        {"unit": n["unit"]["id"], "from": n["from"], "to": n["to"]} for n in diff["names"]
    ]


def test_without_a_store_there_is_no_registration_history(client: TestClient) -> None:
    for path, params in (READ_ROUTES[0], ("/api/v1/changes", {}), ("/api/v1/diff", {})):
        query = {**params, "recorded_as_of": "1"} if path != "/api/v1/diff" else {}
        if path == "/api/v1/diff":
            query = {"from": "1", "to": "2"}
        body = assert_problem(client.get(path, params=query), 422, "invalid-value")
        assert "ingen registreringshistorik" in body["detail"]


# -- registration time ----------------------------------------------------------------


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Runtime]]:
    store_dir: Path = tmp_path_factory.mktemp("store")
    settings = Settings(
        store_path=store_dir, sparql_enabled=False, base_url="http://testserver", cache_dir=None
    )
    with TestClient(create_app(settings)) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        yield client, runtime


@pytest.fixture(scope="module")
def changes(recorded: tuple[TestClient, Runtime]) -> tuple[Change, Change]:
    _, runtime = recorded
    store = runtime.store
    assert store is not None
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
    runtime.follow()
    return first, second


def _deciders(client: TestClient, **params: str) -> set[str]:
    response = client.get("/api/v1/who", params={"task": "førtidspension", **params})
    assert response.status_code == 200, response.text
    return {h["unit"]["id"] for h in response.json()["handlers"] if h["role"] == "ansvarlig"}


def test_recorded_as_of_answers_what_was_recorded_then(
    recorded: tuple[TestClient, Runtime], changes: tuple[Change, Change]
) -> None:
    client, runtime = recorded
    first, second = changes
    assert _deciders(client) == {"bif"}
    assert _deciders(client, recorded_as_of="1") == {"sof"}
    assert _deciders(client, recorded_as_of=str(first.sequence)) == {"bif"}
    created = runtime.store.changes(until=1)[0].recorded_at  # type: ignore[union-attr]
    between = created + (first.recorded_at - created) / 2
    assert _deciders(client, recorded_as_of=between.isoformat()) == {"sof"}
    assert _deciders(client, recorded_as_of=second.recorded_at.isoformat()) == {"bif"}
    then = client.get("/api/v1/units/suf", params={"recorded_as_of": "2"}).json()
    assert then["label"] == "Sundheds- og Omsorgsforvaltningen"
    now = client.get("/api/v1/units/suf").json()
    assert now["label"] == "Sundhedsforvaltningen (prøve)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-01-01T00:00:00", "oprettet efter 2020-01-01"),
        ("99", "kun 3 ændringer"),
        ("0", "begynder med ændring 1"),
        ("i går", "hverken et ændringsnummer eller et tidspunkt"),
    ],
)
def test_a_bad_recorded_as_of_is_a_danish_422(
    recorded: tuple[TestClient, Runtime], changes: tuple[Change, Change], value: str, message: str
) -> None:
    client, _ = recorded
    response = client.get("/api/v1/who", params={"task": "førtidspension", "recorded_as_of": value})
    assert message in assert_problem(response, 422, "invalid-value")["detail"]


def _sequences(client: TestClient, **params: Any) -> list[int]:
    response = client.get("/api/v1/changes", params=params)
    assert response.status_code == 200, response.text
    return [c["sequence"] for c in response.json()["changes"]]


def test_the_change_log_filters_and_pages(
    recorded: tuple[TestClient, Runtime], changes: tuple[Change, Change]
) -> None:
    client, _ = recorded
    first, second = changes
    assert _sequences(client) == [3, 2, 1]
    assert _sequences(client, unit="bif") == [2]
    assert _sequences(client, forvaltning="suf") == [3]
    assert _sequences(client, kind="init") == [1]
    assert _sequences(client, since=second.recorded_at.isoformat()) == [3]
    assert _sequences(client, since="2", until="2") == [2]
    assert _sequences(client, resource=str(SUF)) == [3]
    assert _sequences(client, resource="kle-32.03.16-sof-ansvarlig") == [2]
    suf = client.get("/api/v1/units/suf/history").json()["changes"]
    assert [c["sequence"] for c in suf] == [3]
    moved = client.get("/api/v1/responsibilities/kle-32.03.16-sof-ansvarlig/history").json()
    assert [c["sequence"] for c in moved["changes"]] == [2]
    assert client.get("/api/v1/units/zzqxv/history").status_code == 404
    page = client.get("/api/v1/changes", params={"limit": 2}).json()
    assert [c["sequence"] for c in page["changes"]] == [3, 2]
    rest = client.get("/api/v1/changes", params={"limit": 2, "next": page["next"]}).json()
    assert [c["sequence"] for c in rest["changes"]] == [1] and rest["next"] is None
    (entry,) = client.get("/api/v1/changes", params={"unit": "bif"}).json()["changes"]
    assert (entry["who"], entry["reason"], entry["source"]) == (
        "anna",
        "Afgørelsen flyttes (test)",
        "https://www.kk.dk/",
    )
    assert datetime.fromisoformat(entry["when"]) == first.recorded_at.astimezone(UTC)
    (decision,) = entry["resources"]
    (field,) = decision["fields"]
    assert (field["label"], field["before"], field["after"]) == (
        "enhed",
        ["Socialforvaltningen"],
        [BIF_NOW],
    )


def test_the_difference_between_two_registrations(
    recorded: tuple[TestClient, Runtime], changes: tuple[Change, Change]
) -> None:
    client, _ = recorded
    diff = client.get("/api/v1/diff", params={"from": "1", "to": "3"}).json()
    assert (diff["from"], diff["to"], diff["added"], diff["removed"]) == (1, 3, 2, 2)
    by_uri = {r["uri"]: r for r in diff["resources"]}
    assert set(by_uri) == {str(DECISION), str(SUF)}
    (name,) = by_uri[str(SUF)]["fields"]
    assert name["removed"] == ["Sundheds- og Omsorgsforvaltningen"]
    assert name["added"] == ["Sundhedsforvaltningen (prøve)"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Angiv enten"),
        ({"from": "1"}, "både 'from' og 'to'"),
        ({"from_date": "2026-01-01"}, "både 'from_date' og 'to_date'"),
        ({"from": "1", "to": "2", "from_date": "2026-01-01"}, "Angiv enten"),
        ({"from": "1", "to": "nej"}, "hverken et ændringsnummer"),
        ({"unit": "zzqxv"}, "Ukendt enhed"),
        ({"forvaltning": "bif-jobcenter"}, "er ikke en forvaltning"),
    ],
)
def test_bad_history_parameters_are_danish_422s(
    recorded: tuple[TestClient, Runtime],
    changes: tuple[Change, Change],
    params: dict[str, str],
    message: str,
) -> None:
    client, _ = recorded
    path = "/api/v1/changes" if {"unit", "forvaltning"} & set(params) else "/api/v1/diff"
    response = client.get(path, params=params)
    assert response.status_code in (404, 422), response.text
    assert message in response.json()["detail"]
