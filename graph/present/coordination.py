"""The coordination group's answers in Danish, shaped as the dicts pages and tables show.

Each public function here is the JSON shape of the question of the same name in
:mod:`graph.questions.coverage` or :mod:`graph.questions.coordination`: it asks the
question and turns the typed answer into ids, Danish labels and counts. The what-if
answers are worded in :mod:`graph.present.whatif`, the spreadsheet rows in
:mod:`graph.present.tables`.

Examples
--------
>>> from graph import load_knowledge
>>> kg = load_knowledge()
>>> short_label(kg, "bif")
'BIF'
>>> age_band_label(AgeBand(0, 64)), age_band_label(AgeBand(65, None))
('under 65 år', '65 år og derover')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.answers import referral_json, who_json
from graph.present.common import task_summary, unit_summary
from graph.present.dependencies import dependencies_json
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import (
    ADMINISTRATION_LABELS,
    COVERAGE_LABELS,
    KLE_LEVEL_PLURALS,
    ROLE_LABELS,
    status_label,
)
from graph.questions import coordination, coverage
from graph.questions.coverage import COVERAGE_CATEGORIES, AgeBand
from graph.questions.dependencies import dependencies
from graph.questions.quality import OTHER, gaps, overlaps
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles

__all__ = [
    "ALL_AGES",
    "age_band_label",
    "ages_label",
    "arrangements_without_contact",
    "bottlenecks",
    "communities",
    "community_name",
    "dependency_report",
    "kle_coverage",
    "responsibility_by_administration",
    "short_label",
    "summary",
    "tasks_without_owner",
]

#: How a list of age bands that covers every age is shown.
ALL_AGES = "alle aldre"


def short_label(kg: Knowledge, key: str) -> str:
    """A short Danish name for an administration key or a unit id (``bif`` → ``BIF``)."""
    if key in ADMINISTRATION_LABELS:
        return ADMINISTRATION_LABELS[key]
    unit = kg.units.get(key)
    if unit is not None and unit.kind == "administration":
        return next((a for a in unit.alt_labels if a.isupper()), unit.label)
    return kg.agent_label(key)


def age_band_label(band: AgeBand) -> str:
    """``under 65 år``, ``18–64 år``, ``65 år og derover`` or ``alle aldre``."""
    if band.low == 0 and band.high is None:
        return ALL_AGES
    if band.high is None:
        return f"{band.low} år og derover"
    if band.low == 0:
        return f"under {band.high + 1} år"
    return f"{band.low}–{band.high} år"


def ages_label(bands: Sequence[AgeBand], all_ages: bool) -> list[str]:
    """The bands' labels, or ``["alle aldre"]`` if they are every band there is."""
    return [ALL_AGES] if all_ages else [age_band_label(b) for b in bands]


def _main_group_dicts(kg: Knowledge, mains: Sequence[str]) -> list[dict[str, str]]:
    return [{"notation": kg.tasks[m].notation, "label": kg.tasks[m].label} for m in mains]


def responsibility_by_administration(kg: Knowledge, as_of: date | None = None) -> dict[str, Any]:
    """Who does what (:func:`graph.questions.coverage.responsibility_by_administration`).

    Returns
    -------
    dict
        ``rows``: one per administration key with ``label``, ``groups``, ``topics``,
        ``topics_confirmed`` and ``topics_own``; ``main_groups``: the KLE main groups;
        ``by_main_group[notation][key]``: topics owned per main group and administration.
    """
    answer = coverage.responsibility_by_administration(kg, as_of)
    return {
        "administrations": [s.administration for s in answer.shares],
        "rows": [
            {
                "administration": s.administration,
                "label": short_label(kg, s.administration),
                "groups": s.groups,
                "topics": s.topics,
                "topics_confirmed": s.topics_confirmed,
                "topics_own": s.topics_own,
            }
            for s in answer.shares
        ],
        "main_groups": _main_group_dicts(kg, answer.main_groups),
        "by_main_group": {
            kg.tasks[m].notation: dict(answer.by_main_group[m]) for m in answer.main_groups
        },
    }


def kle_coverage(kg: Knowledge, as_of: date | None = None) -> dict[str, Any]:
    """How much of KLE has an owner (:func:`graph.questions.coverage.kle_coverage`).

    Returns
    -------
    dict
        ``rows`` (a table with a Danish ``level``), ``categories`` and their
        ``category_labels``, ``by_level[level][category]``, ``totals[level]``,
        ``main_groups`` and ``by_main_group[notation][category]``.
    """
    answer = coverage.kle_coverage(kg, as_of)
    return {
        "rows": [
            {
                "level": KLE_LEVEL_PLURALS[level],
                **counts,
                "total": sum(counts.values()),
            }
            for level, counts in answer.by_level.items()
        ],
        "categories": list(COVERAGE_CATEGORIES),
        "category_labels": {c: COVERAGE_LABELS[c] for c in COVERAGE_CATEGORIES},
        "by_level": {level: dict(counts) for level, counts in answer.by_level.items()},
        "totals": answer.totals,
        "main_groups": _main_group_dicts(kg, answer.main_groups),
        "by_main_group": {
            kg.tasks[m].notation: dict(answer.by_main_group[m]) for m in answer.main_groups
        },
    }


def tasks_without_owner(kg: Knowledge, as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`graph.questions.coverage.tasks_without_owner` with the ages in Danish."""
    return [
        {
            **task_summary(kg.tasks[row.task]),
            "ages": ages_label(row.bands, row.all_ages),
            "all_ages": row.all_ages,
        }
        for row in coverage.tasks_without_owner(kg, as_of)
    ]


def arrangements_without_contact(kg: Knowledge) -> list[dict[str, Any]]:
    """:func:`graph.questions.coordination.arrangements_without_contact`, a dict each."""
    return [
        {
            "id": post.id,
            "label": post.label,
            "unit": unit_summary(kg, post.unit),
            "serves": [kg.agent_label(s) for s in post.serves],
        }
        for post in coordination.arrangements_without_contact(kg)
    ]


def bottlenecks(kg: Knowledge, limit: int | None = None) -> list[dict[str, Any]]:
    """:func:`graph.questions.coordination.bottlenecks`: a unit summary and the counts."""
    return [
        {
            **unit_summary(kg, row.unit),
            "administration": row.administration,
            "passes": row.passes,
            "share": row.share,
            "tasks": row.tasks,
            "doors": list(row.doors),
            "betweenness": row.betweenness,
        }
        for row in coordination.bottlenecks(kg, limit=limit)
    ]


def community_name(kg: Knowledge, community: coordination.Community) -> str:
    """The administrations of a community, largest first (``BIF + SOF + 2 andre``)."""
    order = list(community.administrations)
    named = [k for k in order if k != OTHER] or order
    names = [short_label(kg, k) for k in named]
    if len(names) > 3:
        names = [*names[:3], f"{len(names) - 3} andre"]
    return " + ".join(names)


def communities(kg: Knowledge, seed: int = 0, resolution: float = 1.0) -> list[dict[str, Any]]:
    """:func:`graph.questions.coordination.communities` with a name and unit summaries."""
    return [
        {
            "name": community_name(kg, c),
            "administrations": dict(c.administrations),
            "members": [unit_summary(kg, u) for u in c.members],
        }
        for c in coordination.communities(kg, seed=seed, resolution=resolution)
    ]


def summary(kg: Knowledge) -> dict[str, Any]:
    """The headline figures for a meeting: overlaps, gaps, bottlenecks, communities."""
    return {
        "fingerprint": kg.fingerprint,
        "units": len(kg.units),
        "tasks": len(kg.tasks),
        "forums": len(kg.forums),
        "participations": len(kg.registry.participations),
        "overlaps": overlaps_json(kg, overlaps(kg))["counts"],
        "gaps": gaps_json(kg, gaps(kg))["counts"],
        "tasks_without_owner_any_age": len(coverage.tasks_without_owner(kg)),
        "arrangements_without_contact": len(coordination.arrangements_without_contact(kg)),
        "bottlenecks": [
            {"id": r["id"], "label": r["label"], "passes": r["passes"], "share": r["share"]}
            for r in bottlenecks(kg, limit=5)
        ],
        "communities": [community_name(kg, c) for c in coordination.communities(kg)],
    }


# -- dependencies between two administrations ------------------------------------------


def dependency_report(
    kg: Knowledge, first: str, second: str, task: str | None = None, *, personal: bool = False
) -> dict[str, Any]:
    """What ties two administrations together, for the coordination group's agenda.

    Shared tasks, the process chain of ``task`` across units, the forums both take part
    in with their meeting rhythm, contact-person functions (only with ``personal``), cross
    memberships (consultants in the other's team) and the referral from each side to ``task``.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> report = dependency_report(load_knowledge(), "bif", "sof", task="førtidspension")
    >>> [step["unit"]["id"] for step in report["process"]]
    ['bif-jobcenter', 'rehabiliteringsteam', 'sof', 'udk']
    >>> report["meetings_per_year"]
    8
    """
    deps = dependencies_json(kg, dependencies(kg, [first, second], task=task), personal=personal)
    result: dict[str, Any] = {**deps, "process": [], "referrals": [], "task": None}
    if task is not None:
        answer = who_handles(kg, task)
        data = who_json(kg, answer)
        result["task"] = data["fallback_from"] if "fallback_from" in data else data["task"]
        result["process"] = data["process"]
        result["referrals"] = [
            _referral(
                referral_json(kg, referral_path(kg, side["id"], answer.task.id), personal=personal)
            )
            for side in deps["units"]
        ]
    for forum in result["forums"]:
        forum["rhythm"] = _rhythm(forum["meetings_per_year"], forum["frequency"])
    for step in result["process"]:
        step["role_label"] = ROLE_LABELS.get(step["role"], step["role"])
    for item in [*result["process"], *result["contact_arrangements"], *result["forums"]]:
        item["status_label"] = status_label(item["status"])
    for post in result["contact_arrangements"]:
        post["side_label"] = short_label(kg, post["side"])
    result["meetings_per_year"] = sum(f["meetings_per_year"] or 0 for f in result["forums"])
    return result


def _referral(route: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": route["from"],
        "to": route["to"],
        "cost": route["cost"],
        "route": " → ".join(
            [route["from"]["label"], *(hop["to"]["label"] for hop in route["hops"])]
        ),
        "hops": [
            {
                "from": hop["from"]["label"],
                "to": hop["to"]["label"],
                "via": hop["via"],
                "through": hop["through"]["label"] if hop["through"] else None,
            }
            for hop in route["hops"]
        ],
    }


def _rhythm(per_year: int | None, frequency: str | None) -> str:
    if per_year and frequency:
        return f"{per_year} gange om året ({frequency})"
    if per_year:
        return f"{per_year} gange om året"
    return frequency or "ikke oplyst"
