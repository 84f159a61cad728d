"""One table of the representations we serve: extension ↔ media type ↔ serializer.

The order is policy: ``*/*`` and a missing Accept header pick the first entry
(Turtle, so that curl sees data), and ties go to the earlier entry.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """A representation: URL suffix, media type, pyoxigraph format (None: rendered here)."""
    ext: str
    media_type: str
    ox_format: ox.RdfFormat | None
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def is_rdf(self) -> bool:
        return self.media_type != "text/html"


TURTLE = Format("ttl", "text/turtle", ox.RdfFormat.TURTLE, "Turtle", ("application/x-turtle",))
JSONLD = Format("jsonld", "application/ld+json", None, "JSON-LD", ("application/json",))
RDFXML = Format("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, "RDF/XML")
NTRIPLES = Format("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, "N-Triples")
HTML = Format("html", "text/html", None, "HTML", ("application/xhtml+xml",))

FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML, NTRIPLES, HTML)
#: citation formats, offered by letters and texts (bodies rendered by the build)
CITATIONS: tuple[Format, ...] = (
    Format("bib", "application/x-bibtex", None, "BibTeX", ("text/x-bibtex",)),
    Format("csl.json", "application/vnd.citationstyles.csl+json", None, "CSL-JSON"),
    Format("ris", "application/x-research-info-systems", None, "RIS"),
)

#: SPARQL results (SELECT, ASK); ``engine`` names pyoxigraph's QueryResultsFormat
RESULTS = (
    Format("json", "application/sparql-results+json", None, "JSON", ("application/json",)),
    Format("xml", "application/sparql-results+xml", None, "XML", ("application/xml", "text/xml")),
    Format("csv", "text/csv", None, "CSV"),
    Format("tsv", "text/tab-separated-values", None, "TSV"),
)
RESULTS_ENGINE = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
#: RDF formats of CONSTRUCT and DESCRIBE results, by pyoxigraph RdfFormat name
GRAPH_ENGINE = {"ttl": "TURTLE", "nt": "N_TRIPLES", "rdf": "RDF_XML", "jsonld": "JSON_LD"}

#: JSON-LD document forms named by the ``profile`` media-type parameter
JSONLD_PROFILES = {
    "http://www.w3.org/ns/json-ld#expanded": "expanded",
    "http://www.w3.org/ns/json-ld#compacted": "compacted",
    "http://www.w3.org/ns/json-ld#flattened": "flattened",
}
PROFILE_URIS = {form: uri for uri, form in JSONLD_PROFILES.items()}


def content_type(fmt: Format, profile: str | None = None) -> str:
    """The Content-Type header for a representation (charset, JSON-LD profile)."""
    if fmt is JSONLD:
        return f'{fmt.media_type}; profile="{PROFILE_URIS[profile or "compacted"]}"'
    if fmt is RDFXML or fmt is NTRIPLES or fmt.ext in ("json", "xml", "csl.json"):
        return fmt.media_type
    return f"{fmt.media_type}; charset=utf-8"
