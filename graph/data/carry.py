"""Bring a snapshot's registry and indexes forward by the entries an edit changed.

:func:`merge` puts the re-read entries in place of the old ones and says which changed
(:class:`Delta`); :func:`carried` patches the last snapshot's indexes by that delta — the
participations per task and per unit, the units under each unit, the KLE numbers — so that
following an edit costs the size of the edit, not of the graph. Nothing of the last
snapshot is changed (a request may still be reading it): a list or dict that changes is
copied first, everything else is shared. An index the last snapshot never built is left to
be built on first use.

The registry's order after a merge: unchanged entries keep their place, changed and new
ones come last (in the order they were re-read). A patched index is exactly the index
built again from the merged registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from graph.data.ids import split_uri
from graph.data.knowledge import Knowledge, reference_problems
from graph.data.model import Participation, Registry, Unit
from graph.errors import InvalidDataError

__all__ = ["Delta", "carried", "merge"]


@dataclass(frozen=True, slots=True)
class Delta:
    """The entries that changed, by table: before (``old``, absent when new) and after
    (``new``, absent when gone)."""

    old: dict[str, dict[str, Any]]
    new: dict[str, dict[str, Any]]

    @property
    def tables(self) -> frozenset[str]:
        """The tables with a changed entry ("units", "participations", …)."""
        return frozenset(name for name in self.old.keys() | self.new.keys())

    def changed(self, table: str) -> set[str]:
        """The ids of ``table`` that changed, appeared or went."""
        return self.old.get(table, {}).keys() | self.new.get(table, {}).keys()


def merge(old: Registry, partial: Registry, wanted: set[str]) -> tuple[Registry, Delta] | None:
    """``old`` with the entries whose URI is in ``wanted`` replaced by ``partial``'s (gone
    where ``partial`` has none), and what changed.

    ``None`` when a document others cite changed: their provenance carries its label.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> merged, delta = merge(kg.registry, Registry(), {kg.units["bif"].uri})
    >>> "bif" in merged.units, sorted(delta.old["units"]), delta.new["units"]
    (False, ['bif'], {})
    """
    for ident, source in partial.sources.items():
        if source.uri in wanted and ident in old.sources and old.sources[ident] != source:
            return None
    merged = Registry()
    before: dict[str, dict[str, Any]] = {}
    after: dict[str, dict[str, Any]] = {}
    idents = {split_uri(uri)[1] for uri in wanted}
    for table in fields(Registry):
        entries: dict[str, Any] = getattr(old, table.name)
        fresh = {i: e for i, e in getattr(partial, table.name).items() if e.uri in wanted}
        gone = {i: e for i in idents if (e := entries.get(i)) is not None and e.uri in wanted}
        changed_old = {i: e for i, e in gone.items() if fresh.get(i) != e}
        changed_new = {i: e for i, e in fresh.items() if gone.get(i) != e}
        if changed_old or changed_new:
            entries = dict(entries)
            for ident in changed_old:
                del entries[ident]
            entries.update(changed_new)
            before[table.name], after[table.name] = changed_old, changed_new
        setattr(merged, table.name, entries)
    return merged, Delta(before, after)


def carried(previous: Knowledge, registry: Registry, delta: Delta) -> dict[str, Any]:
    """``previous``'s indexes patched by ``delta`` (those it built), by property name.

    Raises
    ------
    InvalidDataError
        When a changed entry points at nothing, or something points at a gone one.
    """
    _check(previous, registry, delta)
    built = previous.__dict__
    found: dict[str, Any] = {}
    if "tasks" not in delta.tables and "task_by_notation" in built:
        found["task_by_notation"] = built["task_by_notation"]
    if "participations" in delta.tables:
        old = delta.old.get("participations", {})
        new = list(delta.new.get("participations", {}).values())
        if "participations_by_task" in built:
            found["participations_by_task"] = _by_task(built["participations_by_task"], old, new)
        if "participations_by_unit" in built:
            found["participations_by_unit"] = _by_unit(built["participations_by_unit"], old, new)
    else:
        for name in ("participations_by_task", "participations_by_unit"):
            if name in built:
                found[name] = built[name]
    if "children" in built:
        found["children"] = (
            _children(built["children"], delta) if "units" in delta.tables else built["children"]
        )
    return found


def _by_task(
    index: dict[str, list[Participation]], old: dict[str, Participation], new: list[Participation]
) -> dict[str, list[Participation]]:
    patched = dict(index)
    for task in {p.task for p in old.values()} | {p.task for p in new}:
        parts = [p for p in index.get(task, ()) if p.id not in old]
        parts += [p for p in new if p.task == task]
        parts.sort(key=lambda p: (p.step or 0, p.role, p.unit, p.id))
        _put(patched, task, parts)
    return patched


def _by_unit(
    index: dict[str, list[Participation]], old: dict[str, Participation], new: list[Participation]
) -> dict[str, list[Participation]]:
    patched = dict(index)
    for unit in {p.unit for p in old.values()} | {p.unit for p in new}:
        parts = [p for p in index.get(unit, ()) if p.id not in old]
        _put(patched, unit, parts + [p for p in new if p.unit == unit])
    return patched


def _children(index: dict[str, list[str]], delta: Delta) -> dict[str, list[str]]:
    old: dict[str, Unit] = delta.old.get("units", {})
    new: dict[str, Unit] = delta.new.get("units", {})
    patched = dict(index)
    for parent in {u.parent for u in old.values()} | {u.parent for u in new.values()}:
        if parent is None:
            continue
        kids = {kid for kid in index.get(parent, ()) if kid not in old}
        kids |= {u.id for u in new.values() if u.parent == parent}
        _put(patched, parent, sorted(kids))
    return patched


def _put(index: dict[str, Any], key: str, values: list[Any]) -> None:
    if values:
        index[key] = values
    else:
        index.pop(key, None)


def _check(previous: Knowledge, registry: Registry, delta: Delta) -> None:
    """The references of what changed, and to what went, as a full compile checks them."""
    units = delta.new.get("units", {})
    problems = reference_problems(
        registry,
        delta.new.get("participations", {}).values(),
        units.values(),
        units.keys() | delta.new.get("forums", {}).keys(),
    )
    for table in ("units", "forums"):
        gone = [i for i in delta.old.get(table, {}) if i not in getattr(registry, table)]
        if gone:
            problems += reference_problems(registry, _pointing_at(previous, registry, gone), (), ())
            kids = (registry.units[k] for g in gone for k in _kids(previous, registry, g))
            problems += reference_problems(registry, (), kids, ())
    if problems:
        raise InvalidDataError("; ".join(sorted(problems)[:10]))


def _pointing_at(
    previous: Knowledge, registry: Registry, gone: Iterable[str]
) -> list[Participation]:
    """The participations (as they are now) that pointed at the ``gone`` agents."""
    index = previous.participations_by_unit
    now = registry.participations
    return [now[p.id] for ident in gone for p in index.get(ident, ()) if p.id in now]


def _kids(previous: Knowledge, registry: Registry, unit: str) -> list[str]:
    return [k for k in previous.children.get(unit, ()) if k in registry.units]
