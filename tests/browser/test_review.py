"""The review queue in Chromium: sign in, confirm an assumed fact, see the progress move;
report an error with "Meld en fejl" and find it in the queue.

The server runs over a store of record of its own (a copy of the seeded store); the editor
of SOF is made with the real CLI (``stafet user create``, the password piped on stdin).
Screenshots go to ``test-artifacts/browser/review-*.png``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.app_server import Server, stop, wait_until_healthy
from tests.browser.conftest import PROJECT_ROOT, START_TIMEOUT, Watched, _free_port, _watch

pytestmark = pytest.mark.browser

PASSWORD = "gennemgangen går videre"
EDITOR = "rita.sof"
_PROGRESS = re.compile(r"(\d+) af (\d+) antagne ansvar bekræftet i SOF")


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over its own store, with an editor of SOF; its base URL."""
    from tests.edit.seeded import seeded_copy

    store = seeded_copy(tmp_path_factory.mktemp("review-store") / "store")
    stafet = Path(sys.executable).with_name("stafet")
    env = {**os.environ, "STAFET_STORE_PATH": str(store)}
    subprocess.run(
        [str(stafet), "user", "create", EDITOR, "--role", "editor", "--forvaltning", "sof"],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        check=True,
        timeout=300,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env |= {
        "STAFET_SPARQL_ENABLED": "false",
        "STAFET_WARM_RDF": "false",
        "STAFET_BASE_URL": base,  # the CSRF check compares the form's Origin with it
    }
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = Server(base, subprocess.Popen(command, cwd=PROJECT_ROOT, env=env))
    try:
        wait_until_healthy(server, time.monotonic() + 2 * START_TIMEOUT)
        yield base
    finally:
        stop(server)


@pytest.fixture
def site(browser: BrowserContext, review_server: str) -> Iterator[Watched]:
    watched = _watch(browser, review_server)
    yield watched
    watched.page.close()
    browser.clear_cookies()


def sign_in(site: Watched) -> None:
    site.goto("/login?neste=%2Fgennemgang")
    site.page.fill("#navn", EDITOR)
    site.page.fill("#adgangskode", PASSWORD)
    site.page.click("form button[type=submit]")
    site.page.wait_for_url("**/gennemgang")


def progress(site: Watched) -> tuple[int, int]:
    found = _PROGRESS.search(site.page.inner_text("#fremskridt-tekst"))
    assert found, site.page.inner_text("#fremskridt-tekst")
    return int(found.group(1)), int(found.group(2))


def test_an_editor_confirms_an_assumed_fact_and_the_progress_moves(site: Watched) -> None:
    sign_in(site)
    done, assumed = progress(site)
    assert assumed > done
    site.shot("review-queue")
    first = site.page.locator(".review-row").first
    fact = first.locator("p a").first.inner_text()
    first.locator("summary", has_text="Bekræft").click()
    first.locator("input[name=kilde]").fill("https://www.kk.dk/borger/handicap")
    first.locator("button", has_text="Bekræft").click()
    site.page.wait_for_selector(".notice[role=status]")
    assert progress(site) == (done + 1, assumed)
    assert fact not in [a.inner_text() for a in site.page.locator(".review-row p a").all()]
    site.shot("review-confirmed")
    site.goto("/aendringer?slags=confirm")
    assert EDITOR in site.page.inner_text("main")
    site.assert_clean()


def test_a_report_from_meld_en_fejl_appears_in_the_queue(site: Watched) -> None:
    site.goto("/id/task/kle-32.03.16")
    site.page.click("#meld-fejl")
    site.page.wait_for_selector("#tekst")
    ours = [o for o in site.page.locator("#fakta option").all_inner_texts() if "(rådgivende)" in o]
    assert ours and ours[0].startswith("Socialforvaltningen (rådgivende)")  # SOF's own fact
    site.page.select_option("#fakta", label=ours[0])
    site.page.fill("#tekst", "Telefonnummeret til Ydelsesservice er forkert på siden.")
    site.shot("review-report-form")
    site.page.click("form.report-form button[type=submit]")
    site.page.wait_for_selector(".notice[role=status]")
    assert "Fejlmeldingen er sendt" in site.page.inner_text("main")
    sign_in(site)
    site.goto("/gennemgang")  # an editor's own administration: SOF
    disputes = site.page.inner_text("#indsigelser + ul")
    assert "Telefonnummeret til Ydelsesservice er forkert på siden." in disputes
    assert "Fejlmelding fra Meld en fejl" in disputes
    site.shot("review-report-in-queue")
    site.assert_clean()
