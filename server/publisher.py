"""The server's view of one finished build: its store, its metadata, its caches.

Created once per process by ``create_app``; every request reads from it and
nothing writes to it. Rendered representations are cached (per process, LRU)
with their strong ETag, so a popular document is serialized once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import json
import pyoxigraph as ox

import vocab
from graph.build import load_manifest
from graph.namespaces import RDF, SDO
from graph.store import EmbeddedStore, Store

from .lru import LRU
from .render import Serializer

_TYPE, _AUTHOR = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SDO.author))
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

    def __init__(self, build_dir: str | Path, store: str = "embedded", cache_size: int = 20000):
        self.build_dir = Path(build_dir)
        self.manifest = load_manifest(self.build_dir)
        self.base = self.manifest["base"]
        self.store: Store = self._open(store)
        self.serializer = Serializer(self.base, json.loads(vocab.CONTEXT.read_text(encoding="utf-8")))
        self.void = _read_graph(self.build_dir / "void.ttl", self.base)
        self.vocab = _read_graph(self.build_dir / "vocab.ttl", f"{self.base}vocab")
        self._things = LRU(cache_size)
        self._representations = LRU(cache_size)

    def _open(self, store: str) -> Store:
        if store == "embedded":
            return EmbeddedStore(self.build_dir / "store")
        from graph.remote import SparqlStore   # the SPARQL-server back end
        return SparqlStore(store)

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

    def render(self, key: tuple, make) -> Representation:
        """The representation cached under ``key``, made by ``make()`` on a miss."""
        return self._representations.get(key, make)


def _read_graph(path: Path, base: str) -> list[ox.Triple]:
    if not path.exists():
        return []
    return [t for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base)]
