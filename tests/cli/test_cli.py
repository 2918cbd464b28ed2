"""The stafet command: readable output, JSON for scripts, Danish errors with exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_who_foertidspension_prints_the_chain_with_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "who", "førtidspension")
    assert code == 0
    assert "KLE 32.03.16 Førtidspension" in out
    assert "Jobcenter København → Rehabiliteringsteam" in out
    assert "Socialforvaltningen → Udbetaling Danmark" in out
    assert "(bekræftet)" in out


def test_a_contact_taken_from_up_the_hierarchy_says_whose_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "who", "førtidspension")
    # SOF has no contact point of its own: the municipality's main number, marked as such
    assert "33 66 33 66 (Københavns Kommune; enheden har intet eget kontaktpunkt)" in out
    _, out, _ = run(capsys, "who", "borgerrådgiveren")
    own = next(line for line in out.splitlines() if "Kontakt:" in line)
    assert "borgerraadgiveren@kk.dk" in own
    assert "intet eget kontaktpunkt" not in own


def test_who_json_is_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "who", "hjælpemidler", "--age", "70", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"task", "matched_via", "handlers", "process"} <= data.keys()
    assert [h["unit"]["id"] for h in data["handlers"] if h["role"] == "ansvarlig"] == [
        "suf-hjaelpemiddelcentret"
    ]


def test_path_from_borgerraadgiveren(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "path", "--from", "Borgerrådgiveren", "førtidspension")
    assert code == 0
    assert "Fra Borgerrådgiveren til" in out
    # Inside the municipality: guidance (stk. 1) and the unity principle, not forwarding.
    assert "Forvaltningsloven § 7, stk. 1" in out
    assert "Kommunestyrelsesloven § 2" in out


def test_path_klage_goes_to_the_decider_and_the_appeal_body(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "path", "--from", "borgerraadgiveren", "førtidspension", "--klage")
    assert code == 0
    assert "Socialforvaltningen → Ankestyrelsen" in out
    assert "Retssikkerhedsloven § 66" in out
    assert "(Københavns Kommune; enheden har intet eget kontaktpunkt)" in out


def test_path_without_age_shows_each_branch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "path", "--from", "kff-borgerservice", "hjælpemidler")
    assert code == 0
    assert "Hvis borgeren er under 65 år: Borgercenter Handicap" in out
    assert "Hvis borgeren er 65 år og derover: Hjælpemiddelcentret" in out


def test_unknown_task_is_a_danish_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "who", "qxqxqzv")
    assert code == 1
    assert "Ukendt opgave" in err
    assert "Traceback" not in err + out


def test_validate_reports_a_cycle_and_exits_non_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "mini.ttl"
    cycle = tmp_path / "cycle.ttl"
    cycle.write_text(
        """
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix stafet: <https://stafet.kk.dk/def#> .
        @prefix u: <https://stafet.kk.dk/id/unit/> .
        u:c a org:OrganizationalUnit ; skos:prefLabel "C"@da ; dct:identifier "c" ;
            dct:title "C"@da ; org:subOrganizationOf u:d ;
            dct:source <https://stafet.kk.dk/id/source/test> ;
            stafet:status <https://stafet.kk.dk/def/status/antaget> .
        u:d a org:OrganizationalUnit ; skos:prefLabel "D"@da ; dct:identifier "d" ;
            dct:title "D"@da ; org:subOrganizationOf u:c ;
            dct:source <https://stafet.kk.dk/id/source/test> ;
            stafet:status <https://stafet.kk.dk/def/status/antaget> .
        """,
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(fixture), str(cycle), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["conforms"] is False
    assert {f["focus"] for f in report["findings"] if "når ikke kommunen" in f["message"]} == {
        "https://stafet.kk.dk/id/unit/c",
        "https://stafet.kk.dk/id/unit/d",
    }


def test_validate_malformed_file_names_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> .\n")
    code, _, err = run(capsys, "validate", str(broken))
    assert code == 1
    assert "broken.ttl, linje 1" in err


def test_export_graphml_loads_in_networkx(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "stafet.graphml"
    code, _, _ = run(capsys, "export", "--format", "graphml", "-o", str(target))
    assert code == 0
    graph = nx.read_graphml(io.BytesIO(target.read_bytes()))
    assert (
        graph.nodes["unit/bif"]["label"]
        == "Beskæftigelses-, Integrations- og Erhvervsforvaltningen"
    )


def test_export_csv_lists_participations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "ansvar.csv"
    assert main(["export", "--format", "csv", "-o", str(target)]) == 0
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("kle,opgave,enhed_id")
    assert any(row.startswith("32.03.16,Førtidspension,sof,") for row in rows)


def test_report_is_self_contained(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "rapport.html"
    assert main(["report", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert "<html" in page
    assert "førtidspension" in page
    assert "http://" not in page
    assert "https://" not in page


@pytest.mark.parametrize("fmt", ["xlsx", "gexf", "gaps-csv", "overlaps-csv", "bottlenecks-csv"])
def test_table_exports_write_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"export.{fmt}"
    assert main(["export", "--format", fmt, "-o", str(target)]) == 0
    assert target.stat().st_size > 100


def test_cli_format_lists_match_the_library() -> None:
    import cli.main as cli
    from graph.io import export
    from graph.io import tables as analysis

    assert cli.GRAPH_FORMATS == export.FORMATS
    assert cli.TABLE_FORMATS == analysis.TABLE_FORMATS
