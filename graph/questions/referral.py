"""The shortest referral path from the unit a citizen reached to a unit that handles the task.

The relay (stafetten) is passed along edges of a weighted referral graph between units:

==================  ======  =====================================================
``via``             cost    when
==================  ======  =====================================================
``contact_person``  1       a named contact-person function connects the two units
``forum``           2       both units sit in the same forum (and meet there)
``collaboration``   2.5     both take part in a formal collaboration (or one is
                            consultant in the other's team)
``hierarchy``       3       one unit is directly under the other
``external``        4       forwarding out of the municipality to another authority
==================  ======  =====================================================

A named contact or a shared forum is cheaper than going up and down the hierarchy, and
leaving the municipality is the most expensive single hop. Edges out of the municipality
are one-way: a path never comes back in through an external authority.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, islice, pairwise
from typing import Any

import networkx as nx

from graph.data.knowledge import Knowledge, Match
from graph.data.model import HANDLING_ROLES, Participation, Task, Unit
from graph.errors import NoReferralPathError
from graph.present.common import (
    contact_dicts,
    contacts_for,
    law_summary,
    task_summary,
    unit_summary,
)
from graph.questions.responsibility import who_handles

__all__ = [
    "COSTS",
    "Hop",
    "ReferralAnswer",
    "rank_targets",
    "referral_graph",
    "referral_path",
]

COSTS: dict[str, float] = {
    "contact_person": 1.0,
    "forum": 2.0,
    "collaboration": 2.5,
    "hierarchy": 3.0,
    "external": 4.0,
}
#: Alternatives costing at most this much more than the best path are listed.
ALTERNATIVE_SLACK = 3.0

#: The provisions seed 000 names for guiding and forwarding (ids in data/copenhagen/laws.ttl).
FORWARDING = "forvaltningsloven-7-2"
UNITARY_AUTHORITY = "kommunestyrelsesloven-2"
SOCIAL_FIELD = "retssikkerhedsloven-5"


@dataclass(frozen=True, slots=True)
class Hop:
    """One hand-over: from a unit to the next, how, through what, and on which legal basis."""

    source: str
    target: str
    via: str
    through: str | None
    legal_basis: tuple[str, ...]
    cost: float


@dataclass(slots=True)
class ReferralAnswer:
    from_unit: Unit
    from_match: Match
    task: Task
    task_match: Match
    target: Participation
    hops: list[Hop]
    cost: float
    alternatives: list[tuple[Participation, list[Hop], float]] = field(default_factory=list)
    fallback_from: Task | None = None

    @property
    def leaves_municipality(self) -> bool:
        return self.target_is_external

    @property
    def target_is_external(self) -> bool:
        return bool(self.hops) and self.hops[-1].via == "external"

    def to_dict(self, kg: Knowledge) -> dict[str, Any]:
        """The JSON shape of the HTTP contract's ``/api/v1/referral``."""
        return {
            "from": unit_summary(kg, self.from_unit.id),
            "to": unit_summary(kg, self.target.unit),
            "to_role": self.target.role,
            "task": task_summary(self.task),
            "fallback_from": task_summary(self.fallback_from) if self.fallback_from else None,
            "matched_via": {"from": self.from_match.to_dict(), "task": self.task_match.to_dict()},
            "hops": [_hop_dict(kg, hop, self.task) for hop in self.hops],
            "cost": self.cost,
            "leaves_municipality": self.leaves_municipality,
            "received_by_municipality": self.from_unit.kind != "external",
            "alternatives": [
                {
                    "to": unit_summary(kg, part.unit),
                    "to_role": part.role,
                    "hops": [_hop_dict(kg, hop, self.task) for hop in hops],
                    "cost": cost,
                }
                for part, hops, cost in self.alternatives
            ],
            "notes": _notes(kg, self),
        }


def referral_graph(kg: Knowledge) -> nx.DiGraph:
    """Build the weighted referral graph between units (cached on the snapshot).

    Between two units only the cheapest way is kept; ties go to the kind listed first in
    :data:`COSTS`.
    """
    return kg.derived("referral_graph", _build_referral_graph)


def referral_path(
    kg: Knowledge, from_unit: str, task: str, age: int | None = None
) -> ReferralAnswer:
    """Return the cheapest referral path from ``from_unit`` to a unit handling ``task``.

    Parameters
    ----------
    kg
        The compiled knowledge graph.
    from_unit
        The unit the citizen reached: an id (``bif``) or its name as typed
        (``Borgerrådgiveren``).
    task
        Task id, KLE number or free text (see :func:`~graph.questions.responsibility.who_handles`).
    age
        The citizen's age, where responsibility depends on it.

    Raises
    ------
    UnknownEntityError
        For an unknown unit or task (with suggestions).
    NoReferralPathError
        If no handler can be reached.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> answer = referral_path(kg, "borgerraadgiveren", "førtidspension")
    >>> answer.hops[0].source
    'borgerraadgiveren'
    >>> answer.to_dict(kg)["received_by_municipality"]
    True
    """
    unit, unit_match = kg.resolve("unit", from_unit)
    who = who_handles(kg, task, age=age)
    targets = [
        p
        for p in who.handlers
        if p.role in HANDLING_ROLES and p.unit in kg.units and p.admits_age(age)
    ]
    if not targets:
        raise NoReferralPathError(unit.id, who.task.id)
    graph = referral_graph(kg)
    distances, paths = nx.single_source_dijkstra(graph, unit.id, weight="cost")
    ranked = rank_targets(targets, distances)
    if not ranked:
        raise NoReferralPathError(unit.id, who.task.id)
    best = ranked[0]
    best_cost = distances[best.unit]
    answer = ReferralAnswer(
        from_unit=unit,
        from_match=unit_match,
        task=who.fallback_from or who.task,
        task_match=who.matched_via,
        target=best,
        hops=_hops(graph, paths[best.unit]),
        cost=best_cost,
        fallback_from=who.fallback_from,
    )
    seen = {best.unit}
    for part in ranked[1:]:
        if part.unit not in seen:
            seen.add(part.unit)
            answer.alternatives.append((part, _hops(graph, paths[part.unit]), distances[part.unit]))
    if best.unit != unit.id:
        simple = nx.shortest_simple_paths(graph, unit.id, best.unit, weight="cost")
        for path in islice(simple, 1, 3):
            cost = nx.path_weight(graph, path, weight="cost")
            if cost <= best_cost + ALTERNATIVE_SLACK:
                answer.alternatives.append((best, _hops(graph, path), cost))
    answer.alternatives.sort(key=lambda alt: alt[2])
    return answer


def rank_targets(
    targets: Sequence[Participation], distances: Mapping[str, float]
) -> list[Participation]:
    """The handlers a referral can reach, best first: the one choice of where a case enters.

    Where the task is a chain across units, the citizen's request enters at its first
    handling step (førtidspension starts at the jobcenter, not at the deciding unit); then
    the cheapest to reach, then ``ansvarlig`` before other roles. Handlers missing from
    ``distances`` cannot be reached and are left out.
    """
    entry = min((p.step for p in targets if p.step is not None), default=None)
    return sorted(
        (p for p in targets if p.unit in distances),
        key=lambda p: (
            0 if entry is None or p.step == entry else 1,
            distances[p.unit],
            p.role != "ansvarlig",
            p.unit,
        ),
    )


def _hops(graph: nx.DiGraph, path: list[str]) -> list[Hop]:
    hops = []
    for source, target in pairwise(path):
        data = graph.edges[source, target]
        hops.append(
            Hop(
                source=source,
                target=target,
                via=data["via"],
                through=data.get("through"),
                legal_basis=tuple(data.get("legal_basis", ())),
                cost=data["cost"],
            )
        )
    return hops


def _build_referral_graph(kg: Knowledge) -> nx.DiGraph:
    graph = nx.DiGraph()
    internal = [u for u in kg.units.values() if not u.is_external]
    graph.add_nodes_from(u.id for u in kg.units.values())

    def connect(a: str, b: str, via: str, through: str | None = None, *, both: bool = True) -> None:
        if a == b or a not in graph or b not in graph:
            return
        for source, target in ((a, b), (b, a)) if both else ((a, b),):
            existing = graph.get_edge_data(source, target)
            if existing is not None and existing["cost"] <= COSTS[via]:
                continue
            graph.add_edge(
                source, target, via=via, through=through, cost=COSTS[via], legal_basis=()
            )

    for unit in internal:
        if unit.parent is not None:
            connect(unit.id, unit.parent, "hierarchy")
    collaboration_members: dict[str, set[str]] = {}
    for forum in kg.forums.values():
        members = _members(kg, forum.id)
        for a, b in combinations(sorted(members), 2):
            connect(a, b, "forum", forum.id)
        root = _collaboration_root(kg, forum.id)
        if root != forum.id:
            collaboration_members.setdefault(root, set()).update(members)
    for root, members in collaboration_members.items():
        for a, b in combinations(sorted(members | _members(kg, root)), 2):
            connect(a, b, "collaboration", root)
    for membership in kg.registry.memberships.values():
        if membership.organization in kg.units:
            connect(membership.member, membership.organization, "collaboration", membership.id)
    # A post serving a unit links its own unit to that unit (Borgerrådgiveren's contact
    # persons); posts serving the same collaboration link their units to each other (the
    # BIF–SOF contact persons at every centre).
    by_collaboration: dict[str, set[str]] = {}
    for post in kg.registry.arrangements.values():
        for served in post.serves:
            if served in kg.units:
                connect(post.unit, served, "contact_person", post.id)
            elif served in kg.forums:
                by_collaboration.setdefault(served, set()).add(post.unit)
    for served, units in by_collaboration.items():
        for a, b in combinations(sorted(units), 2):
            connect(a, b, "contact_person", served)
    externals = [u.id for u in kg.units.values() if u.is_external]
    for unit in internal:
        for authority in externals:
            connect(unit.id, authority, "external", both=False)
    return graph


def _members(kg: Knowledge, forum_id: str) -> set[str]:
    return {
        m.member
        for m in kg.registry.memberships.values()
        if m.organization == forum_id and m.member in kg.units
    }


def _collaboration_root(kg: Knowledge, forum_id: str) -> str:
    current = forum_id
    seen = {current}
    while (parent := kg.forums[current].parent) in kg.forums and parent not in seen:
        seen.add(parent)
        current = parent
    return current


def _legal_basis(kg: Knowledge, hop: Hop, task: Task) -> list[str]:
    basis = [FORWARDING]
    if hop.via != "external":
        basis.append(UNITARY_AUTHORITY)
    if _in_social_field(kg, task):
        basis.append(SOCIAL_FIELD)
    if hop.through in kg.forums:
        basis.extend(kg.forums[hop.through].legal_basis)
    return [law for law in dict.fromkeys(basis) if law in kg.laws]


def _in_social_field(kg: Knowledge, task: Task) -> bool:
    return kg.inherited_flag(task.id, "in_social_field")


HOW = {
    "contact_person": "Kontakt kontaktpersonen ({through}) i {target}.",
    "forum": "Tag kontakt via {through}, hvor begge enheder deltager.",
    "collaboration": "Brug samarbejdet {through} til at aftale overdragelsen med {target}.",
    "hierarchy": "Send henvendelsen videre til {target} (gennem organisationen).",
    "external": "Videresend henvendelsen til {target}; den forlader kommunen.",
}


def _hop_dict(kg: Knowledge, hop: Hop, task: Task | None = None) -> dict[str, Any]:
    through_label = None
    if hop.through is not None:
        if hop.through in kg.forums:
            through_label = kg.forums[hop.through].label
        elif hop.through in kg.registry.arrangements:
            through_label = kg.registry.arrangements[hop.through].label
        elif hop.through in kg.registry.memberships:
            membership = kg.registry.memberships[hop.through]
            through_label = f"{kg.agent_label(membership.member)} som {membership.role} i " + (
                kg.agent_label(membership.organization)
            )
        else:
            through_label = kg.agent_label(hop.through)
    contacts = contacts_for(kg, hop.target)
    if hop.through in kg.registry.arrangements:
        post = kg.registry.arrangements[hop.through]
        contacts = contact_dicts(kg, post.contacts, holder=post.unit) or contacts
    laws = _legal_basis(kg, hop, task) if task is not None else list(hop.legal_basis)
    return {
        "from": unit_summary(kg, hop.source),
        "to": unit_summary(kg, hop.target),
        "via": hop.via,
        "through": {"id": hop.through, "label": through_label} if hop.through else None,
        "how": HOW[hop.via].format(through=through_label or "", target=kg.agent_label(hop.target)),
        "cost": hop.cost,
        "legal_basis": [law_summary(kg, law) for law in laws],
        "contacts": contacts,
    }


def _notes(kg: Knowledge, answer: ReferralAnswer) -> list[str]:
    notes = []
    if answer.from_unit.kind != "external":
        notes.append(
            "Henvendelsen er allerede modtaget af Københavns Kommune som samlet myndighed "
            "(enhedsforvaltning); en frist regnes fra den første modtagelse."
        )
    if answer.leaves_municipality:
        notes.append(
            "Opgaven ligger hos en anden myndighed: videresend skriftlige henvendelser dertil "
            "(forvaltningsloven § 7, stk. 2), og vejled borgeren om, hvor sagen nu er."
        )
    if not answer.hops:
        notes.append("Enheden varetager selv opgaven: der er ingen stafet at aflevere.")
    if _in_social_field(kg, answer.task):
        notes.append(
            "På det sociale område skal henvendelsen behandles i forhold til alle muligheder "
            "for hjælp, også hos andre myndigheder (retssikkerhedsloven § 5)."
        )
    return notes
