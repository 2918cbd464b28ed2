"""A search index patched document by document answers as one built again, and the index it
was patched from is left as it was."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from graph.data.knowledge import Knowledge, load_knowledge, search_index
from graph.search import Document, with_documents


@pytest.fixture(scope="module")
def kg() -> Knowledge:
    return load_knowledge()


def _renamed(kg: Knowledge) -> tuple[list[Document], list[Document]]:
    """The real documents, and twenty units renamed (names that exercise compounds, an
    alias in parentheses, a letter compound) plus one new unit."""
    docs = list(kg._documents())
    units = [d for d in docs if d.kind == "unit"]
    rng = random.Random(13)
    names = ["Pladscenter Nord", "Hjælpemiddelhuset", "Center for kørestole", "P-bøder"]
    changed = [
        replace(d, label=rng.choice([*names, f"{d.label} (SFO)"]), synonyms=(*d.synonyms, "BIF2"))
        for d in rng.sample(units, 20)
    ]
    new = replace(units[0], id="ny-enhed", uri="urn:ny", label="Borgerservice Syd, pas og kørekort")
    return docs, [*changed, new]


def test_a_patched_index_answers_as_one_built_again(kg: Knowledge) -> None:
    docs, changed = _renamed(kg)
    patched = kg.search
    for doc in changed:
        patched = with_documents(patched, [doc])
    by_id = {d.id: d for d in changed}
    rebuilt = search_index([*(by_id.pop(d.id, d) for d in docs), *by_id.values()])
    units = [d.label for d in docs if d.kind == "unit"]
    queries = [
        *("pladscenter", "hjælpemiddel", "sfo", "kørestol", "pbøde", "p bøder", "bif2"),
        *("borgerservice syd", "pas", "førtidspension", "kontanthjælp", "center", "ny enhed"),
        *units[:60],
        *(label.split()[0] for label in units[60:120]),
    ]
    for query in queries:
        for kind in ("any", "unit"):
            assert patched.search(query, kind=kind) == rebuilt.search(query, kind=kind), query
            assert patched.suggest(query, kind=kind) == rebuilt.suggest(query, kind=kind), query
    assert patched._phrases.idf == rebuilt._phrases.idf
    assert patched._phrases.vocabulary == rebuilt._phrases.vocabulary
    assert patched._phrases.lettered == rebuilt._phrases.lettered


def test_the_index_patched_from_is_unchanged(kg: Knowledge) -> None:
    index = kg.search
    before = [index.search(q) for q in ("socialforvaltningen", "pas", "pladscenter nord")]
    vocabulary = list(index._phrases.vocabulary)
    _, changed = _renamed(kg)
    with_documents(index, changed)
    assert [index.search(q) for q in ("socialforvaltningen", "pas", "pladscenter nord")] == before
    assert index._phrases.vocabulary == vocabulary


def test_a_task_with_a_number_is_patched_by_building_the_index_again(kg: Knowledge) -> None:
    task = next(d for d in kg._documents() if d.id == "kle-32.03.16")
    patched = with_documents(kg.search, [replace(task, label="Pension i utide")])
    assert patched.search("pension i utide")[0].id == "kle-32.03.16"
    assert patched.search("32.03.16")[0].label == "Pension i utide"
