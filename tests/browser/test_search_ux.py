"""The search box as the tester used it: Escape, the highlighted suggestion, long result lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Watched, record_figure

pytestmark = pytest.mark.browser

BOX = "Søg efter en opgave, en enhed, en lov eller et forum"
#: WCAG's contrast ratio of two computed colours ("rgb(r, g, b)").
CONTRAST = """([a, b]) => {
    const luminance = (colour) => {
        const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
}"""


def test_escape_closes_the_suggestions_and_keeps_the_text(real: Watched) -> None:
    page = real.page
    page.bring_to_front()
    real.goto("/")
    box = page.get_by_label(BOX)
    expect(box).to_be_focused()  # the front page's field has autofocus
    box.press_sequentially("fortidspension", delay=25)
    suggestions = page.locator("ul.suggestions")
    expect(suggestions).to_be_visible()
    box.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value("fortidspension")
    expect(box).to_have_attribute("aria-expanded", "false")
    real.assert_clean()


def test_the_highlighted_suggestion_stands_out_and_reads(real: Watched) -> None:
    page = real.page
    real.goto("/")
    box = page.get_by_label(BOX)
    box.press_sequentially("pension", delay=25)
    expect(page.locator("ul.suggestions [role=option]").first).to_be_visible()
    box.press("ArrowDown")
    chosen = page.locator("ul.suggestions [role=option][aria-selected=true]")
    expect(chosen).to_have_count(1)
    colours = chosen.evaluate(
        """(e) => {
            const own = getComputedStyle(e);
            return {text: own.color, background: own.backgroundColor,
                    list: getComputedStyle(e.parentNode).backgroundColor};
        }"""
    )
    text = page.evaluate(CONTRAST, [colours["text"], colours["background"]])
    against = page.evaluate(CONTRAST, [colours["background"], colours["list"]])
    record_figure("søgeforslag, kontrast", "tekst mod markering", round(text, 2))
    record_figure("søgeforslag, kontrast", "markering mod listen", round(against, 2))
    assert text >= 4.5 and against >= 3, colours
    real.assert_clean()


def test_long_result_lists_show_the_best_eight_and_more_on_request(real: Watched) -> None:
    page = real.page
    real.goto("/?q=pension")
    tasks = page.locator("section[aria-labelledby=resultater] ul.hits").first
    expect(tasks.locator("li")).to_have_count(8)
    more = page.locator("details.more-hits").first
    expect(more.locator("li").first).to_be_hidden()
    more.locator("summary").click()  # a <details>: works without JavaScript
    expect(more.locator("li").first).to_be_visible()
    real.assert_clean()
