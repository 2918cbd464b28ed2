"""Shared fixtures: the real Copenhagen data (compiled once per session) and small worlds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.data.knowledge import Knowledge, load_knowledge
from graph.data.loader import OWN_ONTOLOGY, TurtleFiles

FIXTURES = Path(__file__).parent / "fixtures"

# The read tests answer from the shipped Turtle (no store of record on disk); the store's own
# tests (tests/store) open stores of their own. Subprocesses (the live server) inherit this.
os.environ.setdefault("STAFET_STORE_PATH", "")


@pytest.fixture(scope="session")
def kg() -> Knowledge:
    """The shipped Copenhagen knowledge graph."""
    return load_knowledge()


@pytest.fixture
def mini_files() -> list[Path]:
    """Our ontology plus the small valid test world."""
    return [OWN_ONTOLOGY, FIXTURES / "mini.ttl"]


@pytest.fixture
def mini(mini_files: list[Path]) -> Knowledge:
    return Knowledge.from_source(TurtleFiles(mini_files))
