"""Synthetic national-scale data in Stafet's ontology, for benchmarks (issue 13).

``python -m graph.io.synthetic --scale 10 -o DIR`` writes one Turtle file per synthetic
municipality (``kommune-001.ttl`` …) and ``national.ttl`` (the shared outside authorities,
laws, age conditions and the one source every fact cites: this generator). One scale unit
is one municipality shaped like the Copenhagen data (``data/copenhagen``): a hierarchy five
levels deep (municipality, administration, centre, department, team), every KLE group with
a default owner and every KLE topic with 1–3 handlers of its own (topic-level exceptions to
the group's owner, age-split owners, process chains, ended and dated participations),
contact points, forums with memberships and case scopes, contact-person arrangements, a
single entry, and dated names and parents. The KLE tasks are shared, read from
``data/kle/kle.ttl`` (never copied). Nothing here is a fact: every resource id starts with
``syn``, every fact cites :data:`SOURCE_ID` with ``status:antaget``, and e-mail addresses
are under the reserved ``.example`` domain. The same seed and scale give byte-identical
files.

The model has one current unconditioned ``ansvarlig`` per task (``shape:Task``): with
shared tasks, two or more municipalities break that rule by construction, as national data
would until the model scopes an owner to its municipality. One municipality is SHACL-valid.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.data.loader import OWN_ONTOLOGY, PROJECT_ROOT, TurtleFiles

__all__ = ["KLE_FILE", "SOURCE_ID", "generate", "kle_tasks", "synthetic_source"]

#: The KLE tasks every synthetic municipality shares.
KLE_FILE = PROJECT_ROOT / "data" / "kle" / "kle.ttl"
#: The one source every synthetic fact cites.
SOURCE_ID = "syn-generator"

_PREFIXES = """\
@prefix stafet: <https://stafet.kk.dk/def#> .
@prefix role: <https://stafet.kk.dk/def/role/> .
@prefix mrole: <https://stafet.kk.dk/def/membership-role/> .
@prefix status: <https://stafet.kk.dk/def/status/> .
@prefix unit: <https://stafet.kk.dk/id/unit/> .
@prefix task: <https://stafet.kk.dk/id/task/> .
@prefix law: <https://stafet.kk.dk/id/law/> .
@prefix forum: <https://stafet.kk.dk/id/forum/> .
@prefix post: <https://stafet.kk.dk/id/post/> .
@prefix contact: <https://stafet.kk.dk/id/contact/> .
@prefix part: <https://stafet.kk.dk/id/participation/> .
@prefix member: <https://stafet.kk.dk/id/membership/> .
@prefix src: <https://stafet.kk.dk/id/source/> .
@prefix place: <https://stafet.kk.dk/id/place/> .
@prefix cond: <https://stafet.kk.dk/id/condition/> .
@prefix freq: <http://publications.europa.eu/resource/authority/frequency/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix cv: <http://data.europa.eu/m8g/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""
_FACT = f"dct:source src:{SOURCE_ID} ; stafet:status status:antaget"
_AREAS = (
    "Økonomi",
    "Børn og Unge",
    "Teknik og Miljø",
    "Kultur og Fritid",
    "Beskæftigelse",
    "Social",
    "Sundhed og Omsorg",
)
_CENTRES = 6
_DEPARTMENTS = 5
_TEAMS = 2
_OTHER_ROLES = ("udfoerende", "indsigt", "raadgivende", "vejledende", "indstillende")
_AUTHORITIES = 12
_LAWS = 20
_SECTIONS = 6
_STEPS = ("modtagelse", "udredning", "afgørelse")
_TASK = re.compile(r"^task:(kle-[\d.]+) a cpsv:PublicService", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class KleTasks:
    """The KLE tasks by level: groups (``kle-NN.NN``) and topics (``kle-NN.NN.NN``)."""

    groups: tuple[str, ...]
    topics: tuple[str, ...]

    def group_of(self, topic: str) -> str:
        return topic.rsplit(".", 1)[0]


def kle_tasks(path: Path = KLE_FILE) -> KleTasks:
    """Read the KLE task ids from the shipped Turtle (a scan of the text, no RDF parse).

    Examples
    --------
    >>> tasks = kle_tasks()
    >>> "kle-32.03" in tasks.groups, "kle-32.03.16" in tasks.topics
    (True, True)
    """
    ids = _TASK.findall(path.read_text(encoding="utf-8"))
    groups = tuple(sorted(i for i in ids if i.count(".") == 1))
    topics = tuple(sorted(i for i in ids if i.count(".") == 2 and i.rsplit(".", 1)[0] in groups))
    return KleTasks(groups, topics)


def _text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@da'


def _titled(title: str) -> str:
    return f"dct:title {_text(title)} ; skos:prefLabel {_text(title)}"


def _agent(kind: str, ident: str, title: str, extra: Sequence[str]) -> str:
    lines = [
        f"unit:{ident} a {kind} ;",
        f'    dct:identifier "{ident}" ;',
        f"    dct:title {_text(title)} ;",
        f"    skos:prefLabel {_text(title)} ;",
        *(f"    {line} ;" for line in extra),
        f"    {_FACT} .",
    ]
    return "\n".join(lines) + "\n"


def _national(tasks: KleTasks, seed: int, scale: float) -> Iterator[str]:
    yield _PREFIXES
    title = f"Syntetiske data: graph.io.synthetic, frø {seed}, skala {scale:g}"
    about = "Genereret til ydelsesmålinger (make bench). Intet her er et faktum."
    yield (
        f"src:{SOURCE_ID} a foaf:Document ;\n"
        f'    dct:identifier "{SOURCE_ID}" ;\n'
        f"    dct:title {_text(title)} ;\n"
        f"    dct:description {_text(about)} .\n\n"
    )
    yield (
        "place:syn-danmark a dct:Location ; skos:prefLabel " + _text("Danmark (syntetisk)") + " .\n"
    )
    yield "place:koebenhavn a dct:Location ; skos:prefLabel " + _text("København") + " .\n"
    yield "freq:BIMONTHLY a skos:Concept ; skos:prefLabel " + _text("hver anden måned") + " .\n\n"
    # KLE's tasks name unit:kk as competent authority; it is described only by its name.
    yield _agent(
        "stafet:Municipality",
        "kk",
        "Københavns Kommune",
        [
            "dct:spatial place:koebenhavn",
            "skos:note " + _text("KLE-opgavernes kompetente myndighed; kun navnet."),
        ],
    )
    yield (
        "\ncond:syn-age-under-18 a stafet:AgeCondition ; stafet:maxAge 17 ; rdfs:label "
        + _text("under 18 år")
        + " .\n"
    )
    yield (
        "cond:syn-age-18-plus a stafet:AgeCondition ; stafet:minAge 18 ; rdfs:label "
        + _text("18 år og derover")
        + " .\n\n"
    )
    for number in range(1, _LAWS + 1):
        law = f"syn-lov-{number:02d}"
        yield (
            f'law:{law} a eli:LegalResource ; dct:identifier "{law}" ;\n'
            f"    eli:title {_text(f'Syntetisk lov nr. {number}')} ;\n"
            f"    skos:prefLabel {_text(f'Syntetisk lov nr. {number}')} ;\n"
            f"    dct:source src:{SOURCE_ID} .\n"
        )
        for section in range(1, _SECTIONS + 1):
            yield (
                f"law:{law}-{section} a eli:LegalResourceSubdivision ; eli:is_part_of law:{law} ;\n"
                f'    eli:number "§ {section}" ; dct:identifier "{law}-{section}" ;\n'
                f"    skos:prefLabel {_text(f'Syntetisk lov nr. {number} § {section}')} ;\n"
                f"    dct:source src:{SOURCE_ID} .\n"
            )
    yield "\n"
    rng = random.Random(f"{seed}-national")
    for number in range(1, _AUTHORITIES + 1):
        ident = f"syn-myndighed-{number:02d}"
        yield _agent(
            "stafet:ExternalAuthority",
            ident,
            f"Syntetisk styrelse {number}",
            ["dct:spatial place:syn-danmark", f"cv:contactPoint contact:{ident}"],
        )
        yield _contact(ident, f"post@{ident}.example")
    for group in rng.sample(tasks.groups, min(20, len(tasks.groups))):
        authority = f"syn-myndighed-{rng.randint(1, _AUTHORITIES):02d}"
        law = f"syn-lov-{rng.randint(1, _LAWS):02d}-{rng.randint(1, _SECTIONS)}"
        yield f"task:{group} stafet:appealBody unit:{authority} ;\n"
        yield f"    stafet:appealProvision law:{law} .\n"


def _contact(holder: str, email: str) -> str:
    return (
        f'contact:{holder} a cv:ContactPoint ; dct:identifier "{holder}" ;\n'
        f'    cv:email "{email}" ; {_FACT} .\n\n'
    )


@dataclass(slots=True)
class _Municipality:
    """One synthetic municipality being written: its units by level and its output."""

    code: str
    rng: random.Random
    administrations: list[str]
    centres: list[str]
    departments: list[str]
    out: list[str]

    def unit(self, ident: str, kind: str, title: str, parent: str, contact: bool) -> None:
        extra = [f"org:subOrganizationOf unit:{parent}"]
        if contact:
            extra.append(f"cv:contactPoint contact:{ident}")
        if self.rng.random() < 0.05:
            old = f"{title} (før 2020)"
            extra.append(f"skos:altLabel {_text(old)}")
            extra.append(
                f"stafet:datedName [ a stafet:DatedName ; skos:prefLabel {_text(old)} ; "
                f'stafet:validUntil "2019-12-31"^^xsd:date ; {_FACT} ] , '
                f"[ a stafet:DatedName ; skos:prefLabel {_text(title)} ; "
                f'stafet:validFrom "2020-01-01"^^xsd:date ; {_FACT} ]'
            )
        self.out.append(_agent(kind, ident, title, extra))
        if contact:
            self.out.append(_contact(ident, f"{ident}@{self.code}.example"))

    def moved(self, ident: str, old_parent: str, parent: str) -> None:
        """A dated parent history: under ``old_parent`` until 2017, ``parent`` since."""
        self.out.append(
            f"unit:{ident} stafet:datedParent "
            f"[ a stafet:DatedParent ; stafet:parentUnit unit:{old_parent} ; "
            f'stafet:validUntil "2017-12-31"^^xsd:date ; {_FACT} ] , '
            f"[ a stafet:DatedParent ; stafet:parentUnit unit:{parent} ; "
            f'stafet:validFrom "2018-01-01"^^xsd:date ; {_FACT} ] .\n\n'
        )

    def participation(self, task: str, unit: str, role: str, *extra: str) -> None:
        ident = f"{task}-{unit}-{role}"
        if self.rng.random() < 0.3:
            law = f"syn-lov-{self.rng.randint(1, _LAWS):02d}-{self.rng.randint(1, _SECTIONS)}"
            extra = (*extra, f"stafet:legalBasis law:{law}")
        if self.rng.random() < 0.05:
            extra = (*extra, 'stafet:validFrom "2021-01-01"^^xsd:date')
        lines = [
            f"task:{task} cv:hasParticipation part:{ident} .",
            f"part:{ident} a cv:Participation ;",
            f'    dct:identifier "{ident}" ;',
            f"    dct:description {_text(f'Syntetisk deltagelse ({role}).')} ;",
            f"    cv:hasParticipant unit:{unit} ;",
            f"    cv:role role:{role} ;",
            *(f"    {line} ;" for line in extra),
            f"    {_FACT} .",
        ]
        self.out.append("\n".join(lines) + "\n\n")


def _organisation(m: _Municipality, number: int) -> None:
    root = m.code
    m.out.append(
        _agent(
            "stafet:Municipality",
            root,
            f"Syntetisk Kommune {number:03d}",
            [f"dct:spatial place:{root}", f"cv:contactPoint contact:{root}"],
        )
    )
    m.out.append(_contact(root, f"kontakt@{root}.example"))
    m.out.append(
        f"place:{root} a dct:Location ; skos:prefLabel {_text(f'Kommune {number:03d}')} .\n\n"
    )
    for a, area in enumerate(_AREAS, 1):
        admin = f"{root}-f{a}"
        m.administrations.append(admin)
        m.unit(admin, "stafet:Administration", f"{area}forvaltningen {number:03d}", root, True)
        for c in range(1, _CENTRES + 1):
            centre = f"{admin}-c{c}"
            m.centres.append(centre)
            m.unit(centre, "org:OrganizationalUnit", f"{area}: center {c}", admin, True)
            for d in range(1, _DEPARTMENTS + 1):
                department = f"{centre}-a{d}"
                m.departments.append(department)
                m.unit(
                    department,
                    "org:OrganizationalUnit",
                    f"{area}: center {c}, afdeling {d}",
                    centre,
                    d == 1,
                )
                for t in range(1, _TEAMS + 1 if d <= 3 else 1):
                    team = f"{department}-t{t}"
                    m.unit(
                        team,
                        "org:OrganizationalUnit",
                        f"{area}: center {c}, afdeling {d}, team {t}",
                        department,
                        False,
                    )
    for department in m.rng.sample(m.departments, len(m.departments) // 30):
        centre = department.rsplit("-", 1)[0]
        old = m.rng.choice([c for c in m.centres if c != centre])
        m.moved(department, old, centre)
    entry = f"{root}-f1-c1"
    m.out.append(
        f'member:{entry}-indgang a org:Membership ; dct:identifier "{entry}-indgang" ;\n'
        f"    org:member unit:{entry} ; org:organization unit:{root} ; org:role mrole:indgang ;\n"
        f'    stafet:validFrom "2026-01-01"^^xsd:date ; {_FACT} .\n\n'
    )


def _responsibilities(m: _Municipality, tasks: KleTasks) -> None:
    owner_of: dict[str, str] = {}
    for group in tasks.groups:
        owner = m.rng.choice(m.departments)
        owner_of[group] = owner
        m.participation(group, owner, "ansvarlig")
    for topic in tasks.topics:
        group_owner = owner_of[tasks.group_of(topic)]
        admin = group_owner.split("-c", 1)[0]
        nearby = [d for d in m.departments if d.startswith(admin + "-")]
        draw = m.rng.random()
        if draw < 0.03:  # age-split owners
            m.participation(
                topic, m.rng.choice(nearby), "ansvarlig", "stafet:condition cond:syn-age-under-18"
            )
            m.participation(
                topic, group_owner, "ansvarlig", "stafet:condition cond:syn-age-18-plus"
            )
            continue
        if draw < 0.05:  # a process chain of three steps
            for step, label in enumerate(_STEPS, 1):
                role = "ansvarlig" if label == "afgørelse" else "udfoerende"
                unit = group_owner if role == "ansvarlig" else m.rng.choice(nearby)
                m.participation(
                    topic,
                    unit,
                    role,
                    f"stafet:stepOrder {step}",
                    f"stafet:stepLabel {_text(label)}",
                )
            continue
        if draw < 0.20:  # a topic-level exception to the group's owner
            m.participation(topic, m.rng.choice(nearby), "ansvarlig")
        elif draw < 0.22:  # an ended owner: the history of a move to the group's owner
            ended = m.rng.choice(nearby)
            m.participation(topic, ended, "ansvarlig", 'stafet:validUntil "2022-12-31"^^xsd:date')
        for role in m.rng.sample(_OTHER_ROLES, m.rng.randint(1, 2)):
            m.participation(topic, m.rng.choice(nearby), role)


def _forums(m: _Municipality, tasks: KleTasks) -> None:
    root = m.code
    admins = m.administrations
    for i, (left, right) in enumerate(zip(admins, admins[1:] + admins[:1], strict=True), 1):
        forum = f"{root}-samarbejde-{i}"
        topic = m.rng.choice(tasks.topics)
        scope = sorted({tasks.group_of(topic), *m.rng.sample(tasks.groups, 2)})
        lines = [
            f"forum:{forum} a stafet:Forum ;",
            f'    dct:identifier "{forum}" ;',
            f"    {_titled(f'Samarbejde {i}')} ;",
            "    stafet:meetingsPerYear 6 ; stafet:meetingFrequency freq:BIMONTHLY ;",
            f"    stafet:standingAgendaItem {_text('Fælles sager')} ;",
            "    stafet:carriesCasesFor " + " , ".join(f"task:{g}" for g in scope) + " ;",
            f"    {_FACT} .",
        ]
        m.out.append("\n".join(lines) + "\n\n")
        for unit, role in ((left, "leder"), (right, "medlem")):
            m.out.append(_membership(f"{forum}-{unit}", unit, forum, role))
        network = f"{forum}-netvaerk"
        m.out.append(
            f'forum:{network} a stafet:Forum ; dct:identifier "{network}" ;\n'
            f"    {_titled(f'Netværksgruppe {i}')} ;\n"
            f"    org:subOrganizationOf forum:{forum} ; stafet:carriesCasesFor task:{topic} ;\n"
            f"    {_FACT} .\n\n"
        )
        for unit in (f"{left}-c1", f"{right}-c1", f"{right}-c2"):
            m.out.append(_membership(f"{network}-{unit}", unit, network, "medlem"))
        for centre in (c for c in m.centres if c.startswith((left + "-", right + "-"))):
            post = f"{forum}-kontaktperson-{centre}"
            m.out.append(
                f'post:{post} a stafet:ContactArrangement ; dct:identifier "{post}" ;\n'
                f"    skos:prefLabel {_text(f'Kontaktperson for samarbejde {i}')} ;\n"
                f"    org:postIn unit:{centre} ; org:role mrole:kontaktperson ;\n"
                f"    stafet:serves forum:{forum} ; cv:contactPoint contact:{centre} ;\n"
                f"    {_FACT} .\n\n"
            )


def _membership(ident: str, unit: str, forum: str, role: str) -> str:
    return (
        f'member:{ident} a org:Membership ; dct:identifier "{ident}" ;\n'
        f"    org:member unit:{unit} ; org:organization forum:{forum} ; org:role mrole:{role} ;\n"
        f"    {_FACT} .\n\n"
    )


def municipality(number: int, tasks: KleTasks, seed: int) -> str:
    """The Turtle of synthetic municipality ``number`` (1-based)."""
    code = f"syn{number:03d}"
    m = _Municipality(code, random.Random(f"{seed}-{code}"), [], [], [], [_PREFIXES])
    _organisation(m, number)
    _responsibilities(m, tasks)
    _forums(m, tasks)
    return "".join(m.out)


def generate(
    scale: float, directory: Path, *, seed: int = 13, topics: int | None = None
) -> list[Path]:
    """Write the synthetic data for ``scale`` municipalities into ``directory``.

    A fractional scale below 1 writes one municipality whose own topic-level handlers cover
    that share of the KLE topics (``0.05`` for a fast test; every group keeps its owner, so
    every topic still has one); ``topics`` caps the topics outright.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in generate(0.01, Path(folder))]
    ['kommune-001.ttl', 'national.ttl']
    """
    tasks = kle_tasks()
    count = max(1, round(scale))
    if scale < 1 or topics is not None:
        keep = topics if topics is not None else max(1, round(len(tasks.topics) * scale))
        tasks = KleTasks(tasks.groups, tasks.topics[:keep])
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(1, count + 1):
        path = directory / f"kommune-{number:03d}.ttl"
        path.write_text(municipality(number, tasks, seed), encoding="utf-8")
        written.append(path)
    national = directory / "national.ttl"
    national.write_text("".join(_national(tasks, seed, scale)), encoding="utf-8")
    return [*written, national]


def synthetic_source(directory: Path) -> TurtleFiles:
    """The synthetic data in ``directory`` with our ontology and the shared KLE tasks."""
    return TurtleFiles([OWN_ONTOLOGY, KLE_FILE, directory])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv syntetiske data i Stafets ontologi.")
    parser.add_argument("--scale", type=float, default=1.0, help="antal kommuner (København = 1)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("-o", "--output", type=Path, required=True, help="mappe at skrive i")
    args = parser.parse_args(argv)
    for path in generate(args.scale, args.output, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
