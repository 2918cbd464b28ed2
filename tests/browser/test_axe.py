"""axe-core on every page, signed out: no WCAG 2.1 A/AA violation, nothing off the origin.

axe-core (pinned in package-lock.json, installed by scripts/ensure_chromium.py) is added to
each page as an inline script, so the page stays same-origin; :meth:`Watched.assert_clean`
then checks that every request the page made went to the app itself. The violations per
page go to ``test-artifacts/browser/figures.json`` (``axe``), at desktop and phone size.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import PAGE_URLS, Watched, axe_violations, record_figure

pytestmark = pytest.mark.browser


def _check(watched: Watched, size: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, path in PAGE_URLS.items():
        watched.goto(path)
        watched.page.wait_for_load_state("load")
        violations = axe_violations(watched.page)
        record_figure(f"axe ({size})", name, [v["id"] for v in violations])
        if violations:
            found[path] = [f"{v['id']}: {v['help']} {v['targets']}" for v in violations]
    return found


def test_no_page_breaks_an_axe_rule_at_desktop_size(real: Watched) -> None:
    found = _check(real, "1280 px")
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
    real.assert_clean()


def test_no_page_breaks_an_axe_rule_on_a_phone(phone: Watched) -> None:
    found = _check(phone, "390 px")
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
    phone.assert_clean()
