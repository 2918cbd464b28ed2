"""The cheapest referral path from the unit a citizen reached to a unit that handles the task.

The relay (stafetten) is passed along the channels of :mod:`graph.questions.channels`; a
search for one task sees only the channels that carry it (a forum only for the tasks it
exists for). Each hop names its legal basis as a Danish public-law reader expects it:

* inside the municipality: forvaltningsloven § 7, stk. 1 (guidance) and the unity principle
  (kommunestyrelsesloven § 2 as seed 000 gives it: one authority, so a hand-over inside it is
  no forwarding to another authority);
* to another authority: § 7, stk. 1 and stk. 2 (forwarding written requests);
* retssikkerhedsloven § 5 where the task is in the social field;
* the task's own provisions (the handler's legal basis) on the hop into the handler;
* on a complaint: the provision requiring the deciding unit to reconsider (genvurdering) on
  the hop into it, and the appeal provision on the hop to the appeal body.

Only provisions present in the data (``laws.ttl``, each with its source) are cited. Where the
handler depends on the citizen's age and none was given, each branch is returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import islice, pairwise
from typing import NamedTuple

from graph.data.knowledge import Knowledge, Match
from graph.data.model import HANDLING_ROLES, AgeCondition, Participation, Task, Unit
from graph.errors import NoReferralPathError
from graph.questions.appeals import Complaint, appeal_route, known_laws
from graph.questions.areas import OUTSIDE, area_of
from graph.questions.areasearch import AreaSearch, Paths
from graph.questions.channels import (
    COSTS,
    Channel,
    Search,
    SearchView,
    carried_by,
    referral_graph,
    search_view,
    task_scope,
)
from graph.questions.nearpaths import paths_within
from graph.questions.responsibility import (
    ContactPoints,
    WhoAnswer,
    contact_points_for,
    who_handles,
)

__all__ = [
    "APPEAL",
    "COSTS",
    "Alternative",
    "Branch",
    "Complaint",
    "Hop",
    "ReferralAnswer",
    "ReferralNote",
    "rank_targets",
    "referral_graph",
    "referral_path",
]

#: Alternatives costing at most this much more than the best path are listed.
ALTERNATIVE_SLACK = 3.0

#: The ``via`` of the last hop of a complaint: from the deciding unit to the appeal body.
APPEAL = "appeal"

#: The provisions seed 000 names for guiding and forwarding (ids in data/copenhagen/laws.ttl).
GUIDANCE = "forvaltningsloven-7-1"
FORWARDING = "forvaltningsloven-7-2"
UNITARY_AUTHORITY = "kommunestyrelsesloven-2"
SOCIAL_FIELD = "retssikkerhedsloven-5"

_NO_CONTACTS = ContactPoints(None, False, ())


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
    DEPENDS_ON_CONDITION = "depends_on_condition"
    """The handler depends on a condition (age) that was not given: see the branches."""
    RECONSIDERATION = "reconsideration"
    """A complaint goes first to the deciding unit, which must reconsider (genvurdering)."""
    NO_APPEAL_BODY = "no_appeal_body"
    """A complaint: the data has no appeal body for the task; the route ends at the decider."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One hand-over: from a unit to the next, how, through what, and on which legal basis.

    ``contacts`` are whom to reach at ``target``: the contact-person post's own contact
    points when the hop goes through one, else the target's (or its nearest parent's,
    marked ``inherited``).
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
class Branch:
    """One branch of a referral whose handler depends on a condition (the citizen's age)."""

    conditions: tuple[AgeCondition, ...]
    target: Participation
    hops: tuple[Hop, ...]
    cost: float
    target_contacts: ContactPoints
    complaint: Complaint | None = None


@dataclass(frozen=True, slots=True)
class ReferralAnswer:
    """The cheapest referral path, the near alternatives and the caveats that apply.

    With ``complaint`` set, ``target`` is the unit that made the decision and ``hops`` lead
    to it and on to the appeal body (the last hop, ``via`` :data:`APPEAL`).
    """

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
    target_contacts: ContactPoints = _NO_CONTACTS
    branches: tuple[Branch, ...] = ()
    complaint: Complaint | None = None

    @property
    def leaves_municipality(self) -> bool:
        """True if the last hand-over goes out of the municipality."""
        return bool(self.hops) and self.hops[-1].via in {"external", APPEAL}


class _Search(NamedTuple):
    """One Dijkstra search from the citizen's unit for one task on one day."""

    kg: Knowledge
    graph: AreaSearch
    carries: Search
    distances: dict[str, float]
    paths: Paths
    task: Task
    view: SearchView


def referral_path(
    kg: Knowledge,
    from_unit: str,
    task: str,
    age: int | None = None,
    *,
    complaint: bool = False,
    as_of: date | None = None,
) -> ReferralAnswer:
    """Return the cheapest referral path from ``from_unit`` to a unit handling ``task``.

    Parameters
    ----------
    kg
        The compiled knowledge graph.
    from_unit
        The unit the citizen reached: an id (``bif``) or its name as typed
        (``Borgerrådgiveren``), resolved only by :meth:`Knowledge.resolve` (never guessed).
    task
        Task id, KLE number or free text (see :func:`~graph.questions.responsibility.who_handles`).
    age
        The citizen's age, where responsibility depends on it; without it, such a referral
        returns each branch.
    complaint
        A complaint about a decision: the route goes to the deciding unit and then to the
        appeal body.
    as_of
        The day the organisation is read for (default today): Borgerservice is the single
        entry from 1 January 2026.

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
    >>> answer.hops[0].source, answer.hops[0].legal_basis[:2]
    ('borgerraadgiveren', ('forvaltningsloven-7-1', 'kommunestyrelsesloven-2'))
    >>> [note.value for note in answer.notes]
    ['received', 'social_field']
    >>> [b.target.unit for b in referral_path(kg, "kff-borgerservice", "hjælpemidler").branches]
    ['sof-borgercenter-handicap', 'suf-hjaelpemiddelcentret']
    >>> klage = referral_path(kg, "borgerraadgiveren", "førtidspension", complaint=True)
    >>> klage.target.unit, klage.hops[-1].target, klage.hops[-1].via
    ('sof', 'ankestyrelsen', 'appeal')
    """
    unit, unit_match = kg.resolve("unit", from_unit)
    day = as_of or date.today()
    who = who_handles(kg, task, age=age, as_of=as_of)
    asked = who.fallback_from or who.task
    # The handlers of the unit's own municipality and the outside authorities: a case is
    # never passed to another municipality's unit.
    here = {area_of(kg, unit.id), OUTSIDE}
    targets = [
        p
        for p in who.handlers
        if p.role in HANDLING_ROLES
        and p.unit in kg.units
        and p.admits_age(age)
        and area_of(kg, p.unit) in here
    ]
    carries = Search(task_scope(kg, asked.id), day, frozenset(p.unit for p in targets), unit.id)
    view = search_view(kg, carries)
    search = _Search(kg, view.graph, carries, view.distances, view.paths, asked, view)
    ranked = _ranked(targets, view.distances, complaint=complaint)
    if not ranked:
        raise NoReferralPathError(unit.id, who.task.id)
    best = ranked[0]
    hops, route = _route(search, best, complaint=complaint)
    branches = _branches(search, targets, complaint=complaint) if age is None else ()
    return ReferralAnswer(
        from_unit=unit,
        from_match=unit_match,
        task=asked,
        task_match=who.matched_via,
        target=best,
        hops=hops,
        cost=sum(hop.cost for hop in hops),
        who=who,
        alternatives=() if complaint else _alternatives(search, unit.id, ranked),
        fallback_from=who.fallback_from,
        notes=_notes(kg, unit, hops, asked, branches=bool(branches), complaint=route),
        target_contacts=contact_points_for(kg, best.unit, day),
        branches=branches,
        complaint=route,
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


def _ranked(
    targets: Sequence[Participation], distances: Mapping[str, float], *, complaint: bool
) -> list[Participation]:
    """The handlers in order; for a complaint the deciders (``ansvarlig``) come first."""
    ranked = rank_targets(targets, distances)
    if complaint:
        ranked.sort(key=lambda p: (p.role != "ansvarlig", distances[p.unit], p.unit))
    return ranked


def _route(
    search: _Search, target: Participation, *, complaint: bool
) -> tuple[tuple[Hop, ...], Complaint | None]:
    """The hops to ``target`` and, for a complaint, on to the appeal body."""
    if not complaint:
        return _hops(search, search.paths[target.unit], target), None
    route = appeal_route(search.kg, target)
    hops = _hops(search, search.paths[target.unit], target, extra=route.reconsideration)
    if route.appeal_body is not None:
        appeal = Hop(
            source=target.unit,
            target=route.appeal_body,
            via=APPEAL,
            through=None,
            legal_basis=known_laws(search.kg, [*route.reconsideration, *route.appeal_provisions]),
            cost=COSTS["external"],
            contacts=contact_points_for(search.kg, route.appeal_body, search.carries.day),
        )
        hops = (*hops, appeal)
    return hops, route


def _branches(
    search: _Search, targets: Sequence[Participation], *, complaint: bool
) -> tuple[Branch, ...]:
    """One branch per condition the responsible handlers carry (only if there are several)."""
    groups = list(
        dict.fromkeys(p.conditions for p in targets if p.role == "ansvarlig" and p.conditions)
    )
    if len(groups) < 2:
        return ()
    branches = []
    for conditions in groups:
        ranked = _ranked(
            [p for p in targets if not p.conditions or p.conditions == conditions],
            search.distances,
            complaint=complaint,
        )
        if ranked:
            hops, route = _route(search, ranked[0], complaint=complaint)
            branches.append(
                Branch(
                    conditions=conditions,
                    target=ranked[0],
                    hops=hops,
                    cost=sum(hop.cost for hop in hops),
                    target_contacts=contact_points_for(
                        search.kg, ranked[0].unit, search.carries.day
                    ),
                    complaint=route,
                )
            )
    return tuple(sorted(branches, key=lambda b: _condition_order(b.conditions)))


def _condition_order(conditions: tuple[AgeCondition, ...]) -> tuple[int, ...]:
    return tuple(c.min_age or 0 for c in conditions)


def _alternatives(
    search: _Search, source: str, ranked: list[Participation]
) -> tuple[Alternative, ...]:
    """The other reachable handlers, and up to two other paths to the best one, cheapest first.

    A second path to the best handler is listed only if it costs at most
    :data:`ALTERNATIVE_SLACK` more than the best path.
    """
    best = ranked[0]
    found = []
    seen = {best.unit}
    for part in ranked[1:]:
        if part.unit not in seen:
            seen.add(part.unit)
            hops = _hops(search, search.paths[part.unit], part)
            found.append(Alternative(part, hops, search.distances[part.unit]))
    if best.unit != source:
        for path in _near_paths(search, source, best.unit):
            hops = _hops(search, path, best)
            found.append(Alternative(best, hops, sum(hop.cost for hop in hops)))
    found.sort(key=lambda alt: alt.cost)
    return tuple(found)


def _near_paths(search: _Search, source: str, target: str) -> list[list[str]]:
    """The second and third cheapest simple paths to ``target`` (Yen's, as networkx gives
    them: :func:`~graph.questions.nearpaths.paths_within`), those costing at most
    :data:`ALTERNATIVE_SLACK` more than the best; memoised with the search."""
    known = search.view.alternatives
    if target not in known:
        bound = search.distances[target] + ALTERNATIVE_SLACK
        found = []
        for path in islice(paths_within(search.graph, source, target, bound), 1, 3):
            if sum(search.graph.out(a)[b] for a, b in pairwise(path)) > bound:
                break  # the paths come cheapest first: none after this one fits
            found.append(path)
        known[target] = found
    return known[target]


def _hops(
    search: _Search, path: list[str], target: Participation, extra: tuple[str, ...] = ()
) -> tuple[Hop, ...]:
    """The hops along ``path``; the last one also cites the handler's own provisions."""
    hops = []
    last = len(path) - 2
    for index, (source, dest) in enumerate(pairwise(path)):
        data = search.graph.area.data(source, dest)
        assert data is not None, "a path only follows edges of its area"
        channel = carried_by(data, source, dest, search.carries)
        assert channel is not None, "a path only follows channels that carry the task"
        own = (*_task_provisions(search.kg, target, search.task), *extra) if index == last else ()
        hops.append(
            Hop(
                source=source,
                target=dest,
                via=channel.via,
                through=channel.through,
                legal_basis=_legal_basis(search.kg, channel, search.task, own),
                cost=channel.cost,
                contacts=_hop_contacts(search.kg, dest, channel.through, search.carries.day),
            )
        )
    return tuple(hops)


def _hop_contacts(kg: Knowledge, target: str, through: str | None, day: date) -> ContactPoints:
    """A contact-person post's own contact points in use on ``day``, else the target's."""
    post = kg.registry.arrangements.get(through) if through is not None else None
    if post is not None:
        contacts = kg.registry.contacts
        own = tuple(c for c in post.contacts if c in contacts and contacts[c].is_valid_on(day))
        if own:
            return ContactPoints(post.unit, False, own)
    return contact_points_for(kg, target, day)


def _legal_basis(
    kg: Knowledge, channel: Channel, task: Task, own: Sequence[str]
) -> tuple[str, ...]:
    """Guidance always; the unity principle inside, forwarding out; the social field; the
    forum's and the handler's own provisions."""
    basis = [GUIDANCE, FORWARDING if channel.via == "external" else UNITARY_AUTHORITY]
    if _in_social_field(kg, task):
        basis.append(SOCIAL_FIELD)
    if channel.through in kg.forums:
        basis.extend(kg.forums[channel.through].legal_basis)
    basis.extend(own)
    return known_laws(kg, basis)


def _task_provisions(kg: Knowledge, target: Participation, task: Task) -> tuple[str, ...]:
    """The handler's own legal basis, else the task's (asked, then answering level)."""
    answering = kg.tasks.get(target.task)
    for laws in (
        target.legal_basis,
        task.legal_resources,
        answering.legal_resources if answering else (),
    ):
        if laws:
            return tuple(laws)
    return ()


def _in_social_field(kg: Knowledge, task: Task) -> bool:
    return kg.inherited_flag(task.id, "in_social_field")


def _notes(
    kg: Knowledge,
    unit: Unit,
    hops: tuple[Hop, ...],
    task: Task,
    *,
    branches: bool,
    complaint: Complaint | None,
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
    if branches:
        notes.append(ReferralNote.DEPENDS_ON_CONDITION)
    if complaint is not None and complaint.reconsideration:
        notes.append(ReferralNote.RECONSIDERATION)
    if complaint is not None and complaint.appeal_body is None:
        notes.append(ReferralNote.NO_APPEAL_BODY)
    return tuple(notes)
