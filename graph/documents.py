"""Pre-rendered documents: each thing's Turtle and N-Triples, written once by the build.

Every server worker then reads these bytes instead of rendering them on its
first request: dereferencing costs a lookup, not a serialization. (JSON-LD is
compacted by pyld on demand and cached by each worker: compacting every thing
at build time would cost more than the whole rest of the build.)
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph as ox

DATABASE = "documents.sqlite"
FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def describe(store: ox.Store, iri: ox.NamedNode) -> list[ox.Triple]:
    """The thing's triples and those of the blank nodes it points to (as the server describes)."""
    out, todo, seen = [], [iri], set()
    while todo:
        subject = todo.pop()
        for quad in store.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
            out.append(quad.triple)
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen:
                seen.add(quad.object)
                todo.append(quad.object)
    return out


def write_documents(store_path: Path, staging: Path, base: str, prefixes: dict[str, str]) -> int:
    """Render every thing under ``{base}id/`` in each format into ``documents.sqlite``."""
    store = ox.Store.read_only(str(store_path))
    things = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
                     if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(f"{base}id/")})
    db = sqlite3.connect(staging / DATABASE)
    db.execute("CREATE TABLE documents (iri TEXT NOT NULL, ext TEXT NOT NULL, body BLOB NOT NULL, "
               "PRIMARY KEY (iri, ext)) WITHOUT ROWID")
    for iri in things:
        triples = describe(store, ox.NamedNode(iri))
        for ext, fmt in FORMATS.items():
            body = ox.serialize(triples, format=fmt, prefixes=None if ext == "nt" else prefixes)
            db.execute("INSERT INTO documents VALUES (?, ?, ?)", (iri, ext, body))
    db.commit()
    db.close()
    return len(things)
