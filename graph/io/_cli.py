"""The command line both importers share: read a source, write sorted Turtle, report it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

__all__ = ["import_parser", "run_import"]


def import_parser(
    prog: str, description: str, source: str, source_help: str
) -> argparse.ArgumentParser:
    """An argument parser with the positional ``source`` and ``-o/--output``."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(source, type=Path, help=source_help)
    parser.add_argument(
        "-o", "--output", type=Path, help="Turtle-fil at skrive (standard: standard output)"
    )
    return parser


def run_import(
    args: argparse.Namespace,
    build: Callable[[argparse.Namespace], Graph],
    serialize: Callable[[Graph], str],
    errors: tuple[type[Exception], ...],
    written: Callable[[Graph], str],
) -> int:
    """Build the graph, write its Turtle to ``args.output`` (or standard output).

    Parameters
    ----------
    args
        The parsed arguments (with ``output``).
    build
        Reads the sources named in ``args`` into a graph.
    serialize
        The graph as Turtle.
    errors
        What ``build`` raises for a bad source: reported as ``Fejl: …``, exit code 1.
    written
        What was written, for the line on standard error (``12 emner, …``).

    Returns
    -------
    int
        0 on success, 1 if ``build`` raised one of ``errors``.
    """
    try:
        graph = build(args)
    except errors as err:
        print(f"Fejl: {err}", file=sys.stderr)
        return 1
    turtle = serialize(graph)
    output: Path | None = args.output
    if output is None:
        sys.stdout.write(turtle)
    else:
        output.write_bytes(turtle.encode("utf-8"))
        print(f"Skrev {output}: {written(graph)}", file=sys.stderr)
    return 0
