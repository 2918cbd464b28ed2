"""Labels that try to run code stay text, and links from the data stay http(s)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.pages.worlds import EVIL, RAW

PAGES = [
    "/",
    "/?q=" + quote(EVIL),
    "/id/unit/evil",
    "/id/unit/b",
    "/id/task/kle-01.01.02",
    "/id/law/evil",
    "/id/forum/evil-forum",
    "/henvisning?fra=a&opgave=kle-01.01.02",
    "/henvisning?fra=" + quote(EVIL) + "&opgave=" + quote(EVIL),
    "/samarbejde?a=a&b=b",
    "/samarbejde?a=" + quote(EVIL) + "&b=b",
    "/koordination",
    "/kommunen",
]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_labels_are_escaped(evil_client: TestClient, path: str) -> None:
    response = evil_client.get(path, headers={"accept": "text/html"})
    assert response.status_code in (200, 404, 422), response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    for raw in RAW:
        assert raw not in response.text, raw
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", response.text, re.I)


def test_the_label_is_shown_as_text(evil_client: TestClient) -> None:
    page = evil_client.get("/id/unit/evil").text
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>" in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # in the graph's JSON
    assert 'href="mailto:borger@example.org"' in page
    assert "mailto:javascript" not in page and 'href="javascript:' not in page


def test_a_law_link_with_another_scheme_is_dropped(evil_client: TestClient) -> None:
    page = evil_client.get("/id/task/kle-01.01.02").text
    assert "javascript:alert(12)" not in page
    assert "ingen ELI-adresse i data" in page


def test_the_json_twin_carries_the_label_unchanged(evil_client: TestClient) -> None:
    data = evil_client.get("/henvisning.json", params={"fra": "a", "opgave": "kle-01.01.02"}).json()
    assert data["referral"]["to"]["label"] == EVIL
