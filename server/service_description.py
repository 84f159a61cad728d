"""The SPARQL service description (sd:Service), linked to the VoID dataset."""
from __future__ import annotations

import pyoxigraph as ox

from graph.namespaces import RDF, SD, VOID

_FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def service_description(base: str, triples: int) -> list[ox.Triple]:
    """``sd:Service`` for ``{base}sparql``: language, result formats, default dataset.

    No ``sd:BasicFederatedQuery`` feature: SERVICE is refused.
    """
    n = ox.NamedNode
    service, dataset, graph = n(f"{base}sparql#service"), n(f"{base}.well-known/void#dataset"), ox.BlankNode()
    sd = lambda term: n(f"{SD}{term}")
    out = [
        ox.Triple(service, n(str(RDF.type)), sd("Service")),
        ox.Triple(service, sd("endpoint"), n(f"{base}sparql")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, n(str(RDF.type)), sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, n(str(RDF.type)), sd("Graph")),
        ox.Triple(graph, n(f"{VOID}triples"), ox.Literal(str(triples), datatype=n("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    out += [ox.Triple(service, sd("resultFormat"), n(_FORMATS + f)) for f in RESULT_FORMATS]
    return out
