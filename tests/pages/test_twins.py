"""Every page has a machine twin (datasette's habit): one test walks all the page routes."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from api.pages import routes as pages
from api.pages.common import CSP

#: (page, its JSON twin). Every HTML route of the pages router appears here.
PAGES = [
    ("/", "/index.json"),
    ("/?q=f%C3%B8rtidspension", "/index.json?q=f%C3%B8rtidspension"),
    ("/id/task/kle-32.03.16", "/id/task/kle-32.03.16.json"),
    ("/id/task/kle-27.60?alder=70", "/id/task/kle-27.60.json?alder=70"),
    ("/id/unit/bif", "/api/v1/units/bif"),
    ("/henvisning", "/henvisning.json"),
    (
        "/henvisning?fra=borgerraadgiveren&opgave=kle-32.03.16",
        "/henvisning.json?fra=borgerraadgiveren&opgave=kle-32.03.16",
    ),
    ("/samarbejde", "/samarbejde.json"),
    ("/samarbejde?a=buf&b=sof", "/samarbejde.json?a=buf&b=sof"),
    ("/koordination", "/koordination.json"),
    ("/kommunen", "/kommunen.json"),
    ("/gennemgang", "/gennemgang.json"),
    (
        "/gennemgang?forvaltning=bif&hovedgruppe=15",
        "/gennemgang.json?forvaltning=bif&hovedgruppe=15",
    ),
    ("/aendringer", "/aendringer.json"),
]
#: Forms without a JSON twin (their answers are pages; tests/pages/test_review.py walks them).
FORMS = {"/import", "/import/bekraeft", "/meld-fejl", "/gennemgang/{action}"}
ASSETS = ["/assets/vis-network-9.1.2.min.js", "/assets/vis-network-9.1.2.css", "/assets/network.js"]
#: Sites a page may link to (a link is followed only when clicked; nothing loads from them).
LINKED_SITES = {"www.retsinformation.dk", "retsinformation.dk", "www.kk.dk", "kk.dk"}


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: dict[str, str] = {}
        self.loads: list[str] = []
        self.links: list[str] = []
        self.fields: list[tuple[str, str]] = []
        self.labelled: set[str] = set()
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["type"]] = a["href"]
        elif tag == "link" or (tag in ("script", "img", "iframe") and "src" in a):
            self.loads.append(a.get("href") or a.get("src", ""))
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.fields.append((tag, a.get("id", "")))
        if tag == "label" and "for" in a:
            self.labelled.add(a["for"])


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def link_header(response: object) -> dict[str, str]:
    text = response.headers.get("link", "")  # type: ignore[attr-defined]
    return {
        kind: url for url, kind in re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', text)
    }


def test_every_page_route_is_walked() -> None:
    walked = {urlsplit(page).path for page, _ in PAGES} | {urlsplit(t).path for _, t in PAGES}
    routes = {r.path for f in pages.FAMILIES for r in f.router.routes if isinstance(r, Route)}
    assert len(routes) > 15
    html_routes = {path for path in routes if not path.startswith("/assets/")}
    templated = {"/id/task/{ident}", "/id/task/{ident}.json", "/id/unit/{ident}", *FORMS}
    assert html_routes - templated <= walked, html_routes - templated - walked
    assert {path for path in routes if path.startswith("/assets/")} >= set(ASSETS)


@pytest.mark.parametrize(("path", "twin"), PAGES)
def test_page_names_its_json_twin(pages_client: TestClient, path: str, twin: str) -> None:
    response = pages_client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert page.lang == "da"
    assert page.alternates["application/json"] == twin
    # A resource's URI names its API resource as JSON too; the page's own twin comes first.
    named = f'<http://testserver{twin}>; rel="alternate"; type="application/json"'
    assert (
        response.headers["link"].startswith(named)
        or link_header(response)["application/json"] == "http://testserver" + twin
    )
    data = pages_client.get(twin)
    assert data.status_code == 200
    assert data.headers["content-type"].startswith("application/json")
    assert data.json() is not None
    if not twin.startswith("/api/"):
        assert link_header(data)["text/html"] == "http://testserver" + path


@pytest.mark.parametrize(("path", "twin"), PAGES)
def test_page_loads_nothing_from_elsewhere(pages_client: TestClient, path: str, twin: str) -> None:
    response = pages_client.get(path)
    assert response.headers["content-security-policy"] == CSP
    page = parse(response.text)
    for url in page.loads:
        assert (url.startswith("/") and not url.startswith("//")) or url == "data:,", url
    assert not re.search(
        r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"']*\.(?:js|css)""", response.text
    )
    for url in page.links:
        parts = urlsplit(url)
        assert parts.scheme in ("", "http", "https", "tel", "mailto"), url
        if parts.scheme in ("http", "https"):
            assert parts.hostname in LINKED_SITES, url


@pytest.mark.parametrize(("path", "twin"), PAGES)
def test_every_field_has_a_label(pages_client: TestClient, path: str, twin: str) -> None:
    page = parse(pages_client.get(path).text)
    for tag, ident in page.fields:
        assert ident and ident in page.labelled, (tag, ident)


@pytest.mark.parametrize(("path", "twin"), PAGES)
def test_internal_links_answer(pages_client: TestClient, path: str, twin: str) -> None:
    page = parse(pages_client.get(path).text)
    internal = sorted({u for u in page.links if u.startswith("/") and not u.startswith("//")})
    for url in internal[:40]:
        assert pages_client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", ASSETS)
def test_scripts_and_styles_are_served_by_the_app(pages_client: TestClient, path: str) -> None:
    response = pages_client.get(path)
    assert response.status_code == 200
    kind = "javascript" if path.endswith(".js") else "css"
    assert kind in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_vis_network_is_the_wheel_copy_with_its_licence(pages_client: TestClient) -> None:
    text = pages_client.get(ASSETS[0]).text
    assert "@version 9.1.2" in text[:600] and "MIT License" in text[:1200]


def test_the_colour_legend_is_a_stylesheet(pages_client: TestClient) -> None:
    css = pages_client.get("/assets/farver.css").text
    assert ".farve-bif { background-color: #e15759; }" in css


def test_html_twin_of_a_uri_keeps_its_link_headers(pages_client: TestClient) -> None:
    response = pages_client.get("/id/unit/bif")
    found = link_header(response)
    assert found["text/turtle"] == "http://testserver/id/unit/bif.ttl"
    assert found["application/json"] == "http://testserver/api/v1/units/bif"
    # the representation depends on Accept; gzip (issue 12) on Accept-Encoding
    assert response.headers["vary"] == "Accept, Accept-Encoding"


def test_front_page_twin_holds_the_best_answer(pages_client: TestClient) -> None:
    query = {"q": "førtidspension"}
    page = pages_client.get("/", params=query).text
    best = pages_client.get("/index.json", params=query).json()["best"]
    assert best["id"] == "kle-32.03.16" and best["handlers"]
    shown = re.search(r'<div class="answer best">(.*?)</div>', page, re.S)
    assert shown is not None
    assert best["label"] in shown.group(1)
    for handler in best["handlers"]:
        assert f"{handler['role'].capitalize()}: {handler['unit']}" in shown.group(1)
    assert pages_client.get("/index.json").json()["best"] is None


def who_units(data: dict[str, object], role: str) -> set[str]:
    groups = data["summary"]
    assert isinstance(groups, list)
    return {unit for group in groups if group["role"] == role for unit in group["units"]}


@pytest.mark.parametrize(
    ("age", "owner"), [(30, "Borgercenter Handicap"), (70, "Hjælpemiddelcentret")]
)
def test_task_page_twin_holds_the_who_answer_for_the_age(
    pages_client: TestClient, age: int, owner: str
) -> None:
    page = pages_client.get("/id/task/kle-27.60", params={"alder": age}).text
    data = pages_client.get("/id/task/kle-27.60.json", params={"alder": age}).json()
    assert data["age"] == age and data["who"]["age"] == age
    assert data["task"]["id"] == "kle-27.60"
    assert who_units(data, "ansvarlig") == {owner}
    in_short = page.split("Kort sagt:")[1].split("</p>")[0]
    for group in data["summary"]:
        assert f"{group['role'].capitalize()}: {', '.join(group['units'])}" in in_short
    handlers = {h["unit"]["label"] for h in data["who"]["handlers"]}
    assert handlers and all(html.escape(label) in page for label in handlers)


def test_task_page_twin_without_an_age_is_the_page_without_one(pages_client: TestClient) -> None:
    data = pages_client.get("/id/task/kle-27.60.json").json()
    assert data["age"] is None and data["who"]["age"] is None
    assert who_units(data, "ansvarlig") >= {"Borgercenter Handicap", "Hjælpemiddelcentret"}
