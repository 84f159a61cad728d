"""Shared fixtures: a build of the real corpus and the real server on a loopback port."""
from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
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
        if getattr(self, "oxigraph", None):
            self.oxigraph.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """A real Oxigraph server (PyPI ``oxigraph``), loaded with a build's dump, read-only."""

    def __init__(self, build_dir: Path, workdir: Path):
        exe = Path(sys.executable).with_name("oxigraph")
        nt = workdir / "data.nt"
        nt.write_bytes(gzip.decompress((build_dir / "dumps" / "epistola.nt.gz").read_bytes()))
        subprocess.run([exe, "load", "--location", workdir / "db", "--file", nt], check=True,
                       capture_output=True)
        self.port = free_port()
        self.process = subprocess.Popen([exe, "serve-read-only", "--location", workdir / "db",
                                         "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}/query"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve-read-only did not start")

    def stop(self):
        self.process.kill()
        self.process.wait(5)


def build_on_port(tmp: Path, corpus: Path = CORPUS, backend: str = "embedded", **settings):
    """Build ``corpus`` with the base URI of a server that will listen on a free port.

    The base URI must be known at build time, so reserve the port first, build for
    it, then serve the build on that same port — from the embedded store, or from
    an Oxigraph server loaded with the build's dump (``backend="oxigraph"``).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    build(corpus, tmp / "build", base)
    config = {"BUILD": str(tmp / "build"), **settings}
    oxigraph = None
    if backend == "oxigraph":
        oxigraph = OxigraphServer(tmp / "build", tmp)
        config["STORE"] = oxigraph.endpoint
    app = create_app(config)
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    server = LiveServer.__new__(LiveServer)
    server.app, server.httpd, server.url, server.oxigraph = app, httpd, base, oxigraph
    server.thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    server.thread.start()
    return server


@pytest.fixture(scope="session", params=["embedded", "oxigraph"])
def live(request, tmp_path_factory):
    """The seed corpus built for, and served on, a loopback port: its base URI is the server's.

    Every test using it runs twice: over the embedded store, and over a real
    Oxigraph server holding the same data (the SPARQL-server back end).
    """
    server = build_on_port(tmp_path_factory.mktemp("live"), backend=request.param)
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
