"""The frames the API and the SPARQL worker exchange over a Unix socket.

A request is one frame: a 4-byte big-endian length and a JSON object. An answer is a JSON
header frame (``status``, ``media_type``, ``length`` or a ``problem``) and then ``length``
bytes of body.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

__all__ = ["encode_frame", "problem_header", "read_frame"]

_LENGTH = struct.Struct("!I")
MAX_FRAME = 16 * 1024 * 1024


def encode_frame(payload: dict[str, Any], body: bytes = b"") -> bytes:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return _LENGTH.pack(len(data)) + data + body


def problem_header(slug: str, detail: str) -> dict[str, Any]:
    return {"problem": {"slug": slug, "detail": detail}, "length": 0}


def read_frame(conn: socket.socket) -> dict[str, Any]:
    """Read one frame from a blocking socket (the worker side)."""
    (length,) = _LENGTH.unpack(_read_exactly(conn, _LENGTH.size))
    if length > MAX_FRAME:
        raise ValueError("frame too large")
    payload = json.loads(_read_exactly(conn, length))
    if not isinstance(payload, dict):
        raise ValueError("frame is not an object")
    return payload


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = conn.recv(min(size, 65536))
        if not chunk:
            raise EOFError("connection closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def unpack_length(data: bytes) -> int:
    (length,) = _LENGTH.unpack(data)
    return int(length)
