"""Where responsibilities overlap or are missing: for the coordination group."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import combinations
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import (
    ContactArrangement,
    ContactPoint,
    Forum,
    Membership,
    Participation,
    Unit,
)
from graph.present.common import condition_dict, task_summary, unit_summary

__all__ = ["administration_key", "gaps", "overlaps"]

OTHER = "oevrige"
EXTERNAL = "ekstern"


def administration_key(kg: Knowledge, unit_id: str) -> str:
    """The administration id of a unit, ``ekstern`` for authorities, else ``oevrige``."""
    unit = kg.units.get(unit_id)
    if unit is not None and unit.is_external:
        return EXTERNAL
    administration = kg.administration_of(unit_id)
    return administration.id if administration else OTHER


def overlaps(kg: Knowledge, as_of: date | None = None) -> dict[str, Any]:
    """Tasks with more than one unit in the same role, and the overlap matrix.

    ``overlaps`` lists tasks where two units hold the same role for the same citizens (two
    ``ansvarlig`` first); ``split_by_conditions`` lists tasks whose responsibility is split
    between units by conditions such as age; ``matrix[a][b]`` counts tasks where
    administrations ``a`` and ``b`` hold the same role, ``shared[a][b]`` tasks where both
    take part in any role.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> result = overlaps(load_knowledge())
    >>> any(s["task"]["notation"] == "27.60" for s in result["split_by_conditions"])
    True
    """
    day = as_of or date.today()
    rows: list[dict[str, Any]] = []
    split: list[dict[str, Any]] = []
    keys = sorted({administration_key(kg, u) for u in kg.units})
    same_role: dict[str, Counter[str]] = {k: Counter() for k in keys}
    shared: dict[str, Counter[str]] = {k: Counter() for k in keys}
    for task_id, parts in sorted(kg.participations_by_task.items()):
        current = [p for p in parts if p.is_valid_on(day)]
        by_role: dict[str, list[Participation]] = defaultdict(list)
        for part in current:
            by_role[part.role].append(part)
        role_pairs: set[tuple[str, str]] = set()
        for role, group in sorted(by_role.items()):
            clashing = [
                (a, b) for a, b in combinations(group, 2) if a.unit != b.unit and a.overlaps(b)
            ]
            disjoint = [
                (a, b) for a, b in combinations(group, 2) if a.unit != b.unit and not a.overlaps(b)
            ]
            if clashing:
                units = sorted({p.unit for pair in clashing for p in pair})
                rows.append(
                    {
                        "task": task_summary(kg.tasks[task_id]),
                        "role": role,
                        "units": [unit_summary(kg, u) for u in units],
                        "statuses": sorted(
                            {p.provenance.status or "" for pair in clashing for p in pair}
                        ),
                        "severity": "hoej" if role == "ansvarlig" else "lav",
                    }
                )
                for a, b in clashing:
                    ka, kb = sorted(
                        (administration_key(kg, a.unit), administration_key(kg, b.unit))
                    )
                    role_pairs.add((ka, kb))
            if role == "ansvarlig" and disjoint:
                split.append(
                    {
                        "task": task_summary(kg.tasks[task_id]),
                        "units": [
                            {
                                **unit_summary(kg, p.unit),
                                "conditions": [condition_dict(c) for c in p.conditions],
                            }
                            for p in group
                        ],
                    }
                )
        for ka, kb in role_pairs:
            same_role[ka][kb] += 1
            if ka != kb:
                same_role[kb][ka] += 1
        involved = sorted({administration_key(kg, p.unit) for p in current})
        for ka, kb in combinations(involved, 2):
            shared[ka][kb] += 1
            shared[kb][ka] += 1
    rows.sort(key=lambda r: (r["severity"] != "hoej", r["task"]["notation"]))
    return {
        "overlaps": rows,
        "split_by_conditions": split,
        "administrations": keys,
        "matrix": {k: {j: same_role[k][j] for j in keys} for k in keys},
        "shared": {k: {j: shared[k][j] for j in keys} for k in keys},
        "counts": {
            "overlaps": len(rows),
            "ansvarlig_overlaps": sum(1 for r in rows if r["role"] == "ansvarlig"),
            "split_by_conditions": len(split),
        },
    }


def gaps(kg: Knowledge, as_of: date | None = None) -> dict[str, Any]:
    """What is missing: the lists the coordination group works through.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> result = gaps(load_knowledge())
    >>> result["counts"]["tasks_without_ansvarlig"]
    0
    """
    day = as_of or date.today()
    has_own: set[str] = set()
    only_assumed: list[dict[str, Any]] = []
    for task_id, parts in kg.participations_by_task.items():
        if any(p.role == "ansvarlig" and p.is_valid_on(day) for p in parts):
            has_own.add(task_id)
    without: list[dict[str, Any]] = []
    for task in sorted(kg.tasks.values(), key=lambda t: t.notation):
        if task.level == "main":  # headings across administrations: no single owner
            continue
        chain = [task.id, *kg.task_ancestors(task.id)]
        owner_level = next((t for t in chain if t in has_own), None)
        if owner_level is None:
            without.append(task_summary(task))
            continue
        owners = [
            p
            for p in kg.participations_by_task[owner_level]
            if p.role == "ansvarlig" and p.is_valid_on(day)
        ]
        if all(p.provenance.status == "antaget" for p in owners):
            only_assumed.append(
                {
                    **task_summary(task),
                    "via": owner_level,
                    "units": sorted({p.unit for p in owners}),
                }
            )
    units_without_contact = []
    for unit in sorted(kg.units.values(), key=lambda u: u.id):
        if unit.contacts or unit.kind == "political":
            continue
        inherited = next((a for a in kg.unit_ancestors(unit.id) if kg.units[a].contacts), None)
        units_without_contact.append({**unit_summary(kg, unit.id), "inherits_from": inherited})
    contacts_unreachable = [
        {"id": c.id, "label": c.label, "uri": c.uri, "note": c.note}
        for c in sorted(kg.registry.contacts.values(), key=lambda c: c.id)
        if not c.is_reachable
    ]
    cited = _cited_laws(kg)
    laws_not_cited = [
        {"id": law.id, "label": law.label, "uri": law.uri}
        for law in sorted(kg.laws.values(), key=lambda law: law.id)
        if law.id not in cited
    ]
    assumed: dict[str, list[dict[str, Any]]] = {}
    groups: list[tuple[str, Iterable[_Fact]]] = [
        ("units", kg.units.values()),
        ("forums", kg.forums.values()),
        ("participations", kg.registry.participations.values()),
        ("memberships", kg.registry.memberships.values()),
        ("contact_arrangements", kg.registry.arrangements.values()),
        ("contacts", kg.registry.contacts.values()),
    ]
    for kind, entities in groups:
        assumed[kind] = [
            {"id": e.id, "uri": e.uri, "label": _fact_label(kg, e)}
            for e in sorted(entities, key=lambda e: e.id)
            if e.provenance.status == "antaget"
        ]
    members = {m.organization for m in kg.registry.memberships.values()}
    forums_without_members = [
        {"id": f.id, "label": f.label, "uri": f.uri}
        for f in sorted(kg.forums.values(), key=lambda f: f.id)
        if f.id not in members and not any(c.parent == f.id for c in kg.forums.values())
    ]
    return {
        "tasks_without_ansvarlig": without,
        "tasks_only_antaget": only_assumed,
        "units_without_contact": units_without_contact,
        "contacts_without_phone_or_email": contacts_unreachable,
        "laws_not_cited": laws_not_cited,
        "forums_without_members": forums_without_members,
        "antaget": assumed,
        "counts": {
            "tasks": len(kg.tasks),
            "tasks_without_ansvarlig": len(without),
            "tasks_only_antaget": len(only_assumed),
            "units_without_contact": len(units_without_contact),
            "contacts_without_phone_or_email": len(contacts_unreachable),
            "laws_not_cited": len(laws_not_cited),
            "forums_without_members": len(forums_without_members),
            "antaget": sum(len(v) for v in assumed.values()),
        },
    }


_Fact = Unit | Forum | Participation | Membership | ContactArrangement | ContactPoint


def _fact_label(kg: Knowledge, fact: _Fact) -> str:
    if isinstance(fact, Participation):
        return f"{kg.tasks[fact.task].notation}: {kg.agent_label(fact.unit)} ({fact.role})"
    if isinstance(fact, Membership):
        return f"{kg.agent_label(fact.member)} i {kg.agent_label(fact.organization)}"
    return fact.label or fact.id


def _cited_laws(kg: Knowledge) -> set[str]:
    direct: set[str] = set()
    for task in kg.tasks.values():
        direct.update(task.legal_resources)
    for part in kg.registry.participations.values():
        direct.update(part.legal_basis)
    for forum in kg.forums.values():
        direct.update(forum.legal_basis)
    cited = set(direct)
    for law_id in direct:  # citing a provision cites the law it is part of
        current = kg.laws.get(law_id)
        while current is not None and current.parent and current.parent not in cited:
            cited.add(current.parent)
            current = kg.laws.get(current.parent)
    return cited
