"""The store interface over any SPARQL 1.1 query endpoint (Oxigraph server, Fuseki, QLever, Virtuoso).

Everything the server needs — descriptions, labels, counts, and ``/sparql``
itself — becomes a standard SPARQL 1.1 Protocol request (POST, form-encoded),
so the data stays where it lives. Only the standard library speaks HTTP here.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

import pyoxigraph as ox

from .store import _find_label

#: what each engine format name means on the wire
RESULT_TYPES = {"JSON": "application/sparql-results+json", "XML": "application/sparql-results+xml",
                "CSV": "text/csv", "TSV": "text/tab-separated-values"}
GRAPH_TYPES = {"TURTLE": "text/turtle", "N_TRIPLES": "application/n-triples",
               "RDF_XML": "application/rdf+xml", "JSON_LD": "application/ld+json"}
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class RemoteError(Exception):
    """The endpoint could not be reached or answered with an error."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class SparqlStore:
    """A :class:`graph.store.Store` backed by a remote SPARQL endpoint."""

    def __init__(self, endpoint: str, timeout: float = 10.0):
        self.endpoint, self.timeout = endpoint, timeout

    def request(self, query: str, accept: str, params: Iterable[tuple[str, str]] = (),
                max_bytes: int | None = None) -> tuple[str, bytes]:
        """POST ``query``; return ``(content type, body)`` or raise RemoteError."""
        data = urllib.parse.urlencode([("query", query), *params]).encode()
        req = urllib.request.Request(self.endpoint, data=data, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                body = response.read(max_bytes + 1) if max_bytes else response.read()
                if max_bytes and len(body) > max_bytes:
                    raise RemoteError(422, f"the result is larger than the cap of {max_bytes} bytes; "
                                           "narrow the query or add a LIMIT")
                return response.headers.get_content_type(), body
        except urllib.error.HTTPError as err:
            detail = err.read(2000).decode("utf-8", "replace").strip()
            raise RemoteError(400 if 400 <= err.code < 500 else 502,
                              f"the SPARQL store answered {err.code}: {detail}") from None
        except TimeoutError:
            raise RemoteError(503, f"the SPARQL store did not answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, OSError) as err:
            raise RemoteError(502, f"the SPARQL store at {self.endpoint} is unreachable: {err}") from None

    def query(self, sparql: str, **kwargs):
        """SELECT/ASK → pyoxigraph results parsed from SPARQL JSON; CONSTRUCT → triples."""
        ctype, body = self.request(sparql, "application/sparql-results+json, application/n-triples")
        if ctype == "application/sparql-results+json":
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        fmt = ox.RdfFormat.from_media_type(ctype)
        if fmt is None:
            raise RemoteError(502, f"the SPARQL store answered with unreadable {ctype!r}")
        return list(ox.parse(body, format=fmt))

    def describe(self, iri: str) -> list[ox.Triple]:
        """The thing's triples and those of the blank nodes it points to."""
        return self.query(f"CONSTRUCT {{ <{iri}> ?p ?o . ?o ?q ?v }} WHERE {{ <{iri}> ?p ?o "
                          f"OPTIONAL {{ FILTER(isBlank(?o)) ?o ?q ?v }} }}")

    def incoming(self, iri: str, limit: int = 200) -> list[ox.Triple]:
        rows = self.query(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} LIMIT {int(limit)}")
        return [ox.Triple(r["s"], r["p"], ox.NamedNode(iri)) for r in rows]

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        values = " ".join(f"<{i}>" for i in iris)
        if not values:
            return {}
        rows = self.query(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s <{_RDFS_LABEL}> ?l }}")
        return {r["s"].value: r["l"].value for r in rows}

    def find_label(self, label: str) -> str | None:
        return _find_label(self.query, label)

    def __len__(self) -> int:
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(rows[0]["n"].value)
