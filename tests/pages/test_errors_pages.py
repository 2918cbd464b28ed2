"""Errors a member of staff meets in a browser: Danish pages, the same status as for tools.

A browser (``Accept: text/html…``) gets the site's layout with what was not found, "Mente
du …" links and a search box; curl (``*/*``), ``application/json`` and problem+json keep
problem+json. An empty optional field is no value.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.deps import get_knowledge
from api.main import create_app
from api.settings import Settings
from tests.api.helpers import assert_problem

#: What Chromium sends when it opens a page.
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TOOLS = [{"accept": "*/*"}, {"accept": "application/json"}, {"accept": "application/problem+json"}]
LONG = "førtidspension " * 14  # 210 characters

#: name -> (method, url, status, problem type, what the page says)
CASES: dict[str, tuple[str, str, int, str, str]] = {
    "unknown task": ("GET", "/id/task/kle-99.99", 404, "unknown-entity", "Fandt ingen opgave"),
    "unknown unit": ("GET", "/id/unit/bfi", 404, "unknown-entity", "Fandt ingen enhed 'bfi'."),
    "bad parameter": (
        "GET",
        "/kommunen?klynger=måske",
        422,
        "invalid-parameter",
        "Valget af klynger skal være en af 'ja' eller 'nej' (fik 'måske').",
    ),
    "bad age": (
        "GET",
        "/id/task/kle-27.60?alder=gammel",
        422,
        "invalid-parameter",
        "Borgerens alder skal være et helt tal (fik 'gammel').",
    ),
    "unknown address": ("GET", "/ingen/steder", 404, "not-found", "Siden findes ikke"),
    "long search": ("GET", "/?q=" + LONG, 422, "invalid-parameter", "højst have 200 tegn"),
    "wrong method": ("DELETE", "/henvisning", 405, "method-not-allowed", "kan ikke bruges sådan"),
}


def _main(page: str) -> str:
    match = re.search(r"<main.*?</main>", page, re.S)
    assert match, "the page has the site's layout"
    return html.unescape(match.group(0))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_browser_gets_a_danish_error_page(
    pages_client: TestClient, case: tuple[Any, ...]
) -> None:
    method, url, status, _, says = case
    response = pages_client.request(method, url, headers=BROWSER)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    page = response.text
    assert '<html lang="da">' in page and 'aria-label="Hovedmenu"' in page  # the site's layout
    main = _main(page)
    assert f"Fejl {status}" in main and says in main, main
    assert 'role="search"' in page and 'name="q"' in page  # a way on
    assert "problems/" not in page and '"detail"' not in page  # no JSON for staff


@pytest.mark.parametrize("accept", TOOLS, ids=lambda h: h["accept"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_tools_keep_problem_json(
    pages_client: TestClient, case: tuple[Any, ...], accept: dict[str, str]
) -> None:
    method, url, status, slug, _ = case
    if slug == "unknown-entity" and accept["accept"] != "*/*":
        status, slug = 406, "not-acceptable"  # a URI offers HTML and RDF, not JSON (as before)
    assert_problem(pages_client.request(method, url, headers=accept), status, slug)


def test_the_api_stays_problem_json_in_a_browser(pages_client: TestClient) -> None:
    for url in ("/api/v1/units/bfi", "/henvisning.json?fra=bfi&opgave=x", "/id/unit/bfi.ttl"):
        response = pages_client.get(url, headers=BROWSER)
        assert response.headers["content-type"].startswith("application/problem+json"), url


def test_an_unknown_unit_page_offers_the_nearest(pages_client: TestClient) -> None:
    main = _main(pages_client.get("/id/unit/bfi", headers=BROWSER).text)
    assert "Mente du …" in main
    assert (
        '<a href="/id/unit/bif">Beskæftigelses-, Integrations- og Erhvervsforvaltningen</a>' in main
    )
    assert 'value="bfi"' in main  # the search box holds what was asked, ready to search


def test_a_search_that_is_too_long_keeps_the_text_to_shorten(pages_client: TestClient) -> None:
    main = _main(pages_client.get("/", params={"q": LONG}, headers=BROWSER).text)
    assert "Søgeteksten må højst have 200 tegn." in main and "'q'" not in main
    assert f'value="{LONG[:200]}" maxlength="200"' in main


def test_an_unexpected_error_is_a_danish_500_page() -> None:
    app = create_app(Settings(sparql_enabled=False, warm_rdf=False, base_url="http://testserver"))

    def broken() -> None:
        raise KeyError("a bug")

    app.dependency_overrides[get_knowledge] = broken
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/henvisning", headers=BROWSER)
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    main = _main(response.text)
    assert "Der skete en fejl hos Stafet" in main and "a bug" not in main
    assert_problem(client.get("/henvisning"), 500, "server-error")


@pytest.mark.parametrize(
    "url",
    [
        "/henvisning?fra=bif&opgave=førtidspension",
        "/id/task/kle-27.60",
        "/api/v1/who?task=hjælpemidler",
        "/api/v1/referral?from=bif&task=førtidspension",
    ],
)
def test_an_empty_age_is_no_age(pages_client: TestClient, url: str) -> None:
    name = "age" if url.startswith("/api/") else "alder"
    without = pages_client.get(url, headers=BROWSER)
    empty = pages_client.get(f"{url}&{name}=" if "?" in url else f"{url}?{name}=", headers=BROWSER)
    assert without.status_code == empty.status_code == 200, empty.text[:300]
    if url.startswith("/api/"):
        assert empty.json() == without.json()
    else:
        assert _main(empty.text) == _main(without.text)


def test_any_empty_optional_field_is_absent(pages_client: TestClient) -> None:
    assert pages_client.get("/kommunen?klynger=").status_code == 200
    assert pages_client.get("/samarbejde?a=bif&b=sof&opgave=").status_code == 200
    assert pages_client.get("/id/unit/bif?dato=&fokus=&dybde=").status_code == 200
    # a required parameter left empty is missing, as before
    assert_problem(pages_client.get("/api/v1/search?q="), 422, "invalid-parameter")


def test_an_unknown_from_unit_is_said_and_not_replaced(pages_client: TestClient) -> None:
    response = pages_client.get(
        "/henvisning",
        params={"fra": "ukendt-enhed", "opgave": "førtidspension", "alder": ""},
        headers=BROWSER,
    )
    assert response.status_code == 404
    main = _main(response.text)
    assert "Fandt ingen enhed 'ukendt-enhed'." in main and "Mente du:" in main
    assert "Vejen, trin for trin" not in main  # no answer for some other unit
    assert "data-remember" not in main  # the browser's remembered unit does not fill in
    assert main.index("Fandt ingen enhed") < main.index('<form method="get"')  # seen first
    links = re.findall(r'<a href="(/henvisning\?fra=[^"]+)">', main)
    assert links and all("opgave=f%C3%B8rtidspension" in link for link in links)


def test_an_unknown_administration_is_said_with_the_nearest(pages_client: TestClient) -> None:
    response = pages_client.get("/samarbejde", params={"a": "bfi", "b": "sof"}, headers=BROWSER)
    assert response.status_code == 404
    main = _main(response.text)
    assert "Fandt ingen enhed 'bfi'." in main
    assert '<a href="/samarbejde?a=bif&b=sof">' in main
    assert "Fælles opgaver (" not in main  # nothing answered for another administration


def test_counts_agree_with_their_nouns(pages_client: TestClient) -> None:
    lead = _main(pages_client.get("/samarbejde", params={"a": "bif", "b": "kff"}).text)
    assert "1 fælles forum," in lead and "0 medlemskaber" in lead
    assert "1 fælles fora" not in lead and "1 medlemskaber" not in lead
