"""``stafet store init|export|verify`` on a real store, and the SPARQL client's refusals."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from cli.main import main
from graph.store.backend import DATA_GRAPH, LOG_GRAPH, StoreError
from graph.store.change import new_change
from graph.store.embedded import EmbeddedStore
from graph.store.sparql import SparqlStore, StoreAccessError
from tests.store.oxigraph_server import OxigraphServer

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini.ttl"


def test_init_export_init_gives_the_same_store_and_verify_finds_it_sound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["store", "init", "--path", str(first), "--from", str(MINI)]) == 0
    assert main(["store", "init", "--path", str(first), "--from", str(MINI)]) == 1
    assert "har allerede data" in capsys.readouterr().err

    store = EmbeddedStore(first)
    head = store.head()
    note = (URIRef("https://stafet.kk.dk/id/unit/x"), RDFS.comment, Literal('"}\nø', lang="da"))
    store.commit(new_change(agent="a", kind="update", added=[note]), expected=head.sequence)
    store.close()
    del store

    out = tmp_path / "export.ttl"
    assert main(["store", "export", "--path", str(first), "-o", str(out)]) == 0
    again = tmp_path / "again.ttl"
    assert main(["store", "export", "--path", str(first), "-o", str(again)]) == 0
    assert out.read_bytes() == again.read_bytes()
    text = out.read_text()
    assert "ændring 2" in text and "@prefix unit:" in text

    assert main(["store", "init", "--path", str(second), "--from", str(out)]) == 0
    one, two = EmbeddedStore(first), EmbeddedStore(second)
    assert set(one.data_quads()) == set(two.data_quads())
    assert note in two.resource_triples([note[0]])
    del one, two

    capsys.readouterr()
    assert main(["store", "verify", "--path", str(first)]) == 0
    said = capsys.readouterr().out
    assert "Ændringer: 2" in said and "Registret er i orden." in said
    assert "andre data" in said  # seeded from mini.ttl, not the shipped Turtle


def test_verify_finds_a_change_the_data_does_not_bear_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = tmp_path / "s"
    assert main(["store", "init", "--path", str(where), "--from", str(MINI)]) == 0
    store = EmbeddedStore(where)
    note = (URIRef("https://stafet.kk.dk/id/unit/x"), RDFS.comment, Literal("n"))
    store.commit(new_change(agent="a", kind="update", added=[note]), expected=1)
    # Someone edits the data behind the log's back:
    store.update(f'DELETE DATA {{ GRAPH <{DATA_GRAPH}> {{ <{note[0]}> <{RDFS.comment}> "n" }} }}')
    store.update(f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <urn:a> <urn:b> _:blank }} }}")
    store.close()
    del store
    capsys.readouterr()
    assert main(["store", "verify", "--path", str(where)]) == 1
    said = capsys.readouterr().out
    assert "ændring 2" in said and "tilføjede tripler findes ikke" in said
    assert "blanke knuder" in said


def test_verify_of_an_empty_store_says_how_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["store", "verify", "--path", str(tmp_path / "empty")]) == 1
    assert "stafet store init" in capsys.readouterr().out


class _Refuse(BaseHTTPRequestHandler):
    code = 401

    def do_POST(self) -> None:
        self.send_response(self.code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("code", "said"), [(401, "kræver login"), (403, "afviste brugeren")])
def test_an_endpoint_that_refuses_is_named_in_danish(
    refusing: HTTPServer, code: int, said: str
) -> None:
    _Refuse.code = code
    url = f"http://127.0.0.1:{refusing.server_address[1]}/query"
    store = SparqlStore(url, user="anna", password="hemmelig", timeout=5)
    with pytest.raises(StoreAccessError, match=said) as refused:
        store.head()
    assert url in str(refused.value) and "hemmelig" not in str(refused.value)


@pytest.mark.oxigraph_server
def test_a_store_cut_off_mid_load_is_never_taken_for_ready(
    oxigraph_server: OxigraphServer,
) -> None:
    store = SparqlStore(oxigraph_server.query_url, update_url=oxigraph_server.update_url)
    store.update(f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}")
    assert not store.is_ready()
    with pytest.raises(StoreError, match="ingen ændringslog"):
        store.initialise([], agent="t", reason="igen")
    assert not store.select(f"SELECT ?s WHERE {{ GRAPH <{LOG_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 1")
