"""A writer for the crash tests: commits a stream of changes, printing each acknowledged one.

``python -m tests.store.crash_writer embedded DIR`` or ``… sparql QUERY_URL UPDATE_URL``.
The store must be initialised. Each change replaces the counter triple and adds one marker
triple; after ``commit`` returns, the writer prints ``<sequence> <change id>`` and flushes,
so every line the parent reads is a change the store acknowledged.
"""

from __future__ import annotations

import sys

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.store.backend import StaleHeadError, Store, StoreError
from graph.store.change import new_change
from graph.store.embedded import EmbeddedStore
from graph.store.sparql import SparqlStore

COUNTER = URIRef("https://stafet.kk.dk/id/test/crash-counter")
COUNT = URIRef("https://stafet.kk.dk/id/test/count")
MARK = URIRef("https://stafet.kk.dk/id/test/mark")


def write_one(store: Store) -> tuple[int, str]:
    head = store.head()
    old = store.resource_triples([COUNTER])
    value = max((int(str(o)) for _, p, o in old if p == COUNT), default=0)
    change = new_change(
        agent="crash",
        kind="update",
        removed=[t for t in old if t[1] == COUNT],
        added=[
            (COUNTER, COUNT, Literal(value + 1, datatype=XSD.integer)),
            (COUNTER, MARK, Literal(f'ændring {head.sequence + 1} "}} ;\n')),
        ],
    )
    done = store.commit(change, expected=head.sequence)
    return done.sequence, done.id


def main(argv: list[str]) -> int:
    if argv[0] == "embedded":
        from pathlib import Path

        store: Store = EmbeddedStore(Path(argv[1]))
    else:
        store = SparqlStore(argv[1], update_url=argv[2], timeout=5)
    while True:
        try:
            sequence, change = write_one(store)
        except StaleHeadError:
            continue
        except StoreError:
            if argv[0] == "embedded":
                raise
            return 3  # the server went away: what the parent does to us
        print(sequence, change, flush=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
