"""Measure who-answers against the relevance set, and print top-1 per kind as Markdown.

The set is ``tests/relevance/questions.tsv``: one question a line, as Copenhagen staff and
citizens put it, with the administration or outside authority a source names as owner,
written down before anything was run. Each question is asked over HTTP through the app
(``GET /api/v1/who?task=…&as_of=…``, the way tools use it). Top-1 is right when the first
``ansvarlig`` handler belongs to the expected administration (its ``forvaltning`` id), or is
the expected outside authority itself; where that handler depends on an age the question
does not give, the answer shows one owner per age band and the expected one must be among
them; a KLE main group or group answers with its breakdown, and its largest owner counts;
a junk question is right when the answer is a 404 with problem type ``no-confident-match``.

Run with ``.venv/bin/python scripts/relevance.py`` (add ``--misses`` to list the wrong
answers, ``--questions tests/relevance/holdout.tsv`` to measure the held-out set instead).
Nothing outside the process is contacted.
"""

from __future__ import annotations

import argparse
import csv
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "AS_OF",
    "HOLDOUT",
    "INSIDE",
    "QUESTIONS",
    "Outcome",
    "Question",
    "ask",
    "ask_all",
    "load_questions",
    "markdown_table",
    "misses",
    "share_right",
]

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "relevance" / "questions.tsv"
#: Questions written the same way but kept out of all tuning: measured before and after a
#: change to show that the change reads Danish better in general, not only this set.
HOLDOUT = ROOT / "tests" / "relevance" / "holdout.tsv"
#: The day the expectations were written for (the 2026 ressort changes apply, the 2027
#: health reform not yet). Asked explicitly so that the set does not change meaning later.
AS_OF = "2026-12-01"
NO_CONFIDENT_MATCH = "https://stafet.kk.dk/problems/no-confident-match"
#: The kinds that belong inside the municipality (scored together against one threshold).
INSIDE = frozenset({"label", "keyword", "colloquial", "typo", "sentence", "group"})
KINDS = (*sorted(INSIDE), "outside", "junk")
COLUMNS = ["query", "kind", "expected", "source", "note"]


class Response(Protocol):
    status_code: int

    def json(self) -> Any: ...


class Client(Protocol):
    def get(self, url: str, *, params: dict[str, str]) -> Response: ...


@dataclass(frozen=True)
class Question:
    query: str
    kind: str
    expected: str
    source: str
    note: str


@dataclass(frozen=True)
class Outcome:
    question: Question
    answered: str
    right: bool


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    """The relevance set, checked for shape: known kinds, a source on every row."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header != COLUMNS:
            raise ValueError(f"{path}: the header is {header}, not {COLUMNS}")
        questions = []
        for number, row in enumerate(reader, start=2):
            if len(row) != len(COLUMNS):
                raise ValueError(f"{path}:{number}: {len(row)} columns, not {len(COLUMNS)}")
            question = Question(*row)
            if question.kind not in KINDS or not question.source or not question.expected:
                raise ValueError(f"{path}:{number}: kind, expected or source is wrong: {row}")
            questions.append(question)
    return questions


def _owner_of(unit: dict[str, Any]) -> str:
    return str(unit.get("forvaltning") or unit["id"])


def _top_owners(data: dict[str, Any]) -> tuple[str, ...]:
    """What the answer names first: one owner, or each branch of an age-split answer.

    The first ``ansvarlig`` handler's administration (or the authority itself). Where the
    first ``ansvarlig`` depends on age and no age was asked, the answer names one owner per
    age band, and each of them is its answer. A main group or group without an owner of its
    own answers with its breakdown: the owner of most of its topics.
    """
    responsible = [h for h in data.get("handlers", []) if h.get("role") == "ansvarlig"]
    if responsible:
        if responsible[0].get("conditions"):
            branches = [h for h in responsible if h.get("conditions")]
            return tuple(dict.fromkeys(_owner_of(h["unit"]) for h in branches))
        return (_owner_of(responsible[0]["unit"]),)
    breakdown = data.get("breakdown") or {}
    if breakdown.get("owners"):
        largest = breakdown["owners"][0]
        return (str(largest["forvaltning"] or largest["unit"]["id"]),)
    return ()


def ask(client: Client, question: Question, as_of: str = AS_OF) -> Outcome:
    """Ask one question over HTTP and score its top-1 answer."""
    response = client.get("/api/v1/who", params={"task": question.query, "as_of": as_of})
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    owners: tuple[str, ...] = ()
    if response.status_code == 200:
        owners = _top_owners(body)
        answered = " / ".join(owners) or "(ingen ansvarlig)"
    else:
        answered = f"{response.status_code} {str(body.get('type', '')).rsplit('/', 1)[-1]}"
    if question.kind == "junk":
        right = response.status_code == 404 and body.get("type") == NO_CONFIDENT_MATCH
    else:
        right = response.status_code == 200 and question.expected in owners
    return Outcome(question, answered, right)


def ask_all(client: Client, questions: Iterable[Question]) -> list[Outcome]:
    return [ask(client, question) for question in questions]


def share_right(outcomes: Sequence[Outcome]) -> float:
    """Share of right answers (1.0 for none, so an empty kind never fails a threshold)."""
    return sum(o.right for o in outcomes) / len(outcomes) if outcomes else 1.0


def markdown_table(outcomes: Sequence[Outcome]) -> str:
    """Per kind: n and top-1; then inside (all inside kinds together) and everything."""
    lines = ["| Slags | n | Top-1 |", "|---|---:|---:|"]

    def row(name: str, part: Sequence[Outcome]) -> None:
        lines.append(f"| {name} | {len(part)} | {share_right(part):.2f} |")

    for kind in KINDS:
        row(kind, [o for o in outcomes if o.question.kind == kind])
    row("**inde i kommunen i alt**", [o for o in outcomes if o.question.kind in INSIDE])
    row("**alle**", outcomes)
    return "\n".join(lines)


def misses(outcomes: Sequence[Outcome]) -> str:
    return "\n".join(
        f"{o.question.kind:10} {o.question.query!r}: forventet {o.question.expected}, "
        f"fik {o.answered}"
        for o in outcomes
        if not o.right
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the wrong answers")
    parser.add_argument(
        "--questions",
        type=Path,
        default=QUESTIONS,
        help=f"the question file (default {QUESTIONS.relative_to(ROOT)}; held out: "
        f"{HOLDOUT.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    # TestClient sends ``Host: testserver``: that is the app's public address here.
    with TestClient(create_app(Settings(base_url="http://testserver"))) as client:
        outcomes = ask_all(client, load_questions(args.questions))
    print(markdown_table(outcomes))
    if args.misses:
        print()
        print(misses(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
