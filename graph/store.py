"""The store interface, and its embedded back end (pyoxigraph, on disk).

The server talks to a :class:`Store` only; :class:`EmbeddedStore` opens a
build's ``store/`` read-only, and ``graph.remote.SparqlStore`` speaks to any
SPARQL 1.1 server with the same methods. ``write_store`` is the build's half.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Protocol

import pyoxigraph as ox
from rdflib import Graph

from .documents import describe
from .namespaces import RDFS, SKOS, SDO, DCTERMS

#: predicates whose values name a thing, best first (for labels and /label lookups)
LABELS = (str(RDFS.label), str(SKOS.prefLabel), str(SDO.name), str(DCTERMS.title),
          str(SKOS.altLabel), str(SDO.alternateName))
_RDFS_LABEL = ox.NamedNode(str(RDFS.label))


class Store(Protocol):
    """What the server needs from a store, whichever back end holds the data."""

    def describe(self, iri: str) -> list[ox.Triple]:
        """The thing's own triples and those of the blank nodes it points to."""

    def incoming(self, iri: str, limit: int) -> list[ox.Triple]:
        """Up to ``limit`` triples whose object is the thing (for reading pages)."""

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """A display label for each IRI that has one."""

    def find_label(self, label: str) -> str | None:
        """The IRI of the thing called ``label`` (case-insensitive), or None."""

    def query(self, sparql: str, **kwargs):
        """Run a read-only SPARQL query; pyoxigraph result objects."""

    def __len__(self) -> int:
        """Number of triples in the default graph."""


class EmbeddedStore:
    """A build's pyoxigraph store, opened read-only (safe to share between processes)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.ox = ox.Store.read_only(self.path)

    def describe(self, iri: str) -> list[ox.Triple]:
        return describe(self.ox, ox.NamedNode(iri))

    def incoming(self, iri: str, limit: int = 200) -> list[ox.Triple]:
        out = []
        for quad in self.ox.quads_for_pattern(None, None, ox.NamedNode(iri), ox.DefaultGraph()):
            if isinstance(quad.subject, ox.NamedNode):
                out.append(quad.triple)
                if len(out) >= limit:
                    break
        return out

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        found = {}
        for iri in iris:
            for quad in self.ox.quads_for_pattern(ox.NamedNode(iri), _RDFS_LABEL, None, ox.DefaultGraph()):
                found[iri] = quad.object.value
                break
        return found

    def find_label(self, label: str) -> str | None:
        return _find_label(self.query, label)

    def query(self, sparql: str, **kwargs):
        return self.ox.query(sparql, **kwargs)

    def __len__(self) -> int:
        return len(self.ox)


def _find_label(run, label: str) -> str | None:
    """Shared by both back ends: one SPARQL query over the label predicates."""
    predicates = " ".join(f"<{p}>" for p in LABELS)
    escaped = label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    rows = run(f'SELECT ?s WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?l . '
               f'FILTER(isIRI(?s) && LCASE(STR(?l)) = LCASE("{escaped}")) }} ORDER BY ?s LIMIT 1')
    for row in rows:
        return row[0].value
    return None


def write_store(graph: Graph, path: str | Path) -> None:
    """Load ``graph`` into a new pyoxigraph store at ``path`` (which must not exist)."""
    store = ox.Store(str(path))
    nt = Path(f"{path}.nt")          # through a file: the serialization never sits whole in memory
    graph.serialize(nt, format="nt", encoding="utf-8")
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    nt.unlink()
    store.optimize()
    store.flush()
    del store
