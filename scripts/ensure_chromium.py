"""Make sure the browser tests have Debian's Chromium (never a downloaded build) and axe-core.

Run by ``make test`` before pytest. On a machine without Chromium, as root, it installs the
``chromium`` package with apt-get; otherwise it says what to run and exits non-zero.
axe-core (the accessibility checker the tests inject into pages) comes from the npm
registry at the version ``package-lock.json`` pins, with ``npm ci`` into ``node_modules/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def main() -> int:
    return ensure_chromium() or ensure_axe()


def ensure_axe() -> int:
    """Install the pinned axe-core with ``npm ci`` (no install scripts run) unless it is there."""
    if AXE.exists():
        return 0
    if shutil.which("npm") is None:
        print("npm mangler: installer Node.js og npm (sudo apt-get install npm)", file=sys.stderr)
        return 1
    print("Installerer axe-core fra npm (til browsertestene) …", file=sys.stderr)
    command = ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    subprocess.run(command, check=True, cwd=PROJECT_ROOT)
    return 0 if AXE.exists() else 1


def ensure_chromium() -> int:
    """Install Debian's Chromium with apt-get (as root) unless it is there."""
    if os.path.exists(CHROMIUM):
        return 0
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(
            f"{CHROMIUM} mangler. Installer Debians Chromium: sudo apt-get install chromium",
            file=sys.stderr,
        )
        return 1
    print("Installerer Debians chromium (til browsertestene) …", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
            "fonts-dejavu-core",
        ],
        check=True,
        env=env,
    )
    return 0 if os.path.exists(CHROMIUM) else 1


if __name__ == "__main__":
    raise SystemExit(main())
