"""``stafet store init|export|verify``: create, write back and check the store of record.

The store is the one the flags name (``--path`` or ``--url``), else the one the settings
name (``STAFET_STORE_PATH``, ``STAFET_STORE_URL``, ``STAFET_STORE_UPDATE_URL``,
``STAFET_STORE_USER``, ``STAFET_STORE_PASSWORD``), as for ``stafet serve``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from graph.store.backend import Store

__all__ = ["add_store_commands"]

errors = Console(stderr=True, highlight=False, soft_wrap=True)


def add_store_commands(commands: Any) -> None:
    """Add ``store`` and its three subcommands to the ``stafet`` parser's subcommands."""
    store = commands.add_parser("store", help="registret: opret, eksportér, efterse")
    actions = store.add_subparsers(dest="store_command", metavar="HANDLING", required=True)

    init = actions.add_parser("init", help="opret registret ud fra de leverede Turtle-filer")
    init.add_argument(
        "--from",
        dest="seed",
        nargs="+",
        type=Path,
        help="Turtle-filer eller mapper at oprette ud fra (fx en eksport; standard: de leverede)",
    )
    init.set_defaults(run=_init)

    export = actions.add_parser("export", help="skriv registrets data som sorteret Turtle")
    export.add_argument("-o", "--output", type=Path, help="fil (standard: standard output)")
    export.set_defaults(run=_export)

    verify = actions.add_parser("verify", help="efterse ændringsloggen mod registrets data")
    verify.set_defaults(run=_verify)

    for sub in (init, export, verify):
        where = sub.add_mutually_exclusive_group()
        where.add_argument("--path", type=Path, help="mappe med det indlejrede register")
        where.add_argument("--url", help="SPARQL 1.1-forespørgselsadresse for et fælles register")
        sub.add_argument("--update-url", help="SPARQL 1.1-opdateringsadresse (standard: --url)")
        sub.add_argument("--user", help="brugernavn til registret (adgangskode: miljøet)")


def _open(args: argparse.Namespace) -> Store:
    from api.settings import Settings
    from graph.store.open import open_store

    settings = Settings()
    password = settings.store_password.get_secret_value() if settings.store_password else None
    if args.url or args.path:
        url, path = args.url, args.path
    else:
        url, path = settings.store_url, settings.store_path
    return open_store(
        path=path,
        url=url,
        update_url=args.update_url or (settings.store_update_url if url else None),
        user=args.user or settings.store_user,
        password=password,
    )


def _describe(store: Store) -> str:
    path = getattr(store, "path", None)
    return str(path) if path is not None else str(getattr(store, "url", "registret"))


def _init(args: argparse.Namespace) -> int:
    from graph.data.loader import TurtleFiles, default_source
    from graph.store.backend import StoreError
    from graph.store.open import seed_store

    seed = TurtleFiles(args.seed) if args.seed else default_source()
    store = _open(args)
    try:
        if store.is_ready() or store.has_data():
            raise StoreError(
                f"registret i {_describe(store)} har allerede data; 'stafet store init' "
                "opretter kun et tomt register (eksportér det, eller vælg en anden placering)"
            )
        started = time.perf_counter()
        head = seed_store(store, seed)
        seconds = time.perf_counter() - started
        triples = len(store.snapshot()[1])
    finally:
        store.close()
    errors.print(
        f"Oprettede registret i {_describe(store)} ud fra {seed.describe()}: {triples} tripler, "
        f"ændring {head.sequence} ({head.change}), {seconds:.1f} s"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from graph.store.export import export_turtle

    store = _open(args)
    try:
        head, data = export_turtle(store)
    finally:
        store.close()
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        args.output.write_bytes(data)
        errors.print(f"Skrev registret ved ændring {head.sequence} til {args.output}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from graph.data.loader import default_source
    from graph.store.export import verify

    store = _open(args)
    try:
        found = verify(store, default_source())
    finally:
        store.close()
    print(f"Register: {_describe(store)}")
    if found.head is not None:
        print(f"Ændringer: {found.changes} (hoved: {found.head.sequence}, {found.head.change})")
        print(f"Tripler i data: {found.triples}")
    if found.reached_seed:
        print("Alle ændringer kan fortrydes, og det ender ved de leverede data.")
    for note in found.notes:
        print(f"Bemærk: {note}")
    for problem in found.problems:
        print(f"Fejl: {problem}")
    print("Registret er i orden." if found.ok else f"{len(found.problems)} fejl fundet.")
    return 0 if found.ok else 1
