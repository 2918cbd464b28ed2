"""Danish messages for request validation errors, one a person can act on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["describe_errors"]

_DATE = "en dato som ÅÅÅÅ-MM-DD, fx 2025-01-31"
_MESSAGES: dict[str, str] = {
    "missing": "Parameteren '{name}' mangler.",
    "int_parsing": "'{name}' skal være et helt tal{got}.",
    "int_from_float": "'{name}' skal være et helt tal{got}.",
    "int_type": "'{name}' skal være et helt tal{got}.",
    "float_parsing": "'{name}' skal være et tal{got}.",
    "bool_parsing": "'{name}' skal være true eller false{got}.",
    "greater_than_equal": "'{name}' skal være mindst {ge}{got}.",
    "greater_than": "'{name}' skal være større end {gt}{got}.",
    "less_than_equal": "'{name}' må højst være {le}{got}.",
    "less_than": "'{name}' skal være mindre end {lt}{got}.",
    "string_too_short": "'{name}' skal have mindst {min_length} tegn.",
    "string_too_long": "'{name}' må højst have {max_length} tegn.",
    "too_short": "'{name}' skal have mindst {min_length} værdi(er).",
    "too_long": "'{name}' må højst have {max_length} værdier.",
    "date_parsing": "'{name}' skal være " + _DATE + "{got}.",
    "date_from_datetime_parsing": "'{name}' skal være " + _DATE + "{got}.",
    "date_from_datetime_inexact": "'{name}' skal være " + _DATE + "{got}.",
    "date_type": "'{name}' skal være " + _DATE + "{got}.",
    "literal_error": "'{name}' skal være en af {expected}{got}.",
    "enum": "'{name}' skal være en af {expected}{got}.",
    "string_pattern_mismatch": "'{name}' har et ugyldigt format{got}.",
}


def describe_errors(errors: Sequence[Mapping[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """Turn FastAPI's validation errors into one Danish sentence and one line per parameter.

    Examples
    --------
    >>> detail, lines = describe_errors(
    ...     [{"type": "less_than_equal", "loc": ("query", "age"), "input": "200",
    ...       "ctx": {"le": 130}, "msg": "..."}]
    ... )
    >>> detail
    "'age' må højst være 130 (fik '200')."
    >>> lines[0]["location"], lines[0]["parameter"]
    ('query', 'age')
    """
    lines = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or location
        template = _MESSAGES.get(str(error.get("type")))
        ctx = {key: _danish(str(value)) for key, value in (error.get("ctx") or {}).items()}
        got = f" (fik {_show(error['input'])})" if "input" in error else ""
        if template is None:
            message = f"'{name}' er ugyldig: {error.get('msg', '')}"
        else:
            try:
                message = template.format(name=name, got=got, **ctx)
            except (KeyError, IndexError):
                message = f"'{name}' er ugyldig{got}."
        lines.append({"parameter": name, "location": location, "message": message})
    detail = " ".join(line["message"] for line in lines) or "Forespørgslen er ugyldig."
    return detail, lines


def _danish(listing: str) -> str:
    """Pydantic lists choices in English ("'ja' or 'nej'"); say them in Danish."""
    return listing.replace("' or '", "' eller '")


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"
