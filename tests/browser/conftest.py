"""Real Chromium (Debian's, never a downloaded build) against real uvicorn servers.

Two servers start once per session on free loopback ports: the real Copenhagen data, and
the mini world with hostile labels. Each test gets a fresh page that records console
errors, uncaught exceptions, dialogs and every request it makes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from tests.app_server import Server, stop, wait_until_healthy
from tests.pages.worlds import evil_data_dir

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Screenshots and measured figures, kept after the run (gitignored).
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(env_extra: dict[str, str], *, own_base_url: bool = False) -> Server:
    """Start an app server on a free port; ``own_base_url``: its base_url is that address
    (a form's ``Origin`` is checked against it)."""
    port = _free_port()
    env = {
        **os.environ,
        "STAFET_SPARQL_ENABLED": "false",  # the pages never ask SPARQL
        "STAFET_WARM_RDF": "false",
        **env_extra,
    }
    if own_base_url:
        env["STAFET_BASE_URL"] = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    return Server(f"http://127.0.0.1:{port}", process)


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """``{"real": base URL, "evil": base URL}``; both start at once, then both are awaited."""
    folder = tmp_path_factory.mktemp("evil-world")
    started = {
        "real": _start({}),
        "evil": _start(
            {
                "STAFET_DATA_DIR": str(evil_data_dir(folder / "data")),
                "STAFET_CACHE_DIR": str(folder / "cache"),
            }
        ),
    }
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for server in started.values():
            wait_until_healthy(server, deadline)
        yield {name: server.base for name, server in started.items()}
    finally:
        for server in started.values():
            stop(server)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} mangler: kør scripts/ensure_chromium.py (make test gør det)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """Chromium with a fresh profile of its own (a new user-data dir)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1280, "height": 900},
        locale="da-DK",
        service_workers="block",
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@dataclass
class Watched:
    """A page and everything it did: console errors, exceptions, dialogs, requests."""

    page: Page
    origin: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.origin + path)
        assert response is not None and response.ok, (path, response and response.status)

    def settled(self, selector: str = "#graf", timeout: float = 15_000) -> dict[str, int]:
        """Wait for a graph to settle; its timings in ms (see graph/templates/network.js)."""
        self.page.wait_for_selector(f"{selector}[data-settled-ms]", timeout=timeout)
        found: dict[str, int] = self.page.evaluate(
            """(selector) => {
                const c = document.querySelector(selector);
                return {
                    stabilized_ms: +c.getAttribute("data-stabilized-ms"),
                    settled_ms: +c.getAttribute("data-settled-ms"),
                    settled_since_load_ms: +c.getAttribute("data-settled-since-load-ms"),
                    nodes: c.stafetNetwork.body.nodeIndices.length,
                    canvases: c.querySelectorAll("canvas").length,
                };
            }""",
            selector,
        )
        return found

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        """No console error, no uncaught exception, no dialog, no request off the origin."""
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        foreign = [
            url
            for url in self.requests
            if not (url == self.origin or url.startswith(self.origin + "/"))
            and not url.startswith("data:")
        ]
        assert not foreign, foreign


def _watch(context: BrowserContext, origin: str) -> Watched:
    page = context.new_page()
    watched = Watched(page, origin)

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and "Unknown option" in message.text:
            watched.errors.append(message.text)  # vis-network's option validator
        elif message.type == "error":
            watched.errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: watched.errors.append(f"pageerror: {error}"))
    page.on("request", lambda request: watched.requests.append(request.url))

    def dialog(d: object) -> None:
        watched.dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", dialog)
    return watched


@pytest.fixture
def real(browser: BrowserContext, servers: dict[str, str]) -> Iterator[Watched]:
    watched = _watch(browser, servers["real"])
    yield watched
    watched.page.close()


@pytest.fixture
def evil(browser: BrowserContext, servers: dict[str, str]) -> Iterator[Watched]:
    watched = _watch(browser, servers["evil"])
    yield watched
    watched.page.close()


# -- issue 12: every page at phone size, axe-core, figures for the issue -----------------

#: Real pages a member of staff opens, signed out (one of each kind, with real answers).
PAGE_URLS = {
    "forside": "/",
    "forside med søgning": "/?q=f%C3%B8rtidspension",
    "opgave": "/id/task/kle-32.03.16",
    "opgave med alder": "/id/task/kle-27.60?alder=70",
    "enhed": "/id/unit/bif",
    "enhed kk": "/id/unit/kk",
    "henvisning": "/henvisning",
    "henvisning med svar": "/henvisning?fra=borgerraadgiveren&opgave=kle-32.03.16",
    "samarbejde": "/samarbejde",
    "samarbejde buf–sof": "/samarbejde?a=buf&b=sof",
    "koordination": "/koordination",
    "kommunen": "/kommunen",
    "forum": "/id/forum/koordinationsgruppen",
    "api-dokumentation": "/docs",
}
#: The phone the tester used (an iPhone 12–15 in CSS pixels).
PHONE = {"width": 390, "height": 844}
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def record_figure(section: str, name: str, value: object) -> None:
    """Keep a measured figure in ``test-artifacts/browser/figures.json`` (for the issue)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "figures.json"
    found: dict[str, dict[str, object]] = json.loads(path.read_text()) if path.exists() else {}
    found.setdefault(section, {})[name] = value
    path.write_text(json.dumps(found, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8") + "\n;typeof window.axe"


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Run axe-core (WCAG 2 A/AA rules) on the page as it is; its violations, short.

    axe.min.js is read from ``node_modules`` (scripts/ensure_chromium.py installs it) and
    run in the page by Playwright, so the page loads nothing from elsewhere. Not with
    ``add_script_tag(content=...)``: the pages' Content-Security-Policy (``script-src
    'self'``) rightly refuses an inline script; a script Playwright evaluates over the
    DevTools protocol is not the page's own and passes.
    """
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} mangler: kør scripts/ensure_chromium.py (make test gør det)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found: list[dict[str, object]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return found


def assert_no_axe_violations(page: Page) -> None:
    """Fail with axe-core's own words if the page breaks a WCAG 2.1 A/AA rule."""
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def page_weight(page: Page) -> dict[str, int]:
    """Bytes the page and what it loaded took on the wire, and decoded (performance API).

    ``files_transferred_bytes`` counts the scripts and stylesheets alone: 0 when they all
    came from the browser's cache.
    """
    found: dict[str, int] = page.evaluate(
        """() => {
            const all = [...performance.getEntriesByType("navigation"),
                         ...performance.getEntriesByType("resource")];
            const files = performance.getEntriesByType("resource");
            return {
                requests: all.length,
                transferred_bytes: all.reduce((sum, e) => sum + e.transferSize, 0),
                files_transferred_bytes: files.reduce((sum, e) => sum + e.transferSize, 0),
                encoded_bytes: all.reduce((sum, e) => sum + e.encodedBodySize, 0),
                decoded_bytes: all.reduce((sum, e) => sum + e.decodedBodySize, 0),
            };
        }"""
    )
    return found


@pytest.fixture
def phone(browser: BrowserContext, servers: dict[str, str]) -> Iterator[Watched]:
    """A page of the real data at phone size (390 × 844)."""
    watched = _watch(browser, servers["real"])
    watched.page.set_viewport_size(PHONE)
    yield watched
    watched.page.close()


#: The password of the staff accounts the sign-in tests make (tests/browser/test_signin_edit.py).
STAFF_PASSWORD = "stafetten går videre"
#: The staff accounts: an editor of SOF and one of TMF.
STAFF = {"anna.sof": ("editor", "sof"), "bo.tmf": ("editor", "tmf")}


def _create_staff(store: Path) -> None:
    """Make :data:`STAFF` with the real CLI (``stafet user create``, the password piped)."""
    stafet = Path(sys.executable).with_name("stafet")
    env = {**os.environ, "STAFET_STORE_PATH": str(store)}
    for name, (role, forvaltning) in STAFF.items():
        subprocess.run(
            [str(stafet), "user", "create", name, "--role", role, "--forvaltning", forvaltning],
            input=STAFF_PASSWORD + "\n",
            text=True,
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
            timeout=300,
        )


@pytest.fixture(scope="session")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a store of record of its own, with :data:`STAFF`; its base URL."""
    from tests.edit.seeded import seeded_copy

    store = seeded_copy(tmp_path_factory.mktemp("staff-store") / "store")
    _create_staff(store)
    server = _start({"STAFET_STORE_PATH": str(store)}, own_base_url=True)
    try:
        wait_until_healthy(server, time.monotonic() + 2 * START_TIMEOUT)
        yield server.base
    finally:
        stop(server)


@pytest.fixture
def staff_site(browser: BrowserContext, staff_server: str) -> Iterator[Watched]:
    """A page on :func:`staff_server`; the browser's cookies are cleared after it."""
    watched = _watch(browser, staff_server)
    yield watched
    watched.page.close()
    browser.clear_cookies()  # cookies ignore the port: sign out of every loopback server
