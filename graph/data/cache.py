"""A cache of the compiled registry, keyed by the data's fingerprint, stored as JSON.

Parsing and compiling the Copenhagen data takes seconds; reading the compiled registry
back takes a few hundredths of one. JSON (not pickle) so that a cache file can never run
code, and written to a temporary file first and renamed, so that a reader never sees half a
file.

The cache is data, not trusted code: msgspec reads it straight into the model's frozen
dataclasses and checks every value against the type the model declares (strictly: JSON's
``true`` is no int, ``1`` no bool); a field the model does not have is never read. Whatever
goes wrong reading it (a missing, unreadable, malformed, deeply nested or wrongly shaped
file, or a directory in its place) is a miss, logged once with the file's name; the caller
compiles again. A cache that cannot be written is logged and skipped.
"""

from __future__ import annotations

import gc
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import msgspec

from graph.data.model import Registry

__all__ = ["CACHE_FORMAT", "read_registry", "write_registry"]

#: Bump when the compiled model changes shape: old cache files are then ignored.
CACHE_FORMAT = 3

log = logging.getLogger("stafet.cache")


@dataclass(frozen=True, slots=True)
class _Payload:
    format: int
    registry: Registry


_PAYLOAD = msgspec.json.Decoder(_Payload)
_ENCODER = msgspec.json.Encoder()


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
        payload = _ENCODER.encode(_Payload(CACHE_FORMAT, registry))
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    except OSError as exc:
        log.warning("Kompileret cache %s kan ikke skrives: %s", path, exc)
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
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
    >>> _ = path.write_text('{"format": 3, "registry": {"units": []}}')
    >>> read_registry(path) is None  # valid JSON, wrong shape: a miss
    True
    >>> write_registry(Registry(), path) and read_registry(path) == Registry()
    True
    """
    if not path.exists():
        return None
    try:
        payload = _without_collector(path.read_bytes())
        if payload.format != CACHE_FORMAT:  # an older one of the same shape
            raise ValueError("ukendt format")
    except (OSError, ValueError, RecursionError, msgspec.DecodeError) as exc:
        log.warning("Kompileret cache %s ignoreres og bygges igen: %s", path, _reason(exc))
        return None
    return payload.registry


def _without_collector(raw: bytes) -> _Payload:
    """The payload in ``raw``, read with the cyclic collector paused: building some
    hundred thousand objects would otherwise run it again and again over all of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _PAYLOAD.decode(raw)
    finally:
        if enabled:
            gc.enable()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "for dybt indlejret"
    return str(exc) or type(exc).__name__
