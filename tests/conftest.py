"""Shared fixtures: a build of the real corpus and the real server on a loopback port."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from graph.build import build
from server import create_app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = "victor-serge-letter-to-emile-armand"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """No EPISTOLA_* setting from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("EPISTOLA_"):
            monkeypatch.delenv(key)


class LiveServer:
    """A real HTTP server (werkzeug, threaded) for an app, on 127.0.0.1 and a free port."""

    def __init__(self, app):
        self.app = app
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()


def build_on_port(tmp: Path, corpus: Path = CORPUS):
    """Build ``corpus`` with the base URI of a server that will listen on a free port.

    The base URI must be known at build time, so reserve the port first, build for
    it, then serve the build on that same port.
    """
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    build(corpus, tmp / "build", base)
    app = create_app({"BUILD": str(tmp / "build")})
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    server = LiveServer.__new__(LiveServer)
    server.app, server.httpd, server.url = app, httpd, base
    server.thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    server.thread.start()
    return server


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The seed corpus built for, and served on, a loopback port: its base URI is the server's."""
    server = build_on_port(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The seed corpus built with the default base URI (for store-level tests)."""
    out = tmp_path_factory.mktemp("built") / "build"
    build(CORPUS, out, "http://localhost:8080/")
    return out


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the corpus, to break on purpose."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest
