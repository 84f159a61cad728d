"""The vocabularies, chosen once.

schema.org is ``http://schema.org/`` (the namespace of schema.org's own JSON-LD
context), not rdflib's ``https`` default; ``vocab/context.jsonld`` agrees and a
test guards it.
"""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, FOAF, VOID, DCAT

SDO = Namespace("http://schema.org/")
DCMITYPE = Namespace("http://purl.org/dc/dcmitype/")
MARCREL = Namespace("http://id.loc.gov/vocabulary/relators/")
LEXVO = Namespace("http://id.loc.gov/vocabulary/iso639-1/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: prefixes used by every serializer and the JSON-LD context
PREFIXES = {
    "dcterms": str(DCTERMS),
    "dcmitype": str(DCMITYPE),
    "schema": str(SDO),
    "marcrel": str(MARCREL),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "foaf": str(FOAF),
    "void": str(VOID),
    "dcat": str(DCAT),
}


def epi(base: str) -> Namespace:
    """Our own few terms live under the deployment's base: ``{base}vocab#``."""
    return Namespace(f"{base}vocab#")


def language_uri(tag: str):
    """The id.loc.gov ISO 639-1 URI of a two-letter language tag."""
    return LEXVO[tag]


__all__ = ["SDO", "DCMITYPE", "MARCREL", "DCTERMS", "OWL", "PROV", "RDF", "RDFS",
           "SKOS", "XSD", "FOAF", "VOID", "DCAT", "SD", "PREFIXES", "epi", "language_uri"]
