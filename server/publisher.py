"""The server's view of one finished build: its store, its metadata, its caches.

Created once per process by ``create_app``; every request reads from it and
nothing writes to it. Rendered representations are cached (per process, LRU)
with their strong ETag, so a popular document is serialized once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

import vocab
from graph import documents
from graph.build import MANIFEST, load_manifest
from graph.errors import BuildError
from graph.harvest import DATABASE
from graph.namespaces import RDF, SDO, VOID
from graph.store import EmbeddedStore, Store

from .lru import LRU
from .oai_records import OaiRecords
from .prerendered import Documents
from .render import Serializer
from .sparql_engine import Job, QueryPool, RemoteEngine

_TYPE, _AUTHOR = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SDO.author))
_ENGINE_LOCK = threading.Lock()
_LICENSES = {"http://purl.org/dc/terms/license", "http://schema.org/license"}


@dataclass(frozen=True)
class Thing:
    """What one thing's description holds, and the facts its headers need."""
    iri: str
    triples: tuple
    types: tuple[str, ...]
    authors: tuple[str, ...]
    licenses: tuple[str, ...]


@dataclass(frozen=True)
class Representation:
    """Rendered bytes with their Content-Type and strong ETag."""
    body: bytes
    content_type: str
    etag: str


def representation(body: bytes, content_type: str) -> Representation:
    """Wrap bytes with a strong ETag: a hash of exactly these bytes."""
    return Representation(body, content_type, hashlib.sha256(body).hexdigest()[:32])


class Publisher:
    """One build, opened read-only."""

    def __init__(self, build_dir: str | Path, config: Mapping):
        self.build_dir, self.config = Path(build_dir), config
        self.manifest = load_manifest(self.build_dir)
        self.base = self.manifest["base"]
        self.modified = dt.datetime.fromisoformat(self.manifest["modified"].replace("Z", "+00:00"))
        self.store: Store = self._open(config["STORE"])
        self.store_is_remote = not isinstance(self.store, EmbeddedStore)   # then the store has the last word
        self._engine = None
        self.serializer = Serializer(self.base, json.loads(vocab.CONTEXT.read_text(encoding="utf-8")))
        self.void = _read_graph(self.build_dir / "void.ttl", self.base)
        self.triples = self.manifest["triples"]
        if self.store_is_remote:          # count what the store really holds
            self.triples = len(self.store)
            self.void = [ox.Triple(t.subject, t.predicate, ox.Literal(str(self.triples), datatype=t.object.datatype))
                         if t.predicate.value == f"{VOID}triples" else t for t in self.void]
        self.vocab = _read_graph(self.build_dir / "vocab.ttl", f"{self.base}vocab")
        self.oai = OaiRecords(self.build_dir / DATABASE, **self.manifest["records"])
        self.documents = Documents(self.build_dir / documents.DATABASE)
        self._things = LRU(int(config["CACHE_SIZE"]))
        self._representations = LRU(int(config["CACHE_SIZE"]))
        self._memo = LRU(int(config["CACHE_SIZE"]))

    def _open(self, store: str) -> Store:
        if store == "embedded":
            return EmbeddedStore(self.build_dir / "store")
        from graph.remote import SparqlStore   # the SPARQL-server back end
        return SparqlStore(store, timeout=float(self.config["SPARQL_TIMEOUT"]))

    def sparql(self, job: Job) -> tuple[str, bytes]:
        """Run a SPARQL job: in this process's query pool, or on the remote store."""
        if self._engine is None:
            with _ENGINE_LOCK:
                if self._engine is None:
                    self._engine = QueryPool(str(self.build_dir / "store"),
                                             int(self.config["SPARQL_PROCESSES"]),
                                             float(self.config["SPARQL_TIMEOUT"])) \
                        if isinstance(self.store, EmbeddedStore) else RemoteEngine(self.store)
        return self._engine.run(job)

    def close(self) -> None:
        """Stop this build's query processes."""
        if self._engine is not None:
            self._engine.close()

    def thing(self, iri: str) -> Thing | None:
        """The thing's description, or None if the store knows nothing about it."""
        return self._things.get(iri, lambda: self._describe(iri))

    def _describe(self, iri: str) -> Thing | None:
        triples = self.store.describe(iri)
        if not triples:
            return None
        own = [t for t in triples if t.subject.value == iri]
        pick = lambda pred: tuple(sorted({t.object.value for t in own if t.predicate == pred}))
        licenses = tuple(sorted({t.object.value for t in own if t.predicate.value in _LICENSES
                                 and isinstance(t.object, ox.NamedNode)}))
        return Thing(iri, tuple(triples), pick(_TYPE), pick(_AUTHOR), licenses)

    def citable(self, key: str) -> bool:
        """Whether the thing ``{kind}/{slug}`` is a work with citations (a letter or a text)."""
        return self.oai.citation(key, "bib") is not None

    def citation(self, key: str, ext: str) -> bytes:
        """A citation of a work, as the build rendered it."""
        return self.oai.citation(key, ext)

    def memo(self, key: tuple, make):
        """Anything derived from the build, computed once per process (LRU)."""
        return self._memo.get(key, make)

    def render(self, key: tuple, make) -> Representation:
        """The representation cached under ``key``, made by ``make()`` on a miss."""
        return self._representations.get(key, make)


def _read_graph(path: Path, base: str) -> list[ox.Triple]:
    if not path.exists():
        return []
    return [t for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base)]


class Current:
    """The publisher of the build now in place; swaps in a new one after a rebuild.

    ``epistola build`` renames a finished build into place; at most once a
    second each process looks at the manifest's inode and, if it changed, opens
    the new build. A build that cannot be opened leaves the old one serving.
    """

    def __init__(self, build_dir: str | Path, config: Mapping, interval: float = 1.0):
        self._args = (build_dir, config)
        self._manifest = Path(build_dir, MANIFEST)
        self._interval, self._checked = interval, time.monotonic()
        self._lock = threading.Lock()
        self._stamp = self._read_stamp()
        self.publisher = Publisher(*self._args)

    def _read_stamp(self) -> tuple | None:
        try:
            st = os.stat(self._manifest)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def get(self) -> Publisher:
        """The current publisher (checking for a newer build at most every ``interval`` s)."""
        now = time.monotonic()
        if now - self._checked >= self._interval and self._lock.acquire(blocking=False):
            try:
                self._checked = now
                stamp = self._read_stamp()
                if stamp and stamp != self._stamp:
                    try:
                        old, self.publisher, self._stamp = self.publisher, Publisher(*self._args), stamp
                        old.close()
                    except (BuildError, OSError):
                        pass        # half-written or unreadable: keep serving the old build
            finally:
                self._lock.release()
        return self.publisher
