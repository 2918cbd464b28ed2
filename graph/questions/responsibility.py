"""Who handles a task: the units, their roles, conditions, legal basis and contacts.

The answer is read from the compiled graph, never guessed: a task without its own
responsibilities falls back up the KLE hierarchy and says from where, and two units that
are both ``ansvarlig`` for the same citizen are reported as ambiguous rather than one of
them picked. The answer is typed; :func:`graph.present.answers.who_json` words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from graph.data.knowledge import Knowledge, Match
from graph.data.model import HANDLING_ROLES, AgeCondition, Participation, Task
from graph.errors import InvalidInputError, NoConfidentMatchError
from graph.search.ages import MAX_AGE, read_age
from graph.search.text import match_keys

if TYPE_CHECKING:
    from graph.questions.breakdown import Breakdown

__all__ = [
    "AMBIGUOUS_MATCH_RATIO",
    "Alternative",
    "ContactPoints",
    "WhoAnswer",
    "WhoNote",
    "WhoNoteKind",
    "contact_points_for",
    "owners",
    "who_handles",
]


class WhoNoteKind(StrEnum):
    """What a note on a who-answer points out (worded in :mod:`graph.present`)."""

    AMBIGUOUS = "ambiguous"
    """More than one unit is ``ansvarlig`` for the same citizen: ``units`` names them."""
    AGE_FROM_TEXT = "age_from_text"
    """No age was given, but the text states one (:func:`graph.search.ages.read_age`): it
    decided the answer, and :attr:`WhoAnswer.age` is it."""
    AMBIGUOUS_MATCH = "ambiguous_match"
    """The text fits tasks of other administrations or authorities nearly as well:
    :attr:`WhoAnswer.alternatives` names them."""
    DEPENDS_ON_AGE = "depends_on_age"
    """No age was given and responsibility depends on it: ``parts`` are the conditional ones."""
    FALLBACK = "fallback"
    """The asked topic has no responsibilities of its own; a broader KLE level answered."""
    NO_HANDLER = "no_handler"
    """No unit is registered for the task: a gap."""
    BREAKDOWN = "breakdown"
    """A main group or group without an owner of its own: ``breakdown`` names those below."""
    ONLY_ASSUMED = "only_assumed"
    """Every handler rests on an assumption (status ``antaget``)."""
    OUTSIDE_AUTHORITY = "outside_authority"
    """The ``ansvarlig`` is an authority outside the municipality (``units``); the municipality
    still guides and forwards (forvaltningsloven § 7): ``parts`` are the guiding units' roles."""


@dataclass(frozen=True, slots=True)
class WhoNote:
    """One caveat on a who-answer, with the data its wording needs."""

    kind: WhoNoteKind
    units: tuple[str, ...] = ()
    parts: tuple[Participation, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactPoints:
    """Where to reach a unit: its own contact points, else its nearest parent's.

    ``holder`` is the unit whose contact points they are (``None`` if no unit up the
    hierarchy has any); ``inherited`` is true when the holder is a parent.
    """

    holder: str | None
    inherited: bool
    contacts: tuple[str, ...]


#: A runner-up within this share of the best hit's score is close enough to mention.
AMBIGUOUS_MATCH_RATIO = 0.9
_MAX_ALTERNATIVES = 3
#: Matches that are a code, not words: no age is read from them.
_CODE_MATCHES = frozenset({"id", "notation"})


@dataclass(frozen=True, slots=True)
class Alternative:
    """A task the asked text fits nearly as well, owned elsewhere.

    ``owner`` is the administration of its first ``ansvarlig`` unit, or the unit itself
    when it belongs to none (an outside authority).
    """

    task: Task
    owner: str
    score: float


@dataclass(frozen=True, slots=True)
class WhoAnswer:
    """The answer to "who handles this task?"."""

    query: str
    task: Task
    matched_via: Match
    handlers: tuple[Participation, ...]
    fallback_from: Task | None = None
    ambiguous: bool = False
    notes: tuple[WhoNote, ...] = ()
    age: int | None = None
    as_of: date | None = None
    breakdown: Breakdown | None = None
    """For a main group or group without an owner: the owners of the topics below it."""
    alternatives: tuple[Alternative, ...] = ()

    @property
    def process(self) -> list[Participation]:
        """The ordered steps of a process chain across units (empty if none)."""
        return sorted((p for p in self.handlers if p.step is not None), key=lambda p: p.step or 0)

    @property
    def responsible(self) -> list[Participation]:
        """The handlers in the role ``ansvarlig``."""
        return [p for p in self.handlers if p.role == "ansvarlig"]


def who_handles(
    kg: Knowledge, task: str, age: int | None = None, as_of: date | None = None
) -> WhoAnswer:
    """Return the units that handle ``task``.

    Parameters
    ----------
    kg
        The compiled knowledge graph.
    task
        A task id (``kle-32.03.16``), a KLE number (``32.03.16``) or free Danish text as
        staff type it (``førtidspension``, ``fortidspension``, ``hjælpemidler``).
    age
        The citizen's age; filters responsibilities that depend on age. Without it, an age
        the text states is used ("min far på 82 …"), else every alternative is returned
        with its condition.
    as_of
        The date the answer is for (default: today).

    Raises
    ------
    UnknownEntityError
        If nothing matches ``task``; the error offers the nearest matches.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> answer = who_handles(kg, "hjælpemidler", age=70)
    >>> [kg.units[p.unit].label for p in answer.responsible]
    ['Hjælpemiddelcentret']
    >>> who_handles(kg, "jeg er 78 og har brug for en rollator").age
    78
    """
    if age is not None and not 0 <= age <= MAX_AGE:
        raise InvalidInputError(f"Alderen skal være mellem 0 og {MAX_AGE} år, ikke {age}.")
    day = as_of or date.today()
    asked, match = _resolve_task(kg, task, day)
    age_read = read_age(task) if age is None and match.how not in _CODE_MATCHES else None
    age = age if age_read is None else age_read
    own = _current(kg, asked.id, age, day)
    level, _ = owners(kg, asked.id, age=age, as_of=day, roles=HANDLING_ROLES)
    answered_from = asked if level is None else kg.tasks[level]
    handlers = own if level in (None, asked.id) else own + _current(kg, level, age, day)
    fallback_from = asked if answered_from.id != asked.id else None
    clashing = _clashing_units(handlers)
    below = (
        _breakdown(kg, asked, age, day)
        if level is None and asked.level in ("main", "group")
        else None
    )
    alternatives = _alternatives(kg, match, handlers, age, day)
    notes = _notes(kg, handlers, clashing, age=age, fallback=fallback_from is not None)
    if below:
        notes = (
            *(n for n in notes if n.kind != WhoNoteKind.NO_HANDLER),
            WhoNote(WhoNoteKind.BREAKDOWN),
        )
    if alternatives:
        notes = (WhoNote(WhoNoteKind.AMBIGUOUS_MATCH), *notes)
    if age_read is not None:
        notes = (WhoNote(WhoNoteKind.AGE_FROM_TEXT), *notes)
    return WhoAnswer(
        query=task,
        task=answered_from,
        matched_via=match,
        handlers=tuple(handlers),
        fallback_from=fallback_from,
        ambiguous=bool(clashing),
        notes=notes,
        age=age,
        as_of=as_of,
        breakdown=below,
        alternatives=alternatives,
    )


#: A task found by its whole label or synonym, or by all of their words and no others
#: (:mod:`graph.search.index`: 90 and up), is asked for by name; below that, a text that
#: is a unit's whole name asks for that unit's work instead.
_NAMED_TASK_SCORE = 90.0


def _resolve_task(kg: Knowledge, text: str, day: date) -> tuple[Task, Match]:
    """The task a text asks about.

    A text that is a unit's name, word for word but for stop words ("borgercenter
    handicap", "sociale døgnvagt", "SKAT"), asks what that unit does, unless it is just as
    much a task's own name: it is answered by the unit's responsibilities (or, for a unit
    without any recorded, those of the nearest unit above it inside its administration).
    """
    try:
        found, match = kg.resolve("task", text)
    except NoConfidentMatchError:
        named = _named_unit_task(kg, text, (), day)
        if named is None:
            raise
        return named
    if match.how in _CODE_MATCHES or match.score >= _NAMED_TASK_SCORE:
        return found, match
    hits = (found.id, *(hit.id for hit in match.runners_up))
    return _named_unit_task(kg, text, hits, day) or (found, match)


def _named_unit_task(
    kg: Knowledge, text: str, hits: tuple[str, ...], day: date
) -> tuple[Task, Match] | None:
    """The task of the unit ``text`` names: of its responsibilities the one the search
    found first (``hits``), else the most general."""
    named = kg.derived("unit-names", _unit_names, reads=("units",)).get(match_keys(text))
    if named is None:
        return None
    unit_id, how, name = named
    for holder in [unit_id, *kg.unit_ancestors(unit_id, day)]:
        unit = kg.units[holder]
        if unit.kind in ("municipality", "political"):
            break
        tasks = {
            p.task
            for p in kg.participations_by_unit.get(holder, [])
            if p.role == "ansvarlig" and p.is_valid_on(day) and p.task in kg.tasks
        }
        if tasks:
            first = next((t for t in hits if t in tasks), None)
            chosen = first or min(tasks, key=lambda t: (kg.tasks[t].notation.count("."), t))
            return kg.tasks[chosen], Match(how, name, 97.0 if how == "label" else 94.0)
        if unit.kind == "administration":
            break
    return None


def _unit_names(kg: Knowledge) -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Each unit's names (label, other and former names) by their match keys → (unit, how,
    name); a name two units share names neither."""
    names: dict[tuple[str, ...], tuple[str, str, str] | None] = {}
    for unit in kg.units.values():
        written = [(unit.label, "label"), *((alt, "synonym") for alt in unit.alt_labels)]
        written += [(old.label, "synonym") for old in unit.names]
        for name, how in written:
            keys = match_keys(name)
            if not keys:
                continue
            if keys not in names:
                names[keys] = (unit.id, how, name)
            elif (seen := names[keys]) is not None and seen[0] != unit.id:
                names[keys] = None
    return {keys: named for keys, named in names.items() if named is not None}


def _breakdown(kg: Knowledge, task: Task, age: int | None, day: date) -> Breakdown:
    # Imported here: graph.questions.breakdown walks through owners() in this module.
    from graph.questions.breakdown import breakdown

    return breakdown(kg, task.id, age=age, as_of=day)


def _owner(kg: Knowledge, parts: list[Participation]) -> str | None:
    """The administration of the first ``ansvarlig`` unit, else that unit itself."""
    unit = next((p.unit for p in parts if p.role == "ansvarlig"), None)
    if unit is None:
        return None
    administration = kg.administration_of(unit)
    return administration.id if administration is not None else unit


def _alternatives(
    kg: Knowledge, match: Match, handlers: list[Participation], age: int | None, day: date
) -> tuple[Alternative, ...]:
    """The runners-up of a text match that score nearly as well and are owned elsewhere."""
    best = _owner(kg, handlers)
    found: dict[str, Alternative] = {}
    for hit in match.runners_up:
        if hit.score < AMBIGUOUS_MATCH_RATIO * match.score or len(found) >= _MAX_ALTERNATIVES:
            break
        _, parts = owners(kg, hit.id, age=age, as_of=day)
        owner = _owner(kg, parts)
        if owner is not None and owner != best and owner not in found:
            found[owner] = Alternative(kg.tasks[hit.id], owner, hit.score)
    return tuple(found.values())


def owners(
    kg: Knowledge,
    task_id: str,
    age: int | None = None,
    as_of: date | None = None,
    roles: tuple[str, ...] = ("ansvarlig",),
) -> tuple[str | None, list[Participation]]:
    """The one walk up KLE to a task's owners: the participations and the level they sit on.

    The task's own current participations in one of ``roles`` that admit ``age``, else
    those of the nearest KLE group above it. Returns ``(None, [])`` if no level has one.
    Every question that needs "who owns this task" (who handles it, coverage, gaps) walks
    through here.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> level, parts = owners(kg, "kle-27.60.04", age=30)
    >>> level, [p.unit for p in parts]
    ('kle-27.60', ['sof-borgercenter-handicap'])
    """
    day = as_of or date.today()
    for level in [task_id, *kg.task_ancestors(task_id)]:
        found = [p for p in _current(kg, level, age, day) if p.role in roles]
        if found:
            return level, found
    return None, []


def _current(kg: Knowledge, task_id: str, age: int | None, day: date) -> list[Participation]:
    return [
        p
        for p in kg.participations_by_task.get(task_id, [])
        if p.is_valid_on(day) and p.admits_age(age)
    ]


def contact_points_for(kg: Knowledge, unit_id: str, day: date | None = None) -> ContactPoints:
    """The unit's contact points in use on ``day`` (default today), else the nearest parent's
    (marked as inherited). An ended contact point is no contact.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> contact_points_for(kg, "borgerraadgiveren")
    ContactPoints(holder='borgerraadgiveren', inherited=False, contacts=('borgerraadgiveren',))
    >>> contact_points_for(kg, "bif-jobcenter")  # none of its own: the municipality's
    ContactPoints(holder='kk', inherited=True, contacts=('kk',))
    """
    day = day or date.today()
    for holder in [unit_id, *kg.unit_ancestors(unit_id, day)]:
        unit = kg.units.get(holder)
        current = tuple(c for c in unit.contacts if _in_use(kg, c, day)) if unit else ()
        if current:
            return ContactPoints(holder, holder != unit_id, current)
    return ContactPoints(None, False, ())


def _in_use(kg: Knowledge, contact_id: str, day: date) -> bool:
    contact = kg.registry.contacts.get(contact_id)
    return contact is None or contact.is_valid_on(day)


def _clashing_units(handlers: list[Participation]) -> tuple[str, ...]:
    """The units that are ``ansvarlig`` for the same citizen as another unit, in the order
    of ``handlers``.

    Whether two participations can meet the same citizen depends on their conditions
    alone, so the ``ansvarlig`` ones are grouped by their conditions and the groups compared
    (a national topic has a few hundred handlers and a handful of conditions): two units
    clash when their groups overlap (a group with itself too) and they are not the same unit.
    """
    groups: dict[tuple[AgeCondition, ...], tuple[Participation, dict[str, None]]] = {}
    for part in handlers:
        if part.role == "ansvarlig":
            groups.setdefault(part.conditions, (part, {}))[1][part.unit] = None
    found = list(groups.values())
    clashing: set[str] = set()
    for i, (one, units) in enumerate(found):
        for other, others in found[i:]:
            together = units.keys() | others.keys()
            if len(together) > 1 and one.overlaps(other):
                clashing |= together
    return tuple(
        dict.fromkeys(p.unit for p in handlers if p.role == "ansvarlig" and p.unit in clashing)
    )


def _notes(
    kg: Knowledge,
    handlers: list[Participation],
    clashing: tuple[str, ...],
    *,
    age: int | None,
    fallback: bool,
) -> tuple[WhoNote, ...]:
    notes = []
    outside = tuple(
        dict.fromkeys(
            p.unit
            for p in handlers
            if p.role == "ansvarlig"
            and (unit := kg.units.get(p.unit)) is not None
            and unit.is_external
        )
    )
    if outside:
        guiding = tuple(p for p in handlers if p.role == "vejledende")
        notes.append(WhoNote(WhoNoteKind.OUTSIDE_AUTHORITY, units=outside, parts=guiding))
    if clashing:
        notes.append(WhoNote(WhoNoteKind.AMBIGUOUS, units=clashing))
    conditional = tuple(p for p in handlers if p.role == "ansvarlig" and p.conditions)
    if conditional and age is None:
        notes.append(WhoNote(WhoNoteKind.DEPENDS_ON_AGE, parts=conditional))
    if fallback:
        notes.append(WhoNote(WhoNoteKind.FALLBACK))
    if not handlers:
        notes.append(WhoNote(WhoNoteKind.NO_HANDLER))
    elif all(p.provenance.status == "antaget" for p in handlers):
        notes.append(WhoNote(WhoNoteKind.ONLY_ASSUMED))
    return tuple(notes)
