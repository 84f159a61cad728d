"""Dataset-level endpoints: landing page, VoID, dumps and checksums, context, labels, crawlers.

research/linked-data.md §6, checks 17–18; SPEC "Dataset-level endpoints".
"""
from __future__ import annotations

import gzip
import hashlib
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib import RDF
from rdflib.compare import isomorphic

from .support import (
    ARMAND, FIREFOX, LETTER, SERGE, TEXT, THINGS, Page, get, jsonld_graph, loader, mime, params,
    rdf_graph, tokens,
)

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def void(base):
    """(graph, dataset node) of /.well-known/void as Turtle."""
    r = get(f"{base}.well-known/void", "text/turtle")
    assert r.status_code == 200 and mime(r) == "text/turtle"
    graph = rdf_graph(r.content, "text/turtle", base)
    datasets = set(graph.subjects(RDF.type, VOID.Dataset))
    assert len(datasets) == 1, datasets
    return graph, datasets.pop()


# --- landing page ------------------------------------------------------------------------

def test_landing_page_for_a_browser(base):
    r = get(base, FIREFOX)
    assert r.status_code == 200 and mime(r) == "text/html"
    page = Page(r.text)
    hrefs = {href for href, _ in page.anchors}
    assert f"{base}doc/{LETTER}" in hrefs and f"{base}doc/{TEXT}" in hrefs
    assert f"{base}.well-known/void" in hrefs
    assert any(h.startswith(f"{base}dump/") for h in hrefs)
    assert page.title.strip()
    assert "accept" in tokens(r.headers.get("Vary"))


@pytest.mark.parametrize("accept, media_type", [("text/turtle", "text/turtle"),
                                                ("application/ld+json", "application/ld+json"),
                                                ("application/n-triples", "application/n-triples"),
                                                ("application/rdf+xml", "application/rdf+xml")])
def test_landing_page_is_the_dataset_description_by_negotiation(base, void, accept, media_type):
    r = get(base, accept)
    assert r.status_code == 200 and mime(r) == media_type
    assert "accept" in tokens(r.headers.get("Vary"))
    graph = rdf_graph(r.content, media_type, base)
    assert isomorphic(graph, void[0])


# --- VoID ----------------------------------------------------------------------------------

def test_void_counts_endpoints_dumps(base, void):
    graph, dataset = void
    triples = graph.value(dataset, VOID.triples)
    assert isinstance(triples, rdflib.Literal) and isinstance(triples.toPython(), int)
    assert triples.toPython() > 100
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{base}sparql")
    dumps = {str(d) for d in graph.objects(dataset, VOID.dataDump)}
    assert dumps and all(d.startswith(f"{base}dump/") for d in dumps), dumps
    assert any(d.endswith(".nt.gz") for d in dumps), dumps
    assert set(graph.objects(dataset, VOID.vocabulary)), "no void:vocabulary"
    assert graph.value(dataset, VOID.exampleResource) == rdflib.URIRef(f"{base}id/{LETTER}")


def test_void_names_a_license(void):
    """SPEC: the VoID + DCAT description carries the license (and check 17: dcterms:license)."""
    graph, dataset = void
    licenses = set(graph.objects(dataset, DCT.license)) | \
        set(graph.objects(dataset, rdflib.URIRef("http://schema.org/license")))
    assert licenses, "the dataset description names no license"


@pytest.mark.parametrize("ext, media_type", [("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
                                             ("rdf", "application/rdf+xml")])
def test_void_in_every_format_is_one_graph(base, void, ext, media_type):
    r = get(f"{base}.well-known/void.{ext}")
    assert r.status_code == 200 and mime(r) == media_type
    assert isomorphic(rdf_graph(r.content, media_type, base), void[0])


# --- dumps ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dumps(base, void):
    """{url: bytes} of every void:dataDump, downloaded once."""
    graph, dataset = void
    out = {}
    for url in sorted(str(d) for d in graph.objects(dataset, VOID.dataDump)):
        r = get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert r.content, url
        out[url] = r
    return out


def _dump_graph(base, url, body: bytes) -> tuple[rdflib.Graph, int | None]:
    """(graph, number of N-Triples lines or None) of one dump."""
    if url.endswith(".nt.gz"):
        text = gzip.decompress(body).decode("utf-8")
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        return rdf_graph(text.encode(), "application/n-triples", base), len(lines)
    if url.endswith(".nt"):
        lines = [ln for ln in body.decode().splitlines() if ln.strip() and not ln.startswith("#")]
        return rdf_graph(body, "application/n-triples", base), len(lines)
    if url.endswith(".ttl"):
        return rdf_graph(body, "text/turtle", base), None
    if url.endswith((".jsonld", ".json")):
        return jsonld_graph(json.loads(body), loader(base)), None
    pytest.fail(f"unexpected dump {url}")


def test_ntriples_dump_has_exactly_void_triples(base, void, dumps):
    graph, dataset = void
    expected = graph.value(dataset, VOID.triples).toPython()
    [url] = [u for u in dumps if u.endswith(".nt.gz")]
    r = dumps[url]
    assert mime(r) in ("application/gzip", "application/x-gzip", "application/n-triples"), \
        r.headers["Content-Type"]
    assert r.content[:2] == b"\x1f\x8b", "not gzip"
    dump, lines = _dump_graph(base, url, r.content)
    assert lines == expected, f"{lines} N-Triples lines, void:triples {expected}"
    assert len(dump) == expected, f"{len(dump)} distinct triples, void:triples {expected}"


def test_every_dump_is_the_same_dataset(base, void, dumps):
    graph, dataset = void
    expected = graph.value(dataset, VOID.triples).toPython()
    graphs = {url: _dump_graph(base, url, r.content)[0] for url, r in dumps.items()}
    assert len(graphs) >= 2
    first_url, first = next(iter(graphs.items()))
    for url, g in graphs.items():
        assert len(g) == expected, (url, len(g))
        assert isomorphic(g, first), f"{url} and {first_url} differ"
    # and the dataset holds every seed thing
    subjects = {str(s) for s in first.subjects()}
    assert {f"{base}id/{t}" for t in THINGS} <= subjects


def test_sha256sums_match_the_downloads(base, void, dumps):
    r = get(f"{base}dump/SHA256SUMS")
    assert r.status_code == 200 and mime(r) == "text/plain"
    sums = {}
    for line in r.text.splitlines():
        digest, name = line.split(None, 1)
        sums[name.lstrip("*")] = digest.lower()
    for url, response in dumps.items():
        name = url.rsplit("/", 1)[1]
        assert name in sums, f"{name} has no line in SHA256SUMS"
        assert hashlib.sha256(response.content).hexdigest() == sums[name], name
    # the DCAT description states the same checksums
    graph, _ = void
    for url in dumps:
        for checksum in graph.objects(rdflib.URIRef(url), SPDX.checksum):
            value = str(graph.value(checksum, SPDX.checksumValue)).lower()
            assert value == sums[url.rsplit("/", 1)[1]], url


def test_sha256sums_content_type_is_well_formed(base):
    """One charset parameter, not ``text/plain; charset=utf-8; charset=utf-8``."""
    value = get(f"{base}dump/SHA256SUMS").headers["Content-Type"]
    assert value.lower().count("charset=") == 1, value
    assert params(value)["charset"].lower() == "utf-8"


def test_dump_conditional_and_unknown(base, dumps):
    url = next(iter(dumps))
    etag = dumps[url].headers.get("ETag")
    assert etag
    assert get(url, headers={"If-None-Match": etag}).status_code == 304
    assert get(f"{base}dump/nope.nt.gz").status_code == 404
    assert get(f"{base}dump/..%2Fmanifest.json").status_code == 404


# --- JSON-LD context -------------------------------------------------------------------------

def test_context_is_served_as_json_with_a_context(base):
    r = get(f"{base}context.jsonld")
    assert r.status_code == 200
    assert mime(r) in ("application/ld+json", "application/json")
    doc = r.json()
    assert isinstance(doc.get("@context"), dict) and doc["@context"]
    # it does not pull in anything from elsewhere
    remote = [v for k, v in doc["@context"].items() if k in ("@import", "@context") or
              (isinstance(v, dict) and isinstance(v.get("@context"), str))]
    assert not remote, remote
    assert r.headers.get("ETag") and r.headers.get("Access-Control-Allow-Origin") == "*"


# --- /label -----------------------------------------------------------------------------------

LABELS = [  # (label as sent in the path, the thing it names)
    ("Victor%20Serge", SERGE),
    ("victor%20serge", SERGE),
    ("VICTOR%20SERGE", SERGE),
    ("Victor%20Kibaltchiche", SERGE),
    ("le%20r%C3%A9tif", SERGE),
    ("E.%20Armand", ARMAND),
    ("e.%20armand", ARMAND),
    ("%C3%89mile%20Armand", ARMAND),
    ("%C3%A9mile%20armand", ARMAND),
    ("Mitchell%20Abidor", "person/mitchell-abidor"),
    ("Jean%20Maitron", "person/jean-maitron"),
    ("Le%20Mouvement%20Social", "periodical/le-mouvement-social"),
    ("The%20Anarchist%20Library", "organization/the-anarchist-library"),
]


@pytest.mark.parametrize("label, thing", LABELS)
def test_label_lookup_redirects_to_the_thing(base, label, thing):
    r = get(f"{base}label/{label}")
    assert r.status_code == 302, (r.status_code, r.text[:200])
    assert r.headers["Location"] == f"{base}id/{thing}"
    # and the thing dereferences
    assert get(r.headers["Location"]).status_code == 303


@pytest.mark.parametrize("label", ["Nobody%20Here", "Victor", "Serge", "Victor%20Serge%20Junior",
                                   "%22)%20%7C%7C%20(%22", "a%5C", "%2A", ".%2A"])
def test_unknown_label_is_404(base, label):
    r = get(f"{base}label/{label}")
    assert r.status_code == 404, (label, r.status_code, r.headers.get("Location"))
    assert "Location" not in r.headers


# --- crawlers -----------------------------------------------------------------------------------

def test_robots_txt(base):
    r = get(f"{base}robots.txt")
    assert r.status_code == 200 and mime(r) == "text/plain"
    lines = [ln.strip() for ln in r.text.splitlines()]
    assert "User-agent: *" in lines
    assert f"Sitemap: {base}sitemap.xml" in lines


def test_sitemap_lists_the_document_pages(base):
    r = get(f"{base}sitemap.xml")
    assert r.status_code == 200 and mime(r) in ("application/xml", "text/xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs)), "duplicate URLs"
    assert all(loc.startswith(base) for loc in locs), locs
    assert not [loc for loc in locs if loc.startswith(f"{base}id/")], "thing URIs (303s) listed"
    assert {f"{base}doc/{t}" for t in THINGS} <= set(locs)
    for u in root.findall(f"{SITEMAP}url"):
        lastmod = u.findtext(f"{SITEMAP}lastmod")
        if lastmod:
            assert lastmod[:4].isdigit() and lastmod[4] == "-", lastmod


def test_every_sitemap_url_is_a_page(base):
    root = ET.fromstring(get(f"{base}sitemap.xml").content)
    for loc in (u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")):
        r = get(loc, FIREFOX)
        assert r.status_code == 200 and mime(r) == "text/html", (loc, r.status_code)


def test_landing_page_links_are_live(base):
    page = Page(get(base, FIREFOX).text)
    for href in {h for h, _ in page.anchors if h.startswith(base)}:
        r = get(href, FIREFOX)
        assert r.status_code in (200, 302, 303), (href, r.status_code)

