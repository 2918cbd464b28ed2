"""Turn the editable table of default owners into Turtle.

Every KLE group (``NN.NN``) has a default owner: the unit that is assumed ``ansvarlig``
until the unit itself or the coordination group confirms or corrects it. The table is
``data/copenhagen/default-owners.csv``, one row per group::

    kle_group,unit,note
    27.00,sof,"SOF: voksne med handicap, …"
    27.60,-,"bekræftet i responsibilities.ttl: …"

``unit`` is a unit id from ``organisation.ttl`` (``unit:sof`` → ``sof``), or ``-`` when a
confirmed group-level fact in ``responsibilities.ttl`` already names the ansvarlig; such a
row yields nothing, so the group never gets a second, unconditioned ansvarlig. ``note`` is
the reason for the choice, kept in the participation's description.

Each other row becomes one ``cv:Participation`` on ``task:kle-NN.NN`` with role
``ansvarlig``, status ``antaget``, source ``src:kk-dk`` and a source locator naming the
broad division of labour in the domain facts. A row that breaks the format, names an
unknown unit or an unknown KLE group, or repeats a group raises
:class:`DefaultOwnersError` naming the file and the line; so does a table that leaves out
a KLE group.

Regenerate the shipped Turtle with::

    python -m graph.io.defaults_import data/copenhagen/default-owners.csv \\
        -o data/copenhagen/default-owners.ttl

Examples
--------
>>> owners = parse_default_owners(
...     "kle_group,unit,note\\n27.00,sof,SOF: socialt udsatte\\n27.60,-,bekræftet\\n"
... )
>>> [(o.group, o.unit, o.line) for o in owners]
[('27.00', 'sof', 2), ('27.60', None, 3)]
>>> graph = build_graph(
...     owners,
...     units={"sof": "Socialforvaltningen"},
...     groups={"27.00": "Social service", "27.60": "Hjælpemidler"},
... )
>>> print(graph.value(PARTICIPATION["kle-27.00-standardejer"], DCTERMS.description))
Standardejer (antaget): Socialforvaltningen er ansvarlig for KLE 27.00 Social service, \
indtil enheden har bekræftet det. Grundlag: SOF: socialt udsatte
>>> (TASK["kle-27.60"], CV.hasParticipation, None) in graph
False
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.data.loader import parse_turtle
from graph.errors import InvalidDataError
from graph.io._cli import import_parser, run_import
from graph.io.kle_import import KLEFormatError, group_title, parse_os2kle
from graph.io.turtle import sorted_turtle
from ontology.namespaces import CV, ID, ROLE, STAFET, STATUS

__all__ = [
    "COLUMNS",
    "NO_DEFAULT",
    "PARTICIPATION",
    "SOURCE",
    "SOURCE_LOCATOR",
    "TASK",
    "UNIT",
    "DefaultOwner",
    "DefaultOwnersError",
    "build_graph",
    "import_default_owners",
    "kle_groups",
    "known_units",
    "main",
    "parse_default_owners",
    "read_default_owners",
    "serialize_default_owners",
]

#: The table's columns, in order.
COLUMNS = ("kle_group", "unit", "note")
#: The ``unit`` value of a group whose ansvarlig a confirmed fact already names.
NO_DEFAULT = "-"
#: Tasks: ``TASK["kle-32.03"]``.
TASK = Namespace(ID["task/"])
#: Units: ``UNIT["sof"]``.
UNIT = Namespace(ID["unit/"])
#: Participations: ``PARTICIPATION["kle-32.03-standardejer"]``.
PARTICIPATION = Namespace(ID["participation/"])
#: Where the broad division of labour comes from (kk.dk, via the domain facts).
SOURCE = ID["source/kk-dk"]
#: The section of the domain facts the defaults follow.
SOURCE_LOCATOR = (
    "grov arbejdsdeling mellem forvaltningerne "
    "(domænefakta, facts.md, afsnittet 'Broad division of labour')"
)

_PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
_DEFAULT_KLE = _PROJECT_ROOT / "data" / "kle" / "source" / "OS2KLE.txt"
_GROUP = re.compile(r"\d\d\.\d\d")
_UNIT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HEADER = (
    "# Standardejere (antaget): én ansvarlig enhed pr. KLE-gruppe, fra default-owners.csv.\n"
    "# Genereret af graph/defaults_import.py. Ret i CSV-filen, ikke i denne fil.\n\n"
)
_PREFIXES: dict[str, str] = {
    "cv": str(CV._NS),
    "dct": str(DCTERMS),
    "part": str(PARTICIPATION),
    "role": str(ROLE._NS),
    "src": ID["source/"],
    "stafet": str(STAFET._NS),
    "status": str(STATUS._NS),
    "task": str(TASK),
    "unit": str(UNIT),
}


class DefaultOwnersError(InvalidDataError):
    """The table of default owners is wrong at a given line.

    Parameters
    ----------
    source
        The file (or another name for the input).
    line
        The 1-based line number (the header is line 1), or ``None`` when the problem is
        not on one line.
    reason
        What is wrong, for a person to read.

    Examples
    --------
    >>> str(DefaultOwnersError("default-owners.csv", 7, "ukendt enhed 'xyz'"))
    "default-owners.csv, linje 7: ukendt enhed 'xyz'"
    """

    def __init__(self, source: str | Path, line: int | None, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(reason, file=self.source, line=line)


@dataclass(frozen=True, slots=True)
class DefaultOwner:
    """One row of the table.

    Parameters
    ----------
    group
        The KLE group, ``NN.NN``.
    unit
        The unit id, or ``None`` for ``-`` (a confirmed fact names the ansvarlig).
    note
        Why this unit, in Danish (may be empty).
    line
        The row's line number in the file.
    """

    group: str
    unit: str | None
    note: str
    line: int


def parse_default_owners(text: str, *, source: str | Path = "<tekst>") -> list[DefaultOwner]:
    """Parse the CSV text of the table.

    Parameters
    ----------
    text
        The whole file: a header ``kle_group,unit,note`` and one row per KLE group. Empty
        lines are skipped; fields may be quoted.
    source
        The file name, for error messages.

    Returns
    -------
    list of DefaultOwner
        The rows in file order.

    Raises
    ------
    DefaultOwnersError
        If the header is wrong, a row does not have three fields, a group is not
        ``NN.NN``, a unit is neither ``-`` nor a unit id, or a group appears twice.

    Examples
    --------
    >>> parse_default_owners("kle_group,unit,note\\n32.3,sof,x\\n", source="t.csv")
    Traceback (most recent call last):
    ...
    graph.io.defaults_import.DefaultOwnersError: t.csv, linje 2: ugyldig KLE-gruppe '32.3' \
(forventet NN.NN, fx 32.03)
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    owners: list[DefaultOwner] = []
    seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != COLUMNS:
            raise DefaultOwnersError(
                source, 1, f"overskriften skal være {','.join(COLUMNS)}, ikke {header!r}"
            )
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                raise DefaultOwnersError(
                    source,
                    line,
                    f"forventede {len(COLUMNS)} felter ({', '.join(COLUMNS)}), "
                    f"fandt {len(row)}: {row!r}",
                )
            group, unit, note = (cell.strip() for cell in row)
            if not _GROUP.fullmatch(group):
                raise DefaultOwnersError(
                    source, line, f"ugyldig KLE-gruppe {group!r} (forventet NN.NN, fx 32.03)"
                )
            if unit != NO_DEFAULT and not _UNIT_ID.fullmatch(unit):
                raise DefaultOwnersError(
                    source,
                    line,
                    f"ugyldigt enheds-id {unit!r} for KLE-gruppe {group} (små bogstaver, tal "
                    f"og bindestreg, eller {NO_DEFAULT!r} for ingen standardejer)",
                )
            if group in seen:
                raise DefaultOwnersError(
                    source, line, f"KLE-gruppe {group} står allerede i linje {seen[group]}"
                )
            seen[group] = line
            owners.append(DefaultOwner(group, None if unit == NO_DEFAULT else unit, note, line))
    except csv.Error as err:
        raise DefaultOwnersError(source, reader.line_num, f"ugyldig CSV: {err}") from None
    return owners


def read_default_owners(path: str | Path) -> list[DefaultOwner]:
    """Read the table from a UTF-8 file (with or without BOM).

    Parameters
    ----------
    path
        ``default-owners.csv``.

    Returns
    -------
    list of DefaultOwner
        See :func:`parse_default_owners`.
    """
    path = Path(path)
    return parse_default_owners(path.read_text(encoding="utf-8"), source=path)


def known_units(graph: Graph) -> dict[str, str]:
    """Return the units a graph defines, by id, with their Danish names.

    A unit is any ``unit:…`` resource that has a type (units, political bodies, external
    authorities).

    Parameters
    ----------
    graph
        Typically ``organisation.ttl``.

    Returns
    -------
    dict
        ``{"sof": "Socialforvaltningen", …}``; the id stands in for a missing name.

    Examples
    --------
    >>> g = Graph().parse(data='''
    ...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...     <https://stafet.kk.dk/id/unit/sof> a <http://www.w3.org/ns/org#OrganizationalUnit> ;
    ...         skos:prefLabel "Socialforvaltningen"@da .
    ... ''', format="turtle")
    >>> known_units(g)
    {'sof': 'Socialforvaltningen'}
    """
    units: dict[str, str] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef) or not subject.startswith(str(UNIT)):
            continue
        ident = subject.removeprefix(str(UNIT))
        labels = [
            label
            for label in graph.objects(subject, SKOS.prefLabel)
            if isinstance(label, Literal) and label.language == "da"
        ]
        units[ident] = str(min(labels)) if labels else ident
    return dict(sorted(units.items()))


def kle_groups(path: str | Path = _DEFAULT_KLE) -> dict[str, str]:
    """Return every KLE group in an OS2KLE file with its title.

    A group's title is that of its ``NN.NN.00 … i almindelighed`` topic without
    " i almindelighed", as the KLE importer gives it (``graph.io.kle_import``).

    Parameters
    ----------
    path
        ``OS2KLE.txt`` (default: the shipped one).

    Returns
    -------
    dict
        ``{"00.01": "Kommunens styrelse", …}`` in KLE order.
    """
    topics = parse_os2kle(path)
    general = {t.number[:5]: group_title(t.title) for t in topics if t.number.endswith(".00")}
    return {
        group: general.get(group, f"KLE-gruppe {group}")
        for group in sorted({t.number[:5] for t in topics})
    }


def build_graph(
    owners: Iterable[DefaultOwner],
    units: Mapping[str, str],
    groups: Mapping[str, str],
    *,
    source: str | Path = "<tekst>",
    require_all: bool = True,
) -> Graph:
    """Build one default ``ansvarlig`` participation per row.

    Parameters
    ----------
    owners
        The rows (:func:`parse_default_owners`).
    units
        The known units, id → Danish name (:func:`known_units`).
    groups
        The KLE groups, ``NN.NN`` → title (:func:`kle_groups`).
    source
        The table's file name, for error messages.
    require_all
        Require a row for every group in ``groups``.

    Returns
    -------
    rdflib.Graph
        ``task:kle-NN.NN cv:hasParticipation part:kle-NN.NN-standardejer`` and the
        participation, for every row except ``-`` rows.

    Raises
    ------
    DefaultOwnersError
        If a row names an unknown unit or KLE group, or (``require_all``) a group has no
        row.

    Examples
    --------
    >>> row = DefaultOwner("27.00", "sfo", "", 5)
    >>> build_graph([row], {"sof": "Socialforvaltningen"}, {"27.00": "Social service"},
    ...             source="default-owners.csv")
    Traceback (most recent call last):
    ...
    graph.io.defaults_import.DefaultOwnersError: default-owners.csv, linje 5: ukendt enhed 'sfo' \
for KLE-gruppe 27.00 (enheder står i organisation.ttl)
    """
    rows = list(owners)
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for row in rows:
        if row.group not in groups:
            raise DefaultOwnersError(
                source, row.line, f"KLE-gruppe {row.group} findes ikke i KLE (OS2KLE)"
            )
        if row.unit is None:
            continue
        if row.unit not in units:
            raise DefaultOwnersError(
                source,
                row.line,
                f"ukendt enhed {row.unit!r} for KLE-gruppe {row.group} "
                "(enheder står i organisation.ttl)",
            )
        _add_default(graph, row, units[row.unit], groups[row.group])
    if require_all:
        missing = sorted(set(groups) - {row.group for row in rows})
        if missing:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            raise DefaultOwnersError(
                source,
                None,
                f"{len(missing)} KLE-grupper mangler en række: {shown} "
                f"(skriv {NO_DEFAULT!r} i unit, hvis et bekræftet faktum dækker gruppen)",
            )
    return graph


def _add_default(graph: Graph, row: DefaultOwner, unit_label: str, group_label: str) -> None:
    """Add one row's participation."""
    identifier = f"kle-{row.group}-standardejer"
    participation = PARTICIPATION[identifier]
    description = (
        f"Standardejer (antaget): {unit_label} er ansvarlig for KLE {row.group} {group_label}, "
        "indtil enheden har bekræftet det."
    )
    if row.note:
        description += f" Grundlag: {row.note}"
    graph.add((TASK[f"kle-{row.group}"], CV.hasParticipation, participation))
    graph.add((participation, RDF.type, CV.Participation))
    graph.add((participation, DCTERMS.identifier, Literal(identifier)))
    graph.add((participation, DCTERMS.description, Literal(description, lang="da")))
    graph.add((participation, CV.hasParticipant, UNIT[row.unit or ""]))
    graph.add((participation, CV.role, ROLE.ansvarlig))
    graph.add((participation, DCTERMS.source, SOURCE))
    graph.add((participation, STAFET.sourceLocator, Literal(SOURCE_LOCATOR, lang="da")))
    graph.add((participation, STAFET.status, STATUS.antaget))


def import_default_owners(
    table: str | Path,
    organisation: str | Path | None = None,
    kle: str | Path = _DEFAULT_KLE,
) -> Graph:
    """Read the table and build the default-owner graph.

    Parameters
    ----------
    table
        ``default-owners.csv``.
    organisation
        The Turtle file defining the units (default: ``organisation.ttl`` beside the
        table).
    kle
        The OS2KLE source whose groups the table must cover (default: the shipped one).

    Returns
    -------
    rdflib.Graph
        See :func:`build_graph`.

    Raises
    ------
    DefaultOwnersError
        If the table is wrong (see :func:`parse_default_owners` and :func:`build_graph`).
    graph.errors.InvalidDataError
        If the organisation file is not valid Turtle.
    graph.io.kle_import.KLEFormatError
        If the OS2KLE file breaks its format.
    """
    table = Path(table)
    organisation = Path(organisation) if organisation else table.with_name("organisation.ttl")
    units = known_units(parse_turtle(organisation.read_bytes(), name=str(organisation)))
    return build_graph(read_default_owners(table), units, kle_groups(kle), source=table)


def serialize_default_owners(graph: Graph) -> str:
    """Serialise the default-owner graph as Turtle, the same way every time.

    Parameters
    ----------
    graph
        A graph from :func:`build_graph`.

    Returns
    -------
    str
        The Turtle text with a short header (write it as UTF-8).
    """
    return _HEADER + sorted_turtle(graph)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m graph.io.defaults_import FILE.csv -o FILE.ttl``.

    Parameters
    ----------
    argv
        The arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 if the table or its inputs are wrong.
    """
    parser = import_parser(
        "python -m graph.io.defaults_import",
        "Omsæt tabellen over standardejere (CSV) til Turtle.",
        "table",
        "default-owners.csv",
    )
    parser.add_argument(
        "--organisation",
        type=Path,
        help="Turtle-fil med enhederne (standard: organisation.ttl ved siden af tabellen)",
    )
    parser.add_argument(
        "--kle", type=Path, default=_DEFAULT_KLE, help="OS2KLE.txt (standard: den medfølgende)"
    )
    return run_import(
        parser.parse_args(argv),
        lambda args: import_default_owners(args.table, args.organisation, args.kle),
        serialize_default_owners,
        (InvalidDataError, KLEFormatError, OSError),
        _written,
    )


def _written(graph: Graph) -> str:
    count = len(set(graph.subjects(RDF.type, CV.Participation)))
    return f"{count} standardejere, {len(graph)} tripler."


if __name__ == "__main__":
    raise SystemExit(main())
