"""Small worlds the page tests start the app on."""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"

#: The label the XSS tests look for: shown as text, never as an element.
EVIL = "<img src=x onerror=alert(1)>"
#: Raw markup from tests/pages/evil.ttl that must never reach a page unescaped.
RAW = (
    "<img src=x",
    "<script>alert",
    "</script><script>",
    "<svg onload",
    "<b onmouseover",
    '"><script>',
    "<i>Test</i>",
)


def evil_data_dir(folder: Path) -> Path:
    """A data folder with the mini world and the labels that try to run code."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "mini.ttl", folder / "mini.ttl")
    shutil.copy(HERE / "evil.ttl", folder / "evil.ttl")
    return folder
