"""The compiled knowledge graph: typed entities, the networkx graph and the search index.

A :class:`Knowledge` is built from a :class:`~graph.data.loader.Source` and is immutable once
built. Nothing is global: an edit means a new one, compiled from the source (which is what the
fingerprint is for) or brought forward from the last (:mod:`graph.data.incremental`, which
hands it the last one's indexes patched by :mod:`graph.data.carry`). Every index is built on
first use: the networkx graph, the search index, the per-task and per-unit lists.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pyoxigraph as oxigraph
from rdflib import Graph

from graph.data.cache import read_registry, write_registry
from graph.data.compile import compile_registry
from graph.data.ids import (
    KINDS,
    KLE_NUMBER,
    TASK_ID_PREFIX,
    is_general_topic,
    is_retiring_title,
    read_kle_number,
)
from graph.data.loader import PROJECT_ROOT, Source, default_source, read_snapshot
from graph.data.model import Forum, Law, Participation, Registry, Task, Unit
from graph.data.network import build_graph
from graph.errors import InvalidDataError, NoConfidentMatchError, Suggestion, UnknownEntityError
from graph.search import ANY_KIND, CONFIDENCE_FLOOR, Codes, Document, Hit, SearchIndex, fold

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "KLE_CODES",
    "SEARCH_KINDS",
    "Knowledge",
    "Match",
    "document_of",
    "load_knowledge",
    "reference_problems",
    "search_index",
]

T = TypeVar("T")
#: Search points taken from tasks of the municipality's internal running.
INTERNAL_OPERATION_BOOST = -10.0

#: What KLE numbers mean to the search index: how they are typed, which topic stands for
#: its group, which title marks a retiring topic.
KLE_CODES = Codes(read=read_kle_number, is_general=is_general_topic, is_retiring=is_retiring_title)

#: The kinds a search can be limited to (the contract's ``kind=``); "any" searches all.
SEARCH_KINDS = (ANY_KIND, *KINDS)

# The registry's table of each kind people look up: "unit" → Registry.units.
_TABLES = {kind: f"{kind}s" for kind in KINDS}


#: How many hits besides the best a resolved text keeps, for a question to weigh.
RUNNERS_UP = 5


@dataclass(frozen=True, slots=True)
class Match:
    """How a name typed by a person was resolved to an entity.

    ``runners_up`` are the next confident hits of the same kind, best first (empty for an
    id or a KLE number): a question can tell when the text fits others nearly as well.
    """

    how: str
    text: str
    score: float
    runners_up: tuple[Hit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"how": self.how, "text": self.text, "score": round(self.score, 1)}


class Knowledge:
    """Everything the questions read, compiled from one snapshot of the RDF."""

    def __init__(
        self,
        registry: Registry,
        *,
        fingerprint: str = "",
        source: Source | None = None,
        rdf: Graph | None = None,
        search: SearchIndex | None = None,
        store: oxigraph.Store | None = None,
        carried: Mapping[str, Any] | None = None,
        derived: Mapping[str, tuple[Any, frozenset[str]]] | None = None,
    ) -> None:
        self.registry = registry
        self.fingerprint = fingerprint
        self.source = source
        self._rdf = rdf
        self._derived: dict[str, Any] = {}
        self._reads: dict[str, frozenset[str]] = {}
        # A snapshot that follows another (graph.data.incremental) is handed the last
        # one's indexes, patched (``carried``: the cached properties by name, already
        # checked), and the derived indexes no change touched: they are not built again.
        if carried is None:
            self._check_references()
        else:
            self.__dict__.update(carried)
        for name, (value, reads) in (derived or {}).items():
            self._derived[name], self._reads[name] = value, reads
        if search is not None:
            self.__dict__["search"] = search
        if store is not None:
            self.__dict__["store"] = store

    @classmethod
    def from_rdf(
        cls, rdf: Graph, *, fingerprint: str = "", source: Source | None = None
    ) -> Knowledge:
        return cls(compile_registry(rdf), fingerprint=fingerprint, source=source, rdf=rdf)

    @classmethod
    def from_source(cls, source: Source, *, cache_dir: Path | None = None) -> Knowledge:
        """Compile ``source``, or read the compiled registry from ``cache_dir`` if current."""
        fingerprint = source.fingerprint()
        if cache_dir is not None:
            cached = read_registry(cache_dir / f"{fingerprint}.json")
            if cached is not None:
                return cls(cached, fingerprint=fingerprint, source=source)
        facts, store = read_snapshot(source)
        registry = compile_registry(facts)
        del facts  # the index is only for compiling: drop it before the graph is built
        knowledge = cls(registry, fingerprint=fingerprint, source=source, store=store)
        if cache_dir is not None:
            write_registry(knowledge.registry, cache_dir / f"{fingerprint}.json")
        return knowledge

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The compiled networkx graph (built on first use: a follow does not need it)."""
        return build_graph(self.registry)

    @cached_property
    def store(self) -> oxigraph.Store:
        """The snapshot's RDF in Oxigraph: per-resource lookups without building rdflib's graph."""
        if self.source is not None:
            return self.source.store()
        store = oxigraph.Store()
        store.load(
            self.rdf.serialize(format="nt").encode("utf-8"), format=oxigraph.RdfFormat.N_TRIPLES
        )
        return store

    @property
    def rdf(self) -> Graph:
        """The RDF this snapshot was compiled from (read from the source on first use)."""
        if self._rdf is None:
            if self.source is None:
                raise InvalidDataError("grafen har ingen kilde at læse RDF fra")
            self._rdf = self.source.read()
        return self._rdf

    def derived(
        self, name: str, build: Callable[[Knowledge], T], *, reads: Collection[str] | None = None
    ) -> T:
        """Return an index built from this snapshot once, by ``build`` (memoised by name).

        Question modules keep their own compiled structures here (the referral graph, for
        one), so that they live and die with the snapshot they were built from. ``reads``
        names the :class:`Registry` tables ``build`` reads ("tasks", "units"): a snapshot
        that follows this one keeps the index while an edit changes none of them (without
        ``reads`` it is built again).
        """
        if name not in self._derived:
            self._derived[name] = build(self)
            if reads is not None:
                self._reads[name] = frozenset(reads)
        return cast(T, self._derived[name])

    def derived_reading(self, tables: Collection[str]) -> dict[str, tuple[Any, frozenset[str]]]:
        """The derived indexes built so far that read none of ``tables``, with what they read."""
        return {
            name: (self._derived[name], reads)
            for name, reads in self._reads.items()
            if reads.isdisjoint(tables)
        }

    # -- entity access -------------------------------------------------------------
    @property
    def units(self) -> dict[str, Unit]:
        return self.registry.units

    @property
    def tasks(self) -> dict[str, Task]:
        return self.registry.tasks

    @property
    def laws(self) -> dict[str, Law]:
        return self.registry.laws

    @property
    def forums(self) -> dict[str, Forum]:
        return self.registry.forums

    # -- derived indexes (rebuilt with the Knowledge, never edited in place) ---------
    @cached_property
    def participations_by_task(self) -> dict[str, list[Participation]]:
        index: dict[str, list[Participation]] = defaultdict(list)
        for part in self.registry.participations.values():
            index[part.task].append(part)
        for parts in index.values():
            parts.sort(key=lambda p: (p.step or 0, p.role, p.unit, p.id))
        return dict(index)

    @cached_property
    def participations_by_unit(self) -> dict[str, list[Participation]]:
        """A unit's (or forum's) participations, in the registry's order."""
        index: dict[str, list[Participation]] = defaultdict(list)
        for part in self.registry.participations.values():
            index[part.unit].append(part)
        return dict(index)

    @cached_property
    def children(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for unit in self.units.values():
            if unit.parent:
                index[unit.parent].append(unit.id)
        return {k: sorted(v) for k, v in index.items()}

    @cached_property
    def task_by_notation(self) -> dict[str, str]:
        return {t.notation: t.id for t in self.tasks.values() if t.notation}

    @cached_property
    def search(self) -> SearchIndex:
        return search_index(self._documents())

    def unit_ancestors(self, unit_id: str, on: date | None = None) -> list[str]:
        """The unit's chain of parents, nearest first (stops on a cycle).

        ``on`` walks the hierarchy as it stood that day (:meth:`Unit.parent_on`); without
        it, as of today.
        """
        chain: list[str] = []
        current = self.units[unit_id].parent_on(on) if unit_id in self.units else None
        while current is not None and current not in chain and current != unit_id:
            chain.append(current)
            parent = self.units.get(current)
            current = parent.parent_on(on) if parent else None
        return chain

    def administration_of(self, unit_id: str, on: date | None = None) -> Unit | None:
        """The administration (forvaltning) a unit belongs to (``on`` a day), if any."""
        for candidate in [unit_id, *self.unit_ancestors(unit_id, on)]:
            unit = self.units.get(candidate)
            if unit is not None and unit.kind == "administration":
                return unit
        return None

    def subtree(self, unit_id: str) -> set[str]:
        """The unit and every unit below it."""
        found = {unit_id}
        stack = [unit_id]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def task_ancestors(self, task_id: str) -> list[str]:
        """The KLE groups above a task, nearest first."""
        chain: list[str] = []
        current = self.tasks[task_id].broader
        while current is not None and current not in chain:
            chain.append(current)
            current = self.tasks[current].broader if current in self.tasks else None
        return chain

    def inherited_flag(self, task_id: str, flag: str) -> bool:
        """A task flag (``in_social_field``, ``internal_operation``), inherited down KLE."""
        for level in [task_id, *self.task_ancestors(task_id)]:
            value = getattr(self.tasks[level], flag)
            if value is not None:
                return bool(value)
        return False

    def agent_label(self, ident: str) -> str:
        """Label of a unit, authority or forum id (participants can be any of them)."""
        if ident in self.units:
            return self.units[ident].label
        if ident in self.forums:
            return self.forums[ident].label
        return ident

    # -- resolving what people type -------------------------------------------------
    def resolve(self, kind: str, text: str) -> tuple[Any, Match]:
        """Resolve an id, KLE number or free text to one entity of ``kind``.

        Free text resolves only to a hit whose confidence reaches
        :data:`~graph.search.CONFIDENCE_FLOOR`; below it the best hits are offered, not
        picked.

        Raises
        ------
        UnknownEntityError
            For an unknown id or KLE number, naming it and offering the nearest matches.
        NoConfidentMatchError
            For free text that nothing matches confidently (a subclass of the above).

        Examples
        --------
        >>> kg = load_knowledge()
        >>> kg.resolve("task", "nyt pas")[0].label
        'Pas'
        >>> kg.resolve("task", "'; DROP TABLE tasks; --")
        Traceback (most recent call last):
        ...
        graph.errors.NoConfidentMatchError: Ukendt opgave: "'; DROP TABLE tasks; --". ...
        """
        query = text.strip()
        if not query:
            raise UnknownEntityError(kind, text)
        entities: dict[str, Any] = getattr(self.registry, _TABLES[kind])
        if query in entities:
            return entities[query], Match("id", query, 100.0)
        lowered = query.lower()
        if lowered in entities:
            return entities[lowered], Match("id", lowered, 100.0)
        if kind == "task":
            number = lowered.removeprefix(TASK_ID_PREFIX).removeprefix("kle ").strip()
            if number in self.task_by_notation:
                return self.tasks[self.task_by_notation[number]], Match("notation", number, 100.0)
            if KLE_NUMBER.fullmatch(number) and (number != lowered or not number.isdigit()):
                # A KLE number that does not exist is not a typo to search around; bare
                # digits ("42") may be anything, and are searched as text.
                raise UnknownEntityError(kind, text, self._nearest_notations(number))
        if not fold(query):  # punctuation or emoji only: no word to search for
            raise NoConfidentMatchError(kind, text)
        hits = self.search.search(query, kind=kind, limit=1 + RUNNERS_UP)
        sure = [hit for hit in hits if hit.confidence >= CONFIDENCE_FLOOR]
        if sure and sure[0] is hits[0]:
            hit = hits[0]
            match = Match(hit.matched, hit.matched_text, hit.score, tuple(sure[1:]))
            return entities[hit.id], match
        raise NoConfidentMatchError(kind, text, self.suggestions(kind, query))

    def suggestions(self, kind: str, text: str, limit: int = 5) -> list[Suggestion]:
        try:
            hits: list[Hit] = self.search.suggest(text, kind=kind, limit=limit)
        except ValueError:
            return []
        return [Suggestion(h.id, h.kind, h.label) for h in hits]

    def _nearest_notations(self, number: str, limit: int = 5) -> list[Suggestion]:
        prefix = number
        while prefix:
            near = sorted(n for n in self.task_by_notation if n.startswith(prefix))
            if near:
                return [
                    Suggestion(
                        self.task_by_notation[n], "task", self.tasks[self.task_by_notation[n]].label
                    )
                    for n in near[:limit]
                ]
            prefix = prefix[:-1]
        return []

    # -- internals ----------------------------------------------------------------
    def _documents(self) -> Iterator[Document]:
        for task in self.tasks.values():
            yield Document(
                id=task.id,
                kind="task",
                label=task.label,
                uri=task.uri,
                notation=task.notation,
                synonyms=task.alt_labels,
                keywords=task.keywords,
                boost=INTERNAL_OPERATION_BOOST
                if self.inherited_flag(task.id, "internal_operation")
                else 0.0,
            )
        for kind in ("unit", "law", "forum"):
            for entry in getattr(self.registry, _TABLES[kind]).values():
                yield document_of(kind, entry)

    def _check_references(self) -> None:
        """Fail early, naming the culprit, when a fact points at nothing."""
        registry = self.registry
        problems = reference_problems(
            registry,
            registry.participations.values(),
            registry.units.values(),
            registry.units.keys() & registry.forums.keys(),
        )
        if problems:
            raise InvalidDataError("; ".join(sorted(problems)[:10]))


def reference_problems(
    registry: Registry,
    participations: Iterable[Participation],
    units: Iterable[Unit],
    agents: Iterable[str],
) -> list[str]:
    """What of ``participations``, ``units`` and the ids ``agents`` points at nothing in
    ``registry`` (Danish, for :class:`~graph.errors.InvalidDataError`): all of them when a
    snapshot is compiled, the changed ones when it follows another."""
    problems = [
        f"deltagelsen {p.id!r} peger på den ukendte enhed {p.unit!r}"
        for p in participations
        if p.unit not in registry.units and p.unit not in registry.forums
    ] + [
        f"deltagelsen {p.id!r} hører til den ukendte opgave {p.task!r}"
        for p in participations
        if p.task not in registry.tasks
    ]
    problems += [
        f"enheden {u.id!r} hører under den ukendte enhed {u.parent!r}"
        for u in units
        if u.parent is not None and u.parent not in registry.units
    ]
    # Participants and members may be units or forums, found by id: ids must not clash.
    problems += [
        f"id'et {ident!r} bruges både af en enhed og et forum"
        for ident in sorted(agents)
        if ident in registry.units and ident in registry.forums
    ]
    return problems


def document_of(kind: str, entry: Unit | Law | Forum) -> Document:
    """What the search index holds of a unit, law or forum (a task's depends on KLE).

    Examples
    --------
    >>> document_of("unit", load_knowledge().units["bif"]).synonyms[0]
    'BIF'
    """
    return Document(
        id=entry.id, kind=kind, label=entry.label, uri=entry.uri, synonyms=entry.alt_labels
    )


def search_index(documents: Iterable[Document]) -> SearchIndex:
    """The search index over ``documents`` as :attr:`Knowledge.search` builds it: our
    kinds, and KLE numbers read as codes.

    Examples
    --------
    >>> index = search_index([Document("kle-32.03.16", "task", "Førtidspension", "urn:t",
    ...                                "32.03.16")])
    >>> [(h.id, h.matched) for h in index.search("kle 320316")], index.search("x", kind="forum")
    ([('kle-32.03.16', 'id')], [])
    """
    return SearchIndex(documents, kinds=KINDS, codes=KLE_CODES)


def load_knowledge(source: Source | None = None, *, cache: bool = True) -> Knowledge:
    """Load and compile the knowledge graph (by default the shipped Copenhagen data).

    Examples
    --------
    >>> kg = load_knowledge()
    >>> kg.units["bif"].label
    'Beskæftigelses-, Integrations- og Erhvervsforvaltningen'
    """
    cache_dir = Path(os.environ.get("STAFET_CACHE_DIR", PROJECT_ROOT / ".cache" / "compiled"))
    return Knowledge.from_source(source or default_source(), cache_dir=cache_dir if cache else None)
