"""API tokens in the store: kept hashed, looked up through a short cache, revocable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from graph.errors import InvalidInputError, UnknownEntityError
from graph.store.backend import ACCESS_GRAPH
from graph.store.embedded import EmbeddedStore
from graph.store.tokens import (
    TokenCache,
    create_token,
    hash_token,
    list_tokens,
    lookup_token,
    revoke_token,
)


def _everything(store: EmbeddedStore) -> str:
    """Every quad in the store, in every graph, as text."""
    return "\n".join(str(q) for q in store._store.quads_for_pattern(None, None, None, None))


def test_the_token_is_stored_hashed_never_in_plain_text() -> None:
    store = EmbeddedStore(None)
    issued = create_token(store, role="editor", forvaltning="sof", name="Anna, SOF")
    assert issued.secret.startswith("stafet_") and len(issued.secret) == len("stafet_") + 43
    dump = _everything(store)
    assert issued.secret not in dump
    assert issued.secret.removeprefix("stafet_") not in dump
    assert hash_token(issued.secret) in dump
    assert str(ACCESS_GRAPH) in dump  # in the access graph, not among the public data
    found = lookup_token(store, issued.secret)
    assert found is not None and (found.name, found.role, found.forvaltning) == (
        "Anna, SOF",
        "editor",
        "sof",
    )


def test_two_tokens_differ_and_unknown_or_malformed_ones_are_not_found() -> None:
    store = EmbeddedStore(None)
    first = create_token(store, role="reader", name="a")
    second = create_token(store, role="reader", name="b")
    assert first.secret != second.secret and first.record.id != second.record.id
    assert lookup_token(store, "stafet_" + "A" * 43) is None
    assert lookup_token(store, first.secret + "x") is None
    assert lookup_token(store, "' } DROP ALL ; #") is None


def test_revoke_works_and_the_record_stays() -> None:
    store = EmbeddedStore(None)
    issued = create_token(store, role="admin", name="drift")
    revoked = revoke_token(store, issued.record.id)
    assert revoked.revoked is not None and not revoked.active
    assert lookup_token(store, issued.secret) is None
    assert [(r.id, r.active) for r in list_tokens(store)] == [(issued.record.id, False)]
    with pytest.raises(UnknownEntityError, match="Ukendt token"):
        revoke_token(store, "zzzz")


def test_the_cache_trusts_an_answer_for_its_time_then_asks_again() -> None:
    store = EmbeddedStore(None)
    issued = create_token(store, role="reader", name="læser")
    now = [0.0]
    cache = TokenCache(store, seconds=10, clock=lambda: now[0])
    assert cache.lookup(issued.secret) is not None
    revoke_token(store, issued.record.id)
    now[0] = 9.9
    assert cache.lookup(issued.secret) is not None  # within the stated time
    now[0] = 10.1
    assert cache.lookup(issued.secret) is None  # revocation visible after it


@pytest.mark.parametrize(
    ("role", "forvaltning", "message"),
    [
        ("editor", None, "forvaltning"),
        ("owner", None, "ukendt rolle"),
    ],
)
def test_bad_tokens_are_refused_in_danish(role: str, forvaltning: str | None, message: str) -> None:
    store = EmbeddedStore(None)
    with pytest.raises(InvalidInputError, match=message):
        create_token(store, role=role, forvaltning=forvaltning, name="x")
    assert list_tokens(store) == []


def test_the_cli_creates_lists_and_revokes_tokens_in_the_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STAFET_STORE_PATH", str(tmp_path / "store"))
    monkeypatch.setenv("STAFET_CACHE_DIR", str(tmp_path / "cache"))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, err = run("token", "create", "--role", "editor", "--forvaltning", "SOF")
    assert code == 0, err
    secret = out.strip()
    assert secret.startswith("stafet_") and "\n" not in secret
    assert "vises kun denne ene gang" in err and "10 s" in err

    code, _, err = run("token", "create", "--role", "editor", "--forvaltning", "bif-jobcenter")
    assert code == 1 and "Ukendt forvaltning: 'bif-jobcenter'. Mente du: bif" in err
    code, _, err = run("token", "create", "--role", "editor")
    assert code == 1 and "--forvaltning" in err

    code, out, _ = run("token", "list", "--json")
    [listed] = json.loads(out)
    assert (listed["role"], listed["forvaltning"], listed["revoked"]) == ("editor", "sof", None)
    assert secret not in out

    assert run("token", "revoke", listed["id"])[0] == 0
    code, out, _ = run("token", "list", "--json")
    assert json.loads(out)[0]["revoked"] is not None
    store = EmbeddedStore(tmp_path / "store")
    try:
        assert lookup_token(store, secret) is None
        assert secret not in _everything(store)
    finally:
        store.close()
