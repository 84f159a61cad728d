"""SPARQL 1.1 Protocol at /sparql, with real clients, over both store back ends."""
from __future__ import annotations

import csv
import re
import io
import json

import pytest
import requests
from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.conftest import SEED

SELECT = """PREFIX schema: <http://schema.org/>
SELECT ?name ?date WHERE { ?l a schema:Message ; schema:sender/schema:name ?name ; schema:dateSent ?date }"""
ASK = "ASK { ?l <http://schema.org/recipient> ?r }"
CONSTRUCT = "CONSTRUCT { ?l <http://schema.org/recipient> ?r } WHERE { ?l <http://schema.org/recipient> ?r }"


def wrapper(live, query: str, fmt, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(f"{live.url}sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(live, method):
    result = wrapper(live, SELECT, JSON, method).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = result.convert()["results"]["bindings"]
    assert [(r["name"]["value"], r["date"]["value"], r["date"]["datatype"]) for r in rows] == \
        [("Victor Serge", "1917-03-19", "http://www.w3.org/2001/XMLSchema#date")]


def test_select_xml(live):
    doc = wrapper(live, SELECT, XML).query().convert()
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert values == ["Victor Serge", "1917-03-19"]


@pytest.mark.parametrize("fmt, delimiter, ctype", [(CSV, ",", "text/csv"), (TSV, "\t", "text/tab-separated-values")])
def test_select_csv_tsv(live, fmt, delimiter, ctype):
    result = wrapper(live, SELECT, fmt).query()
    assert result.response.headers["Content-Type"].startswith(ctype)
    text = result.convert().decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[0] in (["name", "date"], ["?name", "?date"])
    assert "Victor Serge" in rows[1][0]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(live, fmt):
    converted = wrapper(live, ASK, fmt).query().convert()
    value = converted["boolean"] if fmt == JSON else \
        converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert value is True


@pytest.mark.parametrize("fmt, ctype", [(TURTLE, "text/turtle"), (RDFXML, "application/rdf+xml"),
                                        (JSONLD, "application/ld+json"), (N3, "text/turtle")])
def test_construct_in_every_rdf_format(live, fmt, ctype):
    result = wrapper(live, CONSTRUCT, fmt).query()
    assert result.response.headers["Content-Type"].startswith(ctype)
    g = result.convert()
    if not isinstance(g, Graph):
        g = Graph().parse(data=g, format={TURTLE: "turtle", N3: "turtle"}.get(fmt, "json-ld"))
    assert (URIRef(f"{live.url}id/letter/{SEED}"), URIRef("http://schema.org/recipient"),
            URIRef(f"{live.url}id/person/emile-armand")) in g
    assert len(g) == 1


def test_describe_matches_the_document(live):
    query = f"DESCRIBE <{live.url}id/person/jean-maitron>"
    r = requests.get(f"{live.url}sparql", params={"query": query}, headers={"Accept": "application/n-triples"},
                     timeout=10)
    assert r.headers["Content-Type"].startswith("application/n-triples")
    described = Graph().parse(data=r.text, format="nt")
    doc = Graph().parse(data=requests.get(f"{live.url}doc/person/jean-maitron.nt", timeout=10).text, format="nt")
    assert isomorphic(described, doc)


def test_rdflib_sparqlstore_reads_through_the_endpoint(live):
    g = Graph(store=SPARQLStore(f"{live.url}sparql", returnFormat="json"))
    rows = list(g.query(f"SELECT ?t WHERE {{ <{live.url}id/text/{SEED}> <http://schema.org/translator> ?p . "
                        f"?p <http://schema.org/name> ?t }}"))
    assert [r[0] for r in rows] == [Literal("Mitchell Abidor")]
    assert (URIRef(f"{live.url}id/person/victor-serge"), URIRef("http://schema.org/birthDate"), None) in g


def test_post_form_and_post_query_body_agree(live):
    url = f"{live.url}sparql"
    h = {"Accept": "application/sparql-results+json"}
    form = requests.post(url, data={"query": SELECT}, headers=h, timeout=10)
    body = requests.post(url, data=SELECT.encode(), timeout=10,
                         headers={**h, "Content-Type": "application/sparql-query"})
    assert form.status_code == body.status_code == 200
    assert form.json() == body.json()
    assert form.json()["results"]["bindings"][0]["name"]["value"] == "Victor Serge"


def test_format_parameter_for_humans(live):
    r = requests.get(f"{live.url}sparql", params={"query": SELECT, "format": "csv"}, timeout=10)
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.text.splitlines()[1] == "Victor Serge,1917-03-19"


def test_default_and_named_graph_parameters(live):
    url = f"{live.url}sparql"
    empty = requests.get(url, params={"query": SELECT, "default-graph-uri": "http://example.org/none"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert empty.status_code == 200 and empty.json()["results"]["bindings"] == []
    named = requests.post(url, timeout=10, headers={"Accept": "application/sparql-results+json"},
                          data={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                "named-graph-uri": "http://example.org/g"})
    assert named.status_code == 200 and named.json()["results"]["bindings"] == []


def test_malformed_query_gives_400_with_position(live):
    r = requests.get(f"{live.url}sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, timeout=10)
    assert r.status_code == 400
    assert re.search(r"error at 1:\d+: expected", r.text), r.text
    assert "Traceback" not in r.text


def test_not_acceptable_result_format(live):
    r = requests.get(f"{live.url}sparql", params={"query": SELECT}, headers={"Accept": "image/png"}, timeout=10)
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text


def test_cors_on_sparql(live):
    r = requests.get(f"{live.url}sparql", params={"query": ASK}, headers={"Origin": "https://yasgui.example"},
                     timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == "*"


SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_service_description_in_every_rdf_format(live, accept, fmt):
    r = requests.get(f"{live.url}sparql", headers={"Accept": accept}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
    if fmt == "json-ld":
        context = requests.get(f"{live.url}context.jsonld", timeout=10).json()
        data = r.json()
        data["@context"] = context["@context"]
        g = Graph().parse(data=json.dumps(data), format="json-ld")
    else:
        g = Graph().parse(data=r.text, format=fmt)
    service = next(g.subjects(URIRef(SD + "endpoint"), URIRef(f"{live.url}sparql")))
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    formats = set(g.objects(service, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    dataset = g.value(service, URIRef(SD + "defaultDataset"))
    assert dataset == URIRef(f"{live.url}.well-known/void#dataset")


def test_query_page_for_browsers_needs_no_cdn(live):
    r = requests.get(f"{live.url}sparql", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=10)
    assert r.headers["Content-Type"].startswith("text/html")
    page = etree.HTML(r.content)
    assert page.xpath("//form[@action]")[0].get("action") == f"{live.url}sparql"
    assert "Victor Serge" in r.text                     # an example query about the letter
    external = [u for u in page.xpath("//script/@src | //link[@rel='stylesheet']/@href")
                if not u.startswith(live.url)]
    assert external == []
