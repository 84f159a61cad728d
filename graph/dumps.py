"""Whole-dataset dumps with SHA-256 checksums, written from the built store."""
from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import PREFIXES


@dataclass(frozen=True)
class Dump:
    """One dump file: its name, media type, size and checksum."""
    name: str
    media_type: str
    size: int
    sha256: str


#: file name, media type, how to write it
DUMPS = (
    ("epistola.nt.gz", "application/n-triples", ox.RdfFormat.N_TRIPLES, True),
    ("epistola.ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
    ("epistola.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, False),
)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_dumps(store_path: Path, out: Path, prefixes: dict[str, str]) -> list[Dump]:
    """Serialize the store's default graph in every dump format; write SHA256SUMS."""
    out.mkdir(parents=True, exist_ok=True)
    store = ox.Store.read_only(str(store_path))     # its order is deterministic: the same data, the same bytes
    dumps = []
    for name, media_type, fmt, gz in DUMPS:
        path = out / name
        prefix_map = None if fmt == ox.RdfFormat.N_TRIPLES else {**PREFIXES, **prefixes}
        if gz:      # streamed: a dump never sits whole in memory
            with gzip.GzipFile(path, "wb", compresslevel=6, mtime=0) as f:
                store.dump(f, format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefix_map)
        else:
            store.dump(str(path), format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefix_map)
        dumps.append(Dump(name, media_type, path.stat().st_size, _sha256(path)))
    (out / "SHA256SUMS").write_text("".join(f"{d.sha256}  {d.name}\n" for d in dumps))
    return dumps
