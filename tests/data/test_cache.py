"""The compiled cache: read back, it answers exactly as a fresh compile; a bad file is a miss.

A warm start reads the registry from the cache (graph/data/cache.py) instead of compiling
the RDF: whatever comes back must answer every question as the compiled one does, and a
damaged or hostile file must be a logged miss, never a crash and never code run.
"""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path

import pytest

from graph.data.cache import CACHE_FORMAT, read_registry, write_registry
from graph.data.knowledge import Knowledge, load_knowledge
from graph.data.loader import TurtleFiles
from graph.errors import StafetError
from graph.present.answers import who_json
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles

QUERIES = ("pas", "førtidspension", "kørekort", "hjemmehjælp", "parkering", "skat", "flytning")
REFERRALS = (
    ("kff-borgerservice", "førtidspension"),
    ("kff-borgerservice", "pas"),
    ("bif", "kle-32.03.16"),
    ("bif", "hjemmehjælp"),
)


@pytest.fixture(scope="module")
def fresh() -> Knowledge:
    """The shipped data compiled from its Turtle now (no cache read)."""
    return load_knowledge(cache=False)


@pytest.fixture(scope="module")
def cached(fresh: Knowledge, tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The same data, written to the cache and read back as a warm start reads it."""
    path = tmp_path_factory.mktemp("compiled") / "copenhagen.json"
    assert write_registry(fresh.registry, path)
    registry = read_registry(path)
    assert registry is not None
    return Knowledge(registry, fingerprint=fresh.fingerprint)


def _answer(call: object) -> object:
    try:
        return call()  # type: ignore[operator]
    except StafetError as exc:  # the same refusal is the same answer
        return (type(exc).__name__, str(exc))


def test_the_cached_registry_is_the_compiled_one(fresh: Knowledge, cached: Knowledge) -> None:
    assert cached.registry == fresh.registry
    assert len(cached.registry.tasks) > 2000  # the whole of KLE, not an empty read


def test_who_answers_every_task_as_the_compiled_graph(fresh: Knowledge, cached: Knowledge) -> None:
    for task in fresh.registry.tasks:
        expected = _answer(lambda kg=fresh, t=task: who_json(kg, who_handles(kg, t)))
        assert _answer(lambda kg=cached, t=task: who_json(kg, who_handles(kg, t))) == expected


def test_search_and_referral_answer_as_the_compiled_graph(
    fresh: Knowledge, cached: Knowledge
) -> None:
    for query in QUERIES:
        hits = fresh.search.search(query)
        assert hits, query
        assert cached.search.search(query) == hits
    for unit, task in REFERRALS:
        expected = _answer(lambda kg=fresh, u=unit, t=task: referral_path(kg, u, t))
        assert _answer(lambda kg=cached, u=unit, t=task: referral_path(kg, u, t)) == expected


@pytest.fixture(scope="module")
def good(fresh: Knowledge, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A good cache file's text, to damage."""
    path = tmp_path_factory.mktemp("good") / "good.json"
    assert write_registry(fresh.registry, path)
    return path.read_text(encoding="utf-8")


def _damaged(good: str, damage: str) -> bytes:
    payload = json.loads(good)
    first = next(iter(payload["registry"]["units"].values()))
    if damage == "truncated":
        return good[: len(good) // 2].encode("utf-8")
    if damage == "not utf-8":
        return b"\xff\xfe" + good.encode("utf-16-le")
    if damage == "int for a label":
        first["label"] = 7
    elif damage == "true for an int":
        task = next(t for t in payload["registry"]["tasks"].values() if t["keywords"])
        task["keywords"][0][1] = True  # a keyword's weight
    elif damage == "unknown kind":
        first["kind"] = "__import__('os').system('true')"
    elif damage == "extra field":
        first["__reduce__"] = ["os.system", ["true"]]
    elif damage == "missing field":
        del first["label"]
    elif damage == "list for a unit":
        payload["registry"]["units"]["x"] = ["bif"]
    elif damage == "older format":
        payload["format"] = CACHE_FORMAT - 1
    return json.dumps(payload).encode("utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "not utf-8",
        "int for a label",
        "true for an int",
        "unknown kind",
        "missing field",
        "list for a unit",
        "older format",
    ],
)
def test_a_damaged_cache_is_a_logged_miss(
    good: str, damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "damaged.json"
    path.write_bytes(_damaged(good, damage))
    with caplog.at_level(logging.WARNING, logger="stafet.cache"):
        assert read_registry(path) is None
    assert "damaged.json" in caplog.text


class _Marker:
    """Unpickled, it would create a file: the cache must never unpickle."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (self.path.write_text, ("ran",))


@pytest.mark.parametrize("kind", ["pickle", "deep nesting", "a directory"])
def test_a_hostile_cache_file_runs_nothing_and_is_a_miss(kind: str, tmp_path: Path) -> None:
    path, marker = tmp_path / "hostile.json", tmp_path / "ran"
    if kind == "pickle":
        path.write_bytes(pickle.dumps(_Marker(marker)))
        pickle.loads(pickle.dumps(_Marker(tmp_path / "unpickled")))  # what unpickling does
        assert (tmp_path / "unpickled").read_text() == "ran"
    elif kind == "deep nesting":
        path.write_text(f'{{"format": {CACHE_FORMAT}, "registry": {"[" * 200_000}}}')
    else:
        path.mkdir()
    assert read_registry(path) is None
    assert not marker.exists()


def test_a_field_the_model_lacks_is_never_read(good: str, tmp_path: Path) -> None:
    path = tmp_path / "extra.json"
    path.write_bytes(_damaged(good, "extra field"))
    registry = read_registry(path)
    assert registry is not None
    assert registry == read_registry(_written(good, tmp_path))


def _written(good: str, tmp_path: Path) -> Path:
    path = tmp_path / "good.json"
    path.write_text(good, encoding="utf-8")
    return path


def test_a_changed_source_is_compiled_again(mini_files: list[Path], tmp_path: Path) -> None:
    first = Knowledge.from_source(TurtleFiles(mini_files), cache_dir=tmp_path)
    copy = tmp_path / "mini.ttl"
    text = mini_files[1].read_text(encoding="utf-8")
    copy.write_text(text.replace('"Testkommune"@da', '"Prøvekommune"@da'), encoding="utf-8")
    second = Knowledge.from_source(TurtleFiles([mini_files[0], copy]), cache_dir=tmp_path)
    assert first.fingerprint != second.fingerprint
    assert (first.units["kk"].label, second.units["kk"].label) == ("Testkommune", "Prøvekommune")
    again = Knowledge.from_source(TurtleFiles([mini_files[0], copy]), cache_dir=tmp_path)
    assert again.registry == second.registry  # read from the cache the second start wrote
