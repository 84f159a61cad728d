"""The data of a plain reading page: labelled rows built from a thing's triples."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from graph.namespaces import LEXVO, RDF
from graph.records import LANGUAGES

_RDF_TYPE = str(RDF.type)


@dataclass(frozen=True)
class Value:
    """One object of a row: text to show, a link (or None), language or datatype note."""
    text: str
    href: str | None = None
    note: str | None = None


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """``schema:author`` for ``http://schema.org/author``; the IRI if no prefix fits."""
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def local_href(iri: str, base: str) -> str:
    """Our things link to their pages (``/doc/…``); other IRIs stay as they are."""
    if iri.startswith(f"{base}id/"):
        return f"{base}doc/{iri[len(base) + 3:]}"
    return iri


def _language_name(iri: str) -> str | None:
    """"French" for the id.loc.gov URI of ``fr``."""
    if iri.startswith(str(LEXVO)):
        return LANGUAGES.get(iri[len(str(LEXVO)):], (None, None))[1]
    return None


def value(term, labels: dict[str, str], base: str, prefixes: dict[str, str]) -> Value:
    """How one RDF term reads on the page."""
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value) or _language_name(term.value) or curie(term.value, prefixes)
        return Value(label, local_href(term.value, base))
    if isinstance(term, ox.BlankNode):
        return Value("(unnamed)")
    note = term.language or (curie(term.datatype.value, prefixes)
                             if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string" else None)
    return Value(term.value, None, note)


def rows(iri: str, triples: list[ox.Triple], labels: dict[str, str], base: str,
         prefixes: dict[str, str]) -> list[tuple[str, list[Value]]]:
    """``(predicate curie, values)`` rows for the thing; blank nodes inlined by name."""
    by_subject = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append(t)
    grouped: dict[str, list[Value]] = defaultdict(list)
    for t in by_subject[ox.NamedNode(iri)]:
        v = value(t.object, labels, base, prefixes)
        if isinstance(t.object, ox.BlankNode):
            names = [x.object.value for x in by_subject[t.object] if x.predicate.value.endswith("name")]
            v = Value(names[0] if names else "(unnamed)", None, "mentioned, not identified")
        grouped[curie(t.predicate.value, prefixes)].append(v)
    order = lambda kv: (kv[0] != "rdf:type", kv[0])
    return [(p, sorted(vs, key=lambda v: v.text)) for p, vs in sorted(grouped.items(), key=order)]


def referenced_iris(triples: list[ox.Triple]) -> set[str]:
    """Every IRI in subject or object position, for label look-ups."""
    return {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)} | \
           {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
