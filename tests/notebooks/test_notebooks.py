"""The notebooks run top to bottom on the shipped data, in the project's own environment.

The notebooks are kept as jupytext percent-format ``.py`` files (readable diffs, no
outputs). Each is converted and executed by nbclient in a child process
(``run_notebook.py``) with a kernel running this very interpreter, from the ``notebooks/``
folder; all of them at once, then each executed notebook is checked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
RUNNER = Path(__file__).with_name("run_notebook.py")
#: Seconds for one whole notebook (they take 5–15 s each on a 2-core machine).
NOTEBOOK_TIMEOUT = 600


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Any]]:
    """Run every notebook in parallel: stem → (exit code, stderr, executed notebook)."""
    folder = tmp_path_factory.mktemp("executed")
    running = {
        path.stem: subprocess.Popen(
            [sys.executable, str(RUNNER), str(path), str(folder / f"{path.stem}.ipynb")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in PATHS
    }
    results = {}
    for stem, process in running.items():
        _, stderr = process.communicate(timeout=NOTEBOOK_TIMEOUT)
        output = folder / f"{stem}.ipynb"
        notebook = nbformat.read(output, as_version=4) if output.exists() else None
        results[stem] = (process.returncode, stderr, notebook)
    return results


def test_the_four_notebooks_of_the_issue_are_there() -> None:
    prefixes = {path.name[:2] for path in PATHS}
    assert {"01", "02", "03", "04"} <= prefixes


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_notebook_is_plain_text_without_outputs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ---\n# jupyter:\n#   jupytext:")
    assert "format_name: percent" in text
    assert not (NOTEBOOKS / f"{path.stem}.ipynb").exists(), "commit the .py, not an .ipynb"


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_notebook_defines_no_logic_of_its_own(path: Path) -> None:
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class|for|while)\b|lambda\b", cell.source, re.M)


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom(path: Path, executed: dict[str, tuple[int, str, Any]]) -> None:
    status, stderr, notebook = executed[path.stem]
    assert status == 0, stderr
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    written = [o["text"] for o in outputs if o.get("name") == "stderr"]
    assert not written, f"the notebook wrote to stderr (a warning?): {written}"
    shown = [o for o in outputs if o["output_type"] in ("display_data", "execute_result")]
    assert any("image/png" in o["data"] for o in shown), "at least one chart to look at"
    for html in (o["data"]["text/html"] for o in shown if "text/html" in o["data"]):
        # Nothing in an output may load from the web: no http(s) src or href.
        assert not re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)


@pytest.mark.slow
def test_the_network_is_shown_inline_and_offline(
    executed: dict[str, tuple[int, str, Any]],
) -> None:
    _, _, notebook = executed["02_overlap_og_huller"]
    frames = [
        o["data"]["text/html"]
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        if "text/html" in o.get("data", {}) and "<iframe" in o["data"]["text/html"]
    ]
    assert frames, "the interactive referral graph"
    assert 'sandbox="allow-scripts"' in frames[0]
    assert "vis.Network" in frames[0]
