"""Base-URI independence (check 20): the configured base, never the host a request reached.

The corpus is built for https://data.example.org/ and served on a loopback port;
requests come with ``Host: localhost:5000`` and forwarding headers naming
evil.example, as they would through a misconfigured proxy.
"""
from __future__ import annotations

import json
import re

import pytest
import rdflib

from .conftest import EXAMPLE_BASE
from .support import (
    FIREFOX, LETTER, RDF_PARSERS, SERGE, Page, case_id, get, jsonld_graph, links, mime, profile,
)

HOSTILE = {
    "Host": "localhost:5000",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Port": "5000",
    "X-Forwarded-Prefix": "/evil",
    "Forwarded": "for=192.0.2.1;host=evil.example;proto=http",
}
LEAKS = re.compile(r"127\.0\.0\.1|localhost|evil\.example|/evil/|:5000")

REQUESTS = [  # (path, Accept)
    (f"id/{LETTER}", "text/turtle"),
    (f"id/{LETTER}", FIREFOX),
    (f"doc/{LETTER}", None),
    (f"doc/{LETTER}", "text/turtle"),
    (f"doc/{LETTER}", FIREFOX),
    (f"doc/{LETTER}", "application/ld+json"),
    (f"doc/{LETTER}", profile("expanded")),
    (f"doc/{LETTER}", profile("flattened")),
    (f"doc/{LETTER}.nt", None),
    (f"doc/{LETTER}.rdf", None),
    (f"doc/{SERGE}.html", None),
    (f"doc/{LETTER}", "image/png"),
    ("", FIREFOX),
    ("", "text/turtle"),
    (".well-known/void", "application/ld+json"),
    ("context.jsonld", None),
    ("label/Victor%20Serge", None),
    ("sitemap.xml", None),
    ("robots.txt", None),
    ("dump/SHA256SUMS", None),
    ("id/letter/nope", FIREFOX),
    ("doc/letter/nope", None),
    (f"doc/{LETTER}/", None),
]


def fetch(example, path, accept):
    return get(f"{example.url}{path}", accept, headers=HOSTILE)


@pytest.mark.parametrize("path, accept", [pytest.param(p, a, id=case_id(p, a)) for p, a in REQUESTS])
def test_no_other_host_leaks(example, path, accept):
    r = fetch(example, path, accept)
    assert r.status_code < 500, (r.status_code, r.text[:300])
    for name, value in r.headers.items():
        if name.lower() not in ("server", "date"):
            assert not LEAKS.search(value), f"{name}: {value}"
    assert not LEAKS.search(r.text), LEAKS.search(r.text).group(0) + " in " + \
        r.text[max(0, LEAKS.search(r.text).start() - 80):LEAKS.search(r.text).end() + 40]


@pytest.mark.parametrize("path, accept", [pytest.param(p, a, id=case_id(p, a)) for p, a in REQUESTS])
def test_locations_and_link_targets_use_the_base(example, path, accept):
    r = fetch(example, path, accept)
    for name in ("Location", "Content-Location"):
        if name in r.headers:
            assert r.headers[name].startswith(EXAMPLE_BASE), f"{name}: {r.headers[name]}"
    for link in links(r):
        if link.rel in ("alternate", "describedby", "cite-as", "author", "canonical", "collection", "item"):
            assert link.target.startswith(EXAMPLE_BASE), link


def test_thing_redirect_uses_the_base(example):
    r = fetch(example, f"id/{LETTER}", "text/turtle")
    assert r.status_code == 303
    assert r.headers["Location"] == f"{EXAMPLE_BASE}doc/{LETTER}"


def test_label_redirect_uses_the_base(example):
    r = fetch(example, "label/Victor%20Serge", None)
    assert r.status_code == 302
    assert r.headers["Location"] == f"{EXAMPLE_BASE}id/{SERGE}"


@pytest.mark.parametrize("path, accept", [
    (f"doc/{LETTER}", "text/turtle"), (f"doc/{LETTER}.nt", None), (f"doc/{LETTER}.rdf", None),
    (f"doc/{SERGE}", "text/turtle"), (".well-known/void", "text/turtle"), ("", "application/n-triples"),
])
def test_every_subject_iri_uses_the_base(example, path, accept):
    r = fetch(example, path, accept)
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.content, format=RDF_PARSERS[mime(r)], publicID=EXAMPLE_BASE)
    subjects = {str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)}
    assert subjects
    assert all(s.startswith(EXAMPLE_BASE) for s in subjects), sorted(subjects)


@pytest.mark.parametrize("accept", ["application/ld+json", profile("flattened")])
def test_jsonld_names_the_context_under_the_base(example, accept):
    r = fetch(example, f"doc/{LETTER}", accept)
    doc = r.json()
    assert doc["@context"] == f"{EXAMPLE_BASE}context.jsonld"

    def from_loopback(url, options=None):
        """The context lives at {EXAMPLE_BASE}context.jsonld: fetch it from the loopback server."""
        assert url == f"{EXAMPLE_BASE}context.jsonld", url
        context = fetch(example, "context.jsonld", "application/ld+json").json()
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": context}
    graph = jsonld_graph(doc, from_loopback)
    subjects = {str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)}
    assert f"{EXAMPLE_BASE}id/{LETTER}" in subjects
    assert all(s.startswith(EXAMPLE_BASE) for s in subjects), subjects


def test_html_links_use_the_base(example):
    r = fetch(example, f"doc/{LETTER}", FIREFOX)
    page = Page(r.text)
    ours = [href for href, _ in page.anchors if "/doc/" in href or "/id/" in href]
    assert ours and all(h.startswith(EXAMPLE_BASE) for h in ours), ours
    alternates = [link["href"] for link in page.links if "alternate" in link.get("rel", "")]
    assert alternates and all(h.startswith(EXAMPLE_BASE) for h in alternates), alternates
    embedded = json.loads(page.jsonld_scripts()[0])
    assert f'"{EXAMPLE_BASE}id/{LETTER}"' in json.dumps(embedded)
