"""Tests for the OS2KLE importer (``graph/kle_import.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, SKOS, XSD

from graph.io.kle_import import (
    DEFAULT_AUTHORITY,
    KLE,
    KLE_SCHEME,
    OS2KLE_SOURCE,
    TASK,
    Keyword,
    KLEFormatError,
    Topic,
    build_graph,
    import_kle,
    main,
    parse_os2kle,
    serialize_kle,
)
from ontology.namespaces import CPSV, CV, ID, STAFET

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "kle" / "source" / "OS2KLE.txt"
SHIPPED_TTL = ROOT / "data" / "kle" / "kle.ttl"
SHARED_SOURCE = ROOT.parent / "shared" / "data" / "kle" / "OS2KLE.txt"

GOOD_LINE = "KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=førtidspension[5];"


@pytest.fixture(scope="module")
def topics() -> list[Topic]:
    """The shipped source, parsed once."""
    return parse_os2kle(SOURCE)


@pytest.fixture(scope="module")
def kle(topics: list[Topic]) -> Graph:
    """The graph built from the shipped source, once per module."""
    return build_graph(topics)


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "OS2KLE.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _keywords(graph: Graph, concept: URIRef) -> set[tuple[str, int]]:
    pairs = set()
    for node in graph.objects(concept, STAFET.keyword):
        value, weight = graph.value(node, RDF.value), graph.value(node, STAFET.weight)
        assert isinstance(value, Literal)
        assert isinstance(weight, Literal)
        assert weight.datatype == XSD.integer
        pairs.add((str(value), int(weight)))
    return pairs


def _label(graph: Graph, node: URIRef) -> str:
    value = graph.value(node, SKOS.prefLabel)
    assert isinstance(value, Literal)
    assert value.language == "da"
    return str(value)


# ------------------------------------------------------------------ the shipped data


def test_counts(kle: Graph, topics: list[Topic]) -> None:
    assert len(topics) == 2390
    assert len(set(kle.subjects(RDF.type, STAFET.KLETopic))) == 2390
    assert len(set(kle.subjects(RDF.type, STAFET.KLEGroup))) == 498
    assert len(set(kle.subjects(RDF.type, STAFET.KLEMainGroup))) == 37
    assert len(set(kle.subjects(RDF.type, SKOS.Concept))) == 2390 + 498 + 37
    assert len(set(kle.subjects(RDF.type, CPSV.PublicService))) == 2390 + 498 + 37


def test_topic_with_broader_chain(kle: Graph) -> None:
    topic, group, main_group = KLE["32.03.16"], KLE["32.03"], KLE["32"]
    assert (topic, RDF.type, SKOS.Concept) in kle
    assert (topic, RDF.type, STAFET.KLETopic) in kle
    assert kle.value(topic, SKOS.notation) == Literal("32.03.16")
    assert _label(kle, topic) == "Førtidspension"
    assert (topic, SKOS.inScheme, KLE_SCHEME) in kle
    assert list(kle.objects(topic, SKOS.broader)) == [group]
    assert list(kle.objects(group, SKOS.broader)) == [main_group]
    assert list(kle.objects(main_group, SKOS.broader)) == []
    assert (group, RDF.type, STAFET.KLEGroup) in kle
    assert _label(kle, group) == "Sociale pensioner"
    assert (main_group, RDF.type, STAFET.KLEMainGroup) in kle
    assert (main_group, SKOS.topConceptOf, KLE_SCHEME) in kle
    assert _label(kle, main_group) == "Kontante ydelser"


def test_topic_task(kle: Graph) -> None:
    task = TASK["kle-32.03.16"]
    assert task == ID["task/kle-32.03.16"]
    assert (task, RDF.type, CPSV.PublicService) in kle
    assert list(kle.objects(task, DCTERMS.identifier)) == [Literal("kle-32.03.16")]
    assert list(kle.objects(task, DCTERMS.title)) == [Literal("Førtidspension", lang="da")]
    assert list(kle.objects(task, DCTERMS.description)) == [
        Literal("Kommunens opgaver under KLE 32.03.16 Førtidspension.", lang="da")
    ]
    assert list(kle.objects(task, CV.isClassifiedBy)) == [KLE["32.03.16"]]
    assert list(kle.objects(task, CV.hasCompetentAuthority)) == [DEFAULT_AUTHORITY]
    assert ID["unit/kk"] == DEFAULT_AUTHORITY


def test_keywords_keep_their_weights(kle: Graph) -> None:
    weights = {
        str(kle.value(node, RDF.value)): kle.value(node, STAFET.weight)
        for node in kle.objects(KLE["32.03.16"], STAFET.keyword)
    }
    assert weights["søge om førtidspension"] == Literal(100, datatype=XSD.integer)
    assert weights["Førtidspension"] == Literal(20, datatype=XSD.integer)
    assert weights["ft015a"] == Literal(1000, datatype=XSD.integer)
    node = next(iter(kle.objects(KLE["32.03.16"], STAFET.keyword)))
    value = kle.value(node, RDF.value)
    assert isinstance(value, Literal)
    assert value.language == "da"
    # Keywords sit on the concept, not on the task.
    assert list(kle.objects(TASK["kle-32.03.16"], STAFET.keyword)) == []


def test_group_and_main_group_titles(kle: Graph) -> None:
    assert _label(kle, KLE["27.60"]) == "Hjælpemidler, forbrugsgoder, boligindretning m.v."
    assert kle.value(TASK["kle-27.60"], DCTERMS.title) == Literal(
        "Hjælpemidler, forbrugsgoder, boligindretning m.v.", lang="da"
    )
    assert _label(kle, KLE["05"]) == "Veje og trafik"
    assert kle.value(TASK["kle-05"], DCTERMS.description) == Literal(
        "Kommunens opgaver under KLE 05 Veje og trafik.", lang="da"
    )
    # " i almindelighed" in the middle of the title.
    assert _label(kle, KLE["82.08"]) == "Rengøring, kommunens ejendomme"
    # OS2KLE 3.23 has no 00.00.00 topic, so main group 00 gets the fallback title.
    assert _label(kle, KLE["00"]) == "KLE-hovedgruppe 00"
    # The "i almindelighed" topic itself keeps its full title.
    assert _label(kle, KLE["27.60.00"]).endswith(" i almindelighed")


def test_every_concept_has_one_task_and_back(kle: Graph) -> None:
    concepts = set(kle.subjects(RDF.type, SKOS.Concept))
    tasks = set(kle.subjects(RDF.type, CPSV.PublicService))
    classified = set()
    for task in tasks:
        targets = list(kle.objects(task, CV.isClassifiedBy))
        assert len(targets) == 1, task
        concept = targets[0]
        assert concept in concepts, task
        notation = kle.value(concept, SKOS.notation)
        assert task == TASK[f"kle-{notation}"]
        assert list(kle.objects(task, DCTERMS.identifier)) == [Literal(f"kle-{notation}")]
        assert kle.value(task, DCTERMS.title) == kle.value(concept, SKOS.prefLabel)
        assert list(kle.objects(task, CV.hasCompetentAuthority)) == [DEFAULT_AUTHORITY]
        classified.add(concept)
    assert classified == concepts


def test_hierarchy_is_complete(kle: Graph) -> None:
    for concept in kle.subjects(RDF.type, SKOS.Concept):
        assert (concept, SKOS.inScheme, KLE_SCHEME) in kle
        broader = list(kle.objects(concept, SKOS.broader))
        if (concept, RDF.type, STAFET.KLEMainGroup) in kle:
            assert broader == []
            assert (concept, SKOS.topConceptOf, KLE_SCHEME) in kle
        else:
            assert len(broader) == 1, concept
            assert (broader[0], RDF.type, SKOS.Concept) in kle
    topic_types = {STAFET.KLETopic, STAFET.KLEGroup, STAFET.KLEMainGroup}
    for topic in kle.subjects(RDF.type, STAFET.KLETopic):
        assert set(kle.objects(topic, RDF.type)) & topic_types == {STAFET.KLETopic}
        (group,) = kle.objects(topic, SKOS.broader)
        assert (group, RDF.type, STAFET.KLEGroup) in kle


def test_scheme_and_source(kle: Graph) -> None:
    assert (KLE_SCHEME, RDF.type, SKOS.ConceptScheme) in kle
    assert URIRef("https://stafet.kk.dk/id/kle") == KLE_SCHEME
    assert kle.value(KLE_SCHEME, SKOS.prefLabel) is not None
    assert (KLE_SCHEME, DCTERMS.source, OS2KLE_SOURCE) in kle
    assert (KLE_SCHEME, DCTERMS.license, URIRef("https://www.mozilla.org/en-US/MPL/2.0/")) in kle
    assert kle.value(KLE_SCHEME, OWL.versionInfo) == Literal("OS2KLE 3.23 (KLE februar 2026)")
    assert (OS2KLE_SOURCE, RDF.type, FOAF.Document) in kle
    title = kle.value(OS2KLE_SOURCE, DCTERMS.title)
    assert isinstance(title, Literal)
    assert title.language == "da"
    assert str(title).startswith("OS2KLE 3.23")


def test_text_is_normalised_but_letters_kept(kle: Graph) -> None:
    literals = [o for o in kle.objects() if isinstance(o, Literal)]
    texts = [str(o) for o in literals]
    assert not any("  " in text or "\u00ad" in text for text in texts)
    assert not any(text != text.strip() for text in texts)
    values = {str(kle.value(node, RDF.value)) for node in kle.objects(None, STAFET.keyword)}
    # A soft hyphen in the source (09.08.00) is dropped; a double space (28.15.00) collapsed.
    assert "regionernes årlige redegørelse for indsatsen mod jordforurening" in values
    assert "Socialpædagogiske fritidstilbud" in values
    assert "Erhvervsmæssige dyrehold med produktionsarealer under 100 m²" in values
    assert 'Ansættelsesbrev neutral ("gl. løn")' in values
    assert any("æ" in text and "ø" in text and "å" in text for text in texts)


@pytest.mark.slow
def test_shipped_turtle_is_in_step_with_the_source(kle: Graph) -> None:
    """``data/kle/kle.ttl`` is exactly what ``make data`` writes from the shipped source."""
    assert SHIPPED_TTL.read_bytes() == serialize_kle(kle).encode("utf-8"), (
        "data/kle/kle.ttl er ikke i trit med OS2KLE.txt: kør `make data`"
    )


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="../shared/data/kle findes ikke her")
def test_shipped_source_matches_shared_copy() -> None:
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


# ------------------------------------------------------------ small files, edge cases


def test_small_file_roundtrip(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "KLENummer='05.00.00':KLETitel='Veje og trafik i almindelighed':Keywords[Weight]=",
        "KLENummer='05.01.00':KLETitel='Offentlige veje i almindelighed':"
        "Keywords[Weight]=vej[5];vej  [50];",
        "KLENummer='05.01.02':KLETitel='Vejens 'ejer': kommunen':"
        "Keywords[Weight]=a;b[1];c: d[0];[x] i tekst[7]",
    )
    authority = ID["unit/tmf"]
    graph = import_kle(path, authority=authority)
    assert len(set(graph.subjects(RDF.type, STAFET.KLETopic))) == 3
    assert _label(graph, KLE["05.01.02"]) == "Vejens 'ejer': kommunen"
    assert _label(graph, KLE["05.01"]) == "Offentlige veje"
    assert _label(graph, KLE["05"]) == "Veje og trafik"
    assert list(graph.objects(TASK["kle-05.01.02"], CV.hasCompetentAuthority)) == [authority]
    assert _keywords(graph, KLE["05.01.02"]) == {("a;b", 1), ("c: d", 0), ("[x] i tekst", 7)}
    # "vej" and "vej  " are one keyword after normalisation; the higher weight wins.
    assert parse_os2kle(path)[1].keywords == (Keyword("vej", 50),)
    assert list(graph.objects(KLE["05.00.00"], STAFET.keyword)) == []
    # Regenerating gives the same bytes.
    assert serialize_kle(graph) == serialize_kle(import_kle(path, authority=authority))


def test_bom_crlf_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "OS2KLE.txt"
    path.write_bytes(("\ufeff" + GOOD_LINE + "\r\n\r\n").encode("utf-8"))
    (topic,) = parse_os2kle(path)
    assert topic == Topic("32.03.16", "Førtidspension", (Keyword("førtidspension", 5),), 1)


def test_missing_main_and_group_topics_get_fallback_titles(tmp_path: Path) -> None:
    graph = import_kle(_write(tmp_path, GOOD_LINE))
    assert _label(graph, KLE["32.03"]) == "KLE-gruppe 32.03"
    assert _label(graph, KLE["32"]) == "KLE-hovedgruppe 32"


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("KLETitel='Førtidspension':Keywords[Weight]=x[5];", "KLENummer"),
        ("KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=x[fem];", "vægt"),
        ("KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=x[-5];", "vægt"),
        ("KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=x[5];y;", "vægt"),
        ("KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=[5];", "tomt"),
        ("KLENummer='32.3.16':KLETitel='Førtidspension':Keywords[Weight]=", "KLE-nummer"),
        ("KLENummer='32.03.16':KLETitel='  ':Keywords[Weight]=", "titel"),
        ("KLENummer='32.03.16':KLETitel='Førtidspension'", "formatet"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, bad_line: str, reason: str) -> None:
    path = _write(tmp_path, "KLENummer='32.03.00':KLETitel='x':Keywords[Weight]=", bad_line)
    with pytest.raises(KLEFormatError, match=reason) as info:
        import_kle(path)
    assert info.value.line == 2
    assert str(info.value).startswith(f"{path}, linje 2: ")
    assert "OS2KLE.txt" in str(info.value)


def test_duplicate_number_is_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path, GOOD_LINE, "KLENummer='32.03.17':KLETitel='x':Keywords[Weight]=", GOOD_LINE
    )
    with pytest.raises(KLEFormatError, match=r"linje 3: KLE 32\.03\.16 står allerede i linje 1"):
        parse_os2kle(path)


def test_invalid_utf8_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "OS2KLE.txt"
    path.write_bytes(GOOD_LINE.encode("utf-8") + b"\nKLENummer='32.03.17':KLETitel='\xf8':\n")
    with pytest.raises(KLEFormatError, match="linje 2: ikke gyldig UTF-8"):
        parse_os2kle(path)
    path.write_bytes(b"\n")
    with pytest.raises(KLEFormatError, match="ingen KLE-emner"):
        parse_os2kle(path)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path, GOOD_LINE)
    output = tmp_path / "kle.ttl"
    assert main([str(source), "-o", str(output)]) == 0
    assert output.read_bytes() == serialize_kle(import_kle(source)).encode("utf-8")
    assert "1 emner" in capsys.readouterr().err
    parsed = Graph().parse(output)
    assert (TASK["kle-32.03.16"], CV.isClassifiedBy, KLE["32.03.16"]) in parsed

    bad = _write(tmp_path, "KLETitel='x':Keywords[Weight]=")
    assert main([str(bad), "-o", str(output)]) == 1
    assert "linje 1" in capsys.readouterr().err
