"""Validate a :class:`~graph.edit.operations.Batch` and commit it as one change, or nothing.

The writer's rule of the store (``graph.store.backend``): read the head first, then the
state the change is computed from, then commit guarded by that head. If another writer
committed in between, :class:`~graph.store.backend.StaleHeadError` says so: read again,
check the caller's ETags again (a resource someone else changed is a
:class:`~graph.edit.errors.StaleResourceError`), recompute, revalidate, retry.

Writers in one process take turns per store (computing and validating a change takes tens of
milliseconds: two clients retrying against each other could otherwise lose a race eight
times running and be refused); writers in other processes are met by the head guard, with a
short random pause before each retry.
"""

from __future__ import annotations

import random
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import URIRef

from graph.data.knowledge import Knowledge
from graph.edit.access import Editor, check_access
from graph.edit.build import BUILDERS
from graph.edit.build_org import ORG_BUILDERS
from graph.edit.errors import EditInvalidError, FieldError, StaleResourceError, UnknownResourceError
from graph.edit.operations import Batch, EditableKind
from graph.edit.resources import etag_of
from graph.edit.review import REVIEW_BUILDERS
from graph.edit.rules import check_single_responsible
from graph.edit.shacl import validate_focused
from graph.edit.workspace import Workspace
from graph.store.backend import StaleHeadError, Store, StoreError
from graph.store.change import Change, new_change

__all__ = ["Applied", "apply_batch"]

ALL_BUILDERS = {**BUILDERS, **ORG_BUILDERS, **REVIEW_BUILDERS}
ATTEMPTS = 8
#: One lock per store object: this process's writers to it take turns.
_TURNS: weakref.WeakKeyDictionary[Store, threading.Lock] = weakref.WeakKeyDictionary()
_TURNS_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Applied:
    """A committed batch (``change`` None: it changed nothing) and the resources it touched."""

    change: Change | None
    touched: tuple[str, ...] = field(default_factory=tuple)
    etags: dict[str, str] = field(default_factory=dict)


def apply_batch(
    store: Store,
    kg: Knowledge,
    batch: Batch,
    editor: Editor,
    *,
    if_match: Mapping[tuple[EditableKind, str], str] | None = None,
    dry_run: bool = False,
) -> Applied:
    """Check access, compute, validate and commit ``batch`` as one change.

    ``if_match`` maps each existing resource the caller read to the ETag it read: a
    resource changed since is refused (nothing is stored). With ``dry_run`` every check
    runs as for a commit, and nothing is committed (``change`` is None).

    Raises
    ------
    EditInvalidError
        A rule is broken (each with its field and Danish message); nothing was stored.
    StaleResourceError, UnknownResourceError, EditForbiddenError
        Someone changed a resource first; a resource does not exist; out of scope.
    """
    if not batch.operations:
        raise EditInvalidError([FieldError("operations", "Ændringen har ingen operationer.")])
    with _turn(store):
        return _apply(store, kg, batch, editor, if_match or {}, dry_run)


def _turn(store: Store) -> threading.Lock:
    with _TURNS_LOCK:
        lock = _TURNS.get(store)
        if lock is None:
            lock = _TURNS[store] = threading.Lock()
        return lock


def _apply(
    store: Store,
    kg: Knowledge,
    batch: Batch,
    editor: Editor,
    if_match: Mapping[tuple[EditableKind, str], str],
    dry_run: bool,
) -> Applied:
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, 0.05 * attempt))  # a pause, not a secret
        head = store.head()
        ws = Workspace(store, agent=editor.name, now=datetime.now(UTC))
        _check_etags(ws, if_match)
        change = _compute(ws, kg, batch, editor)
        if change is None or dry_run:
            return Applied(None, tuple(str(u) for u in ws.touched))
        try:
            committed = store.commit(change, expected=head.sequence)
        except StaleHeadError:
            continue
        return Applied(committed, committed.resources)
    raise StoreError("registret ændres af mange på én gang lige nu; prøv igen om lidt")


def _check_etags(ws: Workspace, if_match: Mapping[tuple[EditableKind, str], str]) -> None:
    for (kind, ident), tag in if_match.items():
        state = ws.base(kind, ident)
        if not state.exists:
            raise UnknownResourceError(kind, ident)
        if tag != "*" and tag != etag_of(state.triples):
            raise StaleResourceError(kind, ident, state.etag)


def _compute(ws: Workspace, kg: Knowledge, batch: Batch, editor: Editor) -> Change | None:
    many = len(batch.operations) > 1
    prefixes: dict[URIRef, str] = {}
    checked: list[URIRef] = []
    for index, op in enumerate(batch.operations):
        ws.prefix = f"operations[{index}]." if many else ""
        check_access(ws, kg, editor, op)
        before = len(ws.touched)
        ALL_BUILDERS[type(op)](ws, op)
        for uri in ws.touched[before:]:
            prefixes.setdefault(uri, ws.prefix)
            if op.kind in ("create", "update"):
                checked.append(uri)
    if ws.errors:
        raise EditInvalidError(ws.errors)
    removed, added = ws.delta()
    if not removed and not added:
        return None
    ws.prefix = ""
    check_single_responsible(ws, removed, added, checked)
    ws.errors += validate_focused(ws.store, ws.touched, removed, added, prefixes)
    if ws.errors:
        raise EditInvalidError(ws.errors)
    kinds = {op.kind for op in batch.operations}
    single = batch.operations[0]
    return new_change(
        agent=ws.agent,
        kind=kinds.pop() if len(kinds) == 1 and not many else "batch",
        removed=removed,
        added=added,
        reason=batch.reason,
        source=batch.source or (None if many else _source_of(single)),
        resources=[str(u) for u in ws.touched],
        recorded_at=ws.now,
    )


def _source_of(op: object) -> str | None:
    """The source an operation names (its fields' source, or its own)."""
    fields = getattr(op, "fields", op)
    value = getattr(fields, "source", None)
    return value if isinstance(value, str) else None
