"""Turn the editable table of default owners into Turtle.

Every KLE group (``NN.NN``) has a default owner: the unit that is assumed ``ansvarlig``
until the unit itself or the coordination group confirms or corrects it. A KLE topic
(``NN.NN.NN``) whose owner differs from its group's has a row of its own, which wins over
the group's (the walk up KLE stops at the first level with an ansvarlig). The table is
``data/copenhagen/default-owners.csv``::

    kle,unit,source,note
    27.00,sof,,"SOF: voksne med handicap, …"
    27.60,-,,"bekræftet i responsibilities.ttl: …"
    84.01,kff,kk-kfu-opgaver,"KFU: valg til Folketinget …"
    15.01.03,a-kasserne,,"efterløn udbetales af a-kassen …"

``unit`` is a unit id from ``organisation.ttl`` or an authority from ``authorities.ttl``
(``unit:sof`` → ``sof``), or ``-`` when the number has no single default owner (a
confirmed fact in ``responsibilities.ttl`` or the topics below name the ansvarlig); such a
row yields nothing, so the number never gets a second, unconditioned ansvarlig. ``source``
is empty for an assumed owner, or the id of the source in ``sources.ttl`` that states it.
``note`` is the reason for the choice, kept in the participation's description.

Each other row becomes one ``cv:Participation`` on ``task:kle-…`` with role ``ansvarlig``:
with an empty ``source`` it is ``antaget``, with source ``src:kk-dk`` and a source locator
naming the broad division of labour in the domain facts; with a ``source`` it is
``bekraeftet`` with that source. A row that breaks the format, names an unknown unit,
source or KLE number, or repeats a number raises :class:`DefaultOwnersError` naming the
file and the line; so does a table that leaves out a KLE group.

Regenerate the shipped Turtle with::

    python -m graph.io.defaults_import data/copenhagen/default-owners.csv \\
        -o data/copenhagen/default-owners.ttl

Examples
--------
>>> owners = parse_default_owners(
...     "kle,unit,source,note\\n27.00,sof,,SOF: socialt udsatte\\n27.60,-,,bekræftet\\n"
...     "27.60.16,sof,kk-forbrugsgoder,under 65\\n"
... )
>>> [(o.kle, o.unit, o.source, o.line) for o in owners]
[('27.00', 'sof', None, 2), ('27.60', None, None, 3), ('27.60.16', 'sof', 'kk-forbrugsgoder', 4)]
>>> graph = build_graph(
...     owners,
...     units={"sof": "Socialforvaltningen"},
...     groups={"27.00": "Social service", "27.60": "Hjælpemidler"},
...     topics={"27.60.16": "Forbrugsgoder"},
...     sources={"kk-forbrugsgoder"},
... )
>>> print(graph.value(PARTICIPATION["kle-27.00-standardejer"], DCTERMS.description))
Standardejer (antaget): Socialforvaltningen er ansvarlig for KLE 27.00 Social service, \
indtil enheden har bekræftet det. Grundlag: SOF: socialt udsatte
>>> print(graph.value(PARTICIPATION["kle-27.60.16-standardejer"], DCTERMS.description))
Ejer på emneniveau (bekræftet af kilden): Socialforvaltningen er ansvarlig for KLE 27.60.16 \
Forbrugsgoder. Grundlag: under 65
>>> (TASK["kle-27.60"], CV.hasParticipation, None) in graph
False
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
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
    "kle_topics",
    "known_sources",
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
#: The broad division of labour has no source outside Stafet: an unsourced row says so.
SOURCE = ID["source/ingen-ekstern-kilde"]
#: What the assumed default follows, in words staff can name.
SOURCE_LOCATOR = (
    "grov arbejdsdeling mellem forvaltningerne, antaget "
    "(en begrundet standard, som enheden skal bekræfte)"
)

_PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
_DEFAULT_KLE = _PROJECT_ROOT / "data" / "kle" / "source" / "OS2KLE.txt"
_HEADER = (
    "# Standardejere: én ansvarlig enhed pr. KLE-gruppe og pr. KLE-emne, hvis ejer afviger\n"
    "# fra gruppens, fra default-owners.csv (antaget, medmindre en kilde er angivet).\n"
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


def known_sources(graph: Graph) -> set[str]:
    """Return the ids of the sources a graph defines (``src:…`` resources with a type).

    Parameters
    ----------
    graph
        Typically ``sources.ttl``.

    Returns
    -------
    set of str
        ``{"kk-dk", …}``.

    Examples
    --------
    >>> doc = "<https://stafet.kk.dk/id/source/kk-dk> a <http://xmlns.com/foaf/0.1/Document> ."
    >>> known_sources(Graph().parse(data=doc, format="turtle"))
    {'kk-dk'}
    """
    prefix = ID["source/"]
    return {
        str(subject).removeprefix(prefix)
        for subject in graph.subjects(RDF.type, None)
        if isinstance(subject, URIRef) and subject.startswith(prefix)
    }


def kle_topics(path: str | Path = _DEFAULT_KLE) -> dict[str, str]:
    """Return every KLE topic in an OS2KLE file with its title.

    Parameters
    ----------
    path
        ``OS2KLE.txt`` (default: the shipped one).

    Returns
    -------
    dict
        ``{"00.01.00": "Kommunens styrelse i almindelighed", …}`` in KLE order.
    """
    return {t.number: t.title for t in sorted(parse_os2kle(path), key=lambda t: t.number)}


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
    topics: Mapping[str, str] | None = None,
    sources: Collection[str] | None = None,
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
    topics
        The KLE topics, ``NN.NN.NN`` → title (:func:`kle_topics`); without them a topic row
        is an unknown KLE number.
    sources
        The known source ids (:func:`known_sources`); without them any source id passes.
    source
        The table's file name, for error messages.
    require_all
        Require a row for every group in ``groups``.

    Returns
    -------
    rdflib.Graph
        ``task:kle-N cv:hasParticipation part:kle-N-standardejer`` and the participation,
        for every row except ``-`` rows.

    Raises
    ------
    DefaultOwnersError
        If a row names an unknown unit, source or KLE number, or (``require_all``) a
        group has no row.

    Examples
    --------
    >>> row = DefaultOwner("27.00", "sfo", None, "", 5)
    >>> build_graph([row], {"sof": "Socialforvaltningen"}, {"27.00": "Social service"},
    ...             source="default-owners.csv")
    Traceback (most recent call last):
    ...
    graph.io.owner_table.DefaultOwnersError: default-owners.csv, linje 5: ukendt enhed 'sfo' \
for KLE 27.00 (enheder står i organisation.ttl og authorities.ttl)
    """
    rows = list(owners)
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    titles = {**groups, **(topics or {})}
    for row in rows:
        _check(row, titles, units, sources, source)
        if row.unit is not None:
            _add_default(graph, row, units[row.unit], titles[row.kle])
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


def _check(
    row: DefaultOwner,
    titles: Mapping[str, str],
    units: Mapping[str, str],
    sources: Collection[str] | None,
    table: str | Path,
) -> None:
    """Raise if a row names an unknown KLE number, unit or source."""
    if row.kle not in titles:
        kind = "KLE-emne" if row.is_topic else "KLE-gruppe"
        raise DefaultOwnersError(table, row.line, f"{kind} {row.kle} findes ikke i KLE (OS2KLE)")
    if row.unit is not None and row.unit not in units:
        raise DefaultOwnersError(
            table,
            row.line,
            f"ukendt enhed {row.unit!r} for KLE {row.kle} "
            "(enheder står i organisation.ttl og authorities.ttl)",
        )
    if row.source is not None and sources is not None and row.source not in sources:
        raise DefaultOwnersError(
            table,
            row.line,
            f"ukendt kilde {row.source!r} for KLE {row.kle} (kilder står i sources.ttl)",
        )


def _add_default(graph: Graph, row: DefaultOwner, unit_label: str, kle_label: str) -> None:
    """Add one row's participation."""
    identifier = f"kle-{row.kle}-standardejer"
    participation = PARTICIPATION[identifier]
    what = "Ejer på emneniveau" if row.is_topic else "Standardejer"
    if row.confirmed:
        description = (
            f"{what} (bekræftet af kilden): {unit_label} er ansvarlig for KLE {row.kle} "
            f"{kle_label}."
        )
    else:
        description = (
            f"{what} (antaget): {unit_label} er ansvarlig for KLE {row.kle} {kle_label}, "
            "indtil enheden har bekræftet det."
        )
    if row.note:
        description += f" Grundlag: {row.note}"
    graph.add((TASK[f"kle-{row.kle}"], CV.hasParticipation, participation))
    graph.add((participation, RDF.type, CV.Participation))
    graph.add((participation, DCTERMS.identifier, Literal(identifier)))
    graph.add((participation, DCTERMS.description, Literal(description, lang="da")))
    graph.add((participation, CV.hasParticipant, UNIT[row.unit or ""]))
    graph.add((participation, CV.role, ROLE.ansvarlig))
    if row.source is not None:
        graph.add((participation, DCTERMS.source, ID[f"source/{row.source}"]))
        graph.add((participation, STAFET.status, STATUS.bekraeftet))
        return
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
        table). The authorities (``authorities.ttl``) and the sources (``sources.ttl``)
        are read from beside it, where they exist.
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
    units = known_units(_turtle(organisation))
    authorities = organisation.with_name("authorities.ttl")
    if authorities.exists():
        units |= known_units(_turtle(authorities))
    sources_file = organisation.with_name("sources.ttl")
    sources = known_sources(_turtle(sources_file)) if sources_file.exists() else None
    return build_graph(
        read_default_owners(table),
        units,
        kle_groups(kle),
        topics=kle_topics(kle),
        sources=sources,
        source=table,
    )


def _turtle(path: Path) -> Graph:
    return parse_turtle(path.read_bytes(), name=str(path))


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
