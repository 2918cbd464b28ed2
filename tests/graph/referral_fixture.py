"""Record the full typed answers of many referral questions on the real data.

``python -m tests.graph.referral_fixture`` writes ``referral_answers.jsonl.gz`` beside this
file (one JSON object a line, gzipped):
every origin of :func:`origins` (units across all seven administrations, the municipality's
top, political units and outside authorities) × every task of :func:`tasks` (the referral
cases' tasks and KLE topics spread over every main group) × the variants of :data:`VARIANTS`
(no age, two ages, a complaint, a day before the single entry). ``test_referral_answers.py``
checks that ``referral_path`` still gives exactly these answers: the safety net of the
referral search's rewrite (issue 13). Regenerate only when an answer is meant to change.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import json
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import Task, Unit
from graph.errors import StafetError
from graph.questions.referral import referral_path

__all__ = [
    "FIXTURE",
    "VARIANTS",
    "answer_record",
    "load_fixture",
    "origins",
    "record_all",
    "tasks",
]

FIXTURE = Path(__file__).with_name("referral_answers.jsonl.gz")
CASES = Path(__file__).with_name("referral_cases.tsv")

#: (name, age, complaint, day) of each variant asked for every origin and task.
VARIANTS: tuple[tuple[str, int | None, bool, date], ...] = (
    ("plain", None, False, date(2026, 6, 1)),
    ("age-10", 10, False, date(2026, 6, 1)),
    ("age-70", 70, False, date(2026, 6, 1)),
    ("complaint", None, True, date(2026, 6, 1)),
    ("before-single-entry", None, False, date(2025, 6, 1)),
)


def origins(kg: Knowledge) -> list[str]:
    """About forty units: each administration with its first units, the top, political units,
    the single entry and Borgerrådgiveren, and outside authorities."""
    chosen = ["kk", "borgerraadgiveren", "kff-borgerservice"]
    administrations = sorted(u.id for u in kg.units.values() if u.kind == "administration")
    for administration in administrations:
        chosen.append(administration)
        below = sorted(u.id for u in kg.units.values() if u.parent == administration)
        chosen.extend(below[:4])
    chosen.extend(sorted(u.id for u in kg.units.values() if u.kind == "political")[:3])
    chosen.extend(sorted(u.id for u in kg.units.values() if u.is_external)[:4])
    return list(dict.fromkeys(u for u in chosen if u in kg.units))


def tasks(kg: Knowledge) -> list[str]:
    """The referral cases' tasks, then KLE topics spread over the main groups (about sixty)."""
    with CASES.open(encoding="utf-8") as stream:
        chosen = [row["task"] for row in csv.DictReader(stream, delimiter="\t")]
    handled = sorted({p.task for p in kg.registry.participations.values() if p.task in kg.tasks})
    step = max(1, len(handled) // 40)
    chosen.extend(handled[::step])
    return list(dict.fromkeys(chosen))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Unit | Task):  # named by id: the search does not make them
            return value.id
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def answer_record(kg: Knowledge, origin: str, task: str, variant: tuple[Any, ...]) -> Any:
    """One question's full typed answer, or its error (less what the search does not make:
    the who-answer it was chosen from and how the unit and task were matched)."""
    _, age, complaint, day = variant
    try:
        answer = referral_path(kg, origin, task, age, complaint=complaint, as_of=day)
    except StafetError as error:
        return {"error": type(error).__name__, "message": str(error)}
    record = _plain(dataclasses.replace(answer, who=None))  # type: ignore[arg-type]
    for part in ("who", "from_match", "task_match"):  # not the search's: resolving
        record.pop(part)
    return record


def load_fixture() -> dict[str, Any]:
    """The recorded answers, keyed ``origin|task|variant``."""
    found: dict[str, Any] = {}
    for line in gzip.decompress(FIXTURE.read_bytes()).decode().splitlines():
        found.update(json.loads(line))
    return found


def record_all(kg: Knowledge) -> dict[str, Any]:
    """Every question's answer, keyed ``origin|task|variant``."""
    found = {}
    for origin in origins(kg):
        for task in tasks(kg):
            for variant in VARIANTS:
                found[f"{origin}|{task}|{variant[0]}"] = answer_record(kg, origin, task, variant)
    return found


if __name__ == "__main__":
    from graph import load_knowledge

    answers = record_all(load_knowledge())
    lines = (
        json.dumps({key: value}, ensure_ascii=False, sort_keys=True)
        for key, value in answers.items()
    )
    FIXTURE.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), 9, mtime=0))
    print(f"{len(answers)} answers -> {FIXTURE}")
