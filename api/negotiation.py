"""Pick a representation from an ``Accept`` header (RFC 9110, section 12.5.1)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["choose_media_type", "prefers_html"]

#: What an error can be sent as: problem+json first, so ``*/*`` (curl, tools) gets it.
ERROR_MEDIA_TYPES = ("application/problem+json", "text/html")


def choose_media_type(accept: str | None, offers: Sequence[str]) -> str | None:
    """Return the offer the client prefers, or ``None`` if it accepts none of them.

    Quality values rank; a more specific range wins over a wildcard for the same type; on a
    tie the server's order of ``offers`` decides. No header (or an empty one) means any.

    Examples
    --------
    >>> offers = ["text/html", "application/ld+json", "text/turtle"]
    >>> choose_media_type("text/turtle;q=0.9, application/ld+json", offers)
    'application/ld+json'
    >>> choose_media_type("*/*", offers)
    'text/html'
    >>> choose_media_type("text/*;q=0.5, text/turtle", offers)
    'text/turtle'
    >>> choose_media_type("image/png", offers) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = [_parse_range(part) for part in accept.split(",") if part.strip()]
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        quality, specificity = _quality(offer, ranges)
        if quality <= 0:
            continue
        key = (quality, specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def _parse_range(part: str) -> tuple[str, str, float]:
    pieces = [p.strip() for p in part.split(";")]
    kind, _, subtype = pieces[0].lower().partition("/")
    quality = 1.0
    for param in pieces[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = max(0.0, min(1.0, float(value)))
            except ValueError:
                quality = 0.0
    return kind.strip(), (subtype.strip() or "*"), quality


def _quality(offer: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    kind, _, subtype = offer.lower().partition("/")
    found: tuple[int, float] | None = None
    for range_kind, range_subtype, quality in ranges:
        if range_kind == kind and range_subtype == subtype:
            specificity = 2
        elif range_kind == kind and range_subtype == "*":
            specificity = 1
        elif range_kind == "*" and range_subtype == "*":
            specificity = 0
        else:
            continue
        if found is None or specificity > found[0]:
            found = (specificity, quality)
    if found is None:
        return 0.0, -1
    return found[1], found[0]


def prefers_html(accept: str | None) -> bool:
    """Whether a client would rather read an error as a page than as problem+json.

    Only a client that ranks ``text/html`` above problem+json does: a browser. No header,
    ``*/*`` and ``application/json`` keep problem+json.

    Examples
    --------
    >>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> prefers_html("*/*"), prefers_html(None), prefers_html("application/json")
    (False, False, False)
    >>> prefers_html("application/problem+json, text/html;q=0.5")
    False
    """
    return choose_media_type(accept, ERROR_MEDIA_TYPES) == "text/html"
