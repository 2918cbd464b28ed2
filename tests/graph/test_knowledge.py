"""The compiled snapshot: reference checks, the compile cache, derived indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.errors import InvalidDataError

FORUM_A = """
@prefix stafet: <https://stafet.kk.dk/def#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://stafet.kk.dk/id/forum/a> a stafet:Forum ; dct:title "Et forum"@da .
"""

DANGLING = """
@prefix cv: <http://data.europa.eu/m8g/> .
<https://stafet.kk.dk/id/task/kle-01.01> cv:hasParticipation
    <https://stafet.kk.dk/id/participation/ghost> .
<https://stafet.kk.dk/id/participation/ghost> cv:hasParticipant
    <https://stafet.kk.dk/id/unit/nowhere> ;
    cv:role <https://stafet.kk.dk/def/role/ansvarlig> .
"""


def _world(mini_files: list[Path], tmp_path: Path, extra: str) -> Knowledge:
    path = tmp_path / "extra.ttl"
    path.write_text(extra, encoding="utf-8")
    return Knowledge.from_source(TurtleFiles([*mini_files, path]))


def test_a_unit_and_a_forum_may_not_share_an_id(mini_files: list[Path], tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError, match="'a' bruges både af en enhed og et forum"):
        _world(mini_files, tmp_path, FORUM_A)


def test_a_participation_pointing_at_an_unknown_unit_is_named(
    mini_files: list[Path], tmp_path: Path
) -> None:
    with pytest.raises(InvalidDataError, match="ukendte enhed 'nowhere'"):
        _world(mini_files, tmp_path, DANGLING)


def test_compile_cache_round_trips_the_registry(mini_files: list[Path], tmp_path: Path) -> None:
    source = TurtleFiles(mini_files)
    first = Knowledge.from_source(source, cache_dir=tmp_path)
    cached = Knowledge.from_source(source, cache_dir=tmp_path)
    assert list(tmp_path.glob("*.json")) == [tmp_path / f"{source.fingerprint()}.json"]
    assert cached.registry == first.registry


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(
    mini_files: list[Path], tmp_path: Path
) -> None:
    source = TurtleFiles(mini_files)
    (tmp_path / f"{source.fingerprint()}.json").write_text("{not json", encoding="utf-8")
    kg = Knowledge.from_source(source, cache_dir=tmp_path)
    assert kg.units["a"].label == "Forvaltning A"
