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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations, islice, pairwise
from typing import NamedTuple

import networkx as nx

from graph.data.knowledge import Knowledge, Match
from graph.data.model import HANDLING_ROLES, Participation, Task, Unit
from graph.errors import NoReferralPathError
from graph.questions.responsibility import (
    ContactPoints,
    WhoAnswer,
    contact_points_for,
    who_handles,
)

__all__ = [
    "COSTS",
    "Alternative",
    "Hop",
    "ReferralAnswer",
    "ReferralNote",
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


class ReferralNote(StrEnum):
    """What a note on a referral points out (worded in :mod:`graph.present`)."""

    RECEIVED = "received"
    """The municipality has received the request (enhedsforvaltning): a deadline runs."""
    LEAVES = "leaves"
    """The task lies with another authority: forward written requests there."""
    NO_HOPS = "no_hops"
    """The unit handles the task itself: there is no relay to pass on."""
    SOCIAL_FIELD = "social_field"
    """On the social field every possibility of help must be considered."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One hand-over: from a unit to the next, how, through what, and on which legal basis.

    ``contacts`` are whom to reach at ``target``: the contact-person post's own contact
    points when the hop goes through one, else the target's (or its nearest parent's).
    """

    source: str
    target: str
    via: str
    through: str | None
    legal_basis: tuple[str, ...]
    cost: float
    contacts: ContactPoints


class Alternative(NamedTuple):
    """A path almost as good as the best: to which handler, through which hops, at what cost."""

    target: Participation
    hops: tuple[Hop, ...]
    cost: float


@dataclass(frozen=True, slots=True)
class ReferralAnswer:
    """The cheapest referral path, the near alternatives and the caveats that apply."""

    from_unit: Unit
    from_match: Match
    task: Task
    task_match: Match
    target: Participation
    hops: tuple[Hop, ...]
    cost: float
    #: The who-answer the referral was chosen from (for the citizen's age, if given).
    who: WhoAnswer
    alternatives: tuple[Alternative, ...] = ()
    fallback_from: Task | None = None
    notes: tuple[ReferralNote, ...] = ()

    @property
    def leaves_municipality(self) -> bool:
        """True if the last hand-over goes out of the municipality."""
        return bool(self.hops) and self.hops[-1].via == "external"


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
    >>> [note.value for note in answer.notes]
    ['received', 'social_field']
    """
    unit, unit_match = kg.resolve("unit", from_unit)
    who = who_handles(kg, task, age=age)
    targets = [
        p
        for p in who.handlers
        if p.role in HANDLING_ROLES and p.unit in kg.units and p.admits_age(age)
    ]
    graph = referral_graph(kg)
    distances, paths = nx.single_source_dijkstra(graph, unit.id, weight="cost")
    ranked = rank_targets(targets, distances)
    if not ranked:
        raise NoReferralPathError(unit.id, who.task.id)
    best = ranked[0]
    asked = who.fallback_from or who.task
    hops = _hops(kg, graph, paths[best.unit], asked)
    return ReferralAnswer(
        from_unit=unit,
        from_match=unit_match,
        task=asked,
        task_match=who.matched_via,
        target=best,
        hops=hops,
        cost=distances[best.unit],
        who=who,
        alternatives=_alternatives(kg, graph, unit.id, ranked, (distances, paths), asked),
        fallback_from=who.fallback_from,
        notes=_notes(kg, unit, hops, asked),
    )


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


def _alternatives(
    kg: Knowledge,
    graph: nx.DiGraph,
    source: str,
    ranked: list[Participation],
    dijkstra: tuple[dict[str, float], dict[str, list[str]]],
    task: Task,
) -> tuple[Alternative, ...]:
    """The other reachable handlers, and up to two other paths to the best one, cheapest first.

    A second path to the best handler is listed only if it costs at most
    :data:`ALTERNATIVE_SLACK` more than the best path.
    """
    distances, paths = dijkstra
    best = ranked[0]
    found = []
    seen = {best.unit}
    for part in ranked[1:]:
        if part.unit not in seen:
            seen.add(part.unit)
            found.append(
                Alternative(part, _hops(kg, graph, paths[part.unit], task), distances[part.unit])
            )
    if best.unit != source:
        simple = nx.shortest_simple_paths(graph, source, best.unit, weight="cost")
        for path in islice(simple, 1, 3):
            cost = nx.path_weight(graph, path, weight="cost")
            if cost <= distances[best.unit] + ALTERNATIVE_SLACK:
                found.append(Alternative(best, _hops(kg, graph, path, task), cost))
    found.sort(key=lambda alt: alt.cost)
    return tuple(found)


def _hops(kg: Knowledge, graph: nx.DiGraph, path: list[str], task: Task) -> tuple[Hop, ...]:
    hops = []
    for source, target in pairwise(path):
        data = graph.edges[source, target]
        via, through = data["via"], data.get("through")
        hops.append(
            Hop(
                source=source,
                target=target,
                via=via,
                through=through,
                legal_basis=_legal_basis(kg, via, through, task),
                cost=data["cost"],
                contacts=_hop_contacts(kg, target, through),
            )
        )
    return tuple(hops)


def _hop_contacts(kg: Knowledge, target: str, through: str | None) -> ContactPoints:
    """A contact-person post's own contact points, else the target's."""
    post = kg.registry.arrangements.get(through) if through is not None else None
    if post is not None:
        own = tuple(c for c in post.contacts if c in kg.registry.contacts)
        if own:
            return ContactPoints(post.unit, False, own)
    return contact_points_for(kg, target)


#: An edge of the referral graph: from, to, via, through, and whether it goes both ways.
_Edge = tuple[str, str, str, str | None, bool]


def _build_referral_graph(kg: Knowledge) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(kg.units)
    for kind in _EDGE_KINDS:
        for a, b, via, through, both in kind(kg):
            _connect(graph, a, b, via, through, both=both)
    return graph


def _connect(
    graph: nx.DiGraph, a: str, b: str, via: str, through: str | None, *, both: bool
) -> None:
    """Add the edge (both ways if ``both``) unless a way as cheap is already there."""
    if a == b or a not in graph or b not in graph:
        return
    for source, target in ((a, b), (b, a)) if both else ((a, b),):
        existing = graph.get_edge_data(source, target)
        if existing is not None and existing["cost"] <= COSTS[via]:
            continue
        graph.add_edge(source, target, via=via, through=through, cost=COSTS[via], legal_basis=())


def _hierarchy_edges(kg: Knowledge) -> list[_Edge]:
    return [
        (unit.id, unit.parent, "hierarchy", None, True)
        for unit in kg.units.values()
        if not unit.is_external and unit.parent is not None
    ]


def _forum_edges(kg: Knowledge) -> list[_Edge]:
    return [
        (a, b, "forum", forum.id, True)
        for forum in kg.forums.values()
        for a, b in combinations(sorted(_members(kg, forum.id)), 2)
    ]


def _collaboration_edges(kg: Knowledge) -> list[_Edge]:
    """Members of the forums under one collaboration meet through it; so do memberships."""
    members_by_root: dict[str, set[str]] = {}
    for forum in kg.forums.values():
        root = _collaboration_root(kg, forum.id)
        if root != forum.id:
            members_by_root.setdefault(root, set()).update(_members(kg, forum.id))
    edges: list[_Edge] = [
        (a, b, "collaboration", root, True)
        for root, members in members_by_root.items()
        for a, b in combinations(sorted(members | _members(kg, root)), 2)
    ]
    edges.extend(
        (m.member, m.organization, "collaboration", m.id, True)
        for m in kg.registry.memberships.values()
        if m.organization in kg.units
    )
    return edges


def _contact_person_edges(kg: Knowledge) -> list[_Edge]:
    """A post serving a unit links its own unit to that unit (Borgerrådgiveren's contact
    persons); posts serving the same collaboration link their units to each other (the
    BIF–SOF contact persons at every centre)."""
    edges: list[_Edge] = []
    by_collaboration: dict[str, set[str]] = {}
    for post in kg.registry.arrangements.values():
        for served in post.serves:
            if served in kg.units:
                edges.append((post.unit, served, "contact_person", post.id, True))
            elif served in kg.forums:
                by_collaboration.setdefault(served, set()).add(post.unit)
    edges.extend(
        (a, b, "contact_person", served, True)
        for served, units in by_collaboration.items()
        for a, b in combinations(sorted(units), 2)
    )
    return edges


def _external_edges(kg: Knowledge) -> list[_Edge]:
    """One-way edges out of the municipality: a path never comes back in through them."""
    externals = [u.id for u in kg.units.values() if u.is_external]
    return [
        (unit.id, authority, "external", None, False)
        for unit in kg.units.values()
        if not unit.is_external
        for authority in externals
    ]


#: The kinds of edge in the order the original graph added them (ties keep the first).
_EDGE_KINDS: tuple[Callable[[Knowledge], list[_Edge]], ...] = (
    _hierarchy_edges,
    _forum_edges,
    _collaboration_edges,
    _contact_person_edges,
    _external_edges,
)


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


def _legal_basis(kg: Knowledge, via: str, through: str | None, task: Task) -> tuple[str, ...]:
    basis = [FORWARDING]
    if via != "external":
        basis.append(UNITARY_AUTHORITY)
    if _in_social_field(kg, task):
        basis.append(SOCIAL_FIELD)
    if through in kg.forums:
        basis.extend(kg.forums[through].legal_basis)
    return tuple(law for law in dict.fromkeys(basis) if law in kg.laws)


def _in_social_field(kg: Knowledge, task: Task) -> bool:
    return kg.inherited_flag(task.id, "in_social_field")


def _notes(
    kg: Knowledge, unit: Unit, hops: tuple[Hop, ...], task: Task
) -> tuple[ReferralNote, ...]:
    notes = []
    if unit.kind != "external":
        notes.append(ReferralNote.RECEIVED)
    if hops and hops[-1].via == "external":
        notes.append(ReferralNote.LEAVES)
    if not hops:
        notes.append(ReferralNote.NO_HOPS)
    if _in_social_field(kg, task):
        notes.append(ReferralNote.SOCIAL_FIELD)
    return tuple(notes)
