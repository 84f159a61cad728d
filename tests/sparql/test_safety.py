"""A public endpoint survives what people send: updates, SERVICE, runaway queries, huge results."""
from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from bench.synthetic import generate
from tests.conftest import build_on_port

TIMEOUT = 1.5


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A synthetic corpus of 60 texts, served with a short time limit and a small result cap."""
    tmp = tmp_path_factory.mktemp("limited")
    corpus = generate(tmp / "corpus", 60)
    server = build_on_port(tmp, corpus, SPARQL_TIMEOUT=TIMEOUT, SPARQL_MAX_RESULT_BYTES=50_000,
                           SPARQL_MAX_QUERY_BYTES=4096, SPARQL_PROCESSES=1)
    yield server
    server.stop()


UPDATES = [
    "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://x/g>",
    "CREATE GRAPH <http://x/g>",
    "ADD DEFAULT TO <http://x/g>",
    "MOVE DEFAULT TO <http://x/g>",
    "COPY DEFAULT TO <http://x/g>",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("how", ["update-form", "update-body", "query-param"])
def test_every_update_form_is_refused(limited, update, how):
    url = f"{limited.url}sparql"
    if how == "update-form":
        r = requests.post(url, data={"update": update}, timeout=10)
    elif how == "update-body":
        r = requests.post(url, data=update.encode(), headers={"Content-Type": "application/sparql-update"},
                          timeout=10)
    else:
        r = requests.get(url, params={"query": update}, timeout=10)
    assert 400 <= r.status_code < 500
    assert "read-only" in r.text or "not allowed" in r.text
    count = requests.get(url, params={"query": "ASK { <http://x/s> ?p ?o }", "format": "json"}, timeout=10)
    assert count.json()["boolean"] is False


class Listener:
    """A TCP listener on a loopback port that records every connection it gets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port, self.connections, self.running = self.sock.getsockname()[1], 0, True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service silent <http://127.0.0.1:{port}/q> {{ ?s ?x ?y }} }} }} LIMIT 1",
])
def test_service_is_refused_before_any_evaluation(limited, query):
    listener = Listener()
    try:
        r = requests.get(f"{limited.url}sparql", params={"query": query.format(port=listener.port)}, timeout=10)
        time.sleep(0.5)
        assert r.status_code == 400
        assert "SERVICE" in r.text
        assert listener.connections == 0
    finally:
        listener.close()


def test_service_in_a_string_or_iri_is_not_a_service_call(limited):
    query = 'SELECT ?s WHERE { ?s ?p "SERVICE" } LIMIT 1'
    assert requests.get(f"{limited.url}sparql", params={"query": query}, timeout=10).status_code == 200


EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_runaway_query_hits_the_time_limit_and_the_next_query_succeeds(limited):
    url = f"{limited.url}sparql"
    started = time.monotonic()
    r = requests.get(url, params={"query": EXPENSIVE}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert "time limit" in r.text
    assert TIMEOUT <= elapsed < TIMEOUT + 1.5
    after = requests.get(url, params={"query": "ASK { ?s ?p ?o }", "format": "json"}, timeout=10)
    assert after.status_code == 200 and after.json()["boolean"] is True


def test_dereferencing_stays_responsive_during_a_runaway_query(limited):
    url = f"{limited.url}sparql"
    slow = threading.Thread(target=requests.get, args=(url,), kwargs={"params": {"query": EXPENSIVE}, "timeout": 30})
    slow.start()
    time.sleep(0.2)
    started = time.monotonic()
    r = requests.get(f"{limited.url}doc/person/victor-serge.ttl", timeout=10)
    assert r.status_code == 200 and time.monotonic() - started < 0.5
    slow.join()


def test_a_huge_result_hits_the_cap(limited):
    r = requests.get(f"{limited.url}sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=10)
    assert r.status_code == 422
    assert "cap of 50000 bytes" in r.text


def test_an_oversized_request_is_refused(limited):
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 5000
    assert requests.post(f"{limited.url}sparql", data={"query": query}, timeout=10).status_code == 413
    assert requests.get(f"{limited.url}sparql", params={"query": query}, timeout=10).status_code == 413
