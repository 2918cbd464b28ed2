"""The shape of the code, checked so that it cannot rot (docs/architecture.md).

- the library's layers import only the layers above them, and never a face;
- the faces import only public names from the library;
- a Danish label is written in one module;
- no module in ``graph/`` is over 500 lines and no block is worse than radon's grade C;
- the web app starts without matplotlib, and without what only some requests need
  (pySHACL: validating an edit; httpx: forwarding to a writer; rdflib's SPARQL engine).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import io
import os
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "graph"
FACES = ("api", "cli", "notebooks", "scripts")

#: What each part of the library may import (besides the standard library, third parties,
#: ``ontology`` and ``graph.errors``). The order is the direction of flow.
LAYERS = ("search", "data", "questions", "present", "render")
ALLOWED: dict[str, set[str]] = {
    layer: set(LAYERS[: LAYERS.index(layer) + 1]) for layer in LAYERS
} | {
    # Beside the layers: the store of record (graph/store), edits validated and committed to
    # it (graph/edit), importers and exports (graph/io), which may use both.
    "store": {"search", "data", "store"},
    "edit": {"search", "data", "store", "edit"},
    "io": {*LAYERS, "io", "store", "edit"},
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str
    names: tuple[str, ...]


def _imports(path: Path) -> Iterator[Import]:
    """Every import in a file, at any depth (function-level imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield Import(path, node.lineno, node.module, tuple(a.name for a in node.names))


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _layer(path: Path) -> str | None:
    parts = path.relative_to(GRAPH).parts
    return parts[0] if len(parts) > 1 else None


def _where(item: Import) -> str:
    return f"{item.path.relative_to(ROOT)}:{item.line}"


def test_layers_import_only_the_layers_above_them() -> None:
    wrong = []
    for path in _python_files("graph"):
        layer = _layer(path)
        for item in _imports(path):
            top, _, rest = item.module.partition(".")
            if top in ("api", "cli"):
                wrong.append(f"{_where(item)}: the library imports the face {item.module}")
            if top != "graph" or layer is None or rest in ("", "errors"):
                continue
            target = rest.split(".")[0]
            if target not in ALLOWED[layer]:
                wrong.append(f"{_where(item)}: graph/{layer} imports {item.module}")
    assert wrong == []


def test_the_layer_table_covers_every_subpackage() -> None:
    packages = {p.name for p in GRAPH.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(ALLOWED)


def test_faces_import_only_public_names() -> None:
    """A face imports from a public module (no ``_private`` part) names in its ``__all__``."""
    wrong = []
    for path in _python_files(*FACES):
        for item in _imports(path):
            if not item.module.startswith("graph"):
                continue
            if any(part.startswith("_") for part in item.module.split(".")):
                wrong.append(f"{_where(item)}: private module {item.module}")
                continue
            module = importlib.import_module(item.module)
            public = set(getattr(module, "__all__", ()))
            is_package = hasattr(module, "__path__")
            for name in item.names:
                submodule = f"{item.module}.{name}"
                if name in public or (is_package and importlib.util.find_spec(submodule)):
                    continue
                wrong.append(f"{_where(item)}: {name} is not in {item.module}.__all__")
    assert wrong == []


#: Danish labels that have exactly one home, graph/present/vocabulary.py (read from the
#: ontology there). A string token equal to one of them anywhere else is a second home.
LABELS = (
    "bekræftet",
    "udførende",
    "rådgivende",
    "Opgave uden ansvarlig",
    "Enhed uden eget kontaktpunkt",
    "fælles forum",
    "formelt samarbejde",
    "Kontaktpersonordning",
)
VOCABULARY = GRAPH / "present" / "vocabulary.py"


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            try:
                value = ast.literal_eval(token.string)
            except ValueError:  # f-strings before 3.12 are single tokens
                value = token.string
            if isinstance(value, str):
                yield token.start[0], value


def test_a_danish_label_is_defined_in_one_module() -> None:
    homes: dict[str, list[str]] = {label: [] for label in LABELS}
    for path in _python_files("graph", *FACES):
        if path == VOCABULARY:
            continue
        for line, value in _strings(path):
            if value in homes:
                homes[value].append(f"{path.relative_to(ROOT)}:{line}")
    assert {label: places for label, places in homes.items() if places} == {}


@pytest.mark.parametrize("path", _python_files("graph"), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small_and_simple(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 500
    complex_blocks = [
        f"{block.name} (line {block.lineno}): {cc_rank(block.complexity)} {block.complexity}"
        for block in cc_visit(source)
        if cc_rank(block.complexity) not in "ABC"
    ]
    assert complex_blocks == []


def test_the_web_app_starts_without_matplotlib() -> None:
    code = "import api.main, sys; sys.exit('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert result.returncode == 0, "import api.main loads matplotlib"


# Each is imported only by the requests that need it; at start-up it costs seconds.
LAZY = ("pyshacl", "httpx", "rdflib.plugins.sparql", "matplotlib", "rich", "networkx")


def test_the_web_app_starts_without_what_only_some_requests_need() -> None:
    code = (
        "import sys, api.main, api.server; from api.main import create_app; create_app()\n"
        f"print(' '.join(name for name in {LAZY!r} if name in sys.modules))"
    )
    env = {**os.environ, "STAFET_WRITER_URL": ""}  # a writer set: forwarding needs httpx
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []
