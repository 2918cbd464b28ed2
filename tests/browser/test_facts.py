"""In Chromium: a member of staff on a task page finds the unit's phone (a ``tel:`` link),
its opening hours, the citizen's own page on kk.dk, and under the answer who owns the fact
and whether it is confirmed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Watched

pytestmark = pytest.mark.browser


def test_the_task_page_gives_phone_hours_service_page_and_owner(real: Watched) -> None:
    page = real.page
    real.goto("/id/task/kle-27.57.16")
    handler = page.locator("li.handler").first
    phone = handler.get_by_role("link", name="33 17 41 22")
    expect(phone).to_have_attribute("href", "tel:+4533174122")
    expect(handler).to_contain_text("Åbningstid: Hverdage kl. 10–13")
    service = page.get_by_role("link", name="Bekymret for en hjemløs (kk.dk)")
    expect(service).to_have_attribute(
        "href",
        "https://www.kk.dk/borger/udsatte-og-socialpsykiatri/hjemloese/bekymret-for-en-hjemloes",
    )
    meta = handler.locator(".fact-meta")
    expect(meta).to_contain_text("Ejer: Hjemløse- og Udsatteenheden")
    expect(meta).to_contain_text("Står i kilden; ikke gennemgået af enheden endnu.")
    real.shot("facts-opgave-kontakt-og-ejer")
    real.assert_clean()


def test_an_assumed_fact_says_why_on_a_phone(real: Watched) -> None:
    page = real.page
    page.set_viewport_size({"width": 390, "height": 844})
    real.goto("/id/task/kle-32.21")
    meta = page.locator("li.handler .fact-meta").first
    expect(meta).to_contain_text("Ikke bekræftet – antaget:")
    box = meta.bounding_box()  # the long reason wraps inside the phone's width
    assert box is not None and box["x"] + box["width"] <= 390, box
    real.assert_clean()
