"""Compression and caching: pages link content-hash assets, text goes gzipped.

The app answers the real Copenhagen data; httpx (under TestClient) asks for gzip like a
browser and decodes it, so ``content-encoding`` says what went over the wire.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.pages.assets import ASSETS, asset_body

HASHED = re.compile(r"""(?:href|src)="(/assets/[\w.-]+\.[0-9a-f]{10}\.(?:min\.js|js|css))\"""")


def _linked(client: TestClient, path: str) -> list[str]:
    return HASHED.findall(client.get(path).text)


def test_pages_link_only_hashed_assets(client: TestClient) -> None:
    linked = _linked(client, "/id/unit/bif")
    assert set(linked) == {ASSETS[n] for n in ASSETS}, linked
    page = client.get("/id/unit/bif").text
    assert "/static/stafet.css" not in page and "/assets/network.js" not in page
    assert set(_linked(client, "/")) == {ASSETS["stafet_css"], ASSETS["stafet_js"]}


def test_a_hashed_asset_is_immutable_gzipped_and_answers_304(client: TestClient) -> None:
    address = ASSETS["vis_js"]
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.content == asset_body("vis_js")  # decoded by httpx
    wire = int(response.headers["content-length"])
    assert wire < len(asset_body("vis_js")) / 3  # 458 KB of JavaScript compresses well
    again = client.get(address, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    plain = client.get(address, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == asset_body("vis_js")


def test_the_hash_is_the_content(client: TestClient) -> None:
    css = client.get(ASSETS["stafet_css"])
    assert css.content == asset_body("stafet_css")
    wrong = ASSETS["stafet_css"].replace(".css", "0.css")
    assert client.get(wrong).status_code == 404


def test_pages_json_and_problems_go_gzipped(client: TestClient) -> None:
    page = client.get("/id/unit/bif", headers={"accept": "text/html"})
    assert page.headers["content-encoding"] == "gzip" and "<h1>" in page.text
    assert "Accept-Encoding" in page.headers["vary"] and "Accept" in page.headers["vary"]
    data = client.get("/api/v1/who?task=kle-32.03.16")
    assert data.headers["content-encoding"] == "gzip" and data.json()["task"]["id"]
    problem = client.get("/api/v1/units/findes-ikke")  # small: sent as it is
    assert problem.status_code == 404
    assert problem.headers["content-type"].startswith("application/problem+json")
    assert problem.json()["status"] == 404


def test_a_client_without_gzip_gets_plain_text(client: TestClient) -> None:
    response = client.get("/koordination", headers={"accept-encoding": "identity"})
    assert response.status_code == 200 and "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)
