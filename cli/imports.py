"""``stafet import FILE`` and ``stafet export-workbook -o FILE``: spreadsheets in and out.

The import reads the template or OS2mo's KLE workbook, prints in Danish what would change
(new, changed, ended, unchanged per row) and every problem (sheet, row, column), and —
without ``--dry-run`` — commits it all to the store of record (``STAFET_STORE_PATH`` or
``STAFET_STORE_URL``) as one change. The command line is the operator's: it imports as an
admin, named in the log as ``cli:<user>``.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from graph.errors import InvalidInputError

if TYPE_CHECKING:
    from graph.data.knowledge import Knowledge
    from graph.io.imports import Action, Plan
    from graph.io.spreadsheet import CellError
    from graph.store.backend import Store

__all__ = ["add_commands"]

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

_ACTIONS: dict[Action, str] = {
    "new": "ny",
    "changed": "ændret",
    "ended": "afsluttet",
    "unchanged": "uændret",
}
_COUNTED: dict[Action, tuple[str, str]] = {
    "new": ("ny", "nye"),
    "changed": ("ændret", "ændrede"),
    "ended": ("afsluttet", "afsluttede"),
    "unchanged": ("uændret", "uændrede"),
}
_FORMATS = {"template": "Stafets skabelon", "os2mo": "OS2mo's KLE-arbejdsbog"}


def add_commands(commands: Any) -> None:
    """Add ``import`` and ``export-workbook`` to the ``stafet`` command's subparsers."""
    load = commands.add_parser("import", help="indlæs skabelonen eller OS2mo's KLE-arbejdsbog")
    load.add_argument("file", type=Path, help="regnearket (XLSX eller CSV)")
    load.add_argument(
        "--dry-run", action="store_true", help="vis kun, hvad der ville ændres; gem intet"
    )
    load.add_argument(
        "--format",
        choices=["auto", "template", "os2mo"],
        default="auto",
        help="filens slags (standard: auto; OS2mo's arbejdsbog kendes på arket Ansvarlig)",
    )
    load.set_defaults(run=_import)
    out = commands.add_parser(
        "export-workbook", help="skriv ansvaret som OS2mo's KLE-arbejdsbog (XLSX)"
    )
    out.add_argument("-o", "--output", type=Path, required=True, help="fil, fx kle.xlsx")
    out.set_defaults(run=_export_workbook)


def _store(*, required: bool) -> Store | None:
    """The configured store of record (seeded on first use), or None without one."""
    from api.main import open_configured_store
    from api.settings import Settings
    from graph.data.loader import default_source

    settings = Settings()
    if not settings.store_url and settings.store_path is None:
        if required:
            raise InvalidInputError(
                "Der er intet register at gemme i: sæt STAFET_STORE_PATH eller STAFET_STORE_URL "
                "(eller brug --dry-run)."
            )
        return None
    return open_configured_store(settings, default_source(settings.data_dir))


def _knowledge(store: Store | None) -> Knowledge:
    from graph.data.knowledge import load_knowledge
    from graph.store.source import StoreSource

    return load_knowledge(StoreSource(store) if store is not None else None)


def _import(args: argparse.Namespace) -> int:
    from graph.io.imports import Scope, commit_plan, plan_import
    from graph.io.spreadsheet import SpreadsheetError, read_tables
    from graph.io.template import read_template
    from graph.io.workbook import is_workbook, read_workbook

    path: Path = args.file
    if not path.is_file():
        raise InvalidInputError(f"Filen {path} findes ikke.")
    store = _store(required=not args.dry_run)
    try:
        kg = _knowledge(store)
        scope = Scope("admin")
        try:
            tables = read_tables(path.read_bytes())
            workbook = args.format == "os2mo" or (args.format == "auto" and is_workbook(tables))
            rows = read_workbook(kg, tables) if workbook else read_template(kg, tables)
        except SpreadsheetError as err:
            return _print_errors(err.errors)
        plan = plan_import(kg, rows, scope)
        fmt = "os2mo" if workbook else "template"
        _print_plan(plan, fmt)
        if plan.errors or plan.forbidden:
            return _print_errors((*plan.errors, *plan.forbidden))
        if not any(e.operation for e in plan.entries):
            console.print("Intet at gemme: registret siger allerede det samme.")
            if args.dry_run:
                console.print("Prøvekørsel: intet er gemt.")
            return 0
        if store is None:  # a dry run without a store: only the rows could be checked
            console.print("Prøvekørsel: intet er gemt (reglerne er ikke prøvet mod et register).")
            return 0
        try:
            change = commit_plan(
                store,
                kg,
                plan,
                f"cli:{getpass.getuser()}",
                scope,
                reason=f"Indlæst fra {path.name} ({_FORMATS[fmt]})",
                dry_run=args.dry_run,
            )
        except SpreadsheetError as err:
            return _print_errors(err.errors)
        if args.dry_run:
            console.print("Prøvekørsel: reglerne er overholdt, og intet er gemt.")
            return 0
        console.print(f"Gemt som én ændring (nr. {change['sequence']}).")
        return 0
    finally:
        if store is not None:
            store.close()


def _print_plan(plan: Plan, fmt: str) -> None:
    from graph.present.vocabulary import count

    counts = ", ".join(count(plan.count(a), *_COUNTED[a]) for a in _ACTIONS)
    console.print(f"{_FORMATS[fmt]}: {count(len(plan.entries), 'række', 'rækker')}: {counts}.")
    for entry in plan.entries:
        if entry.action == "unchanged":
            continue
        where = f"Ark '{entry.sheet}', række {entry.row}" if entry.sheet else f"Række {entry.row}"
        console.print(f"  {where}: {_ACTIONS[entry.action]} – {entry.label}")


def _print_errors(problems: tuple[CellError, ...] | list[CellError]) -> int:
    errors.print(f"Regnearket er ikke indlæst ({len(problems)} fejl; intet er gemt):")
    for problem in problems:
        errors.print(f"  {problem}")
        if problem.suggestions:
            near = ", ".join(f"{s.label} ({s.id})" for s in problem.suggestions)
            errors.print(f"    Mente du: {near}?")
    return 1


def _export_workbook(args: argparse.Namespace) -> int:
    from graph.io.workbook import export_workbook

    store = _store(required=False)
    try:
        data = export_workbook(_knowledge(store))
    finally:
        if store is not None:
            store.close()
    args.output.write_bytes(data)
    errors.print(f"Skrev OS2mo's KLE-arbejdsbog ({len(data)} bytes) til {args.output}")
    return 0
