"""One home for identifiers: resource kinds, URIs ↔ ids, node keys and KLE numbers.

Our resources live under :data:`ontology.namespaces.ID`: ``<…/id/{kind}/{id}>``. A task's
id is its KLE number behind ``kle-`` (``kle-32.03.16``); KLE numbers are two-digit parts
joined by dots: a main group ``32``, a group ``32.03``, a topic ``32.03.16``.
"""

from __future__ import annotations

import re
from typing import Final

from rdflib import Node

from ontology.namespaces import ID

__all__ = [
    "ID_PREFIX",
    "KINDS",
    "KLE_GROUP",
    "KLE_NUMBER",
    "KLE_TOPIC",
    "TASK_ID_PREFIX",
    "is_general_topic",
    "is_retiring_title",
    "node_key",
    "read_kle_number",
    "split_uri",
    "task_id",
]

#: The base of every resource URI.
ID_PREFIX: Final = str(ID)

#: The kinds of resource people look up by id, in the order lists show them.
KINDS: Final = ("task", "unit", "law", "forum")

#: Any KLE number: main group, group or topic.
KLE_NUMBER: Final = re.compile(r"\d\d(?:\.\d\d){0,2}")
#: A KLE group number (``27.60``).
KLE_GROUP: Final = re.compile(r"\d\d\.\d\d")
#: A KLE topic number (``27.60.08``).
KLE_TOPIC: Final = re.compile(r"\d\d\.\d\d\.\d\d")
#: What goes before the KLE number in a task's id.
TASK_ID_PREFIX: Final = "kle-"

# A KLE number as people type it: "32.03.16", "320316", "32 03", "kle-32.03", "KLE 27".
_TYPED_KLE_NUMBER = re.compile(r"^(?:kle[\s._-]*)?(\d\d)(?:[.\s_-]?(\d\d))?(?:[.\s_-]?(\d\d))?$")
# KLE marks a topic being phased out in its title: "… [udgår 1.1.2027]".
_RETIRING = re.compile(r"\[udgår\b", re.IGNORECASE)


def split_uri(uri: Node | str) -> tuple[str, str]:
    """Return ``(kind, id)`` of one of our resource URIs.

    Examples
    --------
    >>> split_uri("https://stafet.kk.dk/id/task/kle-32.03.16")
    ('task', 'kle-32.03.16')
    >>> split_uri("http://example.org/x")
    ('', 'http://example.org/x')
    """
    text = str(uri)
    if text.startswith(ID_PREFIX) and "/" in text[len(ID_PREFIX) :]:
        kind, _, ident = text[len(ID_PREFIX) :].partition("/")
        return kind, ident
    return "", text


def node_key(kind: str, ident: str) -> str:
    """The compiled graph's node key.

    Examples
    --------
    >>> node_key("unit", "bif"), node_key("task", "kle-32.03.16")
    ('unit/bif', 'task/kle-32.03.16')
    """
    return f"{kind}/{ident}"


def task_id(notation: str) -> str:
    """The id of the task a KLE number classifies.

    Examples
    --------
    >>> task_id("32.03.16")
    'kle-32.03.16'
    """
    return f"{TASK_ID_PREFIX}{notation}"


def read_kle_number(typed: str) -> tuple[str, bool] | None:
    """A KLE number as typed (stripped, casefolded): ``(notation, written_as_task_id)``.

    Examples
    --------
    >>> read_kle_number("320316"), read_kle_number("kle-32.03"), read_kle_number("pas")
    (('32.03.16', False), ('32.03', True), None)
    """
    number = _TYPED_KLE_NUMBER.match(typed)
    if number is None:
        return None
    return ".".join(part for part in number.groups() if part), typed.startswith("kle")


def is_general_topic(notation: str) -> bool:
    """True for the "… i almindelighed" topic a group stands for (``NN.NN.00``, ``NN.00``).

    Examples
    --------
    >>> is_general_topic("32.03.00"), is_general_topic("32.03.16")
    (True, False)
    """
    return notation.endswith(".00")


def is_retiring_title(title: str) -> bool:
    """True when a KLE title marks its topic as being phased out.

    Examples
    --------
    >>> is_retiring_title("Boligsikring [udgår 1.1.2027]"), is_retiring_title("Boligsikring")
    (True, False)
    """
    return _RETIRING.search(title) is not None
