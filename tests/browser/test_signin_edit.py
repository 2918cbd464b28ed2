"""A unit corrects its own part in Chromium: sign in, "Ret", save, see the answer change.

The server runs over a store of record of its own, with staff accounts made by the real
CLI (:func:`tests.browser.conftest.staff_server`). An editor of SOF corrects SOF's
responsibility for førtidspension (KLE 32.03.16) and sees the task page and
``/api/v1/who`` change; an editor of TMF sees no "Ret", and the same edit posted by them
is refused. Screenshots for the README: ``test-artifacts/browser/signin-*.png``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import STAFF_PASSWORD, Watched

pytestmark = pytest.mark.browser

TASK = "kle-32.03.16"
ADVICE = "kle-32.03.16-sof-raadgivende"
CORRECTED = "Socialforvaltningen vejleder Jobcentrets visitationsteam om førtidspension."

#: The elements that stick out past a 390 px screen (none, or the page scrolls sideways).
WIDEST = """() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5)
    .map((e) => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}`)"""


def sign_in(site: Watched, name: str) -> None:
    """Sign in from the task page's header link; the browser comes back to the task page."""
    page = site.page
    site.goto(f"/id/task/{TASK}")
    page.locator("header .staff").get_by_role("link", name="Log ind").click()
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(STAFF_PASSWORD)
    if name == "anna.sof":
        site.shot("signin-1-login")
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    assert page.url == f"{site.origin}/id/task/{TASK}", page.locator("main").inner_text()
    expect(page.locator("header .staff")).to_contain_text(name)


def who(site: Watched) -> set[tuple[str, str]]:
    answer: dict[str, Any] = site.page.request.get(f"{site.origin}/api/v1/who?task={TASK}").json()
    return {(h["unit"]["id"], h["role"]) for h in answer["handlers"]}


def test_an_editor_of_sof_corrects_a_responsibility_and_tmf_is_refused(
    staff_site: Watched,
) -> None:
    page = staff_site.page
    assert ("sof", "raadgivende") in who(staff_site)
    sign_in(staff_site, "anna.sof")
    page.locator(".edit-link").get_by_role("link", name="Ret").click()
    page.get_by_role("link", name="Ret rådgivende for Socialforvaltningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ret ansvar for 32.03.16")
    page.get_by_label("Rolle").select_option(label="vejledende")
    page.get_by_label("Beskrivelse").fill(CORRECTED)
    page.get_by_label("Fra (år)").fill("")  # an empty optional age is no condition
    staff_site.shot("signin-2-ret-formular")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(re.compile(rf"/id/task/{re.escape(TASK)}$"))
    expect(page.locator("main")).to_contain_text(CORRECTED)
    staff_site.shot("signin-3-resultat")
    answer = who(staff_site)
    assert ("sof", "vejledende") in answer and ("sof", "raadgivende") not in answer

    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        f"/ret/opgave/{TASK}",
        f"/ret/ansvar/{ADVICE}",
        "/ret/enhed/sof-borgercenter-handicap",
    ):
        staff_site.goto(path)
        wide = page.evaluate(WIDEST)
        assert not wide, (path, wide)  # no sideways scrolling on a phone
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("header .staff").get_by_role("button", name="Log ud").click()
    expect(page.locator("header .staff")).to_contain_text("Log ind")
    sign_in(staff_site, "bo.tmf")
    expect(page.locator(".edit-link")).to_have_count(0)  # no "Ret" for another administration
    refused = page.goto(f"{staff_site.origin}/ret/ansvar/{ADVICE}")
    assert refused is not None and refused.status == 403
    expect(page.locator("main")).to_contain_text("uden for din forvaltning")
    staff_site.shot("signin-4-afvist")
    staff_site.errors = [e for e in staff_site.errors if "403" not in e]  # the refusal itself
    token = page.locator("header .staff input[name=csrf_token]").get_attribute("value")
    forged = page.request.post(
        f"{staff_site.origin}/ret/ansvar/{ADVICE}",
        form={"csrf_token": token or "", "etag": "*", "rolle": "indsigt", "status": "antaget"},
        max_redirects=0,
    )
    assert forged.status == 403
    assert ("sof", "vejledende") in who(staff_site)  # nothing changed
    staff_site.assert_clean()
