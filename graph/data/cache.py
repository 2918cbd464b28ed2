"""A cache of the compiled registry, keyed by the data's fingerprint, stored as JSON.

Parsing and compiling the Copenhagen data takes seconds; reading the compiled registry
back takes a fraction of one. JSON (not pickle) so that a cache file can never run code,
and written to a temporary file first and renamed, so that a reader never sees half a file.

The cache is data, not trusted code: reading checks every value against the type the model
declares. Whatever goes wrong reading it (a missing, unreadable, malformed, deeply nested
or wrongly shaped file, or a directory in its place) is a miss, logged once with the file's
name; the caller compiles again. A cache that cannot be written is logged and skipped.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import types
from dataclasses import fields, is_dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from graph.data.model import Registry

__all__ = ["CACHE_FORMAT", "read_registry", "write_registry"]

#: Bump when the compiled model changes shape: old cache files are then ignored.
CACHE_FORMAT = 3

log = logging.getLogger("stafet.cache")


class _WrongShape(ValueError):
    """A cached value is not of the type the model declares."""


def write_registry(registry: Registry, path: Path) -> bool:
    """Write ``registry`` to ``path`` atomically; ``False`` (and a log line) if it cannot.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "x.json").mkdir()  # a directory where the file should go
    >>> write_registry(Registry(), folder / "x.json")
    False
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": CACHE_FORMAT, "registry": _encode(registry)}
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    except OSError as exc:
        log.warning("Kompileret cache %s kan ikke skrives: %s", path, exc)
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        log.warning("Kompileret cache %s kan ikke skrives: %s", path, exc)
        return False
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def read_registry(path: Path) -> Registry | None:
    """Read a registry written by :func:`write_registry`; ``None`` if absent, stale or bad.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = path.write_text('{"format": 2, "registry": {"units": []}}')
    >>> read_registry(path) is None  # valid JSON, wrong shape: a miss
    True
    >>> write_registry(Registry(), path) and read_registry(path) == Registry()
    True
    """
    if not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
            raise _WrongShape("ukendt format")
        registry = _decode(Registry, payload.get("registry"))
    except (OSError, ValueError, RecursionError) as exc:  # _WrongShape is a ValueError
        log.warning("Kompileret cache %s ignoreres og bygges igen: %s", path, _reason(exc))
        return None
    assert isinstance(registry, Registry)
    return registry


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "for dybt indlejret"
    return str(exc) or type(exc).__name__


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
    """``value`` read as ``hint``; :class:`_WrongShape` unless it is exactly of that type."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _decode(options[0], value)
    if origin is Literal:
        return _expect(value, lambda v: v in get_args(hint), hint)
    if origin is tuple:
        return _decode_tuple(hint, _expect(value, lambda v: isinstance(v, list), hint))
    if origin is dict:
        _, item_hint = get_args(hint)
        _expect(value, lambda v: isinstance(v, dict), hint)
        return {key: _decode(item_hint, item) for key, item in value.items()}
    if hint is date:
        return date.fromisoformat(_expect(value, lambda v: isinstance(v, str), hint))
    if isinstance(hint, type) and is_dataclass(hint):
        return _decode_dataclass(hint, value)
    if hint is bool:
        return _expect(value, lambda v: isinstance(v, bool), hint)
    if hint is int:
        return _expect(value, lambda v: isinstance(v, int) and not isinstance(v, bool), hint)
    if hint is str:
        return _expect(value, lambda v: isinstance(v, str), hint)
    raise _WrongShape(f"ukendt type {hint!r} i modellen")


def _decode_tuple(hint: Any, value: list[Any]) -> tuple[Any, ...]:
    args = get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(_decode(args[0], item) for item in value)
    if len(value) != len(args):
        raise _WrongShape(f"{len(value)} værdier, hvor {hint!r} har {len(args)}")
    return tuple(_decode(arg, item) for arg, item in zip(args, value, strict=True))


def _decode_dataclass(hint: type, value: Any) -> Any:
    _expect(value, lambda v: isinstance(v, dict), hint)
    names = [f.name for f in fields(hint)]
    if set(value) != set(names):
        raise _WrongShape(f"{hint.__name__} har ikke felterne {', '.join(names)}")
    hints = _hints(hint)
    return hint(**{name: _decode(hints[name], value[name]) for name in names})


def _expect(value: Any, check: Any, hint: Any) -> Any:
    if not check(value):
        raise _WrongShape(f"{type(value).__name__} hvor {getattr(hint, '__name__', hint)} ventes")
    return value
