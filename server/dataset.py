"""Dataset-level endpoints: landing page, VoID, vocabulary, dumps, context, labels, crawlers."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, render_template, send_from_directory
from markupsafe import escape

import vocab
from graph.namespaces import SDO

from .formats import FORMATS
from .headers import alternates, link, send
from .negotiated import respond
from .publisher import representation
from .resources import publisher

bp = Blueprint("dataset", __name__)
RDF_ONLY = tuple(f for f in FORMATS if f.is_rdf)


@bp.route("/")
def landing():
    """The landing page for people; the dataset's VoID description by negotiation."""
    return void(None, doc_url=publisher().base)


@bp.route("/.well-known/void")
@bp.route("/.well-known/void.<ext>")
def void(ext: str | None = None, doc_url: str | None = None):
    """VoID + DCAT: counts, endpoints, dumps, vocabularies."""
    pub = publisher()
    doc = f"{pub.base}.well-known/void"
    return respond(pub, doc_url or doc, doc, ext, FORMATS, alternates(doc),
                   triples=lambda: pub.void, html=landing_page)


def landing_page() -> str:
    """The human landing page: what this is, the letters and texts, the endpoints."""
    pub = publisher()
    rows = pub.store.query(
        f"SELECT ?s ?l WHERE {{ ?s a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l . "
        f"VALUES ?t {{ <{SDO.Message}> <{SDO.CreativeWork}> }} FILTER(isIRI(?s)) }} ORDER BY ?l ?s LIMIT 101")
    works = [(f"{r[1].value} ({r[0].value.split('/')[-2]})", r[0].value.replace("/id/", "/doc/", 1))
             for r in rows]
    info = pub.serializer.jsonld(pub.void, inline=True)
    return render_template("landing.html", base=pub.base, formats=FORMATS, works=works[:100],
                           more=max(0, len(works) - 100) and "more", jsonld=info,
                           title=_first(pub.void, "http://purl.org/dc/terms/title") or "epistola",
                           description=_first(pub.void, "http://purl.org/dc/terms/description") or "",
                           triples=pub.triples, dumps=pub.manifest["dumps"])


def _first(triples, predicate: str) -> str | None:
    return next((t.object.value for t in triples if t.predicate.value == predicate), None)


@bp.route("/vocab")
@bp.route("/vocab.<ext>")
def terms(ext: str | None = None):
    """Our own few terms (``epi:``), as RDF."""
    pub = publisher()
    doc = f"{pub.base}vocab"
    return respond(pub, doc, doc, ext, RDF_ONLY, alternates(doc, RDF_ONLY),
                   triples=lambda: pub.vocab, html=lambda: "")


@bp.route("/dump/<name>")
def dump(name: str):
    """A whole-dataset dump or its SHA256SUMS file."""
    pub = publisher()
    types = {d["name"]: d["media_type"] for d in pub.manifest["dumps"]}
    types["SHA256SUMS"] = "text/plain"
    if name not in types:
        abort(404, f"No dump called {name!r}; dumps: {', '.join(sorted(types))}.")
    response = send_from_directory(pub.build_dir / "dumps", name, conditional=True,
                                   mimetype="application/gzip" if name.endswith(".gz") else types[name],
                                   max_age=current_app.config["MAX_AGE"])
    return response


@bp.route("/cmif.xml")
def cmif():
    """The letters as CMIF (TEI correspDesc) for correspSearch; HEAD answers too."""
    pub = publisher()
    return send_from_directory(pub.build_dir, "cmif.xml", mimetype="application/xml",
                               conditional=True, max_age=current_app.config["MAX_AGE"])


@bp.route("/context.jsonld")
def context():
    """The JSON-LD context every compacted document refers to."""
    pub = publisher()
    rep = pub.render(("context",), lambda: representation(
        vocab.CONTEXT.read_bytes(), "application/ld+json; charset=utf-8"))
    return send(rep, links=[], location=None, negotiated=False,
                last_modified=pub.modified, max_age=current_app.config["MAX_AGE"])


@bp.route("/label/<path:name>")
def label(name: str):
    """Known-label look-up (as id.loc.gov): 302 to the thing so named, else 404."""
    iri = publisher().store.find_label(name)
    if iri is None:
        abort(404, f"No thing is labelled {name!r}.")
    response = redirect(iri, code=302)
    response.headers["Link"] = link(iri, "canonical")
    return response


@bp.route("/robots.txt")
def robots():
    """Crawlers are welcome; the sitemap lists every page."""
    base = publisher().base
    return Response(f"User-agent: *\nDisallow: /sparql\nAllow: /\nSitemap: {base}sitemap.xml\n",
                    content_type="text/plain; charset=utf-8")


@bp.route("/sitemap.xml")
def sitemap():
    """Every document page (sitemaps.org protocol, up to 50,000 URLs)."""
    pub = publisher()
    rows = pub.store.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && "
                           f"STRSTARTS(STR(?s), \"{pub.base}id/\")) }} ORDER BY ?s LIMIT 49999")
    modified = pub.manifest["modified"]
    urls = [pub.base] + [r[0].value.replace(f"{pub.base}id/", f"{pub.base}doc/", 1) for r in rows]
    body = "".join(f"<url><loc>{escape(u)}</loc><lastmod>{modified}</lastmod></url>" for u in urls)
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
                    f'schemas/sitemap/0.9">{body}</urlset>\n', content_type="application/xml; charset=utf-8")
