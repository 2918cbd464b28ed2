"""The relevance set (tests/relevance/questions.tsv), asked over HTTP, scored top-1 per kind.

Every expectation was written from the source named in its row before anything was run;
a miss is a wrong answer, not a wrong row. The held-out set (tests/relevance/holdout.tsv)
was written the same way and is never tuned to: it shows whether a change reads Danish
better in general or only fits the first set.
"""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from graph.data.knowledge import Knowledge
from scripts.relevance import (
    HOLDOUT,
    INSIDE,
    Outcome,
    Question,
    ask_all,
    load_questions,
    markdown_table,
    misses,
    share_right,
)

#: Top-1 floors per part of the set: issue 10's targets (inside ≥ 0.95, outside ≥ 0.85),
#: reached; raise these as answers get right, never lower.
FLOORS = {"inside": 0.95, "outside": 0.85, "junk": 0.95}
#: The held-out set's floors: its top-1 as measured after the changes that reached the
#: targets (inside 93/104 = 0.894, outside 18/23 = 0.783, junk 12/12) minus 0.03.
HOLDOUT_FLOORS = {"inside": 0.86, "outside": 0.75, "junk": 0.97}


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions()


@pytest.fixture(scope="module")
def outcomes(client: TestClient, questions: list[Question]) -> list[Outcome]:
    return ask_all(client, questions)


@pytest.fixture(scope="module")
def holdout() -> list[Question]:
    return load_questions(HOLDOUT)


@pytest.fixture(scope="module")
def holdout_outcomes(client: TestClient, holdout: list[Question]) -> list[Outcome]:
    return ask_all(client, holdout)


def _part(outcomes: list[Outcome], part: str) -> list[Outcome]:
    if part == "inside":
        return [o for o in outcomes if o.question.kind in INSIDE]
    return [o for o in outcomes if o.question.kind == part]


def test_the_set_is_as_large_and_as_varied_as_the_issue_asks(questions: list[Question]) -> None:
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 300
    assert kinds["outside"] >= 40 and kinds["sentence"] >= 50 and kinds["junk"] >= 25
    inside = {q.expected for q in questions if q.kind in INSIDE}
    assert {"okf", "buf", "tmf", "kff", "bif", "sof", "suf"} <= inside
    queries = [q.query.casefold() for q in questions]
    assert len(set(queries)) == len(queries), "a question is in the set twice"
    assert all(q.expected == "-" for q in questions if q.kind == "junk")


def test_every_expected_owner_exists_in_the_data(
    questions: list[Question], api_kg: Knowledge
) -> None:
    unknown = sorted({q.expected for q in questions if q.expected != "-"} - api_kg.units.keys())
    assert not unknown, f"expected owners that are no unit in the data: {unknown}"


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_top_1_stays_above_its_floor(outcomes: list[Outcome], part: str) -> None:
    chosen = _part(outcomes, part)
    share = share_right(chosen)
    assert share >= FLOORS[part], (
        f"{part}: top-1 {share:.3f} < {FLOORS[part]}\n"
        f"{markdown_table(outcomes)}\n\nForkerte svar:\n{misses(chosen)}"
    )


def test_the_held_out_set_is_new_and_of_every_kind(
    questions: list[Question], holdout: list[Question]
) -> None:
    kinds = Counter(q.kind for q in holdout)
    assert len(holdout) >= 80 and kinds["outside"] >= 15 and kinds["junk"] >= 10
    assert {"label", "keyword", "colloquial", "typo", "sentence", "group"} <= kinds.keys()
    queries = [q.query.casefold() for q in holdout]
    assert len(set(queries)) == len(queries), "a question is in the held-out set twice"
    assert not set(queries) & {q.query.casefold() for q in questions}, "not held out"


def test_every_held_out_owner_exists_in_the_data(
    holdout: list[Question], api_kg: Knowledge
) -> None:
    unknown = sorted({q.expected for q in holdout if q.expected != "-"} - api_kg.units.keys())
    assert not unknown, f"expected owners that are no unit in the data: {unknown}"


@pytest.mark.parametrize("part", sorted(HOLDOUT_FLOORS))
def test_held_out_top_1_stays_above_its_floor(holdout_outcomes: list[Outcome], part: str) -> None:
    chosen = _part(holdout_outcomes, part)
    share = share_right(chosen)
    assert share >= HOLDOUT_FLOORS[part], (
        f"held out, {part}: top-1 {share:.3f} < {HOLDOUT_FLOORS[part]}\n"
        f"{markdown_table(holdout_outcomes)}\n\nForkerte svar:\n{misses(chosen)}"
    )
