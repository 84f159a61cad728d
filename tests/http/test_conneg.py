"""Content negotiation on ``/doc/…``: Accept tables, suffix and ?format= overrides, 404s.

research/linked-data.md §6, checks 5–8 and 19; SPEC "Representations of /doc/…".
"""
from __future__ import annotations

import pytest

from .support import (
    ALL_EXTS, CHROME, FIREFOX, JSONLD_NS, LETTER, OWLAPI, RAPPER, RDF_PARSERS, SAFARI, TRIPLY,
    accept_id, get, mime, params, profile, rdf_graph, rel, tokens,
)

TURTLE, JSONLD, RDFXML, NT, HTML = ("text/turtle", "application/ld+json", "application/rdf+xml",
                                    "application/n-triples", "text/html")
ANY_RDF = {TURTLE, JSONLD, RDFXML, NT}
OFFERED = (TURTLE, JSONLD, RDFXML, NT, HTML)

# (Accept header, acceptable media types of the answer, or 406) — TestMIMEAccept style
ACCEPT_TABLE = [
    # defaults: curl sees data, a browser sees a page (SPEC)
    (None, {TURTLE}),
    ("*/*", {TURTLE}),
    (FIREFOX, {HTML}),
    (CHROME, {HTML}),
    (SAFARI, {HTML}),
    ("text/html", {HTML}),
    # exact types
    ("text/turtle", {TURTLE}),
    ("application/ld+json", {JSONLD}),
    ("application/rdf+xml", {RDFXML}),
    ("application/n-triples", {NT}),
    ("application/x-turtle", {TURTLE}),
    ("TEXT/Turtle", {TURTLE}),
    # q-values
    ("text/turtle;q=0.5, application/ld+json;q=0.9", {JSONLD}),
    ("application/ld+json;q=0, text/turtle", {TURTLE}),
    ("application/ld+json;q=0.2, application/rdf+xml;q=0.7, text/turtle;q=0.4", {RDFXML}),
    ("text/html;q=0, */*", {TURTLE}),
    ("text/html;q=0.1, application/n-triples", {NT}),
    # parameters other than q do not stop a match
    ("text/turtle; charset=utf-8", {TURTLE}),
    ("text/turtle;charset=UTF-8;q=0.9, text/html;q=0.8", {TURTLE}),
    (profile("expanded"), {JSONLD}),
    (profile("flattened"), {JSONLD}),
    (profile("compacted"), {JSONLD}),
    ('application/ld+json; profile="http://example.org/no-such-profile"', {JSONLD}),
    ("application/json", {JSONLD, "application/json"}),
    # wildcards: the answer's type must be one the client named
    ("text/*", {TURTLE, HTML}),
    ("application/*", {JSONLD, RDFXML, NT}),
    ("text/*;q=0.5, application/rdf+xml", {RDFXML}),
    # real RDF clients: an RDF format, never HTML
    (RAPPER, {TURTLE, RDFXML, NT}),
    (TRIPLY, {TURTLE, NT}),
    (OWLAPI, {RDFXML}),
    # nothing acceptable
    ("image/png", 406),
    ("application/pdf, image/*", 406),
    ("text/turtle;q=0", 406),
    ("text/plain", 406),
]


@pytest.mark.parametrize("accept, expected", [pytest.param(a, e, id=accept_id(a)) for a, e in ACCEPT_TABLE])
def test_accept_table(base, accept, expected):
    doc = f"{base}doc/{LETTER}"
    r = get(doc, accept)
    if expected == 406:
        assert r.status_code == 406, (r.status_code, r.headers.get("Content-Type"))
        return
    assert r.status_code == 200, (r.status_code, r.text[:200])
    assert mime(r) in expected, r.headers["Content-Type"]
    assert "accept" in tokens(r.headers.get("Vary")), r.headers.get("Vary")
    # the Content-Type tells the truth about the body
    if mime(r) == HTML:
        assert r.text.lstrip().lower().startswith("<!doctype html")
    else:
        graph = rdf_graph(r.content, JSONLD if mime(r) == "application/json" else mime(r), base)
        assert len(graph) > 0


def test_no_accept_and_star_star_give_the_same_default(base):
    """Check 6: no Accept and */* are the same documented default (same bytes, same ETag)."""
    doc = f"{base}doc/{LETTER}"
    a, b = get(doc, None), get(doc, "*/*")
    assert (a.status_code, mime(a)) == (b.status_code, mime(b)) == (200, TURTLE)
    assert a.headers["ETag"] == b.headers["ETag"]
    assert a.content == b.content


@pytest.mark.parametrize("accept", ["text/turtle; charset=utf-8", "text/turtle", None])
def test_turtle_is_served_as_utf8(base, accept):
    r = get(f"{base}doc/{LETTER}", accept)
    assert params(r.headers["Content-Type"]).get("charset", "").lower() == "utf-8"


@pytest.mark.parametrize("accept", ["image/png", "application/pdf, image/*", "text/turtle;q=0"])
def test_406_lists_what_is_offered(base, accept):
    """Check 7: the 406 body names every offered type, and each is a Link alternate with its type."""
    doc = f"{base}doc/{LETTER}"
    r = get(doc, accept)
    assert r.status_code == 406
    for media_type in OFFERED:
        assert media_type in r.text, f"{media_type} not listed in the 406 body: {r.text!r}"
    alternates = {(link.target, link.type) for link in rel(r, "alternate")}
    for ext, media_type in ALL_EXTS.items():
        assert (f"{doc}.{ext}", media_type) in alternates, alternates
    assert "accept" in tokens(r.headers.get("Vary"))
    assert "Traceback" not in r.text


# --- overrides: the suffix and ?format= win over Accept -------------------------------

OVERRIDES = [  # (what is appended to {D}, Accept sent, media type served)
    (".ttl", "application/ld+json", TURTLE),
    (".ttl", "image/png", TURTLE),
    (".jsonld", "text/turtle", JSONLD),
    (".jsonld", FIREFOX, JSONLD),
    (".rdf", "text/html", RDFXML),
    (".rdf", None, RDFXML),
    (".nt", "application/rdf+xml", NT),
    (".nt", "*/*", NT),
    (".html", "text/turtle", HTML),
    (".html", "image/png", HTML),
    ("?format=ttl", "application/ld+json", TURTLE),
    ("?format=ttl", "image/png", TURTLE),
    ("?format=jsonld", "text/turtle", JSONLD),
    ("?format=rdf", FIREFOX, RDFXML),
    ("?format=nt", "text/html", NT),
    ("?format=html", "text/turtle", HTML),
]


@pytest.mark.parametrize("suffix, accept, media_type",
                         [pytest.param(s, a, t, id=f"{s} {accept_id(a)}") for s, a, t in OVERRIDES])
def test_suffix_and_format_override_accept(base, suffix, accept, media_type):
    r = get(f"{base}doc/{LETTER}{suffix}", accept)
    assert r.status_code == 200, (r.status_code, r.text[:200])
    assert mime(r) == media_type, r.headers["Content-Type"]
    if media_type in RDF_PARSERS:
        assert len(rdf_graph(r.content, media_type, base)) > 0


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf", "nt", "html"])
def test_suffix_and_format_parameter_give_the_same_bytes(base, ext):
    a = get(f"{base}doc/{LETTER}.{ext}")
    b = get(f"{base}doc/{LETTER}?format={ext}")
    assert a.status_code == b.status_code == 200
    assert mime(a) == mime(b) == ALL_EXTS[ext]
    assert a.content == b.content


# --- unknown things and suffixes: 404, never 303 nor an empty 200 ------------------------

NOT_FOUND = [
    f"doc/{LETTER}.xyz",
    f"doc/{LETTER}?format=xyz",
    f"doc/{LETTER}.ttl.xyz",
    "id/letter/nope",
    "doc/letter/nope",
    "doc/letter/nope.ttl",
    "id/person/nope",
    "id/person/victor-serge-letter-to-emile-armand",    # a letter's slug under the wrong type
    "id/nosuchtype/victor-serge",
    "doc/nosuchtype/victor-serge",
]


@pytest.mark.parametrize("path", NOT_FOUND)
@pytest.mark.parametrize("accept", ["text/turtle", None])
def test_unknown_gives_404(base, path, accept):
    r = get(f"{base}{path}", accept)
    assert r.status_code == 404, (r.status_code, r.headers.get("Location"))
    assert "Location" not in r.headers
    assert r.text.strip(), "empty 404 body"


def test_document_with_trailing_slash_has_one_answer(base):
    """Check 19: ``{D}/`` redirects to ``{D}`` (301/308) or is a 404, whatever the Accept header.

    Not a second copy of {D} (a 200 there makes every document exist twice, and
    the answer then depends on Accept: 200 for Turtle, 406 for image/png).
    """
    doc = f"{base}doc/{LETTER}"
    answers = {accept: get(f"{doc}/", accept) for accept in (None, "text/turtle", FIREFOX, "image/png")}
    seen = {accept: (r.status_code, r.headers.get("Location")) for accept, r in answers.items()}
    assert len(set(seen.values())) == 1, f"{doc}/ answers differently by Accept: {seen}"
    status, location = next(iter(seen.values()))
    assert status in (301, 308, 404), f"{doc}/ answered {status}"
    if status != 404:
        assert location == doc


def test_thing_with_trailing_slash_has_one_answer(base):
    thing, doc = f"{base}id/{LETTER}", f"{base}doc/{LETTER}"
    seen = {accept: (r.status_code, r.headers.get("Location"))
            for accept, r in ((a, get(f"{thing}/", a)) for a in (None, "text/turtle", FIREFOX))}
    assert len(set(seen.values())) == 1, seen
    answer = next(iter(seen.values()))
    assert answer in {(303, doc), (301, thing), (308, thing)} or answer[0] == 404, answer


def test_jsonld_profile_in_accept_is_matched_after_q(base):
    """``profile`` with a lower q than Turtle must not win (parameters don't change q)."""
    r = get(f"{base}doc/{LETTER}", f'{profile("expanded")};q=0.1, text/turtle')
    assert mime(r) == TURTLE
    r = get(f"{base}doc/{LETTER}", f'text/turtle;q=0.1, {profile("expanded")}')
    assert mime(r) == JSONLD
    assert params(r.headers["Content-Type"])["profile"] == JSONLD_NS + "expanded"
