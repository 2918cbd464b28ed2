"""The template: written with its instructions, read into rows, planned against the real data."""

from __future__ import annotations

from datetime import date

from graph.data.knowledge import Knowledge
from graph.edit.operations import (
    AgeBand,
    CreateResponsibility,
    EndResponsibility,
    UpdateContactPoint,
    UpdateResponsibility,
)
from graph.io.imports import Scope, plan_import
from graph.io.spreadsheet import read_tables
from graph.io.template import COLUMNS, read_template, template_csv, template_xlsx
from tests.io.helpers import csv_text, xlsx

HEADER = [c.header for c in COLUMNS]


def _row(**cells: str) -> list[str]:
    by_key = {c.key: c.header for c in COLUMNS}
    values = {by_key[key]: value for key, value in cells.items()}
    return [values.get(header, "") for header in HEADER]


def test_the_template_lists_every_column_with_an_example(kg: Knowledge) -> None:
    sheets = {t.sheet: t.rows for t in read_tables(template_xlsx(kg))}
    assert sheets["Ansvar"] == (tuple(HEADER),)
    guide = sheets["Vejledning"]
    assert guide[3] == ("kolonne", "overskrift", "betydning", "eksempel", "skal udfyldes")
    assert [row[1] for row in guide[4:]] == HEADER
    required = {row[1] for row in guide[4:] if row[4:] == ("ja",)}
    assert required == {"enhed", "kilde", "status"}
    laws = {row[1] for row in sheets["Gyldige værdier"] if row[0] == "lovgrundlag"}
    assert set(kg.laws) == laws
    assert template_csv().decode("utf-8-sig").strip() == ";".join(HEADER)


def test_rows_of_the_real_data_read_back_unchanged(kg: Knowledge) -> None:
    # Hjælpemidler under 65 år: Borgercenter Handicap (SOF), per kk.dk.
    row = _row(unit="Borgercenter Handicap", kle="27.60", role="ansvarlig", max_age="64",
               source="kk-dk", status="bekræftet", legal_basis="serviceloven")  # fmt: skip
    rows = read_template(kg, xlsx({"Ansvar": [HEADER, row]}))
    plan = plan_import(kg, rows, Scope("editor", "sof"))
    (entry,) = plan.entries
    assert (entry.action, entry.id) == (
        "unchanged",
        "kle-27.60-sof-borgercenter-handicap-ansvarlig",
    )


def test_new_changed_and_ended_rows(kg: Knowledge) -> None:
    rows = [
        HEADER,
        _row(unit="sof-borgercenter-handicap", kle="27.60", role="udførende", min_age="18",
             max_age="64", source="https://www.kk.dk/hjaelpemidler", status="antaget",
             note="Antaget: centret udfører selv bevillingen."),
        _row(unit="Socialforvaltningen", kle="32.03.16", role="ansvarlig", status="antaget",
             source="kk-dk", id="kle-32.03.16-sof-ansvarlig"),
        _row(unit="Socialforvaltningen", kle="32.03.16", role="ansvarlig", status="bekræftet",
             source="kk-dk", valid_until="31-12-2026"),
    ]  # fmt: skip
    plan = plan_import(kg, read_template(kg, csv_text(rows).encode()), Scope("admin"))
    assert [(e.row, e.action) for e in plan.entries] == [
        (2, "new"),
        (3, "changed"),
        (4, "ended"),
    ]
    new, changed, ended = (e.operation for e in plan.entries)
    assert isinstance(new, CreateResponsibility)
    assert new.fields.conditions == (AgeBand(18, 64),)
    assert new.fields.source == "https://www.kk.dk/hjaelpemidler"
    assert isinstance(changed, UpdateResponsibility)
    assert changed.fields.status == "antaget"
    # What the row leaves empty is kept: the law, the step in the chain, the note.
    assert changed.fields.legal_basis == ("pensionsloven-14a",)
    assert (changed.fields.step, changed.fields.step_label) == (3, "afgørelse")
    assert changed.fields.note == "Sagsbehandlingsfristen er 3 måneder."
    assert ended == EndResponsibility("kle-32.03.16-sof-ansvarlig", date(2026, 12, 31))
    assert len(plan.batch(reason="test").operations) == 3


def test_a_contact_point_row(kg: Knowledge) -> None:
    # Styrelsen for Patientklager: 72 33 05 00, stpk@stpk.dk (its one contact point).
    rows = [
        HEADER,
        _row(unit="Styrelsen for Patientklager", telephone="72 33 05 00", source="stpk-klage",
             status="bekræftet"),
        _row(unit="Styrelsen for Patientklager", page="https://stpk.dk/ny-side",
             source="stpk-klage", status="bekræftet"),
    ]  # fmt: skip
    plan = plan_import(kg, read_template(kg, csv_text(rows).encode()), Scope("admin"))
    assert [(e.kind, e.action, e.id) for e in plan.entries] == [
        ("contact-point", "unchanged", "stpk"),
        ("contact-point", "changed", "stpk"),
    ]
    changed = plan.entries[1].operation
    assert isinstance(changed, UpdateContactPoint)
    fields = changed.fields
    assert (fields.telephone, fields.email, fields.page) == (
        ("72 33 05 00",),
        ("stpk@stpk.dk",),
        ("https://stpk.dk/ny-side",),
    )
