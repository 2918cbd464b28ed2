"""Charts (matplotlib) and the HTML blocks of notebooks and the report."""

from __future__ import annotations

from graph.data.knowledge import Knowledge
from graph.questions.whatif import without_forum
from graph.render.charts import (
    Chart,
    plot_bottlenecks,
    plot_overlap_matrix,
    plot_process_chain,
    plot_what_if,
)
from graph.render.tables import html_table, key_figures

EVIL = "<img src=x onerror=alert(1)>"


def test_html_table_escapes_and_reaches_into_rows() -> None:
    table = str(
        html_table(
            [{"task": {"notation": "27.60"}, "units": [{"label": EVIL}], "n": 2813}],
            {"task.notation": "KLE", "units": "Enheder", "n": "Antal"},
        )
    )
    assert "<td>27.60</td>" in table
    assert EVIL not in table and "&lt;img" in table
    assert "<td>2.813</td>" in table


def test_charts_are_pngs_without_metadata_urls(kg: Knowledge) -> None:
    for chart in (
        plot_bottlenecks(kg),
        plot_overlap_matrix(kg, "matrix"),
        plot_process_chain(kg, "kle-32.03.16"),
        plot_what_if(without_forum(kg, "bif-sof")),
    ):
        assert isinstance(chart, Chart)
        png = chart.png()
        assert png.startswith(b"\x89PNG") and b"http" not in png
        assert chart._repr_png_()[:4] == b"\x89PNG"
        assert chart.data_uri().startswith("data:image/png;base64,")


def test_key_figures_are_cards(kg: Knowledge) -> None:
    html = key_figures(kg)._repr_html_()
    assert "opgaver uden ansvarlig" in html and "Kultur- og Fritidsforvaltningen" in html
