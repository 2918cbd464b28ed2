"""The Jinja2 templates (Danish pages; every value is escaped)."""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi.templating import Jinja2Templates

__all__ = ["STATIC_DIR", "templates"]

HERE = Path(__file__).parent.parent
STATIC_DIR = HERE / "static"

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    ),
    context_processors=[lambda request: {"root": request.scope.get("root_path", "")}],
)
