"""The rules SHACL cannot say: one current ``ansvarlig`` per task, condition and period.

Two ``ansvarlig`` of one task conflict when a citizen could meet both conditions (age
bands that overlap; no condition is every age) on a day both are valid. Only the
responsibilities a batch creates or updates are checked against the others, so an old
conflict in the data never blocks the edit that resolves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, URIRef

from graph.data.ids import split_uri
from graph.edit.workspace import Workspace
from graph.store.backend import DATA_GRAPH
from graph.store.change import Triple
from ontology.namespaces import CV, ROLE, STAFET

__all__ = ["check_single_responsible"]

_NO_AGE = 10**6


@dataclass(frozen=True, slots=True)
class _Claim:
    uri: URIRef
    unit: str
    low: int
    high: int
    start: date
    end: date

    def collides(self, other: _Claim) -> bool:
        ages = max(self.low, other.low) <= min(self.high, other.high)
        days = max(self.start, other.start) <= min(self.end, other.end)
        return ages and days


def check_single_responsible(
    ws: Workspace, removed: frozenset[Triple], added: frozenset[Triple], checked: Iterable[URIRef]
) -> None:
    """Add an error for each checked ``ansvarlig`` that another one of its task overlaps."""
    after = _after(ws, removed, added)
    for uri in checked:
        if (uri, CV.role, ROLE.ansvarlig) not in after:
            continue
        for task in after.subjects(CV.hasParticipation, uri):
            assert isinstance(task, URIRef)
            mine = _claim(after, uri)
            for other in _others(ws, after, task, uri):
                if mine.collides(other):
                    ws.error(
                        "role",
                        f"Opgaven {split_uri(task)[1]} har allerede en ansvarlig enhed "
                        f"({other.unit}, ansvar {split_uri(other.uri)[1]}) for samme alder i "
                        "samme periode. Afslut det andet ansvar, eller giv dem hver sin "
                        "betingelse eller periode.",
                    )


def _after(ws: Workspace, removed: frozenset[Triple], added: frozenset[Triple]) -> Graph:
    """The participations and conditions of the touched tasks, as they will be."""
    tasks = {s for s, p, _ in added | removed if p == CV.hasParticipation}
    parts = {o for s, p, o in added if p == CV.role} | {s for s, _, _ in added | removed}
    for task in tasks:
        rows = ws.select(
            f"SELECT ?p WHERE {{ GRAPH <{DATA_GRAPH}> {{ <{task}> <{CV.hasParticipation}> ?p }} }}"
        )
        parts |= {row["p"] for row in rows if isinstance(row["p"], URIRef)}
    subjects = {s for s in parts if isinstance(s, URIRef)} | tasks
    current = ws.store.resource_triples(subjects)
    conditions = {o for _, p, o in current | added if p == STAFET.condition}
    current |= ws.store.resource_triples(c for c in conditions if isinstance(c, URIRef))
    graph = Graph()
    for triple in (current - removed) | added:
        graph.add(triple)
    return graph


def _others(ws: Workspace, after: Graph, task: URIRef, uri: URIRef) -> list[_Claim]:
    found = []
    for other in after.objects(task, CV.hasParticipation):
        if other != uri and (other, CV.role, ROLE.ansvarlig) in after:
            assert isinstance(other, URIRef)
            found.append(_claim(after, other))
    return found


def _claim(graph: Graph, uri: URIRef) -> _Claim:
    low, high = 0, _NO_AGE
    for cond in graph.objects(uri, STAFET.condition):
        low = max(low, _int(graph.value(cond, STAFET.minAge), 0))
        high = min(high, _int(graph.value(cond, STAFET.maxAge), _NO_AGE))
    unit = graph.value(uri, CV.hasParticipant)
    return _Claim(
        uri=uri,
        unit=split_uri(unit)[1] if unit is not None else "?",
        low=low,
        high=high,
        start=_day(graph.value(uri, STAFET.validFrom), date.min),
        end=_day(graph.value(uri, STAFET.validUntil), date.max),
    )


def _int(node: object, default: int) -> int:
    value = node.toPython() if isinstance(node, Literal) else None
    return value if isinstance(value, int) else default


def _day(node: object, default: date) -> date:
    value = node.toPython() if isinstance(node, Literal) else None
    return value if isinstance(value, date) else default
