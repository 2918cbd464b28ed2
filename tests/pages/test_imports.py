"""The web face starts light and uses only the library's public names."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "api" / "pages"


def test_the_web_app_starts_without_matplotlib() -> None:
    code = "import api.main, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PAGES.parents[1])


def library_imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(PAGES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "graph":
                found += [(path.name, node.module or "", alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize(("page", "module", "name"), library_imports())
def test_pages_import_public_names_only(page: str, module: str, name: str) -> None:
    assert not any(part.startswith("_") for part in module.split(".")), (page, module)
    assert name in getattr(importlib.import_module(module), "__all__", ()), (page, module, name)
