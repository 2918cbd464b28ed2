"""``stafet user create|list|disable``: staff accounts for signing in to the pages.

The accounts live in the configured store of record (``STAFET_STORE_PATH`` or
``STAFET_STORE_URL``), the one the web app uses. The password is read from standard input:
typed twice without echo at a terminal, or the first line of a pipe
(``printf '%s\\n' "$KODE" | stafet user create anna --role editor --forvaltning sof``);
only its Argon2id hash is stored.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from cli.tokens import store_of_record
from graph.errors import InvalidInputError

if TYPE_CHECKING:
    pass

__all__ = ["add_user_commands"]

ROLES = ("editor", "reviewer", "admin")
#: The Danish word for each role, as the list shows it.
ROLE_WORDS = {"editor": "redaktør", "reviewer": "koordinationsgruppen", "admin": "administrator"}

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def add_user_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``user`` and its subcommands to the ``stafet`` parser."""
    user = commands.add_parser("user", help="medarbejderkonti til at logge ind på siderne")
    actions = user.add_subparsers(dest="action", metavar="HANDLING", required=True)

    create = actions.add_parser(
        "create", help="opret en konto (adgangskoden læses fra standard input)"
    )
    create.add_argument("name", metavar="NAVN", help="brugernavnet, fx anna.sof")
    create.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help="editor (retter i egen forvaltning), reviewer (koordinationsgruppen: bekræfter "
        "og bestrider), admin (alt)",
    )
    create.add_argument("--forvaltning", help="forvaltningens id (kræves for editor), fx sof")
    create.set_defaults(run=_create)

    listing = actions.add_parser("list", help="vis konti (aldrig adgangskoder)")
    listing.add_argument("--json", action="store_true", help="skriv JSON til scripts")
    listing.set_defaults(run=_list)

    disable = actions.add_parser("disable", help="spær en konto (dens sessioner ophører)")
    disable.add_argument("name", metavar="NAVN", help="brugernavnet")
    disable.set_defaults(run=_disable)


def _password() -> str:
    """The new password: typed twice without echo at a terminal, else stdin's first line."""
    if sys.stdin.isatty():
        first = getpass.getpass("Adgangskode: ")
        if getpass.getpass("Gentag adgangskoden: ") != first:
            raise InvalidInputError("de to adgangskoder er ikke ens")
        return first
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def _create(args: argparse.Namespace) -> int:
    from graph.data.knowledge import load_knowledge
    from graph.edit.scope import administration
    from graph.store.source import StoreSource
    from graph.store.users import create_user

    if args.role == "editor" and not args.forvaltning:
        raise InvalidInputError("en redaktør skal have en forvaltning (--forvaltning), fx sof")
    store = store_of_record()
    try:
        forvaltning = None
        if args.forvaltning is not None:
            forvaltning = administration(load_knowledge(StoreSource(store)), args.forvaltning)
        record = create_user(store, args.name, _password(), role=args.role, forvaltning=forvaltning)
    finally:
        store.close()
    scope = f" i {record.forvaltning.upper()}" if record.forvaltning else ""
    errors.print(
        f"Kontoen »{record.name}« ({ROLE_WORDS[record.role]}{scope}) er oprettet; "
        "log ind på /login."
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from graph.store.users import list_users

    store = store_of_record()
    try:
        records = list_users(store)
    finally:
        store.close()
    if args.json:
        rows = [
            {
                "name": r.name,
                "role": r.role,
                "forvaltning": r.forvaltning,
                "created": r.created.isoformat(),
                "disabled": r.disabled.isoformat() if r.disabled else None,
            }
            for r in records
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    table = Table("Navn", "Rolle", "Forvaltning", "Oprettet", "Spærret")
    for r in records:
        table.add_row(
            r.name,
            f"{ROLE_WORDS.get(r.role, r.role)} ({r.role})",
            (r.forvaltning or "").upper(),
            r.created.isoformat(),
            r.disabled.isoformat() if r.disabled else "",
        )
    console.print(table)
    return 0


def _disable(args: argparse.Namespace) -> int:
    from graph.store.users import SESSION_CACHE_SECONDS, disable_user

    store = store_of_record()
    try:
        record = disable_user(store, args.name)
    finally:
        store.close()
    errors.print(
        f"Kontoen »{record.name}« er spærret; dens sessioner afvises senest efter "
        f"{SESSION_CACHE_SECONDS:.0f} s."
    )
    return 0
