"""Pages at phone size (390 × 844): nothing scrolls sideways; graphs come on request.

The tester found six of eight pages scrolling sideways on a phone (a 601 px select, long
headings, the heatmaps). Each page of :data:`PAGE_URLS` is measured: the document may be
no wider than the screen. Widths go to ``test-artifacts/browser/figures.json``.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PAGE_URLS, PHONE, Watched, record_figure

pytestmark = pytest.mark.browser

#: The elements wider than the screen, for the failure message.
TOO_WIDE = """(limit) => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > limit + 0.5)
    .filter((e) => !e.closest(".scroll-x"))
    .slice(0, 8)
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
        (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : "") +
        " " + Math.round(e.getBoundingClientRect().width) + "px")"""


def test_no_page_scrolls_sideways_on_a_phone(phone: Watched) -> None:
    wide = {}
    for name, path in PAGE_URLS.items():
        phone.goto(path)
        width = phone.page.evaluate("() => document.documentElement.scrollWidth")
        record_figure("scrollWidth ved 390 px", name, width)
        if width > PHONE["width"]:
            wide[path] = (width, phone.page.evaluate(TOO_WIDE, PHONE["width"]))
    assert not wide, json.dumps(wide, indent=1, ensure_ascii=False)
    phone.assert_clean()


def test_a_heatmap_scrolls_in_its_own_box_reachable_by_keyboard(phone: Watched) -> None:
    page = phone.page
    phone.goto("/koordination")
    box = page.get_by_role("region", name="Opgaver, hvor begge forvaltninger deltager")
    expect(box).to_have_attribute("tabindex", "0")
    assert box.evaluate("(e) => e.scrollWidth > e.clientWidth")  # it does scroll, inside
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=3000)
    phone.assert_clean()


def test_on_a_phone_the_lists_come_first_and_the_graph_on_request(phone: Watched) -> None:
    page = phone.page
    phone.goto("/id/unit/bif")
    expect(page.locator("#graf")).to_be_hidden()
    assert page.evaluate("() => !document.querySelector('#graf').stafetNetwork")
    expect(page.get_by_role("heading", name="Opgaver efter rolle")).to_be_visible()
    button = page.get_by_role("button", name="Vis grafen")
    button.click()
    timings = phone.settled()
    assert timings["nodes"] > 5
    expect(page.locator("#graf")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    phone.shot("11-telefon-enhed-graf-efter-tryk")
    phone.assert_clean()


#: The pages with a graph, at desktop size (the unit pages with their default relations).
GRAPH_PAGES = {
    "enhed bif": "/id/unit/bif",
    "enhed sof": "/id/unit/sof",
    "enhed kk": "/id/unit/kk",
    "henvisning med svar": "/henvisning?fra=borgerraadgiveren&opgave=kle-32.03.16",
    "samarbejde bif–sof": "/samarbejde",
    "samarbejde buf–sof": "/samarbejde?a=buf&b=sof",
    "kommunen": "/kommunen",
}
#: Each drawn node's label size on screen: its font size times the view's scale.
LABEL_SIZES = """() => {
    const net = document.querySelector("#graf").stafetNetwork;
    return net.body.nodeIndices
        .map((id) => net.body.nodes[id])
        .filter((node) => node.options.label)
        .map((node) => node.options.font.size * net.getScale());
}"""


def test_graph_labels_are_readable_at_the_first_view(real: Watched) -> None:
    small = {}
    for name, path in GRAPH_PAGES.items():
        real.goto(path)
        real.settled()
        sizes = real.page.evaluate(LABEL_SIZES)
        shown = float(real.page.locator("#graf").get_attribute("data-label-px") or 0)
        nodes = real.page.evaluate(
            "() => document.querySelector('#graf').stafetNetwork.body.nodeIndices.length"
        )
        record_figure("etiketter ved første visning (px)", name, round(min(sizes), 1))
        record_figure("knuder ved første visning", name, nodes)
        assert abs(shown - min(sizes)) < 0.2, (name, shown, min(sizes))
        if min(sizes) < 11:
            small[name] = round(min(sizes), 1)
    assert not small, small
    real.assert_clean()


def test_unit_graph_gathers_what_repeats_in_few_colours(real: Watched) -> None:
    real.goto("/id/unit/bif")
    real.settled()
    drawn = real.page.evaluate(
        """() => {
            const data = document.querySelector("#graf").stafetNetwork.body.data;
            return {
                labels: data.nodes.get().map((n) => n.label),
                colours: [...new Set(data.edges.get().map((e) => e.color))],
            };
        }"""
    )
    assert len(drawn["labels"]) == len(set(drawn["labels"]))  # no two nodes alike
    assert any(re.fullmatch(r"Opgaver \(\d+\)", label) for label in drawn["labels"])
    assert len(drawn["colours"]) <= 5
    legend = real.page.locator(".legend .line:not(.dashed)")
    assert legend.count() == len(drawn["colours"])
    real.page.get_by_label("kontaktperson i").check()  # a control shows more
    real.page.wait_for_url(re.compile(r"relation=post_in"))
    real.settled()
    posts = real.page.evaluate(
        """() => document.querySelector("#graf").stafetNetwork.body.data.nodes.get()
            .filter((n) => n.kind === "post").map((n) => n.label)"""
    )
    # the posts of one name in BIF's units (four of them within two steps), one node
    assert "Kontaktperson for BIF–SOF-samarbe… (4)" in posts and len(posts) == len(set(posts))
    real.assert_clean()


#: Every pair of nodes whose boxes (shape and label, in the canvas) overlap.
OVERLAPS = """() => {
    const net = document.querySelector("#graf").stafetNetwork;
    const boxes = net.body.nodeIndices.map((id) => [id, net.getBoundingBox(id)]);
    const hits = [];
    for (let i = 0; i < boxes.length; i += 1) {
        for (let j = i + 1; j < boxes.length; j += 1) {
            const [a, p] = boxes[i];
            const [b, q] = boxes[j];
            if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) {
                hits.push([a, b]);
            }
        }
    }
    return hits;
}"""


@pytest.mark.parametrize("query", ["", "?a=buf&b=sof", "?a=okf&b=tmf"])
def test_collaboration_graph_labels_do_not_overlap(real: Watched, query: str) -> None:
    real.goto("/samarbejde" + query)
    real.settled()
    real.page.wait_for_timeout(300)  # the last animated steps after settling
    assert real.page.evaluate(OVERLAPS) == []
    real.shot("12-samarbejde-uden-overlap" + query.replace("?", "-").replace("&", "-"))
    real.assert_clean()
