"""The pages in a real browser: the path a member of staff takes, the graphs, and safety.

Every test ends with :meth:`Watched.assert_clean`: no console error, no uncaught
exception, no dialog, and no request that leaves the app's own origin. Screenshots and
the measured settle times go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from graph.render.networks import RELATION_LABELS
from tests.browser.conftest import ARTIFACTS, Watched
from tests.pages.worlds import EVIL

pytestmark = pytest.mark.browser

#: Generous bound: the target is about 2 s on a busy 2-core machine; this catches regressions.
SETTLE_LIMIT_MS = 4000


def record(name: str, timings: dict[str, int]) -> None:
    """Keep a graph's settle time with the screenshots, and print it (``pytest -s``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "settle-times.json"
    found: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    found[name] = timings
    path.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{name}: {timings}")


def node_position(watched: Watched, node: str) -> tuple[float, float]:
    """Where a node of the page's graph is on the screen."""
    watched.page.locator("#graf").scroll_into_view_if_needed()
    point: dict[str, float] = watched.page.evaluate(
        """(id) => {
            const c = document.querySelector("#graf");
            const net = c.stafetNetwork;
            const p = net.canvasToDOM(net.getPosition(id));
            const r = c.getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""",
        node,
    )
    return point["x"], point["y"]


def test_from_a_typo_to_the_referral_path(real: Watched) -> None:
    page = real.page
    real.goto("/")
    box = page.get_by_label("Søg efter en opgave, en enhed, en lov eller et forum")
    box.press_sequentially("fortidspension", delay=25)
    first = page.locator("ul.suggestions [role=option]").first
    expect(first).to_contain_text("Førtidspension")
    expect(page.locator("ul.suggestions li.group").first).to_have_text("Opgaver")
    real.shot("01-soeg-med-stavefejl")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(".+"))
    box.press("Enter")
    page.wait_for_url("**/id/task/kle-32.03.16")

    expect(page.get_by_role("heading", level=1)).to_have_text("Førtidspension")
    expect(page.locator("p.answer")).to_contain_text("Ansvarlig: Socialforvaltningen")
    expect(page.locator("ol.process > li")).to_have_count(4)
    real.shot("02-opgave-hvem-varetager")
    page.get_by_label("Jeg sidder i").select_option("borgerraadgiveren")
    page.get_by_role("button", name="Vis henvisningsvejen").click()
    page.wait_for_url("**/henvisning?*")

    timings = real.settled()
    record("henvisning (Borgerrådgiveren → førtidspension)", timings)
    assert timings["canvases"] >= 1 and timings["nodes"] == 6
    on_path = page.evaluate(
        """() => document.querySelector("#graf").stafetNetwork.body.data.edges
            .get({filter: (edge) => edge.on_path}).map((edge) => edge.label)"""
    )
    assert on_path == ["1", "2"]
    expect(page.locator("ol.hops > li")).to_have_count(2)
    expect(page.get_by_text("allerede modtaget af Københavns Kommune").first).to_be_visible()
    expect(page.get_by_label("Notat til den, der tager over (ret det til)")).to_contain_text(
        "Videresendt henvendelse om Førtidspension"
    )
    real.shot("03-henvisning-med-graf")
    real.assert_clean()


def test_a_unit_page_graph_renders_settles_and_focuses(real: Watched) -> None:
    page = real.page
    real.goto("/id/unit/bif")
    timings = real.settled()
    record("enhed bif (dybde 2)", timings)
    assert timings["canvases"] >= 1 and timings["nodes"] > 20
    assert timings["settled_ms"] < SETTLE_LIMIT_MS
    expect(page.locator(".legend").first).to_contain_text("BIF")

    x, y = node_position(real, "unit/sof")
    page.mouse.click(x, y)
    expect(page.locator("#graf-detaljer")).to_contain_text("Socialforvaltningen")
    expect(page.locator("#graf-detaljer a", has_text="Åbn siden")).to_have_attribute(
        "href", "/id/unit/sof"
    )
    assert "fokus=unit%2Fsof" in page.url
    real.shot("04-enhed-graf-fokus")

    frame = page.locator("#graf .vis-network")  # the keyboard: focus the graph, zoom in
    expect(frame).to_have_attribute("aria-label", re.compile("Netværksgraf omkring"))
    scale = "() => document.querySelector('#graf').stafetNetwork.getScale()"
    before = page.evaluate(scale)
    frame.focus()
    page.keyboard.down("=")
    page.wait_for_timeout(300)
    page.keyboard.up("=")
    assert page.evaluate(scale) > before

    page.get_by_label("Dybde").select_option("1")  # the form submits itself
    page.wait_for_url(re.compile(r"dybde=1"))
    smaller = real.settled()
    assert smaller["nodes"] < timings["nodes"]
    assert "f=1" in page.url and "relation=member_of" in page.url

    # A neighbourhood past the cap (every relation, three steps out from TMF): 150 nodes.
    relations = "&".join(f"relation={r}" for r in RELATION_LABELS if r != "broader")
    real.goto(f"/id/unit/tmf?f=1&dybde=3&{relations}")
    largest = real.settled()
    record("enhed tmf, dybde 3, alle relationer (150 knuder)", largest)
    assert largest["nodes"] == 150 and largest["settled_ms"] < SETTLE_LIMIT_MS
    real.shot("05-enhed-tmf-150-knuder")
    real.assert_clean()


def test_collaboration_coordination_and_the_whole_municipality(real: Watched) -> None:
    page = real.page
    real.goto("/samarbejde")
    timings = real.settled()
    record("samarbejde bif–sof", timings)
    assert timings["nodes"] > 5
    expect(page.get_by_role("heading", name="Forløb på tværs")).to_be_visible()
    real.shot("06-samarbejde-bif-sof")

    real.goto("/koordination")
    expect(page.locator("table.heatmap")).to_have_count(2)
    real.shot("07-koordination")
    page.locator("table.heatmap td.heat a").first.click()
    page.wait_for_url("**/samarbejde?a=*")
    real.settled()

    real.goto("/kommunen")
    clustered = real.settled()
    record("hele kommunen (klynger)", clustered)
    assert clustered["nodes"] == 8  # one node per administration and "Øvrige"
    x, y = node_position(real, "klynge:bif")
    page.mouse.click(x, y)
    page.wait_for_selector("#graf[data-opened='1']")
    assert page.evaluate(
        "() => document.querySelector('#graf').stafetNetwork.body.nodeIndices.length > 8"
    )
    real.shot("08-hele-kommunen")
    real.assert_clean()


def test_a_label_that_looks_like_html_shows_as_text(evil: Watched) -> None:
    page = evil.page
    evil.goto("/id/unit/evil")
    expect(page.get_by_role("heading", level=1)).to_have_text(EVIL)
    evil.settled()
    x, y = node_position(evil, "unit/evil")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(EVIL)
    assert tooltip.locator("img").count() == 0
    evil.shot("09-xss-enhed")

    evil.goto("/henvisning?fra=a&opgave=kle-01.01.02")
    evil.settled()
    expect(page.locator("ol.hops")).to_contain_text(EVIL)

    evil.goto("/")
    page.get_by_label("Søg efter en opgave, en enhed, en lov eller et forum").press_sequentially(
        "onerror", delay=25
    )
    expect(page.locator("ul.suggestions [role=option]", has_text=EVIL).first).to_be_visible()
    evil.shot("10-xss-forslag")
    assert page.locator("img[src='x'], svg[onload], script:not([src]):not([type])").count() == 0
    evil.assert_clean()
