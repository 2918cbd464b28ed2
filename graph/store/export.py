"""The store written back as Turtle (sorted, so two exports diff cleanly), and its log checked.

:func:`export_turtle` writes the data graph as it stands at the head. Skolem IRIs
(``/.well-known/genid/…``) stay IRIs: ``stafet store init --from`` that file gives a store
whose data graph is the same, triple for triple (its log starts anew at change 1).

:func:`verify` checks what the store's guarantees rest on: the head is the last change,
the sequence has no gaps, every change can be undone from the data as it is now (what it
added is there, what it removed is not), the store holds no blank nodes, and — when the
store was seeded from the very Turtle that is shipped now — undoing every change arrives
back at that seed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as oxigraph

from graph.data.loader import TurtleFiles
from graph.store.backend import Head, Store, StoreNotReadyError
from graph.store.change import Change, Triple
from graph.store.terms import GENID, from_oxigraph, skolemise
from ontology.namespaces import PREFIXES

__all__ = ["Verification", "export_turtle", "seed_fingerprint", "verify"]

_PREFIXES = {**PREFIXES, "genid": GENID}

#: How :func:`graph.store.open.seed_store` names the seed in the init change's reason.
_FINGERPRINT = re.compile(r"\(([0-9a-f]{12})\)\s*$")


def export_turtle(store: Store) -> tuple[Head, bytes]:
    """The data graph as sorted Turtle, and the head it shows.

    Triples are sorted by subject, predicate and object (as N-Triples text), so the same
    data always gives the same bytes.

    Examples
    --------
    >>> from graph.store.embedded import EmbeddedStore
    >>> text = b'''<https://stafet.kk.dk/id/unit/b> <urn:p> "2", "1" .
    ...           <urn:a> <urn:p> [ <urn:q> 1 ] .'''
    >>> store = EmbeddedStore(None)
    >>> _ = store.initialise(oxigraph.parse(input=text, format=oxigraph.RdfFormat.TURTLE),
    ...                      agent="doc", reason="eksempel")
    >>> head, data = export_turtle(store)
    >>> print(data.decode().split("\\n\\n", 1)[1].strip())  # doctest: +NORMALIZE_WHITESPACE
    genid:55258fe93b94c4a562c0b444bd352534 <urn:q> 1 .
    unit:b <urn:p> "1" , "2" .
    <urn:a> <urn:p> genid:55258fe93b94c4a562c0b444bd352534 .
    """
    head, quads = store.snapshot()
    triples = sorted(
        (oxigraph.Triple(q.subject, q.predicate, q.object) for q in quads),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    body = oxigraph.serialize(triples, format=oxigraph.RdfFormat.TURTLE, prefixes=_PREFIXES)
    assert body is not None
    lines = body.decode("utf-8").split("\n")
    rest = "\n".join(line for line in lines if not line.startswith("@prefix "))
    header = [
        f"# Stafet-registret ved ændring {head.sequence} ({head.change}).",
        "# Sorteret: to eksporter af det samme register er ens byte for byte.",
        *(f"@prefix {name}: <{uri}> ." for name, uri in sorted(_PREFIXES.items())),
    ]
    return head, ("\n".join(header) + "\n\n" + rest.strip() + "\n").encode("utf-8")


@dataclass
class Verification:
    """What :func:`verify` found: ``problems`` (Danish) empty means the store is sound."""

    head: Head | None = None
    changes: int = 0
    triples: int = 0
    #: True: undoing every change gives the shipped seed; None: not compared (other seed).
    reached_seed: bool | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def seed_fingerprint(change: Change) -> str | None:
    """The seed's short fingerprint an init change names in its reason, if any.

    >>> from graph.store.change import new_change
    >>> seed_fingerprint(new_change(agent="a", kind="init", reason="Oprettet (0123456789ab)"))
    '0123456789ab'
    """
    found = _FINGERPRINT.search(change.reason)
    return found.group(1) if found else None


def verify(store: Store, seed: TurtleFiles | None = None) -> Verification:
    """Check the store's log against its data; compare with ``seed`` when it was the seed."""
    result = Verification()
    try:
        head, quads = store.snapshot()
    except StoreNotReadyError as exc:
        result.problems.append(str(exc))
        return result
    result.head = head
    changes = store.changes(0, head.sequence)
    result.changes = len(changes)
    result.problems.extend(_sequence_problems(head, changes))
    current = _triples(quads, result.problems, "registrets data")
    result.triples = len(current)
    for change in reversed(changes):
        if change.kind == "init":
            continue
        result.problems.extend(_undo(change, current))
    init = changes[0] if changes and changes[0].kind == "init" else None
    if seed is not None and init is not None:
        _compare_with_seed(result, init, current, seed)
    return result


def _sequence_problems(head: Head, changes: list[Change]) -> list[str]:
    problems: list[str] = []
    numbers = [c.sequence for c in changes]
    if numbers != list(range(1, head.sequence + 1)):
        missing = sorted(set(range(1, head.sequence + 1)) - set(numbers))
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        problems.append(
            f"ændringsloggen er ikke 1…{head.sequence} uden huller: "
            f"mangler {missing[:10] or 'ingen'}, dobbelte {twice[:10] or 'ingen'}"
        )
    if changes and changes[-1].id != head.change:
        problems.append(
            f"hovedet peger på ændring {head.change}, men den sidste i loggen er {changes[-1].id}"
        )
    inits = [c.sequence for c in changes if c.kind == "init"]
    if inits != [1]:
        problems.append(f"loggen skal begynde med én oprettelse (ændring 1), har {inits}")
    return problems


def _triples(quads: Iterable[Any], problems: list[str], where: str) -> set[Triple]:
    found: set[Triple] = set()
    blank = 0
    for q in quads:
        if isinstance(q.subject, oxigraph.BlankNode) or isinstance(q.object, oxigraph.BlankNode):
            blank += 1
            continue
        found.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))  # type: ignore[arg-type]
    if blank:
        problems.append(f"{where} har {blank} tripler med blanke knuder")
    return found


def _undo(change: Change, current: set[Triple]) -> list[str]:
    """Undo ``change`` on ``current`` (in place); what did not fit, in Danish."""
    problems: list[str] = []
    name = f"ændring {change.sequence} ({change.id}, {change.kind}, {change.agent})"
    if any(type(term).__name__ == "BNode" for t in change.added | change.removed for term in t):
        problems.append(f"{name} indeholder blanke knuder")
    missing = change.added - current
    if missing:
        problems.append(f"{name}: {len(missing)} tilføjede tripler findes ikke i data")
    extra = change.removed & current
    if extra:
        problems.append(f"{name}: {len(extra)} fjernede tripler findes stadig i data")
    current -= change.added
    current |= change.removed
    return problems


def _compare_with_seed(
    result: Verification, init: Change, current: set[Triple], seed: TurtleFiles
) -> None:
    shipped = seed.fingerprint()[:12]
    named = seed_fingerprint(init)
    if named != shipped:
        result.notes.append(
            f"registret er oprettet ud fra andre data ({named or 'ukendt'}) end de leverede "
            f"({shipped}); slutningen sammenlignes ikke med dem"
        )
        return
    quads = skolemise(seed.store().quads_for_pattern(None, None, None))
    expected = _triples(quads, result.problems, "de leverede data")
    result.reached_seed = current == expected
    if not result.reached_seed:
        result.problems.append(
            "når alle ændringer fortrydes, når man ikke de leverede data: "
            f"{len(current - expected)} tripler for meget, {len(expected - current)} for lidt"
        )
