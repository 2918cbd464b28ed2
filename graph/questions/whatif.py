"""What if the organisation changed: a unit closed, two merged, a forum ended.

Each question builds the changed organisation as a new
:class:`~graph.data.knowledge.Knowledge` (the original is not touched) and compares it
with today's (:func:`compare_knowledge`): which tasks lose their owner or get another, and
which referral routes from the front doors break, grow longer or shorter. The answer is a
frozen :class:`WhatIf`; :mod:`graph.present.coordination` words it in Danish.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import (
    ContactArrangement,
    ContactPoint,
    Membership,
    Participation,
    Registry,
    Unit,
)
from graph.errors import InvalidInputError
from graph.questions.coordination import Route, front_doors, referral_routes
from graph.questions.coverage import AgeBand, OwnerSets, age_bands, owner_sets
from graph.questions.quality import administration_key

__all__ = [
    "Change",
    "LostOwner",
    "OwnerChange",
    "RemovalImpact",
    "RouteChange",
    "WhatIf",
    "compare_knowledge",
    "merge_units",
    "removal_impact",
    "without_forum",
    "without_unit",
]

_EPSILON = 1e-9
_FINDINGS = ("unowned", "owner_changed", "broken", "longer", "shorter")
#: Maps a unit id of the original to its id after a merge.
_Move = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Change:
    """The change asked about, worded by :func:`graph.present.whatif.change_label`.

    ``kind``: ``without_unit``, ``merge_units``, ``without_forum`` or ``change``;
    ``subjects`` and ``labels``: the ids and names of what changes (a merge: the absorbed
    unit, then the one that stays); ``parts``: the forums that end with a forum.
    """

    kind: str = "change"
    subjects: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    parts: int = 0


@dataclass(frozen=True, slots=True)
class LostOwner:
    """A task that had an owner and loses it in ``bands`` (every band: ``all_ages``)."""

    task: str
    bands: tuple[AgeBand, ...]
    all_ages: bool
    owners_before: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OwnerChange:
    """A task whose owner changes other than by a merge's new id."""

    task: str
    owners_before: tuple[str, ...]
    owners_after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RouteChange:
    """A referral route before the change and after it (None: broken)."""

    before: Route
    after: Route | None

    @property
    def difference(self) -> float | None:
        if self.after is None or self.after.cost is None:
            return None
        return self.after.cost - (self.before.cost or 0)


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The consequences of a change to the organisation, against the organisation today.

    ``unowned`` lists tasks that had an owner and lose it (for some ages or all);
    ``owner_changed`` tasks whose owner changes other than by a merge's new name (to the
    default owner of the KLE group above, say); ``broken`` referral routes from the front
    doors that can no longer reach a handler, ``longer`` and ``shorter`` the routes whose
    cost changes.
    """

    change: Change
    before: Knowledge
    after: Knowledge
    unowned: tuple[LostOwner, ...] = ()
    owner_changed: tuple[OwnerChange, ...] = ()
    broken: tuple[RouteChange, ...] = ()
    longer: tuple[RouteChange, ...] = ()
    shorter: tuple[RouteChange, ...] = ()
    routes_compared: int = 0

    @property
    def counts(self) -> dict[str, int]:
        found = {name: len(getattr(self, name)) for name in _FINDINGS}
        return {**found, "routes_compared": self.routes_compared}


def without_unit(kg: Knowledge, unit: str, doors: Iterable[str] | None = None) -> WhatIf:
    """What if a unit were closed: its tasks lose it, its sub-units move up to its parent.

    Its participations, memberships and contact-person functions go with it; contact
    functions elsewhere that only served it end too. ``kg`` is not changed.

    Parameters
    ----------
    unit
        A unit id or name.
    doors
        Front doors to compare referral routes from (default:
        :func:`~graph.questions.coordination.front_doors`).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> result = without_unit(load_knowledge(), "sof-borgercenter-handicap")
    >>> [(t.task, t.bands) for t in result.unowned][:1]
    [('kle-27.60', (AgeBand(low=0, high=17), AgeBand(low=18, high=64)))]
    """
    found, _ = kg.resolve("unit", unit)
    if found.kind == "municipality":
        raise InvalidInputError("Kommunen selv kan ikke fjernes; vælg en enhed under den.")
    gone = found.id
    registry = kg.registry
    units = {
        u.id: replace(u, parent=found.parent) if u.parent == gone else u
        for u in registry.units.values()
        if u.id != gone
    }
    arrangements = {
        post.id: replace(post, serves=tuple(s for s in post.serves if s != gone))
        for post in registry.arrangements.values()
        if post.unit != gone and (not post.serves or set(post.serves) != {gone})
    }
    changed = replace(
        registry,
        units=units,
        participations={k: p for k, p in registry.participations.items() if p.unit != gone},
        memberships={
            k: m for k, m in registry.memberships.items() if gone not in (m.member, m.organization)
        },
        arrangements=arrangements,
        contacts=_used_contacts(registry, units, arrangements),
    )
    after = Knowledge(changed, fingerprint=f"{kg.fingerprint}-uden-{gone}")
    change = Change("without_unit", (gone,), (found.label,))
    return compare_knowledge(kg, after, change=change, doors=doors)


def merge_units(
    kg: Knowledge,
    keep: str,
    absorb: str,
    label: str | None = None,
    doors: Iterable[str] | None = None,
) -> WhatIf:
    """What if unit ``absorb`` were merged into unit ``keep``.

    ``keep`` takes over everything ``absorb`` had: its tasks, sub-units, memberships,
    contact-person functions and contact points; if ``keep`` lies inside ``absorb``, it
    also takes ``absorb``'s place in the hierarchy. Routes from ``absorb`` as a front door
    start from ``keep`` afterwards. ``kg`` is not changed.
    """
    kept, _ = kg.resolve("unit", keep)
    absorbed, _ = kg.resolve("unit", absorb)
    if kept.id == absorbed.id:
        raise InvalidInputError("Vælg to forskellige enheder at lægge sammen.")
    if "municipality" in (kept.kind, absorbed.kind):
        raise InvalidInputError("Kommunen selv kan ikke lægges sammen med en enhed.")
    a, b = kept.id, absorbed.id

    def moved(ident: str) -> str:
        return a if ident == b else ident

    registry = kg.registry
    merged = replace(
        kept,
        label=label or kept.label,
        parent=absorbed.parent if a in kg.subtree(b) else kept.parent,
        alt_labels=_unique(
            *kept.alt_labels, *([kept.label] if label else []), absorbed.label, *absorbed.alt_labels
        ),
        contacts=_unique(*kept.contacts, *absorbed.contacts),
    )
    changed = replace(
        registry,
        units={
            u.id: merged if u.id == a else replace(u, parent=moved(u.parent)) if u.parent else u
            for u in registry.units.values()
            if u.id != b
        },
        participations=_merged_participations(registry, moved),
        memberships=_merged_memberships(registry, moved),
        arrangements=_merged_arrangements(registry, moved),
    )
    after = Knowledge(changed, fingerprint=f"{kg.fingerprint}-{b}-i-{a}")
    change = Change("merge_units", (b, a), (absorbed.label, kept.label))
    return compare_knowledge(kg, after, change=change, renamed={b: a}, doors=doors)


def _unique(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _merged_participations(registry: Registry, moved: _Move) -> dict[str, Participation]:
    participations: dict[str, Participation] = {}
    seen: set[tuple[Any, ...]] = set()
    for key, part in sorted(registry.participations.items()):
        part = replace(part, unit=moved(part.unit))
        signature = (part.task, part.unit, part.role, part.step, part.conditions)
        if signature not in seen:
            seen.add(signature)
            participations[key] = part
    return participations


def _merged_memberships(registry: Registry, moved: _Move) -> dict[str, Membership]:
    memberships = {}
    seen: set[tuple[str, str, str]] = set()
    for key, membership in sorted(registry.memberships.items()):
        membership = replace(
            membership,
            member=moved(membership.member),
            organization=moved(membership.organization),
        )
        signature = (membership.member, membership.organization, membership.role)
        if membership.member != membership.organization and signature not in seen:
            seen.add(signature)
            memberships[key] = membership
    return memberships


def _merged_arrangements(registry: Registry, moved: _Move) -> dict[str, ContactArrangement]:
    arrangements = {}
    for key, post in registry.arrangements.items():
        serves = tuple(dict.fromkeys(moved(s) for s in post.serves if moved(s) != moved(post.unit)))
        if post.serves and not serves:
            continue  # a contact function for its own unit is no longer a bridge
        arrangements[key] = replace(post, unit=moved(post.unit), serves=serves)
    return arrangements


def without_forum(kg: Knowledge, forum: str, doors: Iterable[str] | None = None) -> WhatIf:
    """What if a forum ended, and with it every forum that is part of it.

    Its memberships end, and so do the contact-person functions that only served it and
    any part it had in a task (the rehabilitation team's recommendation, say).
    """
    found, _ = kg.resolve("forum", forum)
    ended = {found.id}
    changed_any = True
    while changed_any:  # the forums that are part of it, at any depth
        changed_any = False
        for candidate in kg.forums.values():
            if candidate.parent in ended and candidate.id not in ended:
                ended.add(candidate.id)
                changed_any = True
    registry = kg.registry
    arrangements = {
        post.id: replace(post, serves=tuple(s for s in post.serves if s not in ended))
        for post in registry.arrangements.values()
        if not post.serves or set(post.serves) - ended
    }
    changed = replace(
        registry,
        forums={k: f for k, f in registry.forums.items() if k not in ended},
        participations={k: p for k, p in registry.participations.items() if p.unit not in ended},
        memberships={
            k: m
            for k, m in registry.memberships.items()
            if m.organization not in ended and m.member not in ended
        },
        arrangements=arrangements,
        contacts=_used_contacts(registry, registry.units, arrangements),
    )
    after = Knowledge(changed, fingerprint=f"{kg.fingerprint}-uden-{found.id}")
    change = Change("without_forum", (found.id,), (found.label,), parts=len(ended) - 1)
    return compare_knowledge(kg, after, change=change, doors=doors)


@dataclass(frozen=True, slots=True)
class RemovalImpact:
    """What closing one unit would do: tasks without owner, routes broken and longer."""

    unit: str
    administration: str
    unowned: int
    broken: int
    longer: int


def removal_impact(kg: Knowledge, units: Iterable[str] | None = None) -> list[RemovalImpact]:
    """:func:`without_unit` for each unit in turn: which closures would hurt most.

    Parameters
    ----------
    units
        Unit ids (default: every unit of the municipality except the political bodies).

    Returns
    -------
    list of RemovalImpact
        One per unit, most harmful first.
    """
    chosen = (
        list(units)
        if units is not None
        else sorted(u.id for u in kg.units.values() if u.kind in ("administration", "unit"))
    )
    rows = []
    for unit in chosen:
        counts = without_unit(kg, unit).counts
        rows.append(
            RemovalImpact(
                unit=unit,
                administration=administration_key(kg, unit),
                unowned=counts["unowned"],
                broken=counts["broken"],
                longer=counts["longer"],
            )
        )
    rows.sort(key=lambda r: (-r.unowned, -r.broken, -r.longer, r.unit))
    return rows


def _used_contacts(
    registry: Registry,
    units: Mapping[str, Unit],
    arrangements: Mapping[str, ContactArrangement],
) -> dict[str, ContactPoint]:
    used = {c for u in units.values() for c in u.contacts}
    used |= {c for post in arrangements.values() for c in post.contacts}
    before = {c for u in registry.units.values() for c in u.contacts}
    before |= {c for post in registry.arrangements.values() for c in post.contacts}
    # Contact points nobody referred to stay as they were; only orphans of the change go.
    return {k: c for k, c in registry.contacts.items() if k in used or k not in before}


def compare_knowledge(
    before: Knowledge,
    after: Knowledge,
    change: Change | None = None,
    renamed: Mapping[str, str] | None = None,
    doors: Iterable[str] | None = None,
    as_of: date | None = None,
) -> WhatIf:
    """Compare a changed organisation with the original: owners and referral routes.

    Parameters
    ----------
    change
        What was changed (default: an unnamed change).
    renamed
        Unit ids of ``before`` that live on under another id in ``after`` (a merge); a
        route from a renamed front door starts from its new id.
    doors
        Front doors of ``before`` (default:
        :func:`~graph.questions.coordination.front_doors`). Doors that no longer exist
        are skipped.
    """
    day = as_of or date.today()
    renamed = renamed or {}
    unowned, owner_changed = _owner_changes(before, after, renamed, day)
    door_list = list(doors) if doors is not None else None
    broken, longer, shorter, compared = _route_changes(before, after, renamed, door_list, as_of)
    return WhatIf(
        change=change or Change(),
        before=before,
        after=after,
        unowned=unowned,
        owner_changed=owner_changed,
        broken=broken,
        longer=longer,
        shorter=shorter,
        routes_compared=compared,
    )


def _owner_changes(
    before: Knowledge, after: Knowledge, renamed: Mapping[str, str], day: date
) -> tuple[tuple[LostOwner, ...], tuple[OwnerChange, ...]]:
    """Tasks that lose their owner (per age band), and tasks whose owner changes."""
    bands = age_bands(before)
    old = owner_sets(before, day)
    new = _changed_owner_sets(before, after, day, bands, old)
    lost: dict[str, list[AgeBand]] = defaultdict(list)
    had: dict[str, set[str]] = defaultdict(set)
    moved: dict[str, tuple[set[str], set[str]]] = {}
    for key, units in old.items():
        task_id, band = key
        now = new.get(key, frozenset())
        if units and not now:
            lost[task_id].append(bands[band])
            had[task_id].update(units)
        elif units and now and {renamed.get(u, u) for u in units} != set(now):
            was, becomes = moved.setdefault(task_id, (set(), set()))
            was.update(units)
            becomes.update(now)

    def in_kle_order(tasks: Iterable[str]) -> list[str]:
        return sorted(tasks, key=lambda t: before.tasks[t].notation)

    unowned = tuple(
        LostOwner(t, tuple(lost[t]), len(lost[t]) == len(bands), tuple(sorted(had[t])))
        for t in in_kle_order(lost)
    )
    changed = tuple(
        OwnerChange(t, tuple(sorted(moved[t][0])), tuple(sorted(moved[t][1])))
        for t in in_kle_order(moved)
    )
    return unowned, changed


def _changed_owner_sets(
    before: Knowledge, after: Knowledge, day: date, bands: Sequence[AgeBand], old: OwnerSets
) -> OwnerSets:
    """:func:`~graph.questions.coverage.owner_sets` of ``after``, from ``old`` of ``before``.

    Only tasks with a changed level in their KLE chain are walked again.
    """
    if before.tasks.keys() != after.tasks.keys():
        return owner_sets(after, day, bands)
    was, now = before.participations_by_task, after.participations_by_task
    changed = {t for t in was.keys() | now.keys() if was.get(t, []) != now.get(t, [])}
    affected = [
        t for t in after.tasks if t in changed or not changed.isdisjoint(after.task_ancestors(t))
    ]
    return {**old, **owner_sets(after, day, bands, tasks=affected)}


def _route_changes(
    before: Knowledge,
    after: Knowledge,
    renamed: Mapping[str, str],
    doors: Sequence[str] | None,
    as_of: date | None,
) -> tuple[tuple[RouteChange, ...], tuple[RouteChange, ...], tuple[RouteChange, ...], int]:
    """Routes from the front doors that break, grow longer or shorter; and how many compared."""
    day = as_of or date.today()
    door_list = list(doors) if doors is not None else front_doors(before)
    if doors is None and as_of is None:
        old_routes = referral_routes(before)  # memoised for the snapshot
    else:
        old_routes = referral_routes(before, doors=door_list, as_of=day)
    new_doors = {d: renamed.get(d, d) for d in door_list if renamed.get(d, d) in after.units}
    new_routes = referral_routes(
        after,
        doors=list(dict.fromkeys(new_doors.values())),
        tasks=list(dict.fromkeys(r.task for r in old_routes)),
        as_of=day,
    )
    index = {(r.door, r.task, r.ages): r for r in new_routes}
    broken: list[RouteChange] = []
    longer: list[RouteChange] = []
    shorter: list[RouteChange] = []
    compared = 0
    for route in old_routes:
        if route.door not in new_doors or route.cost is None:
            continue
        compared += 1
        now = index.get((new_doors[route.door], route.task, route.ages))
        if now is None or now.cost is None:
            broken.append(RouteChange(route, None))
        elif now.cost > route.cost + _EPSILON:
            longer.append(RouteChange(route, now))
        elif now.cost < route.cost - _EPSILON:
            shorter.append(RouteChange(route, now))
    return tuple(broken), tuple(longer), tuple(shorter), compared
