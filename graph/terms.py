"""Small constructors shared by the model modules: IRIs, literals, typed dates."""
from __future__ import annotations

from rdflib import Literal, URIRef

from .dates import parse_date
from .namespaces import XSD


def thing_iri(base: str, kind: str, slug: str) -> URIRef:
    """The URI of a thing: ``{base}id/{kind}/{slug}``."""
    return URIRef(f"{base}id/{kind}/{slug}")


def text(value: str, lang: str | None) -> Literal:
    """A literal in a natural language, tagged when the language is known."""
    return Literal(value, lang=lang) if lang else Literal(value)


def date(value: str) -> Literal | None:
    """A typed date literal (xsd:date, gYearMonth or gYear) from a written date."""
    parsed = parse_date(value)
    return Literal(parsed[0], datatype=XSD[parsed[1]]) if parsed else None
