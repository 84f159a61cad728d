"""Fixtures of the HTTP suite (on top of ``live`` from tests/conftest.py)."""
from __future__ import annotations

import pytest

from graph.build import build
from server import create_app
from tests.conftest import CORPUS, LiveServer

from .support import get, rdf_graph

EXAMPLE_BASE = "https://data.example.org/"


@pytest.fixture(scope="session")
def base(live) -> str:
    """The live server's URL, which is also the base URI its build was made with."""
    return live.url


@pytest.fixture(scope="session")
def reference(base):
    """``reference(thing)``: the Turtle graph of a thing's document (fetched once per session)."""
    cache = {}

    def graph(thing: str):
        if thing not in cache:
            r = get(f"{base}doc/{thing}", "text/turtle")
            assert r.status_code == 200, (thing, r.status_code, r.text[:300])
            cache[thing] = rdf_graph(r.content, "text/turtle", base)
        return cache[thing]
    return graph


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """The corpus built for https://data.example.org/ but served on a loopback port.

    Requests reach it as http://127.0.0.1:PORT/; every URI it answers with must
    still be https://data.example.org/….
    """
    out = tmp_path_factory.mktemp("example") / "build"
    build(CORPUS, out, EXAMPLE_BASE)
    server = LiveServer(create_app({"BUILD": str(out)}))
    yield server
    server.stop()
