"""Execute one jupytext notebook with this interpreter's kernel and save the result.

    python tests/notebooks/run_notebook.py notebooks/01_overblik.py out/01_overblik.ipynb

The kernel is this very Python (the project's ``.venv``), started from the notebook's own
folder; no installed kernel spec is consulted. The executed notebook (with outputs) is
written even when a cell fails, and the exit code says whether one did. The tests run
this in a child process, so that the kernel client's sockets, which nbclient leaves to
the garbage collector, never reach pytest's warnings-as-errors.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

#: Seconds per cell; the slowest (every unit removed in turn) takes a few seconds.
CELL_TIMEOUT = 300


def run(source: Path, target: Path) -> int:
    notebook = jupytext.read(source)
    with tempfile.TemporaryDirectory() as kernels:
        folder = Path(kernels) / "stafet"
        folder.mkdir()
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Stafet (.venv)",
            "language": "python",
        }
        (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        manager = AsyncKernelManager(
            kernel_name="stafet", kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels])
        )
        client = NotebookClient(
            notebook,
            km=manager,
            timeout=CELL_TIMEOUT,
            resources={"metadata": {"path": str(source.resolve().parent)}},
        )
        status = 0
        try:
            client.execute()
        except CellExecutionError as error:
            sys.stderr.write(f"{source}: {error}\n")
            status = 1
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return status


if __name__ == "__main__":
    raise SystemExit(run(Path(sys.argv[1]), Path(sys.argv[2])))
