"""The staff pages of issue 12, signed out and signed in: axe-core, phone width, one origin.

Every page a member of staff meets on the way to correcting or confirming a fact — sign-in,
the review queue, the change log, import, the report form, the Ret forms — is checked as
the public pages are (tests/browser/test_axe.py, test_layout.py): no WCAG 2.1 A/AA
violation, no sideways scrolling at 390 px, no request off the page's origin. The figures
go to ``test-artifacts/browser/figures.json`` (section ``axe, medarbejdersider``).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    STAFF_PASSWORD,
    Watched,
    assert_no_axe_violations,
    axe_violations,
    record_figure,
)

pytestmark = pytest.mark.browser

SIGNED_OUT = {
    "log ind": "/login",
    "gennemgang": "/gennemgang",
    "ændringer": "/aendringer",
    "meld en fejl": "/meld-fejl?om=task&id=kle-32.03.16",
}
SIGNED_IN = {
    **SIGNED_OUT,
    "gennemgang sof": "/gennemgang?forvaltning=sof",
    "indlæs regneark": "/import",
    "opgave med Ret": "/id/task/kle-32.03.16",
    "ret opgave": "/ret/opgave/kle-32.03.16",
    "ret ansvar": "/ret/ansvar/kle-32.03.16-sof-raadgivende",
    "nyt ansvar": "/ret/opgave/kle-32.03.16/nyt-ansvar",
    "ret enhed": "/ret/enhed/sof-borgercenter-handicap",
}
del SIGNED_IN["log ind"]  # signed in, /login is not a page staff stop at


def _readme_shot(site: Watched, name: str) -> None:
    """A screenshot of what the screen shows (not the whole page), for the README."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    site.page.screenshot(path=str(ARTIFACTS / f"readme-{name}.png"))


def _sign_in(site: Watched, name: str = "anna.sof", shot: bool = False) -> None:
    site.goto("/login")
    site.page.get_by_label("Brugernavn").fill(name)
    site.page.get_by_label("Adgangskode").fill(STAFF_PASSWORD)
    if shot:
        _readme_shot(site, "1-log-ind")
    with site.page.expect_navigation():
        site.page.get_by_role("button", name="Log ind").click()
    assert "Log ud" in site.page.locator("header").inner_text()


def _check(site: Watched, pages: dict[str, str], section: str) -> None:
    widths: dict[str, int] = {}
    for name, path in pages.items():
        for size in ({"width": 1280, "height": 800}, PHONE):
            site.page.set_viewport_size(size)
            site.goto(path)
            found = axe_violations(site.page)
            record_figure(section, f"{name} {size['width']} px", len(found))
            assert_no_axe_violations(site.page)
        widths[name] = site.page.evaluate("() => document.documentElement.scrollWidth")
    record_figure(section, "bredeste side ved 390 px", max(widths.values()))
    assert all(width <= PHONE["width"] for width in widths.values()), widths
    site.assert_clean()


def test_staff_pages_signed_out_pass_axe_and_fit_a_phone(staff_site: Watched) -> None:
    _check(staff_site, SIGNED_OUT, "axe, medarbejdersider (ikke logget ind)")


def test_staff_pages_signed_in_pass_axe_and_fit_a_phone(staff_site: Watched) -> None:
    page = staff_site.page
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(staff_site, shot=True)
    staff_site.goto("/ret/ansvar/kle-32.03.16-sof-raadgivende")
    _readme_shot(staff_site, "2-ret-ansvar")
    staff_site.goto("/gennemgang?forvaltning=sof")
    before = page.locator("#fremskridt-tekst").inner_text()
    first = page.locator(".review-row").first
    first.locator("summary", has_text="Bekræft").click()
    first.locator("input[name=kilde]").fill("https://www.kk.dk/om-kommunen/organisation")
    first.locator("button", has_text="Bekræft").click()
    page.wait_for_selector(".notice[role=status]")
    assert page.locator("#fremskridt-tekst").inner_text() != before
    _readme_shot(staff_site, "3-gennemgang")
    _check(staff_site, SIGNED_IN, "axe, medarbejdersider (logget ind)")
