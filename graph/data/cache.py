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

import gc
import json
import logging
import os
import tempfile
import types
from collections.abc import Callable
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
            # dumps, not dump: only dumps encodes in C (several times faster here)
            stream.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
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
        registry = _without_collector(_decode, Registry, payload.get("registry"))
    except (OSError, ValueError, RecursionError) as exc:  # _WrongShape is a ValueError
        log.warning("Kompileret cache %s ignoreres og bygges igen: %s", path, _reason(exc))
        return None
    assert isinstance(registry, Registry)
    return registry


def _without_collector(read: Callable[[Any, Any], Any], hint: Any, value: Any) -> Any:
    """``read(hint, value)`` with the cyclic collector paused: building some hundred
    thousand objects would otherwise run it again and again over all of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return read(hint, value)
    finally:
        if enabled:
            gc.enable()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "for dybt indlejret"
    return str(exc) or type(exc).__name__


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
    return _decoder(hint)(value)


_Decoder = Callable[[Any], Any]


@cache
def _decoder(hint: Any) -> _Decoder:
    """A function that reads a value as ``hint`` (built once per type: reading is hot)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        inner = _decoder(options[0])
        return lambda value: None if value is None else inner(value)
    if origin is Literal:
        allowed = frozenset(get_args(hint))
        return lambda value: _check(value, isinstance(value, str | int) and value in allowed, hint)
    if origin is tuple:
        return _tuple_decoder(hint)
    if origin is dict:
        item = _decoder(get_args(hint)[1])
        return lambda value: {
            key: item(entry) for key, entry in _check(value, type(value) is dict, hint).items()
        }
    if hint is date:
        return lambda value: date.fromisoformat(_check(value, type(value) is str, hint))
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass_decoder(hint)
    if hint in (bool, int, str):  # exactly: JSON's true is no int, 1 no bool
        return lambda value: _check(value, type(value) is hint, hint)
    raise _WrongShape(f"ukendt type {hint!r} i modellen")


def _tuple_decoder(hint: Any) -> _Decoder:
    args = get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda value: tuple(map(item, _check(value, type(value) is list, hint)))
    items = tuple(_decoder(arg) for arg in args)

    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _wrong(value, hint)
        if len(value) != len(items):
            raise _WrongShape(f"{len(value)} værdier, hvor {hint!r} har {len(items)}")
        return tuple(read(entry) for read, entry in zip(items, value, strict=True))

    return decode


def _dataclass_decoder(hint: type) -> _Decoder:
    hints = get_type_hints(hint)
    names = [f.name for f in fields(hint)]
    expected = frozenset(names)
    readers: tuple[tuple[str, _Decoder], ...] | None = None

    def decode(value: Any) -> Any:
        nonlocal readers
        if type(value) is not dict:
            raise _wrong(value, hint)
        if value.keys() != expected:
            raise _WrongShape(f"{hint.__name__} har ikke felterne {', '.join(names)}")
        if readers is None:  # on first use, not when built: a dataclass may refer to itself
            readers = tuple((name, _decoder(hints[name])) for name in names)
        return hint(**{name: read(value[name]) for name, read in readers})

    return decode


def _check(value: Any, ok: bool, hint: Any) -> Any:
    if not ok:
        raise _wrong(value, hint)
    return value


def _wrong(value: Any, hint: Any) -> _WrongShape:
    return _WrongShape(f"{type(value).__name__} hvor {getattr(hint, '__name__', hint)} ventes")
