"""Every KLE main group, group and topic in the shipped data answers with someone (issue 10).

"Someone" is a unit or an outside authority: the who-answer's handlers, or, for a main
group or group without an owner of its own, the owners of the topics below it (its
breakdown). Asked today and after the health reform of 1 January 2027.
"""

from __future__ import annotations

from datetime import date

import pytest

from graph.data.knowledge import Knowledge
from graph.questions.responsibility import who_handles

DAYS = {"i dag": None, "efter sundhedsreformen": date(2027, 2, 1)}


@pytest.mark.parametrize("day", DAYS.values(), ids=DAYS.keys())
def test_every_kle_task_answers_with_a_unit_or_an_authority(
    kg: Knowledge, day: date | None
) -> None:
    silent = []
    for task in sorted(kg.tasks.values(), key=lambda t: t.notation):
        answer = who_handles(kg, task.id, as_of=day)
        named = {p.unit for p in answer.handlers} | {
            unit
            for share in (answer.breakdown.owners if answer.breakdown else ())
            for unit in share.units
        }
        if not named or not named <= kg.units.keys() | kg.forums.keys():
            silent.append(f"{task.notation} {task.label} ({task.level})")
    assert not silent, f"{len(silent)} opgaver svarer ingen: " + "; ".join(silent[:20])


def test_every_level_of_kle_is_asked(kg: Knowledge) -> None:
    levels = {task.level for task in kg.tasks.values()}
    assert levels == {"main", "group", "topic", "service"}
    assert sum(task.level == "main" for task in kg.tasks.values()) >= 30
