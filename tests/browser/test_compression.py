"""Page weight in Chromium, with and without compression, first visit and repeat visit.

Each measurement uses a fresh browser context (an empty cache); "uden komprimering" asks
for ``Accept-Encoding: identity``, as a client that cannot decode gzip would. Bytes come
from the performance API (``transferSize`` of the page and every file it loaded) and go to
``test-artifacts/browser/figures.json`` (``sidevægt``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, page_weight, record_figure

pytestmark = pytest.mark.browser

WEIGHED = {"opgave": "/id/task/kle-32.03.16", "enhed med graf": "/id/unit/bif"}


@pytest.fixture(scope="module")
def fresh(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _weigh(
    browser: Browser, url: str, headers: dict[str, str]
) -> tuple[dict[str, int], dict[str, int]]:
    """The first visit's weight, and a second visit's (the same page, the same cache)."""
    context = browser.new_context(extra_http_headers=headers)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        first = page_weight(page)
        page.goto(url, wait_until="load")
        return first, page_weight(page)
    finally:
        context.close()


def test_compression_and_caching_shrink_what_a_page_costs(
    fresh: Browser, servers: dict[str, str]
) -> None:
    for name, path in WEIGHED.items():
        url = servers["real"] + path
        plain, _ = _weigh(fresh, url, {"Accept-Encoding": "identity"})
        packed, again = _weigh(fresh, url, {})
        record_figure("sidevægt (bytes)", f"{name}, uden komprimering", plain)
        record_figure("sidevægt (bytes)", f"{name}, gzip", packed)
        record_figure("sidevægt (bytes)", f"{name}, gzip, andet besøg", again)
        assert packed["requests"] == again["requests"] >= 3
        assert packed["decoded_bytes"] == plain["decoded_bytes"]  # the same page and files
        assert packed["transferred_bytes"] < plain["transferred_bytes"] / 3, (plain, packed)
        # immutable files come from the cache: a repeat visit fetches the page alone
        assert again["files_transferred_bytes"] == 0, again
