"""The "Ret" forms on the real data over a store of record in a temporary directory.

An editor of SOF corrects a responsibility of førtidspension (KLE 32.03.16) and a SOF
unit's contact point in the browser's way (form posts with the CSRF token and ETag); the
answer changes on the page and in ``/api/v1/who``. An editor of TMF sees no "Ret" and is
refused; invalid input and a stale form store nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph.store.embedded import EmbeddedStore
from graph.store.users import create_user
from tests.edit.seeded import seeded_copy
from tests.pages.test_signin import PASSWORD, sign_in, token

TASK = "kle-32.03.16"
ADVICE = "kle-32.03.16-sof-raadgivende"  # SOF advises BIF's team on førtidspension
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    path = seeded_copy(tmp_path_factory.mktemp("edit-forms") / "store")
    store = EmbeddedStore(path)
    for name, role, forvaltning in (
        ("anna.sof", "editor", "sof"),
        ("bo.tmf", "editor", "tmf"),
        ("rita", "reviewer", None),
    ):
        create_user(store, name, PASSWORD, role=role, forvaltning=forvaltning)
    store.close()
    del store
    app = create_app(Settings(store_path=path, sparql_enabled=False, base_url="http://testserver"))
    with TestClient(app):
        yield app


def staff(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app)
    assert sign_in(client, name).status_code == 303  # type: ignore[attr-defined]
    return client


def head(app: FastAPI) -> int:
    return int(app.state.runtime.store.head().sequence)


def form_of(html: str) -> dict[str, Any]:
    """The hidden fields of the (first) edit form on a page."""
    return {unescape(k): unescape(v) for k, v in _HIDDEN.findall(html)}


def current(html: str) -> dict[str, Any]:
    """The values the form was read with (its ``oprindelig`` field) plus its hidden fields."""
    hidden = form_of(html)
    values: dict[str, Any] = json.loads(hidden["oprindelig"])
    return {**values, **hidden}


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=data, follow_redirects=False)


def handlers(client: TestClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/who", params={"task": TASK}).json()[
        "handlers"
    ]
    return found


def test_ret_is_shown_only_to_editors_of_the_administration(app: FastAPI) -> None:
    anonymous = TestClient(app).get(f"/id/task/{TASK}").text
    sof = staff(app, "anna.sof")
    tmf = staff(app, "bo.tmf")
    assert f'href="/ret/opgave/{TASK}"' not in anonymous
    assert f'href="/ret/opgave/{TASK}"' in sof.get(f"/id/task/{TASK}").text
    assert f'href="/ret/opgave/{TASK}"' not in tmf.get(f"/id/task/{TASK}").text
    assert (
        'href="/ret/enhed/sof-borgercenter-handicap"'
        in sof.get("/id/unit/sof-borgercenter-handicap").text
    )
    assert "/ret/enhed/" not in tmf.get("/id/unit/sof-borgercenter-handicap").text
    overview = sof.get(f"/ret/opgave/{TASK}").text
    assert f'href="/ret/ansvar/{ADVICE}"' in overview
    assert 'href="/ret/ansvar/kle-32.03.16-bif-jobcenter-udfoerende"' not in overview


def test_anonymous_is_sent_to_sign_in_and_reviewers_may_not_edit(app: FastAPI) -> None:
    response = TestClient(app).get(f"/ret/ansvar/{ADVICE}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?neste=%2Fret%2Fansvar%2F{ADVICE}"
    refused = staff(app, "rita").get(f"/ret/ansvar/{ADVICE}")
    assert refused.status_code == 403 and "Din rolle giver ikke adgang" in refused.text


def test_an_editor_corrects_a_responsibility_and_the_answer_changes(app: FastAPI) -> None:
    sof = staff(app, "anna.sof")
    before = {(h["unit"]["id"], h["role"]) for h in handlers(sof)}
    assert ("sof", "raadgivende") in before and ("sof", "vejledende") not in before
    data = current(sof.get(f"/ret/ansvar/{ADVICE}").text)
    data.update(
        rolle="vejledende",
        beskrivelse="Socialforvaltningen vejleder Jobcentrets visitationsteam om førtidspension.",
        alder_fra="",  # an empty optional age is no condition
        alder_til="",
        hjemmel=["pensionsloven-14a"],
    )
    response = post(sof, f"/ret/ansvar/{ADVICE}", data)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/id/task/{TASK}"
    after = {(h["unit"]["id"], h["role"]): h for h in handlers(sof)}
    assert ("sof", "raadgivende") not in after
    changed = after[("sof", "vejledende")]
    assert changed["description"].startswith("Socialforvaltningen vejleder Jobcentrets")
    assert [law["id"] for law in changed["legal_basis"]] == ["pensionsloven-14a"]
    page = sof.get(f"/id/task/{TASK}").text
    assert "Socialforvaltningen vejleder Jobcentrets visitationsteam" in page
    assert (
        "Socialforvaltningen vejleder Jobcentrets visitationsteam"
        in TestClient(app).get(f"/id/task/{TASK}").text
    )  # everyone sees the new answer


def test_another_administrations_editor_is_refused_even_with_a_forged_post(app: FastAPI) -> None:
    tmf = staff(app, "bo.tmf")
    assert tmf.get(f"/ret/ansvar/{ADVICE}").status_code == 403
    sof_form = current(staff(app, "anna.sof").get(f"/ret/ansvar/{ADVICE}").text)
    forged = {**sof_form, "csrf_token": token(tmf.get("/").text), "rolle": "indsigt"}
    start = head(app)
    response = post(tmf, f"/ret/ansvar/{ADVICE}", forged)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Du må kun ændre i din egen forvaltnings enheder (tmf)" in unescape(response.text)
    assert head(app) == start


def test_a_post_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    sof = staff(app, "anna.sof")
    data = current(sof.get(f"/ret/ansvar/{ADVICE}").text)
    start = head(app)
    for bad in ({k: v for k, v in data.items() if k != "csrf_token"}, {**data, "csrf_token": "x"}):
        response = post(sof, f"/ret/ansvar/{ADVICE}", {**bad, "note": "ændret"})
        assert response.status_code == 403 and "Formularen er afvist" in response.text
    assert head(app) == start


def test_invalid_input_is_said_beside_the_field_and_nothing_is_stored(app: FastAPI) -> None:
    sof = staff(app, "anna.sof")
    data = current(sof.get(f"/ret/ansvar/{ADVICE}").text)
    start = head(app)
    typed = {**data, "alder_fra": "atten", "gyldig_fra": "1. januar", "note": "Min note"}
    response = post(sof, f"/ret/ansvar/{ADVICE}", typed)
    assert response.status_code == 422
    text = response.text
    assert 'id="fejl-alder"' in text and "En alder er et helt antal år" in text
    assert 'id="fejl-gyldig_fra"' in text and "ÅÅÅÅ-MM-DD" in text
    assert 'value="atten"' in text and ">Min note</textarea>" in text  # the values typed
    rules = {**data, "kilde": "", "status": "bekraeftet", "gyldig_fra": "2027-02-01"}
    rules["gyldig_til"] = "2027-01-01"
    response = post(sof, f"/ret/ansvar/{ADVICE}", rules)
    assert response.status_code == 422
    assert 'id="fejl-kilde"' in response.text and "bekræftet faktum skal have" in response.text
    assert 'id="fejl-gyldig_til"' in response.text
    assert "Intet er gemt." in response.text
    assert head(app) == start


def test_a_stale_form_says_so_and_shows_what_changed(app: FastAPI) -> None:
    anna, other = staff(app, "anna.sof"), staff(app, "anna.sof")
    mine = current(anna.get(f"/ret/ansvar/{ADVICE}").text)
    theirs = current(other.get(f"/ret/ansvar/{ADVICE}").text)
    theirs["kilde_afsnit"] = "afsnit 4, rettet af en kollega"
    assert post(other, f"/ret/ansvar/{ADVICE}", theirs).status_code == 303
    start = head(app)
    response = post(anna, f"/ret/ansvar/{ADVICE}", {**mine, "note": "Min rettelse"})
    assert response.status_code == 409
    text = unescape(response.text)
    assert "Nogen har gemt en ændring, siden du åbnede formularen." in text
    assert re.search(
        r"<td>Afsnit i kilden</td><td>[^<]+</td><td>afsnit 4, rettet af en kollega", text
    )
    assert ">Min rettelse</textarea>" in text  # what I typed is kept
    assert head(app) == start
    again = current(response.text)  # the form now carries the new ETag: saving works
    assert post(anna, f"/ret/ansvar/{ADVICE}", {**again, "note": "Min rettelse"}).status_code == 303


def test_an_editor_adds_and_ends_a_responsibility(app: FastAPI) -> None:
    sof = staff(app, "anna.sof")
    page = sof.get(f"/ret/opgave/{TASK}/nyt-ansvar").text
    assert 'value="tmf"' not in page  # only the editor's own units are offered
    data = {
        "csrf_token": token(page),
        "enhed": "sof-borgercenter-handicap",
        "rolle": "indsigt",
        "beskrivelse": "Borgercenter Handicap får indsigt i sager om førtidspension.",
        "alder_fra": "18",
        "alder_til": "",
        "kilde": "kk-dk",
        "status": "antaget",
        "note": "Antaget, til centret har bekræftet det.",
    }
    assert post(sof, f"/ret/opgave/{TASK}/nyt-ansvar", data).status_code == 303
    new = next(h for h in handlers(sof) if h["unit"]["id"] == "sof-borgercenter-handicap")
    assert new["role"] == "indsigt" and new["conditions"]
    overview = sof.get(f"/ret/opgave/{TASK}").text
    found = re.search(
        r'href="/ret/ansvar/(kle-32\.03\.16-sof-borgercenter-handicap[^"]*)"', overview
    )
    assert found, "the new responsibility is listed to correct"
    ident = found.group(1)
    form = current(sof.get(f"/ret/ansvar/{ident}").text)
    ended = post(
        sof,
        f"/ret/ansvar/{ident}",
        {**form, "handling": "afslut", "slutdato": str(date.today() - timedelta(days=1))},
    )
    assert ended.status_code == 303
    assert "sof-borgercenter-handicap" not in {h["unit"]["id"] for h in handlers(sof)}


def test_an_editor_corrects_a_units_contact_point(app: FastAPI) -> None:
    sof = staff(app, "anna.sof")
    unit = "sof-borgercenter-handicap"
    data = current(sof.get(f"/ret/enhed/{unit}").text)
    assert data["kp0_etag"]
    start = head(app)
    bad = post(sof, f"/ret/enhed/{unit}", {**data, "kp0_email": "ikke en adresse"})
    assert bad.status_code == 422 and 'id="fejl-kp0_email"' in bad.text
    assert head(app) == start
    data["kp0_telefon"] = "33 17 33 17"
    response = post(sof, f"/ret/enhed/{unit}", data)
    assert response.status_code == 303 and response.headers["location"] == f"/id/unit/{unit}"
    assert "33 17 33 17" in sof.get(f"/id/unit/{unit}").text
    assert head(app) == start + 1
