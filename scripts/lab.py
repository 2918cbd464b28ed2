"""Start JupyterLab on the coordination group's notebooks: ``make lab`` runs this.

The ``.py`` notebooks open as notebooks (jupytext's contents manager, and the default
viewer for Python files set in ``jupyter/lab/settings/overrides.json``). The server listens
on loopback only, opens no browser and fetches nothing: no news feed, no update check, no
extension manager (``jupyter/jupyter_server_config.json`` and
``jupyter/labconfig/page_config.json``). The address with its token is printed first.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

__all__ = ["CONFIG_DIR", "NOTEBOOKS", "STATE_DIR", "lab_command", "lab_environment", "main"]

ROOT = Path(__file__).resolve().parent.parent
#: The Jupyter configuration the repository ships, read only (``JUPYTER_CONFIG_PATH``).
CONFIG_DIR = ROOT / "jupyter"
#: Where Jupyter may write (its migration mark, changed settings, workspaces): not in git.
STATE_DIR = ROOT / ".stafet" / "jupyter"
NOTEBOOKS = ROOT / "notebooks"


def lab_command(host: str, port: int, token: str) -> list[str]:
    """The command that starts JupyterLab on ``notebooks/`` at ``host:port`` with ``token``.

    Examples
    --------
    >>> command = lab_command("127.0.0.1", 8888, "abc")
    >>> command[1:3], "--LabApp.news_url=" in " ".join(command)
    (['-m', 'jupyterlab'], False)
    >>> "--ServerApp.open_browser=False" in command, "--IdentityProvider.token=abc" in command
    (True, True)
    """
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={NOTEBOOKS}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.app_settings_dir={CONFIG_DIR / 'lab' / 'settings'}",
        # A container often runs as root; Jupyter refuses that unless told.
        *(["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []),
    ]


def lab_environment() -> dict[str, str]:
    """The environment: this repository's Jupyter configuration, nothing from the user's.

    Jupyter reads the shipped configuration from ``jupyter/`` and writes only under
    ``.stafet/jupyter/`` (ignored by git).

    >>> env = lab_environment()
    >>> env["JUPYTER_CONFIG_PATH"] == str(CONFIG_DIR), env["JUPYTER_CONFIG_DIR"] == str(STATE_DIR)
    (True, True)
    """
    return {
        **os.environ,
        "JUPYTER_CONFIG_PATH": str(CONFIG_DIR),
        "JUPYTER_CONFIG_DIR": str(STATE_DIR),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start JupyterLab på notebooks/.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8888)
    args = parser.parse_args(argv)
    token = os.environ.get("STAFET_LAB_TOKEN") or secrets.token_urlsafe(24)
    print(f"JupyterLab: http://{args.host}:{args.port}/lab?token={token}", flush=True)
    command = lab_command(args.host, args.port, token)
    os.execve(command[0], command, lab_environment())
    return 0  # pragma: no cover (execve does not return)


if __name__ == "__main__":
    sys.exit(main())
