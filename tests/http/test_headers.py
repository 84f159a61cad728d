"""Response headers: Vary, Content-Location, ETag and conditional requests, caching,
Link (alternates and FAIR Signposting), HEAD, OPTIONS and CORS.

research/linked-data.md §6, checks 10–13; SPEC "Representations of /doc/…".
"""
from __future__ import annotations

import datetime as dt
from email.utils import format_datetime, parsedate_to_datetime

import pytest
import rdflib
from rdflib import RDF

from .support import (
    ALL_EXTS, FIREFOX, LETTER, RDF_EXTS, SERGE, TEXT, THINGS, accept_id, case_id, get, mime, profile, rel,
    tokens,
)

ABOUT_PAGE = "https://schema.org/AboutPage"
LICENSES = (rdflib.URIRef("http://purl.org/dc/terms/license"), rdflib.URIRef("http://schema.org/license"))
AUTHOR = rdflib.URIRef("http://schema.org/author")

NEGOTIATED = [  # (id, Accept, the extension whose fixed URL serves exactly that representation)
    pytest.param(None, "ttl", id="no-accept"),
    pytest.param("text/turtle", "ttl", id="turtle"),
    pytest.param("application/ld+json", "jsonld", id="jsonld"),
    pytest.param("application/rdf+xml", "rdf", id="rdfxml"),
    pytest.param("application/n-triples", "nt", id="ntriples"),
    pytest.param(FIREFOX, "html", id="browser"),
    pytest.param(profile("expanded"), "jsonld", id="jsonld-expanded"),
    pytest.param(profile("flattened"), "jsonld", id="jsonld-flattened"),
]


# --- Vary and Content-Location ------------------------------------------------------

@pytest.mark.parametrize("accept, ext", NEGOTIATED)
def test_negotiated_response_has_vary_and_content_location(base, accept, ext):
    doc = f"{base}doc/{LETTER}"
    r = get(doc, accept)
    assert r.status_code == 200
    assert "accept" in tokens(r.headers.get("Vary")), r.headers.get("Vary")
    location = r.headers.get("Content-Location", "")
    assert location.split("?")[0] == f"{doc}.{ext}", location


@pytest.mark.parametrize("accept, ext", NEGOTIATED)
def test_content_location_serves_the_very_same_representation(base, accept, ext):
    """RFC 9110 §8.7: Content-Location names a resource whose representation is the one enclosed.

    A cache may store the body under that URL, so GET on it must give the same bytes
    (and the same strong ETag).
    """
    r = get(f"{base}doc/{LETTER}", accept)
    there = get(r.headers["Content-Location"])
    assert there.status_code == 200
    assert there.headers["Content-Type"] == r.headers["Content-Type"]
    assert there.headers["ETag"] == r.headers["ETag"], \
        f"{r.headers['Content-Location']} serves another representation than Accept {accept!r}"
    assert there.content == r.content


# --- ETag, Last-Modified, Cache-Control, 304 --------------------------------------------

def _etags(base):
    doc = f"{base}doc/{LETTER}"
    variants = {ext: get(f"{doc}.{ext}") for ext in ALL_EXTS}
    variants["expanded"] = get(doc, profile("expanded"))
    variants["flattened"] = get(doc, profile("flattened"))
    return {k: r.headers.get("ETag") for k, r in variants.items()}


def test_strong_etag_per_representation(base):
    etags = _etags(base)
    for name, etag in etags.items():
        assert etag and etag.startswith('"') and etag.endswith('"'), (name, etag)   # strong: no W/
    assert len(set(etags.values())) == len(etags), f"representations share an ETag: {etags}"
    assert etags == _etags(base), "ETags are not stable between requests"


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/ld+json", FIREFOX, profile("expanded")],
                         ids=accept_id)
def test_if_none_match_gives_304_with_empty_body(base, accept):
    doc = f"{base}doc/{LETTER}"
    first = get(doc, accept)
    etag = first.headers["ETag"]
    again = get(doc, accept, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers.get("ETag") == etag
    assert "accept" in tokens(again.headers.get("Vary"))


def test_if_none_match_of_another_representation_is_a_full_200(base):
    """The Turtle ETag does not validate the HTML page: a 304 here would show a browser Turtle."""
    doc = f"{base}doc/{LETTER}"
    turtle_etag = get(doc, "text/turtle").headers["ETag"]
    r = get(doc, FIREFOX, headers={"If-None-Match": turtle_etag})
    assert r.status_code == 200 and mime(r) == "text/html"
    r = get(f"{doc}.jsonld", headers={"If-None-Match": turtle_etag})
    assert r.status_code == 200 and r.content


def test_if_none_match_star_and_lists(base):
    doc = f"{base}doc/{LETTER}.ttl"
    etag = get(doc).headers["ETag"]
    assert get(doc, headers={"If-None-Match": f'"nope", {etag}'}).status_code == 304
    assert get(doc, headers={"If-None-Match": '"nope"'}).status_code == 200


@pytest.mark.parametrize("path", [f"doc/{LETTER}", f"doc/{LETTER}.html", "context.jsonld", ".well-known/void"])
def test_if_modified_since(base, path):
    first = get(f"{base}{path}", "text/turtle")
    last_modified = first.headers["Last-Modified"]
    when = parsedate_to_datetime(last_modified)
    date = parsedate_to_datetime(first.raw.headers.getlist("Date")[0])
    assert when <= date + dt.timedelta(seconds=5), "Last-Modified is in the future"
    r = get(f"{base}{path}", "text/turtle", headers={"If-Modified-Since": last_modified})
    assert r.status_code == 304 and r.content == b""
    earlier = format_datetime(when - dt.timedelta(days=1), usegmt=True)
    r = get(f"{base}{path}", "text/turtle", headers={"If-Modified-Since": earlier})
    assert r.status_code == 200 and r.content


@pytest.mark.parametrize("path", [f"doc/{LETTER}", f"doc/{LETTER}.nt", f"doc/{SERGE}.html",
                                  ".well-known/void", "context.jsonld"])
def test_cache_control_public_max_age(base, path):
    r = get(f"{base}{path}")
    directives = {d.split("=")[0]: (d.split("=", 1)[1] if "=" in d else True)
                  for d in tokens(r.headers.get("Cache-Control"))}
    assert directives.get("public") is True, r.headers.get("Cache-Control")
    assert int(directives.get("max-age", 0)) > 0, r.headers.get("Cache-Control")
    assert "no-store" not in directives and "private" not in directives


@pytest.mark.parametrize("path", [f"doc/{LETTER}", f"id/{LETTER}", "id/letter/nope", ".well-known/void"])
def test_one_date_header(base, path):
    """RFC 9110 §5.3 and §6.6.1: Date is a singleton field, sent once."""
    r = get(f"{base}{path}")
    dates = r.raw.headers.getlist("Date")
    assert len(dates) == 1, f"{len(dates)} Date headers: {dates}"


# --- Link: alternates and Signposting -------------------------------------------------------

@pytest.mark.parametrize("accept", ["text/turtle", FIREFOX], ids=accept_id)
@pytest.mark.parametrize("thing", THINGS)
def test_link_alternates_carry_their_true_types(base, thing, accept):
    """Every alternate named, and GET on each one serves exactly the type its link claims."""
    doc = f"{base}doc/{thing}"
    r = get(doc, accept)
    alternates = {link.target: link.type for link in rel(r, "alternate")}
    assert {f"{doc}.{ext}": t for ext, t in ALL_EXTS.items()}.items() <= alternates.items(), alternates
    for target, media_type in alternates.items():
        served = get(target)
        assert served.status_code == 200, target
        assert mime(served) == media_type, (target, media_type, served.headers["Content-Type"])


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("thing", THINGS)
def test_signposting(base, reference, thing, method):
    """Check 10: cite-as, describedby per RDF format, type, author, license — from the data."""
    doc, iri = f"{base}doc/{thing}", f"{base}id/{thing}"
    r = get(doc, FIREFOX, method=method)
    assert [link.target for link in rel(r, "cite-as")] == [iri]
    described = {link.target: link.type for link in rel(r, "describedby")}
    for ext, (media_type, _) in RDF_EXTS.items():
        assert described.get(f"{doc}.{ext}") == media_type, described
    graph = reference(thing)
    node = rdflib.URIRef(iri)
    classes = {str(t) for t in graph.objects(node, RDF.type)}
    assert classes, "the thing has no class"
    assert {link.target for link in rel(r, "type")} == {ABOUT_PAGE} | classes
    assert {link.target for link in rel(r, "author")} == {str(a) for a in graph.objects(node, AUTHOR)}
    licenses = {str(o) for p in LICENSES for o in graph.objects(node, p) if isinstance(o, rdflib.URIRef)}
    assert {link.target for link in rel(r, "license")} == licenses


@pytest.mark.parametrize("thing", [LETTER, TEXT])
def test_author_of_the_letter_is_serge(base, thing):
    r = get(f"{base}doc/{thing}", "text/turtle")
    assert [link.target for link in rel(r, "author")] == [f"{base}id/{SERGE}"]


def test_describedby_targets_serve_their_types(base):
    r = get(f"{base}doc/{LETTER}", FIREFOX)
    links = rel(r, "describedby")
    assert len(links) >= 4
    for link in links:
        served = get(link.target)
        assert served.status_code == 200 and mime(served) == link.type, (link, served.headers["Content-Type"])


# --- HEAD, OPTIONS ---------------------------------------------------------------------------

HEAD_CASES = [  # (path, Accept)
    (f"doc/{LETTER}", "text/turtle"),
    (f"doc/{LETTER}", FIREFOX),
    (f"doc/{LETTER}", profile("expanded")),
    (f"doc/{LETTER}.jsonld", None),
    (f"doc/{SERGE}.rdf", None),
    (f"id/{LETTER}", "text/turtle"),
    ("id/letter/nope", "text/turtle"),
    (f"doc/{LETTER}", "image/png"),
    ("", FIREFOX),
    ("", "text/turtle"),
    (".well-known/void", "text/turtle"),
    ("context.jsonld", None),
    ("dump/SHA256SUMS", None),
    ("sitemap.xml", None),
    ("label/Victor%20Serge", None),
]
MIRRORED = ("Content-Type", "Vary", "ETag", "Link", "Content-Length", "Location", "Content-Location",
            "Last-Modified", "Cache-Control", "Access-Control-Allow-Origin")


@pytest.mark.parametrize("path, accept", [pytest.param(p, a, id=case_id(p, a)) for p, a in HEAD_CASES])
def test_head_mirrors_get(base, path, accept):
    g = get(f"{base}{path}", accept)
    h = get(f"{base}{path}", accept, method="HEAD")
    assert h.status_code == g.status_code
    assert h.content == b""
    for name in MIRRORED:
        assert h.headers.get(name) == g.headers.get(name), name
    if g.status_code == 200:
        assert int(h.headers["Content-Length"]) == len(g.content)


@pytest.mark.parametrize("path", [f"doc/{LETTER}", f"id/{LETTER}", f"doc/{LETTER}.ttl", "", ".well-known/void",
                                  "context.jsonld", "label/Victor%20Serge"])
def test_options_lists_allowed_methods(base, path):
    r = get(f"{base}{path}", method="OPTIONS")
    assert r.status_code in (200, 204)
    assert {"get", "head", "options"} <= tokens(r.headers.get("Allow")), r.headers.get("Allow")
    assert not {"post", "put", "delete", "patch"} & tokens(r.headers.get("Allow")), r.headers.get("Allow")


# --- CORS --------------------------------------------------------------------------------------

CORS_PATHS = [(f"doc/{LETTER}", "text/turtle"), (f"doc/{LETTER}.jsonld", None), (f"id/{LETTER}", None),
              ("id/letter/nope", None), (f"doc/{LETTER}", "image/png"), ("", "text/turtle"),
              (".well-known/void", None), ("context.jsonld", None), ("label/Victor%20Serge", None),
              ("dump/SHA256SUMS", None)]


@pytest.mark.parametrize("path, accept", [pytest.param(p, a, id=case_id(p, a)) for p, a in CORS_PATHS])
def test_cors_any_origin_without_credentials(base, path, accept):
    r = get(f"{base}{path}", accept, headers={"Origin": "https://example.org"})
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers
    exposed = tokens(r.headers.get("Access-Control-Expose-Headers"))
    assert {"link", "etag", "location", "content-location"} <= exposed, exposed


@pytest.mark.parametrize("path", [f"doc/{LETTER}", f"id/{LETTER}", "context.jsonld"])
def test_cors_preflight(base, path):
    r = get(f"{base}{path}", method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept"})
    assert r.status_code == 204
    assert r.content == b""
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    assert "get" in tokens(r.headers.get("Access-Control-Allow-Methods"))
    allowed = tokens(r.headers.get("Access-Control-Allow-Headers"))
    assert "accept" in allowed or "*" in allowed, allowed
