"""The Danish pages say things in Danish: no codes, no English, abbreviations spelled out.

Every page of a broad set of real addresses (and their error pages) is rendered and its
visible text (what a reader sees, and the ``title``/``aria-label`` a screen reader reads;
not scripts, styles or attribute values) is scanned for the codes of the data (role ids,
referral vias, statuses, administration keys), for English words, and for a file of ours
named as a source. The CLI's output is scanned with the same lists (tests/cli/test_wording.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from graph.present.vocabulary import ADMINISTRATION_LABELS, ADMINISTRATION_NAMES

#: Codes of the data that differ from their Danish word: shown, they are a slip.
RAW_IDS = (
    "udfoerende",
    "raadgivende",
    "bekraeftet",
    "oevrige",
    "contact_person",
    "contact_point",
    "single_entry",
    "hierarchy",
    "collaboration",
    "external",
    "appeal",
    "member_of",
    "participates_in",
    "handled_by",
)
#: English words that have no place in a Danish sentence (document titles are names: "of"
#: in "City of Copenhagen Municipal Plan" is left alone).
ENGLISH = ("the", "and", "or", "with", "unknown", "None", "null", "True", "False", "Broad")
#: Files of ours, which no member of staff can open.
OUR_FILES = ("facts.md", "facts-2026.md", ".ttl", ".csv", "seeds/", "seed 000", "seed 004")
#: API syntax where staff expect words or a choice.
API_SYNTAX = ("bif,sof", "?q=", "&opgave=")
SLIP = re.compile(r"\b(" + "|".join(map(re.escape, RAW_IDS + ENGLISH)) + r")\b")

#: A broad set of real addresses: every page family, with and without answers.
PAGES = [
    "/",
    "/?q=førtidspension",
    "/?q=bif",
    "/?q=hjælpemidler",
    "/id/task/kle-32.03.16",
    "/id/task/kle-27.60?alder=70",
    "/id/task/kle-27.60?alder=30",
    "/id/task/kle-32",
    "/id/task/kle-28.09",
    "/id/unit/bif",
    "/id/unit/sof",
    "/id/unit/borgerraadgiveren",
    "/id/unit/bif-jobcenter",
    "/id/unit/kk",
    "/id/law/forvaltningsloven-7",
    "/id/law/pensionsloven-14a",
    "/id/forum/bif-sof",
    "/henvisning",
    "/henvisning?fra=borgerraadgiveren&opgave=kle-32.03.16",
    "/henvisning?fra=bif&opgave=boligstøtte",
    "/henvisning?fra=sof&opgave=hjælpemidler",
    "/samarbejde",
    "/samarbejde?a=bif&b=kff",
    "/samarbejde?a=buf&b=sof",
    "/koordination",
    "/kommunen",
    "/kommunen?klynger=nej",
    # error pages
    "/id/unit/bfi",
    "/id/task/kle-99.99",
    "/ingen/steder",
    "/kommunen?klynger=x",
    "/id/task/kle-27.60?alder=gammel",
    "/henvisning?fra=ukendt-enhed&opgave=førtidspension",
    "/samarbejde?a=bfi&b=sof",
    "/samarbejde?a=bif&b=bif",
]
ABBREVIATIONS = {
    ADMINISTRATION_LABELS[key]: ADMINISTRATION_NAMES[key]
    for key in ("okf", "buf", "tmf", "kff", "bif", "sof", "suf")
}


class _Visible(HTMLParser):
    """What a reader sees, with each ``<abbr title>`` read out before its abbreviation."""

    HIDDEN = frozenset({"script", "style", "title", "textarea"})
    READ = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        self.parts += [f" {value} " for name, value in attrs if name in self.READ and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


def slips(text: str) -> list[str]:
    """Each raw id, English word or file of ours in ``text``, with a little context."""
    found = [
        text[max(0, m.start() - 40) : m.end() + 20].replace("\n", " ") for m in SLIP.finditer(text)
    ]
    return found + [name for name in OUR_FILES + API_SYNTAX if name in text]


def test_the_scan_finds_what_it_looks_for() -> None:
    page = "<p>Rolle: udfoerende, via hierarchy; 'ja' or 'nej'</p><script>\"or\"</script>"
    assert len(slips(visible_text(page))) == 3
    assert slips("Kilde: facts.md, afsnittet 'Broad division of labour'")
    assert not slips(visible_text('<p class="via-hierarchy">udførende</p>'))


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_no_codes_and_no_english(pages_client: TestClient, path: str) -> None:
    response = pages_client.get(path, headers={"accept": "text/html"})
    assert response.status_code in (200, 404, 422), path
    assert response.headers["content-type"].startswith("text/html")
    assert slips(visible_text(response.text)) == []


@pytest.mark.parametrize("path", PAGES)
def test_abbreviations_are_spelled_out_on_first_use(pages_client: TestClient, path: str) -> None:
    text = visible_text(pages_client.get(path, headers={"accept": "text/html"}).text)
    for short, name in ABBREVIATIONS.items():
        first = re.search(rf"(?<![\w-]){short}(?!\w)", text)
        if first is not None:
            spelled = text.find(name)
            assert 0 <= spelled < first.start(), (short, text[first.start() - 60 : first.end()])
