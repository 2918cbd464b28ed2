"""Make sure Debian's Chromium is installed for the browser tests (never a downloaded build).

Run by ``make test`` before pytest. On a machine without it, as root, it installs the
``chromium`` package with apt-get; otherwise it says what to run and exits non-zero.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
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
