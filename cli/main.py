"""``stafet``: ask the knowledge graph from a terminal.

Readable tables by default, ``--json`` for scripts. Errors are one Danish sentence on
stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from cli.imports import add_commands as add_import_commands
from cli.tokens import add_token_commands
from cli.users import add_user_commands
from graph.errors import InvalidInputError, StafetError
from graph.present.vocabulary import (
    GAP_COUNT_LABELS,
    MEMBERSHIP_ROLE_LABELS,
    administration_label,
    match_label,
    role_label,
    status_label,
    via_label,
)

if TYPE_CHECKING:
    from graph import Knowledge

__all__ = ["main"]

#: graph.io.export.FORMATS and graph.io.tables.TABLE_FORMATS, spelt out so
#: that parsing the command line imports neither (a test keeps the lists in step).
GRAPH_FORMATS = ("ttl", "jsonld", "graphml", "csv")
TABLE_FORMATS = ("xlsx", "gexf", "gaps-csv", "overlaps-csv", "bottlenecks-csv")

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        result: int = args.run(args)
        return result
    except StafetError as exc:
        errors.print(f"[bold red]Fejl:[/] {exc}", markup=True)
        return 1
    except ValueError as exc:
        errors.print(f"[bold red]Ugyldigt input:[/] {exc}", markup=True)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stafet",
        description="Hvem gør hvad i Københavns Kommune – og hvordan sender man stafetten videre?",
    )
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO")

    who = commands.add_parser("who", help="hvem varetager en opgave")
    who.add_argument("task", nargs="+", help="KLE-nummer, id eller fritekst, fx førtidspension")
    who.add_argument("--age", type=int, help="borgerens alder")
    who.add_argument("--as-of", type=date.fromisoformat, help="dato (ÅÅÅÅ-MM-DD)")
    who.set_defaults(run=_who)

    path = commands.add_parser("path", help="henvisningsvej fra en enhed til den rette enhed")
    path.add_argument("--from", dest="from_unit", required=True, help="enheden borgeren kom til")
    path.add_argument("task", nargs="+", help="opgaven")
    path.add_argument("--age", type=int, help="borgerens alder")
    path.add_argument(
        "--klage",
        action="store_true",
        help="klage over en afgørelse: til den afgørende enhed og videre til klageinstansen",
    )
    path.add_argument("--as-of", type=date.fromisoformat, help="dato (ÅÅÅÅ-MM-DD)")
    path.set_defaults(run=_path)

    deps = commands.add_parser("deps", help="hvordan enheder afhænger af hinanden")
    deps.add_argument("units", nargs="+", help="to eller flere enheder, fx bif sof")
    deps.add_argument("--task", help="begræns til en opgave")
    deps.set_defaults(run=_deps)

    overlaps = commands.add_parser("overlaps", help="opgaver med overlappende ansvar")
    overlaps.set_defaults(run=_overlaps)

    gaps = commands.add_parser("gaps", help="huller: manglende ansvar, kontakter, antagelser")
    gaps.set_defaults(run=_gaps)

    validate = commands.add_parser("validate", help="valider Turtle-filer med SHACL")
    validate.add_argument("files", nargs="*", type=Path, help="filer (standard: de leverede data)")
    validate.add_argument(
        "--with-data", action="store_true", help="valider filerne sammen med de leverede data"
    )
    validate.add_argument(
        "--rules",
        default="stafet,cpsv-ap",
        help="regelsæt, kommasepareret: stafet, cpsv-ap (standard: begge)",
    )
    validate.set_defaults(run=_validate)

    export = commands.add_parser(
        "export", help="eksporter grafen eller koordinationsgruppens lister"
    )
    export.add_argument(
        "--format",
        choices=[*GRAPH_FORMATS, *TABLE_FORMATS],
        required=True,
        help="ttl, jsonld, graphml, gexf (Gephi), csv (alle ansvar); xlsx (overlap, huller, "
        "flaskehalse og fællesskaber i ét regneark); gaps-csv, overlaps-csv, bottlenecks-csv",
    )
    export.add_argument("-o", "--output", type=Path, help="fil (standard: standard output)")
    export.set_defaults(run=_export)

    report = commands.add_parser(
        "report", help="rapport til koordinationsgruppen: overlap, huller, flaskehalse (HTML)"
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("rapport.html"),
        help="fil (standard: rapport.html)",
    )
    report.add_argument(
        "--pair", default="bif,sof", help="to forvaltninger til afhængighedsafsnittet (bif,sof)"
    )
    report.add_argument(
        "--task", default="kle-32.03.16", help="opgaven, afsnittet følger (førtidspension)"
    )
    report.set_defaults(run=_report)

    serve = commands.add_parser("serve", help="start webserveren (API og sider)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)

    add_token_commands(commands)
    add_user_commands(commands)
    add_import_commands(commands)
    from cli.store import add_store_commands

    add_store_commands(commands)

    for sub in (who, path, deps, overlaps, gaps, validate):
        sub.add_argument("--json", action="store_true", help="skriv JSON til scripts")
    for sub in (deps, overlaps, gaps):
        sub.add_argument("--as-of", type=date.fromisoformat, help="dato (ÅÅÅÅ-MM-DD)")
    return parser


def _knowledge() -> Knowledge:
    from graph import load_knowledge

    return load_knowledge()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _status(code: str | None) -> str:
    return status_label(code)


def _who(args: argparse.Namespace) -> int:
    from graph import who_handles
    from graph.present.answers import who_json

    kg = _knowledge()
    data = who_json(kg, who_handles(kg, " ".join(args.task), age=args.age, as_of=args.as_of))
    if args.json:
        _print_json(data)
        return 0
    task = data["task"]
    match = data["matched_via"]
    if task["level"] == "service":  # an outside authority's task: no KLE number
        console.print(f"[bold]{task['label']}[/]  ({task['notation']}, {task['level_label']})")
    else:
        console.print(f"[bold]KLE {task['notation']} {task['label']}[/]  ({task['id']})")
    console.print(f"Fundet via {match_label(match['how'])}: “{match['text']}”", style="dim")
    if "fallback_from" in data:
        asked = data["fallback_from"]
        console.print(
            f"Svaret kommer fra KLE {task['notation']}; "
            f"{asked['notation']} har ingen egne oplysninger."
        )
    _print_process(data["process"])
    if data["handlers"] or "breakdown" not in data:
        console.print("\n[bold]Enheder[/]")
    order = {"ansvarlig": 0, "udfoerende": 1}
    for handler in sorted(
        data["handlers"],
        key=lambda h: (order.get(h["role"], 2), h["step"] or 0, h["unit"]["label"]),
    ):
        _print_handler(kg, handler)
    if "breakdown" in data:
        _print_breakdown(data["breakdown"])
    if data["alternatives"]:
        console.print(
            "\nMente du også: "
            + "; ".join(
                f"KLE {alt['task']['notation']} {alt['task']['label']} "
                f"({kg.agent_label(alt['forvaltning'])})"
                for alt in data["alternatives"]
            )
            + "?"
        )
    _print_notes(data["notes"])
    return 0


def _print_breakdown(breakdown: dict[str, Any]) -> None:
    """The owners of the topics below a main group or group, and the topics that differ."""
    console.print(f"\n[bold]Emnerne under overskriften ({breakdown['total']} i alt)[/]")
    for owner in breakdown["owners"]:
        units = ", ".join(u["label"] for u in owner["units"][:3])
        console.print(
            f"• {owner['unit']['label']}: {owner['topics']} af {breakdown['total']} emner "
            f"({owner['share']:.0%}) – {units}"
        )
    if breakdown["differing"]:
        console.print("[bold]Emner med en anden ansvarlig end flertallet[/]")
    for topic in breakdown["differing"]:
        task = topic["task"]
        owners = ", ".join(u["label"] for u in topic["owners"]) or "ingen registreret"
        console.print(f"  KLE {task['notation']} {task['label']}: {owners}")


def _print_process(process: list[dict[str, Any]]) -> None:
    if not process:
        return
    console.print("\n[bold]Forløb på tværs af enheder[/]")
    console.print(" → ".join(step["unit"]["label"] for step in process))
    for step in process:
        role = role_label(step["role"])
        console.print(
            f"  {step['step']}. {step['label'] or role}: {step['unit']['label']} "
            f"({role}) – kilde: {step['source']} ({_status(step['status'])})"
        )


def _print_handler(kg: Knowledge, handler: dict[str, Any]) -> None:
    unit = handler["unit"]
    forvaltning = f", {administration_label(unit['forvaltning'])}" if unit["forvaltning"] else ""
    console.print(f"• {unit['label']}{forvaltning} – {handler['role_label']}")
    if handler["conditions"]:
        console.print("    Betingelse: " + ", ".join(c["label"] for c in handler["conditions"]))
    if handler["legal_basis"]:
        console.print("    Hjemmel: " + "; ".join(law["label"] for law in handler["legal_basis"]))
    console.print(f"    Kontakt: {_contact_text(kg, handler['contacts'])}")
    console.print(f"    Kilde: {handler['source']} ({_status(handler['status'])})")


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        console.print(f"\n! {note}")


def _contact_text(kg: Knowledge, contacts: list[dict[str, Any]]) -> str:
    parts = []
    for contact in contacts:
        parts.extend(contact.get("telephone", []))
        parts.extend(contact.get("email", []))
    if not parts:
        return "ukendt (et hul: ingen telefon eller e-mail registreret)"
    text = ", ".join(parts)
    holders = sorted({kg.agent_label(c["unit"]) for c in contacts if c.get("inherited")})
    if holders:
        # A number up the hierarchy is not the unit's own: say whose it is.
        text += f" ({', '.join(holders)}; enheden har intet eget kontaktpunkt)"
    return text


def _path(args: argparse.Namespace) -> int:
    from graph import referral_path
    from graph.present.answers import referral_json

    kg = _knowledge()
    answer = referral_path(
        kg,
        args.from_unit,
        " ".join(args.task),
        age=args.age,
        complaint=args.klage,
        as_of=args.as_of,
    )
    data = referral_json(kg, answer)
    if args.json:
        _print_json(data)
        return 0
    task = data["task"]
    console.print(
        f"[bold]Fra {data['from']['label']} til {data['to']['label']}[/] "
        f"({role_label(data['to_role'])}) "
        f"om KLE {task['notation']} {task['label']} – samlet pris {data['cost']}"
    )
    _print_hops(kg, data["hops"])
    console.print(f"\nKontakt hos {data['to']['label']}: {_contact_text(kg, data['to_contacts'])}")
    if data["complaint"]:
        _print_complaint(data["complaint"])
    for branch in data["branches"]:
        console.print(
            f"\n[bold]Hvis borgeren er {branch['condition']}: {branch['to']['label']}[/] "
            f"(pris {branch['cost']})"
        )
        _print_hops(kg, branch["hops"], indent="   ")
    if data["alternatives"]:
        console.print("\n[bold]Alternativer[/]")
        for alt in data["alternatives"]:
            route = " → ".join([data["from"]["label"], *(h["to"]["label"] for h in alt["hops"])])
            console.print(f"  {route} (pris {alt['cost']}, {role_label(alt['to_role'])})")
    _print_notes(data["notes"])
    return 0


def _print_hops(kg: Knowledge, hops: list[dict[str, Any]], indent: str = "") -> None:
    if not hops:
        console.print(f"{indent}Ingen skridt: enheden varetager selv opgaven.")
    for number, hop in enumerate(hops, start=1):
        console.print(
            f"\n{indent}{number}. {hop['from']['label']} → {hop['to']['label']} "
            f"[dim]({via_label(hop['via'])}, pris {hop['cost']})[/]"
        )
        console.print(f"{indent}   {hop['how']}")
        laws = "; ".join(law["label"] for law in hop["legal_basis"])
        console.print(f"{indent}   Hjemmel: {laws}")
        console.print(f"{indent}   Kontakt: {_contact_text(kg, hop['contacts'])}")


def _print_complaint(complaint: dict[str, Any]) -> None:
    laws = "; ".join(law["label"] for law in complaint["reconsideration"]) or "ikke registreret"
    body = complaint["appeal_body"]
    console.print(
        f"\n[bold]Klage[/]: først til {complaint['deciding_unit']['label']} (genvurdering: "
        f"{laws}), derefter til {body['label'] if body else 'ingen kendt klageinstans'}."
    )


def _deps(args: argparse.Namespace) -> int:
    from graph.present.dependencies import dependencies_json
    from graph.questions.dependencies import dependencies

    kg = _knowledge()
    units = [u for text in args.units for u in text.split(",") if u.strip()]
    data = dependencies_json(kg, dependencies(kg, units, task=args.task, as_of=args.as_of))
    if args.json:
        _print_json(data)
        return 0
    console.print("[bold]" + " – ".join(u["label"] for u in data["units"]) + "[/]")
    _print_shared_tasks(data)
    _print_forums(kg, data["forums"])
    _print_contact_arrangements(data["contact_arrangements"])
    for membership in data["cross_memberships"]:
        console.print(
            f"• {membership['member']['label']} deltager som "
            f"{MEMBERSHIP_ROLE_LABELS.get(membership['role'], membership['role'])} i "
            f"{membership['organization']['label']}"
        )
    return 0


def _print_shared_tasks(data: dict[str, Any]) -> None:
    table = Table("Fælles opgave", "Enheder og roller")
    for shared in data["shared_tasks"]:
        table.add_row(
            f"{shared['task']['notation']} {shared['task']['label']}",
            "; ".join(
                f"{p['unit']['label']} ({role_label(p['role'])})" for p in shared["participants"]
            ),
        )
    console.print(table)
    for link in data["process_links"]:
        chain = " → ".join(s["unit"]["label"] for s in link["steps"])
        console.print(f"Forløb {link['task']['notation']} {link['task']['label']}: {chain}")


def _print_forums(kg: Knowledge, forums: list[dict[str, Any]]) -> None:
    table = Table("Forum", "Møder", "Medlemmer", "Kilde")
    for forum in forums:
        rhythm = forum["frequency"] or ""
        if forum["meetings_per_year"]:
            rhythm = f"{forum['meetings_per_year']} om året {rhythm}".strip()
        table.add_row(
            forum["label"],
            rhythm,
            "; ".join(
                f"{administration_label(side)}: {', '.join(kg.agent_label(u) for u in members)}"
                for side, members in forum["members"].items()
            ),
            forum["source"],
        )
    console.print(table)


def _print_contact_arrangements(posts: list[dict[str, Any]]) -> None:
    table = Table("Kontaktperson-ordning", "Enhed", "Betjener", "Status")
    for post in posts:
        table.add_row(
            post["label"],
            post["unit"]["label"],
            ", ".join(s["label"] for s in post["serves"]),
            _status(post["status"]) if post["status"] else "",
        )
    console.print(table)


def _overlaps(args: argparse.Namespace) -> int:
    from graph.present.quality import overlaps_json
    from graph.questions.quality import overlaps

    kg = _knowledge()
    data = overlaps_json(kg, overlaps(kg, as_of=args.as_of))
    if args.json:
        _print_json(data)
        return 0
    table = Table("Opgave", "Rolle", "Enheder", "Alvor")
    for row in data["overlaps"]:
        table.add_row(
            f"{row['task']['notation']} {row['task']['label']}",
            role_label(row["role"]),
            ", ".join(u["label"] for u in row["units"]),
            row["severity"],
        )
    console.print(table)
    keys = data["administrations"]
    names = [administration_label(key) for key in keys]
    matrix = Table("", *names, title="Samme rolle i samme opgave (forvaltning × forvaltning)")
    for key, name in zip(keys, names, strict=True):
        matrix.add_row(name, *(str(data["matrix"][key][other]) for other in keys))
    console.print(matrix)
    console.print(
        f"Opgaver delt efter betingelser (fx alder): {data['counts']['split_by_conditions']}"
    )
    return 0


def _gaps(args: argparse.Namespace) -> int:
    from graph.present.quality import gaps_json
    from graph.questions.quality import gaps

    kg = _knowledge()
    data = gaps_json(kg, gaps(kg, as_of=args.as_of))
    if args.json:
        _print_json(data)
        return 0
    table = Table("Hul", "Antal")
    for key, count in data["counts"].items():
        table.add_row(GAP_COUNT_LABELS.get(key, key), str(count))
    console.print(table)
    for unit in data["units_without_contact"][:40]:
        parent = unit["inherits_from_label"]
        inherited = f" (arver fra {parent})" if parent else ""
        console.print(f"• {unit['label']} mangler kontaktpunkt{inherited}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from graph import OWN_ONTOLOGY, TurtleFiles, default_source, validate_graph

    rulesets = [r.strip() for r in args.rules.split(",") if r.strip()]
    if args.files:
        paths: list[Path] = [OWN_ONTOLOGY, *args.files]
        if args.with_data:
            paths = [*default_source().files, *args.files]
        source = TurtleFiles(paths)
    else:
        source = default_source()
    data = source.read()
    report = validate_graph(data, rulesets=rulesets)
    if args.json:
        _print_json(
            {
                "conforms": report.conforms,
                "rulesets": list(report.rulesets),
                "triples": len(data),
                "counts": report.counts(),
                "findings": [f.to_dict() for f in report.findings],
            }
        )
        return 0 if report.conforms else 1
    console.print(
        f"Validerede {len(data)} tripler mod {', '.join(rulesets)}: "
        f"{len(report.violations)} overtrædelser, {len(report.warnings)} advarsler."
    )
    if report.findings:
        table = Table("Alvor", "Regelsæt", "Hvad", "Sti", "Besked")
        for finding in report.findings[:200]:
            table.add_row(
                "overtrædelse" if finding.severity == "Violation" else "advarsel",
                finding.ruleset,
                finding.focus,
                finding.path or "",
                finding.message,
            )
        console.print(table)
    return 0 if report.conforms else 1


def _export(args: argparse.Namespace) -> int:
    kg = _knowledge()
    if args.format in TABLE_FORMATS:
        from graph.io.tables import export_tables

        data = export_tables(kg, args.format)
    else:
        from graph.io.export import export

        data = export(kg, args.format)
    if args.output is None:
        if args.format == "xlsx" and sys.stdout.isatty():
            raise InvalidInputError("XLSX er binært: angiv en fil, fx -o stafet.xlsx.")
        sys.stdout.buffer.write(data)
    else:
        args.output.write_bytes(data)
        errors.print(f"Skrev {len(data)} bytes til {args.output}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from graph.render.report import write_report

    first, _, second = (part.strip() for part in args.pair.partition(","))
    if not first or not second:
        raise InvalidInputError("Angiv to forvaltninger adskilt af komma, fx --pair bif,sof.")
    path = write_report(_knowledge(), args.output, pair=(first, second), task=args.task or None)
    errors.print(f"Skrev rapporten til {path}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    # Importing the app builds ~200,000 long-lived objects: with the cyclic collector
    # paused it does not walk them again and again (a quarter of a second of the start).
    gc.disable()
    try:
        from api.server import serve
        from api.settings import Settings
    finally:
        gc.enable()
    serve(Settings(), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
