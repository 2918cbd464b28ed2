"""Make sure Debian's ``wrk`` (the HTTP load generator) is installed for ``make bench``.

On a machine without it, as root, it installs the ``wrk`` package with apt-get (Debian's
mirrors only, nothing else is fetched); otherwise it says what to run and exits non-zero.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def main() -> int:
    if shutil.which("wrk"):
        return 0
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print("wrk mangler. Installer Debians wrk: sudo apt-get install wrk", file=sys.stderr)
        return 1
    print("Installerer Debians wrk (til make bench) …", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], check=True, env=env
    )
    return 0 if shutil.which("wrk") else 1


if __name__ == "__main__":
    raise SystemExit(main())
