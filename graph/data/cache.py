"""A cache of the compiled registry, keyed by the data's fingerprint, stored as JSON.

Parsing and compiling the Copenhagen data takes seconds; reading the compiled registry
back takes a fraction of one. JSON (not pickle) so that a cache file can never run code,
and written to a temporary file first and renamed, so that a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import types
from dataclasses import fields, is_dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from graph.data.model import Registry

__all__ = ["CACHE_FORMAT", "read_registry", "write_registry"]

#: Bump when the compiled model changes shape: old cache files are then ignored.
CACHE_FORMAT = 2


def write_registry(registry: Registry, path: Path) -> None:
    """Write ``registry`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": CACHE_FORMAT, "registry": _encode(registry)}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_registry(path: Path) -> Registry | None:
    """Read a registry written by :func:`write_registry`; ``None`` if absent or stale."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
        return None
    try:
        registry = _decode(Registry, payload["registry"])
    except (KeyError, TypeError, ValueError):
        return None
    assert isinstance(registry, Registry)
    return registry


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decode(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _decode(options[0], value)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(arg, item) for arg, item in zip(args, value, strict=True))
    if origin is dict:
        _, item_hint = get_args(hint)
        return {key: _decode(item_hint, item) for key, item in value.items()}
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and is_dataclass(hint):
        hints = _hints(hint)
        return hint(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields(hint)})
    return value
