"""What a member of staff meets when something is missing or wrong, in a real Chromium.

An empty optional age is no value; an unknown unit is a Danish page in the site's layout
with "Mente du …" links that lead on; a tool asking the same addresses still gets
problem+json. A 404 page makes Chromium log "Failed to load resource" for the page itself,
which is the status doing its job: only that line is let through.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Watched

pytestmark = pytest.mark.browser


def _clean_but_the_status(watched: Watched) -> None:
    """Clean, apart from Chromium's own console line for a page answered 4xx."""
    watched.errors[:] = [e for e in watched.errors if "Failed to load resource" not in e]
    watched.assert_clean()


def test_an_empty_age_works_on_the_referral_form(real: Watched) -> None:
    page = real.page
    real.goto("/henvisning")
    page.get_by_label("Jeg sidder i").select_option("bif")
    page.get_by_label("Opgave", exact=True).fill("kle-32.03.16")
    expect(page.get_by_label("Borgerens alder (valgfri)")).to_have_value("")
    page.get_by_role("button", name="Find vejen").click()
    page.wait_for_url(re.compile(r".*/henvisning\?.*alder=$"))  # the form sent alder=
    expect(page.get_by_role("heading", name="Vejen, trin for trin")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("skal være et helt tal")
    real.shot("fejl-01-henvisning-uden-alder")
    real.assert_clean()


def test_an_empty_age_works_on_the_task_page(real: Watched) -> None:
    page = real.page
    real.goto("/id/task/kle-27.60?alder=70")
    age = page.locator("form.age").get_by_label("Borgerens alder (år)")
    age.fill("")
    page.locator("form.age").get_by_role("button", name="Vis").click()
    page.wait_for_url(re.compile(r".*/id/task/kle-27\.60\?alder=$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hjælpemidler")
    expect(page.locator("p.answer")).to_contain_text("Borgercenter Handicap")  # every age
    real.assert_clean()


def test_an_unknown_unit_is_a_danish_page_with_suggestions(real: Watched) -> None:
    page = real.page
    response = page.goto(real.origin + "/id/unit/bfi")
    assert response is not None and response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fandt ingen enhed 'bfi'.")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()  # site layout
    expect(page.get_by_role("search").get_by_role("combobox")).to_have_value("bfi")
    real.shot("fejl-02-ukendt-enhed")
    page.get_by_role(
        "link", name="Beskæftigelses-, Integrations- og Erhvervsforvaltningen"
    ).last.click()
    page.wait_for_url("**/id/unit/bif")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beskæftigelses-")
    _clean_but_the_status(real)


def test_an_unknown_from_unit_is_not_replaced_by_the_remembered_one(real: Watched) -> None:
    page = real.page
    real.goto("/henvisning")
    page.evaluate("() => window.localStorage.setItem('stafet.fra', 'bif')")
    response = page.goto(real.origin + "/henvisning?fra=ukendt-enhed&opgave=kle-32.03.16")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("Fandt ingen enhed 'ukendt-enhed'.")
    expect(page.get_by_label("Jeg sidder i")).to_have_value("")  # not BIF from memory
    expect(page.get_by_role("heading", name="Vejen, trin for trin")).to_have_count(0)
    first = page.get_by_role("alert").get_by_role("link").first
    expect(first).to_have_attribute("href", re.compile(r"/henvisning\?fra=.+&opgave=kle-32"))
    real.shot("fejl-03-ukendt-fra-enhed")
    _clean_but_the_status(real)


def test_tools_still_get_problem_json(real: Watched) -> None:
    for accept in ("*/*", "application/json", "application/problem+json"):
        response = real.page.request.get(
            real.origin + "/henvisning?fra=ukendt-enhed&opgave=kle-32.03.16&alder=x",
            headers={"accept": accept},
        )
        assert response.status == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == "https://stafet.kk.dk/problems/invalid-parameter"
    response = real.page.request.get(real.origin + "/id/unit/bfi", headers={"accept": "*/*"})
    assert response.status == 404 and response.json()["suggestions"][0]["id"] == "bif"
