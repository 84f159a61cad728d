"""Dereferencing the seed's things as linked-data clients do: rdflib, pyld, a browser.

research/linked-data.md §6, checks 1–4 and 9.
"""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib import RDF
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from .support import (
    ALL_EXTS, ARMAND, JSONLD_NS, LETTER, RDF_EXTS, SERGE, THINGS, Page, clear_pyld_caches, get,
    jsonld_graph, loader, mime, params, profile, rdf_graph, refuse_all,
)

SCHEMA = ("http://schema.org/", "https://schema.org/")


def explain(expected: rdflib.Graph, got: rdflib.Graph) -> str:
    """A short diff of two graphs for an assertion message."""
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    return (f"{len(expected)} vs {len(got)} triples; only in the Turtle: "
            f"{sorted(map(str, only_expected))[:5]}; only here: {sorted(map(str, only_got))[:5]}")


# --- 303 See Other -------------------------------------------------------------------

@pytest.mark.parametrize("accept", [None, "text/turtle", "text/html", "application/ld+json"])
@pytest.mark.parametrize("thing", THINGS)
def test_thing_uri_answers_303_to_its_document(base, thing, accept):
    r = get(f"{base}id/{thing}", accept)
    assert r.status_code == 303, (r.status_code, r.text[:200])
    assert r.headers["Location"] in (f"{base}doc/{thing}", f"{base}doc/{thing}.ttl")


def test_thing_303_varies_on_accept(base):
    r = get(f"{base}id/{LETTER}", "text/turtle")
    assert r.status_code == 303
    assert "accept" in {t.strip().lower() for t in r.headers.get("Vary", "").split(",")}


@pytest.mark.parametrize("thing", THINGS)
def test_rdflib_dereferences_thing_uri(base, reference, thing, monkeypatch):
    """``Graph().parse(thing_uri)``: rdflib's own Accept, follows the 303, gets the thing's triples."""
    for name in ("no_proxy", "NO_PROXY"):      # rdflib uses urllib: keep any proxy off loopback
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    uri = rdflib.URIRef(f"{base}id/{thing}")
    graph = rdflib.Graph()
    graph.parse(str(uri))
    own = list(graph.triples((uri, None, None)))
    assert len(own) >= 3, f"only {len(own)} triples about {uri}"
    assert list(graph.objects(uri, RDF.type)), f"{uri} has no rdf:type"
    assert isomorphic(graph, reference(thing)), explain(reference(thing), graph)


def test_letter_turtle_states_the_facts_of_check_2(base, reference):
    """Check 2: creator (dcterms and schema), recipient, translation, source — as IRIs of ours."""
    g = reference(LETTER)
    letter = rdflib.URIRef(f"{base}id/{LETTER}")
    serge, armand = rdflib.URIRef(f"{base}id/{SERGE}"), rdflib.URIRef(f"{base}id/{ARMAND}")
    DCT, SDO = rdflib.Namespace("http://purl.org/dc/terms/"), rdflib.Namespace("http://schema.org/")
    assert (letter, DCT.creator, serge) in g
    assert (letter, SDO.author, serge) in g
    assert (letter, SDO.recipient, armand) in g
    assert (letter, RDF.type, SDO.Message) in g
    translation = rdflib.URIRef(f"{base}id/text/{LETTER.split('/', 1)[1]}")
    assert (letter, SDO.workTranslation, translation) in g
    sent = g.value(letter, SDO.dateSent)
    assert sent == rdflib.Literal("1917-03-19", datatype=rdflib.XSD.date)


# --- pyld ------------------------------------------------------------------------------

@pytest.mark.parametrize("thing", THINGS)
def test_pyld_expands_with_nothing_fetched_but_our_context(base, reference, thing):
    """The compacted JSON-LD names ``{base}context.jsonld``; pyld gets it from us and nowhere else."""
    r = get(f"{base}doc/{thing}", "application/ld+json")
    assert r.status_code == 200 and mime(r) == "application/ld+json"
    doc = r.json()
    assert doc["@context"] == f"{base}context.jsonld"
    clear_pyld_caches()
    fetched: list[str] = []
    graph = jsonld_graph(doc, loader(base, fetched))
    assert fetched and set(fetched) == {f"{base}context.jsonld"}, fetched
    assert len(graph) > 0 and isomorphic(graph, reference(thing)), explain(reference(thing), graph)


def test_our_loader_really_refuses_other_hosts(base):
    """The guard of the test above: a context on another host makes expansion fail."""
    from pyld import jsonld
    doc = {"@context": "https://schema.org/", "@id": f"{base}x", "name": "x"}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(doc, {"documentLoader": loader(base)})


# --- every representation, one graph ----------------------------------------------------

REPRESENTATIONS = [  # (id, path suffix, Accept, expected media type)
    ("ttl", ".ttl", None, "text/turtle"),
    ("nt", ".nt", None, "application/n-triples"),
    ("rdf", ".rdf", None, "application/rdf+xml"),
    ("jsonld", ".jsonld", None, "application/ld+json"),
    ("neg-nt", "", "application/n-triples", "application/n-triples"),
    ("neg-rdf", "", "application/rdf+xml", "application/rdf+xml"),
    ("expanded", "", profile("expanded"), "application/ld+json"),
    ("compacted", "", profile("compacted"), "application/ld+json"),
    ("flattened", "", profile("flattened"), "application/ld+json"),
    ("format-nt", "?format=nt", None, "application/n-triples"),
    ("format-jsonld", "?format=jsonld", "text/html", "application/ld+json"),
]


@pytest.mark.parametrize("suffix, accept, media_type",
                         [pytest.param(*row[1:], id=row[0]) for row in REPRESENTATIONS])
@pytest.mark.parametrize("thing", THINGS)
def test_every_representation_is_the_same_graph(base, reference, thing, suffix, accept, media_type):
    expected = reference(thing)
    assert (rdflib.URIRef(f"{base}id/{thing}"), RDF.type, None) in expected
    r = get(f"{base}doc/{thing}{suffix}", accept)
    assert r.status_code == 200, (r.status_code, r.text[:200])
    assert mime(r) == media_type
    graph = rdf_graph(r.content, media_type, base)
    assert isomorphic(graph, expected), explain(expected, graph)


JSONLD_FORMS = [  # (Accept, what the body must look like, profile echoed in Content-Type)
    (profile("expanded"), "expanded", "expanded"),
    (profile("compacted"), "compacted", "compacted"),
    (profile("flattened"), "flattened", "flattened"),
    ("application/ld+json", "compacted", "compacted"),
    ('application/ld+json; profile="http://example.org/unknown-profile"', "compacted", "compacted"),
    (f'application/ld+json;profile="{JSONLD_NS}flattened";q=0.9, text/turtle;q=0.1', "flattened", "flattened"),
]


@pytest.mark.parametrize("accept, form, echoed", JSONLD_FORMS)
def test_jsonld_profile_selects_the_document_form(base, accept, form, echoed):
    """Check 4: the profile parameter picks expanded / compacted / flattened; unknown → compacted, 200."""
    r = get(f"{base}doc/{LETTER}", accept)
    assert r.status_code == 200
    assert mime(r) == "application/ld+json"
    assert params(r.headers["Content-Type"]).get("profile") == JSONLD_NS + echoed
    doc = r.json()
    if form == "expanded":
        assert isinstance(doc, list) and doc
        assert all("@context" not in node for node in doc)
        assert all(key.startswith(("@", "http://", "https://")) for node in doc for key in node)
    elif form == "flattened":
        assert isinstance(doc, dict) and isinstance(doc.get("@graph"), list)
        # every node object sits at the top level: values only *reference* nodes
        for node in doc["@graph"]:
            for key, values in node.items():
                if key.startswith("@"):
                    continue
                for v in values if isinstance(values, list) else [values]:
                    if isinstance(v, dict) and "@id" in v:
                        assert set(v) == {"@id"}, f"nested node under {key}: {v}"
        ids = {node["@id"] for node in doc["@graph"]}
        assert f"{base}id/{LETTER}" in ids
    else:
        assert isinstance(doc, dict) and doc["@context"] == f"{base}context.jsonld"


# --- the HTML page ----------------------------------------------------------------------

@pytest.mark.parametrize("thing", THINGS)
def test_html_page_embeds_the_data_and_links_every_format(base, reference, thing):
    """Check 9: one JSON-LD script (schema.org, the same graph), <link rel=alternate> per format."""
    doc = f"{base}doc/{thing}"
    r = get(doc, "text/html")
    assert r.status_code == 200 and mime(r) == "text/html"
    page = Page(r.text)
    scripts = page.jsonld_scripts()
    assert len(scripts) == 1, f"{len(scripts)} JSON-LD scripts"
    embedded = jsonld_graph(json.loads(scripts[0]), refuse_all)   # self-contained: no fetch at all
    thing_iri = rdflib.URIRef(f"{base}id/{thing}")
    types = {str(t) for t in embedded.objects(thing_iri, RDF.type)}
    assert any(t.startswith(SCHEMA) for t in types), f"no schema.org type for {thing_iri}: {types}"
    assert isomorphic(embedded, reference(thing)), explain(reference(thing), embedded)
    alternates = {(a.get("type"), a.get("href")) for a in page.links if "alternate" in a.get("rel", "").split()}
    for ext, media_type in ALL_EXTS.items():
        assert (media_type, f"{doc}.{ext}") in alternates, (media_type, alternates)


@pytest.mark.parametrize("thing", THINGS)
def test_html_page_names_things_by_their_labels(base, thing):
    """Links to our own things read as labels, never as bare IRIs; the title is the thing's name."""
    page = Page(get(f"{base}doc/{thing}", "text/html").text)
    assert page.h1.strip() and not page.h1.strip().startswith("http"), page.h1
    assert page.title.strip() and "http" not in page.title, page.title
    ours = [(href, text) for href, text in page.anchors if href.startswith(f"{base}doc/")]
    assert ours, "no link to any other thing of ours"
    bare = [(href, text) for href, text in ours if not text or text.startswith(("http:", "https:"))]
    assert not bare, f"links shown as bare IRIs: {bare}"


def test_letter_page_reads_as_the_letter(base):
    page = Page(get(f"{base}doc/{LETTER}", "text/html").text)
    assert "Letter to Emile Armand" in page.h1
    assert "Victor Serge" in page.text
    assert "Armand" in page.text
    anchors = dict(page.anchors)
    assert anchors.get(f"{base}doc/{SERGE}") == "Victor Serge"
    assert "1917-03-19" in page.text


@pytest.mark.parametrize("ext", RDF_EXTS)
def test_html_page_offers_each_format_as_a_visible_link(base, ext):
    page = Page(get(f"{base}doc/{LETTER}", "text/html").text)
    assert f"{base}doc/{LETTER}.{ext}" in {href for href, _ in page.anchors}
