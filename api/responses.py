"""Response classes: JSON is UTF-8 with Danish letters written as themselves."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse as StarletteJSONResponse

__all__ = ["JSONResponse"]


class JSONResponse(StarletteJSONResponse):
    """Compact UTF-8 JSON; "ø" stays "ø", never "\\u00f8"."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")
