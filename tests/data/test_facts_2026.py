"""The facts of domain/facts-2026.md, asserted against the shipped Copenhagen data.

Each test names the fact it checks (the section of facts-2026.md in brackets). They run on
the real data through ``graph.load_knowledge()`` (the session fixture ``kg``), so a change in
the Turtle that alters an answer staff rely on shows up here.
"""

from __future__ import annotations

from datetime import date

import pytest

from graph.data.knowledge import Knowledge
from graph.questions.responsibility import owners, who_handles

BEFORE_REFORM = date(2026, 6, 1)
AFTER_REFORM = date(2027, 2, 1)

#: Outside authorities added from facts-2026 § 6 and official pages (issue 10), and the KLE
#: topic each is linked to. SIRI, Udlændingestyrelsen and Motorstyrelsen have no KLE topic
#: of their own and are deliberately linked to none.
AUTHORITY_TOPICS = {
    "familieretshuset": "kle-30.10.50",
    "personregisterfoereren": "kle-23.04.00",
    "dh-brugerservice": "kle-05.09.08",
    "skifteretten": "kle-30.10.15",
    "a-kasserne": "kle-15.01.00",
    "su-styrelsen": "kle-17.00.30",
    "skattestyrelsen": "kle-25.20.00",
    "uim": "kle-23.02.00",
    "stpk": "kle-29.09.15",
    "politiet": "kle-30.10.05",
    "faerdselsstyrelsen": "kle-23.09.04",
    "gaeldsstyrelsen": "kle-25.45.00",
    "region-oestdanmark": "kle-29.18.00",
}
UNLINKED_AUTHORITIES = ("siri", "udlaendingestyrelsen", "motorstyrelsen")

#: Contact points with the numbers exactly as their source states them (facts-2026 § 2, § 6).
PHONES = {
    "kk": ("33 66 33 66",),
    "sof-borgercenter-handicap": ("33 17 88 00",),
    "suf-visitation": ("33 66 33 66",),
    "buf-tandplejen": ("35 30 39 60",),
    "sof-hjemloese-udsatteenheden": ("33 17 41 22",),
    "tmf-byggesager": ("33 66 52 00",),
    "tmf-dialogteam": ("33 66 37 10",),
    "suf-forebyggelsescentret-oesterbro": ("35 30 30 50",),
    "suf-traeningscentret-oesterbro": ("35 30 32 10",),
    "suf-sygeplejeklinik-oesterbro": ("35 30 26 40", "35 30 26 61"),
    "suf-hjemmeplejen-indre-by-oesterbro": ("35 30 30 30",),
    "sof-borgercenter-hjemmepleje-2015": ("33 17 30 00",),
    "dh-brugerservice": ("36 75 17 93",),
    "stpk": ("72 33 05 00",),
    "motorstyrelsen": ("72 22 15 15",),
}


def _responsible(kg: Knowledge, task: str, day: date, age: int | None = None) -> list[str]:
    answer = who_handles(kg, task, age=age, as_of=day)
    return sorted(p.unit for p in answer.responsible)


# ------------------------------------------------------------- the 2027 health reform


def test_akutsygepleje_moves_from_suf_to_the_region_on_1_january_2027(kg: Knowledge) -> None:
    # [1.29] authority and financing for akutsygeplejen move to the region from 2027.
    assert _responsible(kg, "akutsygepleje", BEFORE_REFORM) == ["suf"]
    assert _responsible(kg, "akutsygepleje", AFTER_REFORM) == ["region-oestdanmark"]
    assert _responsible(kg, "akutsygepleje", date(2026, 12, 31)) == ["suf"]
    assert _responsible(kg, "akutsygepleje", date(2027, 1, 1)) == ["region-oestdanmark"]


def test_after_the_reform_the_municipality_still_guides_on_the_moved_areas(kg: Knowledge) -> None:
    # forvaltningsloven § 7: SUF guides and forwards; the link to SUF is antaget.
    answer = who_handles(kg, "kle-29.18.00", as_of=AFTER_REFORM)
    guiding = [p for p in answer.handlers if p.role == "vejledende"]
    assert [p.unit for p in guiding] == ["suf"]
    assert guiding[0].provenance.status == "antaget"


def test_patientrettet_forebyggelse_moves_to_the_region_and_is_confirmed(kg: Knowledge) -> None:
    assert _responsible(kg, "kle-29.09.08", BEFORE_REFORM) == ["suf"]
    assert _responsible(kg, "kle-29.09.08", AFTER_REFORM) == ["region-oestdanmark"]
    (region,) = who_handles(kg, "kle-29.09.08", as_of=AFTER_REFORM).responsible
    assert region.provenance.status == "bekraeftet"
    assert region.valid_from == date(2027, 1, 1)


def test_the_region_is_an_outside_authority(kg: Knowledge) -> None:
    region = kg.units["region-oestdanmark"]
    assert region.is_external
    assert region.parent is None


# ---------------------------------------------------------------------- corrections


def test_byggeri_koebenhavn_is_oekf_s_construction_client_and_issues_no_permits(
    kg: Knowledge,
) -> None:
    # [Corrections, 1.9] Byggeri København sits under ØKF; [1.8] building permits are TMF's.
    assert kg.units["okf-byggeri-koebenhavn"].parent == "okf"
    assert kg.units["okf-byggeri-koebenhavn"].provenance.status == "bekraeftet"
    assert _responsible(kg, "byggetilladelse", date.today()) == ["tmf"]
    # It builds the municipality's own buildings (byk.kk.dk): KLE 82, never a permit (02).
    tasks = {p.task for p in kg.participations_by_unit["okf-byggeri-koebenhavn"]}
    assert "kle-82.06" in tasks
    assert all(task.startswith("kle-82.") for task in tasks), tasks


def test_erhvervshuset_sits_with_bif(kg: Knowledge) -> None:
    # [5.9, 5.10] erhverv is under BIF; the unit's current name is not confirmed.
    unit = kg.units["erhvervshuset"]
    assert unit.parent == "bif"
    assert unit.provenance.status == "antaget"
    assert kg.administration_of("erhvervshuset") == kg.units["bif"]


def test_borgercenter_handicap_keeps_its_old_name_as_an_alternative(kg: Knowledge) -> None:
    # [1.13] Handicapcenter København became Borgercenter Handicap in 2015.
    assert "Handicapcenter København" in kg.units["sof-borgercenter-handicap"].alt_labels
    found, _ = kg.resolve("unit", "Handicapcenter København")
    assert found.id == "sof-borgercenter-handicap"


def test_bif_carries_its_2026_name(kg: Knowledge) -> None:
    # [1.24] the administration is renamed from 1 January 2026 (no dated names yet).
    assert "Beskæftigelses-, Integrations- og Erhvervsforvaltningen" in kg.units["bif"].alt_labels


# ------------------------------------------------------------------ topic-level owners


@pytest.mark.parametrize(
    ("age", "unit"), [(40, "sof-den-sociale-hjemmepleje"), (70, "suf-visitation")]
)
def test_home_care_is_split_by_age_at_topic_level(kg: Knowledge, age: int, unit: str) -> None:
    # [1.16, 1.25] 18–64 apply to SOF (Den Sociale Hjemmepleje), 65+ to SUF's visitation.
    level, parts = owners(kg, "kle-27.36.04", age=age)
    assert level == "kle-27.36.04"
    assert [p.unit for p in parts] == [unit]


def test_forbrugsgoder_over_65_go_to_the_local_visitation(kg: Knowledge) -> None:
    # [1.26] forbrugsgoder: under 65 Borgercenter Handicap, over 65 the local visitation in SUF.
    assert [p.unit for p in owners(kg, "kle-27.60.16", age=30)[1]] == ["sof-borgercenter-handicap"]
    assert [p.unit for p in owners(kg, "kle-27.60.16", age=80)[1]] == ["suf-visitation"]


@pytest.mark.parametrize(
    ("task", "unit"),
    [
        ("kle-34.10.30", "sof-borgercenter-boern-unge"),  # [1.14] underretninger
        ("kle-27.57.16", "sof-hjemloese-udsatteenheden"),  # [1.17] herberger
        ("kle-27.57.12", "sof-hjemloese-udsatteenheden"),  # [1.17] krisecentre
        ("kle-29.15.04", "buf-tandplejen"),  # [1.32] Børne- og Ungdomstandplejen
        ("kle-07.18.10", "tmf"),  # [1.12] storskrald
        ("kle-05.09.02", "tmf"),  # [1.11] beboerlicens
        ("kle-22.01.01", "kff"),  # [1.34] alkoholbevillinger
        ("kle-84.01.00", "kff"),  # [1.34] valg
        ("kle-19.02.00", "kff-stadsarkivet"),  # [1.34] Stadsarkivet
        ("kle-23.09.02", "kff-borgerservice"),  # [1.37] pas
    ],
)
def test_topic_level_owner_from_a_source(kg: Knowledge, task: str, unit: str) -> None:
    level, parts = owners(kg, task)
    assert level == task
    assert [p.unit for p in parts] == [unit]
    assert all(p.provenance.sources for p in parts)


def test_passports_are_confirmed_by_kk_dk(kg: Knowledge) -> None:
    (part,) = owners(kg, "kle-23.09.02")[1]
    assert part.provenance.status == "bekraeftet"


def test_ydelsesservice_pays_the_benefits_it_lists(kg: Knowledge) -> None:
    # [1.21] Ydelsesservice København pays kontanthjælp, sygedagpenge, ledighedsydelse …
    for task in ("kle-32.24.04", "kle-32.24.12", "kle-32.30.04", "kle-32.27.10"):
        roles = {(p.unit, p.role) for p in kg.participations_by_task[task]}
        assert ("bif-ydelsesservice", "udbetaler") in roles


# --------------------------------------------------------------- outside authorities


@pytest.mark.parametrize(("authority", "task"), sorted(AUTHORITY_TOPICS.items()))
def test_outside_authority_exists_with_a_source_and_a_kle_topic(
    kg: Knowledge, authority: str, task: str
) -> None:
    unit = kg.units[authority]
    assert unit.is_external and unit.parent is None
    assert any(s.url for s in unit.provenance.sources)
    assert authority in {p.unit for p in kg.participations_by_task[task]}


def test_authorities_without_a_kle_topic_still_have_a_source(kg: Knowledge) -> None:
    for authority in UNLINKED_AUTHORITIES:
        unit = kg.units[authority]
        assert unit.is_external
        assert any(s.url for s in unit.provenance.sources)


@pytest.mark.parametrize(
    "task", ["kle-30.10.50", "kle-23.04.00", "kle-30.10.15", "kle-23.02.00", "kle-17.00.30"]
)
def test_the_municipality_guides_where_an_outside_authority_decides(
    kg: Knowledge, task: str
) -> None:
    parts = kg.participations_by_task[task]
    authority = [p for p in parts if p.role == "ansvarlig"]
    guides = [p for p in parts if p.role == "vejledende"]
    assert [kg.units[p.unit].is_external for p in authority] == [True]
    assert [p.unit for p in guides] == ["kff-borgerservice"]
    assert {law for p in guides for law in p.legal_basis} == {
        "forvaltningsloven-7-1",
        "forvaltningsloven-7-2",
    }


def test_divorce_is_answered_by_familieretshuset(kg: Knowledge) -> None:
    assert _responsible(kg, "skilsmisse", date.today()) == ["familieretshuset"]


# -------------------------------------------------------------------- contact points


@pytest.mark.parametrize(("contact", "phones"), sorted(PHONES.items()))
def test_contact_point_has_the_number_its_source_states(
    kg: Knowledge, contact: str, phones: tuple[str, ...]
) -> None:
    point = kg.registry.contacts[contact]
    assert point.telephone == phones
    assert point.provenance.sources


def test_every_new_contact_is_reachable_from_its_unit(kg: Knowledge) -> None:
    owned = {c for unit in kg.units.values() for c in unit.contacts}
    assert set(PHONES) <= owned


def test_no_invented_numbers_for_units_the_sources_give_none(kg: Knowledge) -> None:
    # "Not found": Borgerservice, Jobcenter, Ydelsesservice, Hjælpemiddelcentret, Erhvervshuset,
    # TMF Parkering have no phone in any source; they must carry no contact point.
    for unit in (
        "kff-borgerservice",
        "bif-jobcenter",
        "bif-ydelsesservice",
        "suf-hjaelpemiddelcentret",
        "erhvervshuset",
        "tmf-center-for-parkering",
    ):
        assert kg.units[unit].contacts == ()


# ----------------------------------------------------------------------------- laws


def test_eli_only_where_the_sheet_gives_it_with_enough_certainty(kg: Knowledge) -> None:
    with_eli = {law.id: law.eli for law in kg.laws.values() if law.eli}
    assert with_eli == {
        "forvaltningsloven": "https://www.retsinformation.dk/eli/lta/2014/433",
        "barnets-lov": "https://www.retsinformation.dk/eli/lta/2025/282",
        "dagtilbudsloven": "https://www.retsinformation.dk/eli/lta/2025/1038",
    }
