"""Runtimes follow the store of record: the writer at once, another instance by its poller,
and /sparql answers from the store's data after a change."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.runtime import Runtime, load
from api.settings import Settings
from graph.data.loader import default_source
from graph.questions.responsibility import who_handles
from graph.store.backend import Head, StoreError
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store
from graph.store.source import StoreSource
from scripts.edits import commit_edit, random_edit
from tests.api.helpers import TEST_TIMEOUT


def _wait(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not followed in time"
        time.sleep(0.02)


def _new_responsibility(runtime: Runtime, seed: int) -> tuple[str, str]:
    """Commit a new responsibility computed from ``runtime``; its task and participation ids."""
    assert runtime.store is not None
    edit = random_edit(runtime.store, runtime.knowledge, random.Random(seed), "new-responsibility")
    change = commit_edit(runtime.store, edit)
    task, part = next(
        (str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, p, o in change.added
        if "/task/" in str(s)
    )
    return task, part


def _answers_with(runtime: Runtime, task: str, part: str) -> bool:
    return part in {p.id for p in who_handles(runtime.knowledge, task).handlers}


@pytest.fixture(scope="module")
def runtimes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Runtime]]:
    """Two app runtimes over one in-memory store; the second follows it by polling."""
    settings = Settings(
        store_path=None,
        sparql_enabled=False,
        store_poll_seconds=0.05,
        cache_dir=tmp_path_factory.mktemp("compiled"),
    )
    store = EmbeddedStore(None)
    head = seed_store(store, default_source())
    pair = []
    for _ in range(2):
        knowledge, seconds = load(settings, StoreSource(store))
        pair.append(Runtime(settings, knowledge, None, seconds, store, head.sequence))
    writer, reader = pair
    reader.start_polling()
    yield writer, reader
    reader.stop_polling()


def test_the_writer_answers_with_its_write_and_the_other_instance_soon_does(
    runtimes: tuple[Runtime, Runtime],
) -> None:
    writer, reader = runtimes
    task, part = _new_responsibility(writer, 1)
    assert not _answers_with(writer, task, part)
    writer.follow()  # what a write route does before it answers
    assert _answers_with(writer, task, part)
    _wait(lambda: reader.sequence == writer.sequence)
    assert _answers_with(reader, task, part)
    assert reader.error is None and reader.head == writer.sequence


def test_an_unreachable_store_is_logged_and_retried(
    runtimes: tuple[Runtime, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, reader = runtimes
    assert reader.store is not None
    real_head = reader.store.head

    def unreachable() -> Head:
        raise StoreError("registret på http://127.0.0.1:1 kan ikke nås")

    task, part = _new_responsibility(writer, 2)
    monkeypatch.setattr(reader.store, "head", unreachable)
    _wait(lambda: reader.error is not None)
    assert "kan ikke nås" in str(reader.error)
    assert not _answers_with(reader, task, part)  # still the last snapshot, still answering
    monkeypatch.setattr(reader.store, "head", real_head)
    _wait(lambda: reader.error is None and _answers_with(reader, task, part))


def test_health_and_sparql_follow_the_store(tmp_path: Path) -> None:
    settings = Settings(
        store_path=tmp_path / "store",
        cache_dir=tmp_path / "compiled",
        sparql_timeout=TEST_TIMEOUT,
        base_url="http://testserver",
        store_poll_seconds=0.05,
    )
    with TestClient(create_app(settings)) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        engine = runtime.sparql
        assert engine is not None
        _wait(lambda: client.get("/health").json()["sparql"] == "klar", 60)
        store = client.get("/health").json()["store"]
        assert store["sequence"] == store["head"] == 1 and store["behind"] == 0
        task, part = _new_responsibility(runtime, 3)
        runtime.follow()
        health = client.get("/health").json()["store"]
        assert health["sequence"] == 2 and health["error"] is None
        _wait(lambda: engine.applied == 2)
        query = (
            f"ASK {{ <https://stafet.kk.dk/id/task/{task}> "
            f"<http://data.europa.eu/m8g/hasParticipation> "
            f"<https://stafet.kk.dk/id/participation/{part}> }}"
        )
        answer = client.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["boolean"] is True
        who = client.get("/api/v1/who", params={"task": task})
        assert part in who.text


def test_a_restart_brings_an_older_compiled_cache_forward(
    runtimes: tuple[Runtime, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, _ = runtimes
    assert writer.store is not None
    writer.follow()
    writer.save_cache()  # what the lifespan does on shutdown
    task, part = _new_responsibility(writer, 4)

    def no_full_read(self: StoreSource) -> object:
        raise AssertionError("the whole store was read and compiled again")

    monkeypatch.setattr(StoreSource, "read", no_full_read)
    knowledge, _ = load(writer.settings, StoreSource(writer.store))
    assert part in {p.id for p in who_handles(knowledge, task).handlers}
    head = writer.store.head()
    assert knowledge.fingerprint == f"store-{head.sequence}-{head.change}"
