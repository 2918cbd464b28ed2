"""GET /api/v1/who: the contract's shape, free text, age, fallback, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from graph.data.knowledge import Knowledge
from graph.questions.responsibility import who_handles
from tests.api.helpers import assert_problem

ROLES = {
    "ansvarlig",
    "udfoerende",
    "indsigt",
    "raadgivende",
    "indstillende",
    "udbetaler",
    "vejledende",
}


def test_who_answers_in_the_contract_shape(client: TestClient) -> None:
    response = client.get("/api/v1/who", params={"task": "førtidspension"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["task"] == {
        "id": "kle-32.03.16",
        "label": "Førtidspension",
        "notation": "32.03.16",
        "level": "topic",
        "level_label": "KLE-emne",
        "uri": "https://stafet.kk.dk/id/task/kle-32.03.16",
    }
    assert data["matched_via"]["how"] == "label"
    assert data["handlers"]
    for handler in data["handlers"]:
        assert {"id", "label", "forvaltning"} <= handler["unit"].keys()
        assert handler["role"] in ROLES
        for key in ("conditions", "legal_basis", "contacts"):
            assert isinstance(handler[key], list)
        assert {"source", "status"} <= handler.keys()
    steps = [step["step"] for step in data["process"]]
    assert steps == sorted(steps) and len(steps) >= 3
    assert "fallback_from" not in data


def test_danish_letters_are_sent_as_utf8_not_escaped(client: TestClient) -> None:
    response = client.get("/api/v1/who", params={"task": "førtidspension"})
    assert "Førtidspension".encode() in response.content
    assert b"\\u00f8" not in response.content and b"\\u00e6" not in response.content


def test_text_without_danish_letters_finds_the_same_task(client: TestClient) -> None:
    for text in ("fortidspension", "FOERTIDSPENSION", "32.03.16", "kle-32.03.16"):
        data = client.get("/api/v1/who", params={"task": text}).json()
        assert data["task"]["id"] == "kle-32.03.16", text


def test_age_chooses_between_conditional_owners(client: TestClient) -> None:
    every = client.get("/api/v1/who", params={"task": "27.60"}).json()
    assert len({h["unit"]["id"] for h in every["handlers"] if h["role"] == "ansvarlig"}) == 2
    old = client.get("/api/v1/who", params={"task": "27.60", "age": 70}).json()
    young = client.get("/api/v1/who", params={"task": "27.60", "age": 10}).json()
    owners = {
        answer["age"]: {h["unit"]["id"] for h in answer["handlers"]} for answer in (old, young)
    }
    assert owners[70] != owners[10]
    assert old["age"] == 70


def test_a_topic_without_own_facts_falls_back_to_its_group(
    client: TestClient, api_kg: Knowledge
) -> None:
    topic = next(
        t.id
        for t in api_kg.tasks.values()
        if t.level == "topic" and who_handles(api_kg, t.id).fallback_from is not None
    )
    data = client.get("/api/v1/who", params={"task": topic}).json()
    assert data["fallback_from"]["id"] == topic
    assert data["task"]["id"] == api_kg.tasks[topic].broader


def test_as_of_is_echoed(client: TestClient) -> None:
    data = client.get(
        "/api/v1/who", params={"task": "førtidspension", "as_of": "2012-01-01"}
    ).json()
    assert data["as_of"] == "2012-01-01"


def test_unknown_task_is_404_with_suggestions(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/who", params={"task": "kle-32.03.99"}), 404, "unknown-entity"
    )
    assert body["suggestions"]
    assert all(s["id"].startswith("kle-32.03") for s in body["suggestions"])
    assert {"id", "kind", "label"} == set(body["suggestions"][0])


def test_bad_age_is_422_in_danish(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/who", params={"task": "x", "age": 200}), 422, "invalid-parameter"
    )
    assert body["detail"] == "'age' må højst være 130 (fik '200')."
    assert body["errors"] == [{"parameter": "age", "location": "query", "message": body["detail"]}]


def test_missing_task_is_422(client: TestClient) -> None:
    body = assert_problem(client.get("/api/v1/who"), 422, "invalid-parameter")
    assert body["detail"] == "Parameteren 'task' mangler."


def test_junk_is_404_no_confident_match_with_suggestions(client: TestClient) -> None:
    for junk in ("'; DROP TABLE tasks; --", "a", "12 34 56", "zzqqxxyy"):
        body = assert_problem(
            client.get("/api/v1/who", params={"task": junk}), 404, "no-confident-match"
        )
        assert body["detail"].startswith(f"Ukendt opgave: {junk!r}. Vi fandt ingen opgave"), junk
        assert isinstance(body["suggestions"], list)
    body = assert_problem(
        client.get("/api/v1/who", params={"task": "'; DROP TABLE tasks; --"}),
        404,
        "no-confident-match",
    )
    assert body["suggestions"] and "Mente du:" in body["detail"]


def test_an_emoji_is_404_no_confident_match_not_a_crash(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/who", params={"task": "😀"}), 404, "no-confident-match"
    )
    assert "Prøv et andet ord" in body["detail"]


def test_a_sentence_is_answered(client: TestClient) -> None:
    data = client.get("/api/v1/who", params={"task": "min mor har brug for hjemmehjælp"}).json()
    assert data["task"]["id"] == "kle-27.36.04"


def test_close_matches_owned_elsewhere_are_named(client: TestClient) -> None:
    # "pasning" is both day care for children (BUF) and care for a close relative (SOF).
    data = client.get("/api/v1/who", params={"task": "pasning"}).json()
    owners = {h["unit"]["forvaltning"] for h in data["handlers"] if h["role"] == "ansvarlig"}
    alternatives = {alt["forvaltning"]: alt for alt in data["alternatives"]}
    assert {"buf", "sof"} <= owners | alternatives.keys()
    assert not owners & alternatives.keys()
    for alt in alternatives.values():
        assert alt["task"]["id"] != data["task"]["id"]
        assert alt["score"] >= 0.9 * data["matched_via"]["score"]
    assert any("passer næsten lige så godt" in note for note in data["notes"])


def test_an_exact_answer_has_no_alternatives(client: TestClient) -> None:
    for task in ("førtidspension", "32.03.16"):
        data = client.get("/api/v1/who", params={"task": task}).json()
        assert data["alternatives"] == [], task
