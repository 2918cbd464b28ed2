"""``stafet token create|list|revoke``: API tokens in the configured store of record.

The store is the one the web app uses (``STAFET_STORE_PATH`` or ``STAFET_STORE_URL``); a
token is printed once, when it is created, and only its SHA-256 is kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from graph.errors import InvalidInputError

if TYPE_CHECKING:
    from graph.store.backend import Store

__all__ = ["add_token_commands", "store_of_record"]

ROLES = ("reader", "editor", "reviewer", "admin")

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def add_token_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``token`` and its subcommands to the ``stafet`` parser."""
    token = commands.add_parser("token", help="API-tokens: opret, vis og tilbagekald")
    actions = token.add_subparsers(dest="action", metavar="HANDLING", required=True)

    create = actions.add_parser("create", help="opret et token (vises én gang)")
    create.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help="reader (læser personoplysninger), editor (retter i egen forvaltning), reviewer "
        "(koordinationsgruppen: bekræfter og bestrider), admin (alt)",
    )
    create.add_argument("--forvaltning", help="forvaltningens id (kræves for editor), fx sof")
    create.add_argument("--name", help="hvem eller hvad tokenet er til (står i auditloggen)")
    create.set_defaults(run=_create)

    listing = actions.add_parser("list", help="vis tokens (aldrig selve tokenet)")
    listing.add_argument("--json", action="store_true", help="skriv JSON til scripts")
    listing.set_defaults(run=_list)

    revoke = actions.add_parser("revoke", help="tilbagekald et token")
    revoke.add_argument("id", help="tokenets id (se 'stafet token list')")
    revoke.set_defaults(run=_revoke)


def store_of_record() -> Store:
    """The store the web app uses (``STAFET_STORE_PATH`` / ``STAFET_STORE_URL``), seeded."""
    from api.main import open_configured_store
    from api.settings import Settings
    from graph.data.loader import default_source

    settings = Settings()
    store = open_configured_store(settings, default_source(settings.data_dir))
    if store is None:
        raise InvalidInputError(
            "intet register angivet: sæt STAFET_STORE_PATH (mappe) eller STAFET_STORE_URL"
        )
    return store


def _create(args: argparse.Namespace) -> int:
    from graph.data.knowledge import load_knowledge
    from graph.edit.scope import administration
    from graph.store.source import StoreSource
    from graph.store.tokens import CACHE_SECONDS, create_token

    store = store_of_record()
    try:
        forvaltning = None
        if args.forvaltning is not None:
            forvaltning = administration(load_knowledge(StoreSource(store)), args.forvaltning)
        elif args.role == "editor":
            raise InvalidInputError("en redaktør skal have en forvaltning (--forvaltning), fx sof")
        name = args.name or f"{args.role} oprettet {date.today().isoformat()}"
        issued = create_token(store, role=args.role, forvaltning=forvaltning, name=name)
    finally:
        store.close()
    sys.stdout.write(issued.secret + "\n")
    scope = f" i {issued.record.forvaltning}" if issued.record.forvaltning else ""
    errors.print(
        f"Token {issued.record.id} ({issued.record.role}{scope}, »{issued.record.name}«) er "
        "oprettet. Det vises kun denne ene gang: gem det nu. Send det som "
        f"'Authorization: Bearer …'. Tilbagekaldelse virker inden for {CACHE_SECONDS:.0f} s."
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from graph.store.tokens import list_tokens

    store = store_of_record()
    try:
        records = list_tokens(store)
    finally:
        store.close()
    if args.json:
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "role": r.role,
                "forvaltning": r.forvaltning,
                "created": r.created.isoformat(),
                "revoked": r.revoked.isoformat() if r.revoked else None,
            }
            for r in records
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    table = Table("Id", "Navn", "Rolle", "Forvaltning", "Oprettet", "Tilbagekaldt")
    for r in records:
        table.add_row(
            r.id,
            r.name,
            r.role,
            r.forvaltning or "",
            r.created.isoformat(),
            r.revoked.isoformat() if r.revoked else "",
        )
    console.print(table)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from graph.store.tokens import CACHE_SECONDS, revoke_token

    store = store_of_record()
    try:
        record = revoke_token(store, args.id)
    finally:
        store.close()
    errors.print(
        f"Token {record.id} (»{record.name}«) er tilbagekaldt; det afvises senest efter "
        f"{CACHE_SECONDS:.0f} s."
    )
    return 0
