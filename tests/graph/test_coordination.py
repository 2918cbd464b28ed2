"""The coordination group's questions on the real data: coverage, gaps, bottlenecks, exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.io.tables import export_tables
from graph.present import tables
from graph.present.coordination import (
    age_band_label,
    bottlenecks,
    communities,
    dependency_report,
    kle_coverage,
    responsibility_by_administration,
    summary,
    tasks_without_owner,
)
from graph.present.quality import gaps_json, overlaps_json
from graph.present.tables import gap_table, overlap_table
from graph.questions import quality
from graph.questions.coordination import front_doors, referral_routes
from graph.questions.coverage import age_bands
from graph.questions.referral import referral_path
from graph.questions.responsibility import owners


def test_overlaps_and_gaps_are_the_quality_module_s_own() -> None:
    assert tables.overlaps is quality.overlaps
    assert tables.gaps is quality.gaps


# -- who does what ----------------------------------------------------------------------


def test_every_group_and_topic_has_an_owner_for_every_age(kg: Knowledge) -> None:
    # Home care is split 18–64 (SOF) / 65+ (SUF) at topic level (facts-2026 1.16, 1.25).
    assert [age_band_label(band) for band in age_bands(kg)] == [
        "under 18 år",
        "18–64 år",
        "65 år og derover",
    ]
    assert tasks_without_owner(kg) == []


def test_owners_fall_back_to_the_kle_group_and_respect_age(kg: Knowledge) -> None:
    assert owners(kg, "kle-27.60.04", age=30)[0] == "kle-27.60"
    assert [p.unit for p in owners(kg, "kle-27.60.04", age=30)[1]] == ["sof-borgercenter-handicap"]
    assert [p.unit for p in owners(kg, "kle-27.60.04", age=70)[1]] == ["suf-hjaelpemiddelcentret"]
    assert [p.unit for p in owners(kg, "kle-32.03.16")[1]] == ["sof"]


def test_who_does_what_counts_every_group_and_topic(kg: Knowledge) -> None:
    result = responsibility_by_administration(kg)
    rows = {row["administration"]: row for row in result["rows"]}
    assert {"okf", "buf", "tmf", "kff", "bif", "sof", "suf"} <= rows.keys()
    topics = sum(1 for t in kg.tasks.values() if t.level == "topic")
    # a topic split between two administrations counts for both
    assert topics <= sum(row["topics"] for row in rows.values()) <= topics + 20
    assert rows["sof"]["topics_confirmed"] > 0
    assert sum(result["by_main_group"]["27"].values()) > 0


def test_kle_coverage_adds_up(kg: Knowledge) -> None:
    result = kle_coverage(kg)
    assert result["totals"]["topic"] == sum(1 for t in kg.tasks.values() if t.level == "topic")
    assert result["by_level"]["topic"]["ingen"] == 0
    assert result["by_level"]["topic"]["egen_bekraeftet"] >= 1  # førtidspension
    assert sum(result["by_main_group"]["32"].values()) > 0


# -- overlaps and gaps as tables -----------------------------------------------------------


def test_hjaelpemidler_is_listed_as_split_by_age(kg: Knowledge) -> None:
    rows = [row for row in overlap_table(kg) if row["kle"] == "27.60"]
    assert [row["type"] for row in rows] == ["Delt efter betingelser"]
    assert "under 65 år" in rows[0]["betingelser"]
    assert "65 år og derover" in rows[0]["betingelser"]


def test_gap_table_has_a_row_per_gap(kg: Knowledge) -> None:
    rows = gap_table(kg)
    found = gaps_json(kg, quality.gaps(kg))
    kinds = [row["hul"] for row in rows]
    assert kinds.count("Enhed uden eget kontaktpunkt") == len(found["units_without_contact"])
    assert kinds.count("Opgave hvis ansvar kun er antaget") == len(found["tasks_only_antaget"])
    assert "Kontaktpersonordning uden telefon og e-mail" in kinds
    jobcenter = [r for r in rows if r["id"] == "bif-jobcenter" and r["hul"].startswith("Enhed")]
    assert jobcenter and jobcenter[0]["forvaltning"] == "BIF"


# -- bottlenecks and communities -------------------------------------------------------------


def test_front_doors_are_the_administrations_and_the_usual_entrances(kg: Knowledge) -> None:
    doors = front_doors(kg)
    assert {"okf", "buf", "tmf", "kff", "bif", "sof", "suf"} <= set(doors)
    assert {"borgerraadgiveren", "kff-borgerservice"} <= set(doors)


@pytest.mark.parametrize(
    ("task", "age"),
    [
        ("kle-32.03.16", None),
        ("kle-27.60", 30),
        ("kle-27.60", 70),
        ("kle-05.07.01", None),
        ("kle-32.06", None),
        ("kle-00.07", None),
    ],
)
def test_routes_agree_with_referral_path(kg: Knowledge, task: str, age: int | None) -> None:
    band = next(
        (b for b in age_bands(kg) if age is not None and b.low <= age <= (b.high or 200)),
        None,
    )
    routes = {
        (route.door, route.ages): route for route in referral_routes(kg) if route.task == task
    }
    for door in front_doors(kg):
        answer = referral_path(kg, door, task, age=age)
        route = routes[door, band]
        assert route.target == answer.target.unit
        assert route.cost == pytest.approx(answer.cost)
        assert route.path[0] == door and route.path[-1] == route.target


def test_bottlenecks_are_administrations_passed_on_the_way(kg: Knowledge) -> None:
    top = bottlenecks(kg, limit=5)
    assert len(top) == 5
    assert all(row["passes"] > 0 for row in top)
    assert [row["passes"] for row in top] == sorted((row["passes"] for row in top), reverse=True)
    assert any(row["kind"] == "administration" for row in top)
    # Borgerservice's many tasks are reached through KFF.
    assert top[0]["id"] == "kff"
    assert 0 < top[0]["share"] <= 1
    assert all(0 <= row["betweenness"] <= 1 for row in bottlenecks(kg))


def test_communities_are_seeded_and_cover_every_unit_once(kg: Knowledge) -> None:
    found = communities(kg)
    assert found == communities(kg)
    members = [m["id"] for c in found for m in c["members"]]
    expected = {u.id for u in kg.units.values() if not u.is_external and u.kind != "political"}
    assert sorted(members) == sorted(expected)
    # The BIF–SOF contact persons bind the two administrations' centres together.
    together = next(c for c in found if any(m["id"] == "bif-jobcenter" for m in c["members"]))
    assert "sof-borgercenter-handicap" in {m["id"] for m in together["members"]}


# -- dependencies ----------------------------------------------------------------------------


def test_bif_sof_dependency_report_on_foertidspension(kg: Knowledge) -> None:
    report = dependency_report(kg, "bif", "sof", task="førtidspension", personal=True)
    assert report["task"]["notation"] == "32.03.16"
    assert [s["unit"]["id"] for s in report["process"]] == [
        "bif-jobcenter",
        "rehabiliteringsteam",
        "sof",
        "udk",
    ]
    forums = {f["id"]: f for f in report["forums"]}
    assert forums["bif-sof-styregruppe"]["meetings_per_year"] == 6
    assert "hver anden måned" in forums["bif-sof-styregruppe"]["rhythm"]
    assert "bif-sof-netvaerk-foertidspension" in forums
    assert report["meetings_per_year"] == sum(f["meetings_per_year"] or 0 for f in forums.values())
    assert len(report["contact_arrangements"]) == 8
    assert dependency_report(kg, "bif", "sof")["contact_arrangements"] == []  # public default
    assert {r["from"]["id"] for r in report["referrals"]} == {"bif", "sof"}
    assert all(r["to"]["id"] == "bif-jobcenter" for r in report["referrals"])
    assert any(m["role"] == "konsulent" for m in report["cross_memberships"])


# -- summary and exports ---------------------------------------------------------------------


def test_summary_has_the_figures_for_the_issue(kg: Knowledge) -> None:
    figures = summary(kg)
    assert figures["overlaps"] == overlaps_json(kg, quality.overlaps(kg))["counts"]
    assert figures["gaps"] == gaps_json(kg, quality.gaps(kg))["counts"]
    assert len(figures["bottlenecks"]) == 5
    assert figures["communities"]
    assert figures["fingerprint"] == kg.fingerprint


def test_csv_exports(kg: Knowledge) -> None:
    overlaps_csv = list(csv.DictReader(io.StringIO(export_tables(kg, "overlaps-csv").decode())))
    assert any(row["kle"] == "27.60" for row in overlaps_csv)
    gaps_csv = list(csv.DictReader(io.StringIO(export_tables(kg, "gaps-csv").decode())))
    assert len(gaps_csv) == len(gap_table(kg))
    bottlenecks_csv = list(
        csv.DictReader(io.StringIO(export_tables(kg, "bottlenecks-csv").decode()))
    )
    assert bottlenecks_csv[0]["enhed_id"] == "kff"


def test_xlsx_export_has_a_sheet_per_list(kg: Knowledge, tmp_path: Path) -> None:
    path = tmp_path / "stafet.xlsx"
    path.write_bytes(export_tables(kg, "xlsx"))
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Sammenfatning", "Overlap", "Huller", "Flaskehalse", "Fællesskaber"]
    rows = list(book["Overlap"].iter_rows(values_only=True))
    assert rows[0][:2] == ("type", "kle")
    assert any(row[1] == "27.60" for row in rows[1:])
    book.close()


def test_gexf_export_opens_in_networkx_with_analysis_attributes(
    kg: Knowledge, tmp_path: Path
) -> None:
    path = tmp_path / "stafet.gexf"
    path.write_bytes(export_tables(kg, "gexf"))
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == kg.graph.number_of_nodes()
    assert graph.nodes["unit/kff"]["forvaltning"] == "kff"
    assert graph.nodes["unit/kff"]["stafet_id"] == "kff"
    assert int(graph.nodes["unit/kff"]["flaskehals"]) > 0


def test_unknown_table_format_is_refused(kg: Knowledge) -> None:
    with pytest.raises(ValueError, match="xlsx"):
        export_tables(kg, "pdf")


def test_spreadsheet_cells_never_become_formulas(mini_files: list[Path], tmp_path: Path) -> None:
    extra = tmp_path / "formula.ttl"
    extra.write_text(
        """
        @prefix stafet: <https://stafet.kk.dk/def#> .
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://stafet.kk.dk/id/unit/c> a org:OrganizationalUnit ; dct:identifier "c" ;
            dct:title "=HYPERLINK(\\"x\\")"@da ; skos:prefLabel "=HYPERLINK(\\"x\\")"@da ;
            org:subOrganizationOf <https://stafet.kk.dk/id/unit/a> .
        """,
        encoding="utf-8",
    )
    world = Knowledge.from_source(TurtleFiles([*mini_files, extra]))
    text = export_tables(world, "gaps-csv").decode()
    assert "'=HYPERLINK" in text
    path = tmp_path / "x.xlsx"
    path.write_bytes(export_tables(world, "xlsx"))
    sheet = load_workbook(path)["Huller"]
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert cells and all(c.data_type == "s" for c in cells)
