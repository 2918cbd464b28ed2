"""Names in a spreadsheet → ids: units, authorities and forums by name, tasks by KLE number.

Both importers resolve through here, so a sheet's "Socialforvaltningen", "SOF" or an earlier
name all find the same unit, and a name that the search does not match confidently is
reported with the nearest units instead of guessed.
"""

from __future__ import annotations

from graph.data.knowledge import Knowledge
from graph.errors import UnknownEntityError

__all__ = ["resolve_agent", "resolve_task"]


def _names(kg: Knowledge) -> dict[str, str]:
    names: dict[str, str] = {}
    for unit in kg.units.values():
        for name in (*unit.alt_labels, *(n.label for n in unit.names), unit.label):
            names[name.casefold()] = unit.id
    for forum in kg.forums.values():
        for name in (*forum.alt_labels, forum.label):
            names.setdefault(name.casefold(), forum.id)
    return names


def resolve_agent(kg: Knowledge, text: str) -> str:
    """The id of the unit, outside authority or forum a sheet names (by id or name).

    An exact id or name (today's, an earlier one or an abbreviation, any case) is taken as
    it is; other text goes through the search, which must be confident.

    Raises
    ------
    UnknownEntityError
        Nothing matches confidently; the error carries the nearest units as suggestions.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> resolve_agent(kg, "socialforvaltningen"), resolve_agent(kg, "bif")
    ('sof', 'bif')
    >>> resolve_agent(kg, "Borgercenter Handikap")
    'sof-borgercenter-handicap'
    """
    query = " ".join(text.split())
    if query in kg.units or query in kg.forums:
        return query
    names = kg.derived("import-names", _names)
    if query.casefold() in names:
        return names[query.casefold()]
    try:
        unit, _ = kg.resolve("unit", query)
        return str(unit.id)
    except UnknownEntityError as unit_error:
        try:
            forum, _ = kg.resolve("forum", query)
            return str(forum.id)
        except UnknownEntityError:
            raise unit_error from None


def resolve_task(kg: Knowledge, text: str) -> str:
    """The id of the KLE task a sheet's KLE number names (``27.60``, ``kle-27.60``, ``27.6``).

    A number a spreadsheet stored as a decimal number (``27.6`` for ``27.60``, ``5`` for
    ``05``) is read as the KLE number it was.

    Raises
    ------
    UnknownEntityError
        For a number KLE does not have, with the nearest numbers.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> resolve_task(kg, "27.6"), resolve_task(kg, "kle-32.03.16"), resolve_task(kg, "5")
    ('kle-27.60', 'kle-32.03.16', 'kle-05')
    """
    number = text.strip().lower().removeprefix("kle-").removeprefix("kle ").strip()
    parts = number.split(".")
    if all(part.isdigit() for part in parts) and 1 <= len(parts) <= 3:
        padded = [parts[0].zfill(2), *(p.ljust(2, "0") for p in parts[1:])]
        number = ".".join(padded)
    if number in kg.task_by_notation:
        return kg.task_by_notation[number]
    task, _ = kg.resolve("task", f"kle-{number}")
    if getattr(task, "level", "") == "service" or str(task.id) != f"kle-{number}":
        raise UnknownEntityError("task", text)
    return str(task.id)
