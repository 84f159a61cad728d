"""Settings: one table of defaults with a line of help each.

Values come from these defaults, then ``EPISTOLA_*`` environment variables
(``EPISTOLA_BUILD=/srv/build``), then the mapping passed to ``create_app``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("BUILD", "build", "the build directory to serve (made by 'epistola build')"),
    Setting("STORE", "embedded", "'embedded' (the build's pyoxigraph store) or the URL of a "
                                 "SPARQL 1.1 query endpoint holding the same data"),
    Setting("CACHE_SIZE", 20000, "rendered representations kept in memory per process"),
    Setting("RELOAD_INTERVAL", 1.0, "seconds between checks for a newer build renamed into place"),
    Setting("SPARQL_TIMEOUT", 10.0, "seconds a SPARQL query may run before it is stopped (503)"),
    Setting("SPARQL_MAX_RESULT_BYTES", 16 * 1024 * 1024,
            "largest serialized SPARQL result; a larger one is refused (422)"),
    Setting("SPARQL_MAX_QUERY_BYTES", 64 * 1024, "largest query or request body accepted (else 413)"),
    Setting("SPARQL_PROCESSES", 2, "query processes per server process (each query runs in one)"),
    Setting("OAI_PAGE_SIZE", 100, "records per OAI-PMH list response (then a resumptionToken)"),
    Setting("MAX_AGE", 3600, "seconds clients and proxies may cache a representation"),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
