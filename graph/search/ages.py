"""Read a citizen's age out of the words staff or citizens type.

People describe a problem with the age in it ("min far på 82 kan ikke gå i bad", "jeg er
45 og har brug for en kørestol", "hjælpemidler til børn under 18"). Where responsibility
depends on age, the age in the sentence decides the branch. Only an explicit number of
years is read, never a guess from words like "ældre" or "pensionist": those do not say
which side of an age limit a person is on.

Patterns, with ``N`` a whole number from 0 to 130:

- ``N år`` / ``N-årig`` anywhere ("en dreng på 12 år", "en 17-årig");
- ``er N`` and ``på N`` ("jeg er 45", "min mor på 82");
- ``under N`` is the year below the limit, ``over N`` the year above it.

Examples
--------
>>> read_age("min far på 82 kan ikke længere gå i bad selv")
82
>>> read_age("jeg er 45 og har brug for en kørestol")
45
>>> read_age("kropsbårne hjælpemidler under 65")
64
>>> read_age("hjemmehjælp over 65")
66
>>> read_age("en 17-årig der har brug for hjælp")
17
>>> read_age("hjemmehjælp") is None
True
>>> read_age("32.03.16") is None  # a KLE number is not an age
True
>>> read_age("jeg er 245 år") is None
True
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_AGE", "read_age"]

MAX_AGE: Final = 130
"""The oldest age read; a larger number is not an age."""

_NUMBER = r"(?<![\d.,:/-])(\d{1,3})(?![\d.,:/])"
_PATTERNS: Final = (
    (re.compile(_NUMBER + r"\s*(?:-\s*)?(?:år\b|årig|aar\b|aarig)", re.IGNORECASE), 0),
    (
        re.compile(
            r"\b(?:er|på|paa)\s+" + _NUMBER + r"(?!\s*(?:kr|procent|%|timer|dage))", re.IGNORECASE
        ),
        0,
    ),
    (re.compile(r"\bunder\s+" + _NUMBER, re.IGNORECASE), -1),
    (re.compile(r"\bover\s+" + _NUMBER, re.IGNORECASE), 1),
)


def read_age(text: str) -> int | None:
    """The age a text states, or ``None`` if it states none (see the module docs)."""
    for pattern, shift in _PATTERNS:
        found = pattern.search(text)
        if found is None:
            continue
        age = int(found.group(1)) + shift
        if 0 <= age <= MAX_AGE:
            return age
    return None
