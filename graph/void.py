"""The dataset's own description: VoID + DCAT, with counts, endpoints and dumps."""
from __future__ import annotations

from collections import Counter

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from .dumps import Dump
from .model import new_graph
from .namespaces import DCAT, DCTERMS, FOAF, PREFIXES, RDF, SD, SDO, VOID, XSD

SPDX = Namespace("http://spdx.org/rdf/terms#")


def dataset_iri(base: str) -> URIRef:
    """The IRI of the dataset, described at ``/.well-known/void``."""
    return URIRef(f"{base}.well-known/void#dataset")


def describe_dataset(graph: Graph, base: str, info: dict, dumps: list[Dump],
                     modified: str, example: str | None) -> Graph:
    """VoID/DCAT for ``graph``: triple and entity counts, class partitions, dumps, SPARQL."""
    g, ds = new_graph(), dataset_iri(base)
    g.bind("sd", SD)
    g.bind("spdx", SPDX)
    for t in (VOID.Dataset, DCAT.Dataset, SDO.Dataset):
        g.add((ds, RDF.type, t))
    lang = info.get("language")
    for key, props in (("title", (DCTERMS.title, SDO.name)), ("description", (DCTERMS.description, SDO.description))):
        if key in info:
            for p in props:
                g.add((ds, p, Literal(info[key], lang=lang)))
    g.add((ds, FOAF.homepage, URIRef(base)))
    if "rights" in info:
        licence = URIRef(f"{base}.well-known/void#licence")
        g.add((ds, DCTERMS.license, licence))
        g.add((licence, RDF.type, DCTERMS.LicenseDocument))
        g.add((licence, DCTERMS.description, Literal(info["rights"], lang=lang)))
    g.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    g.add((ds, VOID.triples, Literal(len(graph))))
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    g.add((ds, VOID.entities, Literal(len(subjects))))
    g.add((ds, VOID.distinctSubjects, Literal(len(set(graph.subjects())))))
    g.add((ds, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    g.add((ds, VOID.rootResource, URIRef(base)))
    if example:
        g.add((ds, VOID.exampleResource, URIRef(example)))
    for ns in sorted({PREFIXES[p] for p in ("dcterms", "schema", "marcrel", "skos", "foaf", "owl", "prov")}):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for cls, n in sorted(Counter(graph.objects(None, RDF.type)).items()):
        part = URIRef(f"{base}.well-known/void#class-{cls.split('/')[-1].split('#')[-1]}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n)))
    for d in dumps:
        _distribution(g, ds, base, d)
    return g


def _distribution(g: Graph, ds: URIRef, base: str, d: Dump) -> None:
    url = URIRef(f"{base}dump/{d.name}")
    g.add((ds, VOID.dataDump, url))
    g.add((ds, DCAT.distribution, url))
    g.add((url, RDF.type, DCAT.Distribution))
    g.add((url, DCAT.downloadURL, url))
    g.add((url, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{d.media_type}")))
    if d.name.endswith(".gz"):
        g.add((url, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
    g.add((url, DCAT.byteSize, Literal(d.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    g.add((url, SPDX.checksum, checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(d.sha256, datatype=XSD.hexBinary)))
