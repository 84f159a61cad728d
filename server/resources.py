"""``/id/…`` (the things: 303 to their documents) and ``/doc/…`` (negotiated documents)."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, redirect, render_template

from .formats import CITATIONS, FORMATS
from .headers import alternates, signposting
from .negotiated import respond
from .page import referenced_iris, rows
from .publisher import Publisher, Thing

bp = Blueprint("resources", __name__)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def publisher() -> Publisher:
    """The build this process serves."""
    return current_app.extensions["epistola"].get()


def known(kind: str, slug: str) -> Thing:
    """The thing at ``/id/{kind}/{slug}``, or a 404 naming it.

    Kinds and slugs are lower-case ASCII words joined by '-'; anything else names
    nothing, and never reaches a store query.
    """
    pub = publisher()
    if not (SLUG.fullmatch(kind) and SLUG.fullmatch(slug)):
        abort(404, "Nothing is known here: kinds and slugs are lower-case ASCII words joined by '-'.")
    thing = pub.thing(f"{pub.base}id/{kind}/{slug}")
    if thing is None:
        abort(404, f"Nothing is known about {pub.base}id/{kind}/{slug}.")
    return thing


@bp.route("/id/<kind>/<slug>")
def thing(kind: str, slug: str):
    """A thing is not a document: 303 See Other to the document about it."""
    known(kind, slug)
    response = redirect(f"{publisher().base}doc/{kind}/{slug}", code=303)
    response.vary.add("Accept")
    return response


@bp.route("/doc/<kind>/<name>")
def document(kind: str, name: str):
    """The document about a thing, negotiated, or fixed by a suffix or ``?format=``."""
    slug, _, ext = name.partition(".")
    thing = known(kind, slug)
    pub = publisher()
    doc = f"{pub.base}doc/{kind}/{slug}"
    offers, links = pub.memo(("offers", thing.iri), lambda: _offers_and_links(pub, thing, doc))
    return respond(pub, thing.iri, doc, ext or None, offers, links,
                   triples=lambda: list(thing.triples), html=lambda: html_page(thing, doc, offers),
                   other=lambda fmt: pub.citation(f"{kind}/{slug}", fmt.ext))


def _offers_and_links(pub: Publisher, thing: Thing, doc: str) -> tuple[tuple, list[str]]:
    """What a thing's document offers (citations for works) and its Link values; computed once."""
    offers = FORMATS + CITATIONS if pub.citable(thing.iri[len(pub.base) + 3:]) else FORMATS
    return offers, alternates(doc, offers) + signposting(thing, doc)


def html_page(thing: Thing, doc: str, offers=FORMATS) -> str:
    """The plain reading page: labels, links between things, alternates, embedded JSON-LD."""
    pub = publisher()
    triples = list(thing.triples)
    incoming = pub.store.incoming(thing.iri, 200)
    labels = pub.store.labels(referenced_iris(triples + incoming) | {thing.iri})
    return render_template(
        "resource.html", thing=thing, doc=doc, base=pub.base, offers=offers,
        title=labels.get(thing.iri, thing.iri),
        rows=rows(thing.iri, triples, labels, pub.base, pub.serializer.prefixes),
        incoming=sorted({(labels.get(t.subject.value, t.subject.value),
                          t.subject.value.replace(f"{pub.base}id/", f"{pub.base}doc/", 1))
                         for t in incoming}),
        jsonld=pub.serializer.jsonld(triples, inline=True))
