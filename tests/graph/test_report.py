"""``stafet report``: one self-contained HTML page, in Danish, that asks nothing of the web."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.render.report import build_report, write_report

HEADINGS = [
    "Sammenfatning",
    "Hvem gør hvad",
    "Overlap",
    "Huller",
    "Flaskehalse",
    "Fællesskaber",
    "BIF og SOF: førtidspension",
    "Sådan er tallene fundet",
]


@pytest.fixture(scope="module")
def report(kg: Knowledge) -> str:
    return build_report(kg, today=date(2026, 3, 5))


class _References(HTMLParser):
    """Every URL-valued attribute of every tag."""

    ATTRIBUTES = frozenset({"src", "href", "action", "formaction", "poster", "srcset", "data"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value or "" for name, value in attrs if name in self.ATTRIBUTES]


def assert_self_contained(html: str) -> None:
    assert "http://" not in html and "https://" not in html
    parser = _References()
    parser.feed(html)
    outside = [ref for ref in parser.found if not ref.startswith(("data:", "#"))]
    assert not outside, outside[:5]
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(?!data:)", html)
    assert "<script" not in html.lower(), "a report needs no scripts"


def test_report_is_self_contained(report: str) -> None:
    assert_self_contained(report)
    assert report.startswith("<!DOCTYPE html>")
    assert '<html lang="da">' in report
    assert "Content-Security-Policy" in report


def test_report_has_the_sections_and_the_charts(report: str) -> None:
    headings = re.findall(r"<h2>(.*?)</h2>", report)
    assert headings == HEADINGS
    charts = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', report)
    assert len(charts) >= 7  # who does what, two heatmaps, gaps, bottlenecks, chain, rhythm


def test_report_says_when_and_from_which_data(kg: Knowledge, report: str) -> None:
    assert "5. marts 2026" in report and "2026-03-05" in report
    assert kg.fingerprint[:12] in report and kg.fingerprint in report


def test_report_shows_the_real_figures(kg: Knowledge, report: str) -> None:
    assert "Hjælpemidler, forbrugsgoder, boligindretning m.v." in report  # split by age
    assert "Kultur- og Fritidsforvaltningen" in report  # the top bottleneck
    assert "Fælles styregruppe BIF–SOF" in report
    assert "6 gange om året (hver anden måned)" in report
    assert "Jobcenter København" in report
    assert "Kontaktperson for BIF–SOF-samarbejdet" in report or "BIF–SOF" in report


def test_write_report(kg: Knowledge, tmp_path: Path) -> None:
    path = write_report(kg, tmp_path / "rapport.html", today=date(2026, 1, 2))
    html = path.read_text(encoding="utf-8")
    assert "2. januar 2026" in html
    assert_self_contained(html)


def test_labels_from_the_data_are_escaped(mini_files: list[Path], tmp_path: Path) -> None:
    extra = tmp_path / "evil.ttl"
    extra.write_text(
        """
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://stafet.kk.dk/id/unit/c> a org:OrganizationalUnit ; dct:identifier "c" ;
            dct:title "<img src=x onerror=alert(1)>"@da ;
            skos:prefLabel "<img src=x onerror=alert(1)>"@da ;
            org:subOrganizationOf <https://stafet.kk.dk/id/unit/a> .
        """,
        encoding="utf-8",
    )
    world = Knowledge.from_source(TurtleFiles([*mini_files, extra]))
    html = build_report(world, pair=("a", "b"), task=None)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert_self_contained(html)
