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

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.data.loader import parse_turtle
from graph.errors import InvalidDataError
from graph.io._cli import import_parser, run_import
from graph.io.os2kle import KLEFormatError, group_title, parse_os2kle
from graph.io.owner_table import (
    COLUMNS,
    NO_DEFAULT,
    DefaultOwner,
    DefaultOwnersError,
    parse_default_owners,
    read_default_owners,
)
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
    graph.io.owner_table.DefaultOwnersError: default-owners.csv, linje 5: ukendt enhed 'sfo' \
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
    graph.io.os2kle.KLEFormatError
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
