"""``/sparql``: the SPARQL 1.1 Protocol, read-only, time-limited and capped.

GET ``query=``, POST form-encoded, POST ``application/sparql-query``;
``default-graph-uri`` and ``named-graph-uri``. Updates and SERVICE are refused
before anything is evaluated. With no query, ``GET /sparql`` describes the
service (``sd:Service``) or, to a browser, shows a query form.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from .conneg import NotAcceptable, negotiate
from .formats import FORMATS, GRAPH_ENGINE, RDFXML, RESULTS, RESULTS_ENGINE, TURTLE, JSONLD, NTRIPLES, content_type
from .negotiated import not_acceptable, respond
from .resources import publisher
from .service_description import service_description
from .sparql_engine import Job, QueryError
from .sparql_guard import forbidden, form_of

bp = Blueprint("sparql", __name__)
GRAPHS = (TURTLE, NTRIPLES, RDFXML, JSONLD)
#: ``format=`` values people and clients (SPARQLWrapper, YASGUI) send, per kind of result
FORMAT_NAMES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"},
    "graph": {"ttl": "ttl", "turtle": "ttl", "n3": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
              "rdf": "rdf", "xml": "rdf", "rdf+xml": "rdf", "rdfxml": "rdf",
              "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld"},
}
EXAMPLES = {
    "Letters, senders and recipients": """PREFIX schema: <http://schema.org/>
SELECT ?letter ?title ?sender ?recipient ?date WHERE {
  ?letter a schema:Message ; schema:name ?title ; schema:sender/schema:name ?sender ;
          schema:recipient/schema:name ?recipient .
  OPTIONAL { ?letter schema:dateSent ?date }
} ORDER BY ?date LIMIT 100""",
    "Translations and their translators": """PREFIX schema: <http://schema.org/>
SELECT ?text ?original ?translator WHERE {
  ?text schema:translationOfWork ?original ; schema:translator/schema:name ?translator .
} LIMIT 100""",
    "Where the letter was first printed": """PREFIX schema: <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?article ?issue ?periodical WHERE {
  ?text dcterms:source ?a . ?a schema:name ?article ; schema:isPartOf ?i .
  ?i schema:name ?issue ; schema:isPartOf/schema:name ?periodical .
}""",
    "Everything about Victor Serge": """DESCRIBE ?p WHERE { ?p <http://schema.org/name> "Victor Serge" }""",
    "Triples by class": """SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)""",
}


def _refuse(status: int, message: str) -> Response:
    return Response(f"{status} {message}\n", status=status, content_type="text/plain; charset=utf-8")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """Answer a query, or describe the service when there is none."""
    limit = int(current_app.config["SPARQL_MAX_QUERY_BYTES"])
    if request.content_length and request.content_length > limit:
        return _refuse(413, f"Content Too Large: requests are limited to {limit} bytes")
    if request.method == "POST" and request.mimetype == "application/sparql-update" or "update" in request.values:
        return _refuse(403, "Forbidden: this endpoint is read-only; SPARQL Update is not accepted")
    query, graphs = _query_and_dataset()
    if query is None:
        return description()
    if len(query.encode()) > limit:
        return _refuse(413, f"Content Too Large: queries are limited to {limit} bytes")
    if keyword := forbidden(query):
        what = "SERVICE (federated queries to other hosts)" if keyword == "SERVICE" else \
               f"{keyword} (an update operation; this endpoint is read-only)"
        return _refuse(403 if keyword != "SERVICE" else 400, f"Refused: {what} is not allowed here")
    return answer(query, *graphs)


def _query_and_dataset() -> tuple[str | None, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The query text and dataset parameters, from the URL, a form or a query body."""
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        query, params = request.get_data(as_text=True), request.args
    elif request.method == "POST":
        if request.mimetype != "application/x-www-form-urlencoded":
            abort(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query")
        query, params = request.form.get("query"), request.form
    else:
        query, params = request.args.get("query"), request.args
    if len(params.getlist("query")) > 1:
        abort(400, "exactly one query parameter is allowed")
    return query, (tuple(params.getlist("default-graph-uri")), tuple(params.getlist("named-graph-uri")))


def answer(query: str, default_graphs: tuple, named_graphs: tuple) -> Response:
    """Run the query and send its result in the negotiated format."""
    graph_form = form_of(query) in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPHS if graph_form else RESULTS
    names = FORMAT_NAMES["graph" if graph_form else "results"]
    chosen = request.values.get("format") or request.values.get("output")
    if chosen and chosen.lower() not in names:
        return _refuse(400, f"Bad Request: unknown format {chosen!r}; use one of {', '.join(sorted(names))}")
    try:
        fmt = next(f for f in offers if f.ext == names[chosen.lower()]) if chosen else \
            negotiate(request.headers.get("Accept"), offers)[0]
    except NotAcceptable:
        return not_acceptable(offers, [])
    job = Job(query, default_graphs, named_graphs,
              RESULTS_ENGINE.get(fmt.ext, "JSON"), GRAPH_ENGINE.get(fmt.ext, "TURTLE"),
              int(current_app.config["SPARQL_MAX_RESULT_BYTES"]))
    try:
        kind, body = publisher().sparql(job)
    except QueryError as err:
        return _refuse(err.status, err.message)
    if (kind == "graph") != graph_form:      # form misread: the body is in the default format
        fmt = TURTLE if kind == "graph" else RESULTS[0]
    response = Response(body, content_type=content_type(fmt, "expanded" if fmt is JSONLD else None))
    response.vary.add("Accept")
    response.cache_control.no_cache = True
    return response


def description() -> Response:
    """The service description, negotiated; a query form for browsers."""
    pub = publisher()
    doc = f"{pub.base}sparql"
    return respond(pub, "sparql-service", doc, None, FORMATS, [], suffixes=False,
                   triples=lambda: service_description(pub.base, pub.triples),
                   html=lambda: render_template("sparql.html", base=pub.base, examples=EXAMPLES,
                                                limits=current_app.config, results=RESULTS))
