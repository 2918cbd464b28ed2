"""A store of record seeded from the shipped data, made once per test process and copied.

Seeding parses and skolemises the whole dataset (tens of seconds on a busy machine); each
test module gets its own copy of one seeded directory instead.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from pathlib import Path

from graph.data.loader import default_source
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store

_TEMPLATE: list[Path] = []


def seeded_copy(target: Path) -> Path:
    """A fresh copy of the seeded store at ``target`` (a directory that must not exist)."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="stafet-seeded-")) / "store"
        store = EmbeddedStore(template)
        seed_store(store, default_source())
        store.close()
        del store  # release the directory before it is copied
        gc.collect()
        _TEMPLATE.append(template)
    shutil.copytree(_TEMPLATE[0], target)
    return target
