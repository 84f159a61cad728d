"""Triples → bytes in each RDF format (pyoxigraph's serializers, pyld's JSON-LD forms).

JSON-LD starts from pyoxigraph's expanded output and is compacted or
flattened by pyld against our own context, which is passed as a dict (nothing
is fetched); the result then names the context by its URL on this server.
"""
from __future__ import annotations

import json

import pyoxigraph as ox
from pyld import jsonld

from graph.namespaces import PREFIXES

from .formats import JSONLD, Format


def _refuse(url, options=None):
    """pyld document loader that fetches nothing: every context is local."""
    raise jsonld.JsonLdError(f"refusing to fetch {url}", "loading document failed")


class Serializer:
    """Serializes triples for one deployment (its base URI and context)."""

    def __init__(self, base: str, context: dict):
        self.base = base
        self.context = context                      # the {"@context": …} document
        self.context_url = f"{base}context.jsonld"
        self.prefixes = {**PREFIXES, "epi": f"{base}vocab#"}
        self._options = {"documentLoader": _refuse}

    def rdf(self, triples: list[ox.Triple], fmt: Format, form: str | None = None) -> bytes:
        """Serialize ``triples`` in an RDF format (JSON-LD in the requested form)."""
        if fmt is JSONLD:
            return json.dumps(self.jsonld(triples, form), ensure_ascii=False, indent=2).encode()
        prefixes = None if fmt.ox_format == ox.RdfFormat.N_TRIPLES else self.prefixes
        return ox.serialize(triples, format=fmt.ox_format, prefixes=prefixes)

    def expanded(self, triples: list[ox.Triple]) -> list:
        """Expanded JSON-LD, as pyoxigraph writes it."""
        return json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))

    def jsonld(self, triples: list[ox.Triple], form: str | None = None, inline: bool = False):
        """JSON-LD in ``form`` (compacted by default); ``inline`` embeds the context."""
        expanded = self.expanded(triples)
        if form == "expanded":
            return expanded
        if form == "flattened":
            doc = jsonld.flatten(expanded, self.context, self._options)
        else:
            doc = jsonld.compact(expanded, self.context, self._options)
        if not inline:
            doc["@context"] = self.context_url
        return doc
