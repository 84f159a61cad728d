"""corpus/ → a build directory, written atomically.

A build directory holds::

    store/            the embedded pyoxigraph store (opened read-only by the server)
    dumps/            epistola.nt.gz, epistola.ttl, epistola.jsonld, SHA256SUMS
    void.ttl          the VoID/DCAT description of the dataset
    vocab.ttl         our own terms, resolved against the base URI
    manifest.json     base URI, build time, counts, dumps and checksums

It is written into a fresh sibling directory and renamed into place only when
everything succeeded: a failed build leaves the previous one untouched.
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from rdflib import Graph, URIRef

import vocab

from . import cmif
from .authority import Authority
from .documents import write_documents
from .dumps import write_dumps
from .errors import BuildError
from .harvest import repository_domain, write_harvest
from .records import records
from .model import build_graph
from .namespaces import PREFIXES, RDF, SDO
from .store import write_store
from .tal import parse_file
from .validate import Background
from .void import describe_dataset

MANIFEST = "manifest.json"


def _progress_printer(stream=sys.stderr) -> Callable[[str, int, int], None]:
    """Report progress at most every half second, and at the end of each stage."""
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] > 0.5:
            last[0] = now
            print(f"\r{stage}: {done}/{total}", end="\n" if done == total else "", file=stream, flush=True)
    return report


def build(corpus: str | Path, out: str | Path, base: str, *, validate: bool = True,
          progress: Callable[[str, int, int], None] | None = None,
          oai_domain: str | None = None, contact: str | None = None, now: str | None = None) -> dict:
    """Build ``corpus`` into ``out``; return the manifest. Raises BuildError on bad input.

    ``oai_domain`` names the repository in OAI identifiers (default: the base URI's
    host); ``contact`` is the e-mail address OAI-PMH and CMIF give (default
    ``postmaster@{domain}``); ``now`` (``YYYY-MM-DDThh:mm:ssZ``) stamps what changed.
    """
    corpus, out = Path(corpus), Path(out)
    if not base.endswith("/"):
        raise BuildError(f"the base URI must end with '/': {base!r}")
    report = progress or (lambda *a: None)
    files = sorted(Path(corpus, "texts").glob("*.txt"))
    if not files:
        raise BuildError(f"{corpus}/texts: no *.txt documents to build")
    authority = Authority(corpus / "authority.toml")
    docs = []
    for i, path in enumerate(files, start=1):
        docs.append(parse_file(path))
        report("parse", i, len(files))
    graph = build_graph(docs, authority, base, progress=lambda i: report("model", i, len(docs)))
    checking = Background(graph) if validate else None    # shapes, in parallel with the writing
    rendering = None
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        stamp = now or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        domain = oai_domain or repository_domain(urlparse(base).hostname)
        manifest = _write(graph, staging, base, authority, len(docs), report, stamp)
        # Pre-rendering reads only the finished store: a forked process does it
        # while this one writes the records.
        rendering = multiprocessing.get_context("fork").Process(
            target=write_documents, daemon=True,
            args=(staging / "store", staging, base, {**PREFIXES, "epi": f"{base}vocab#"}))
        rendering.start()
        previous = out if (out / MANIFEST).exists() else None
        recs = records(graph, base)
        manifest["records"] = write_harvest(recs, staging, domain, previous, stamp)
        # The token key outlives rebuilds, so that tokens stay good when nothing changed.
        old_secret = load_manifest(previous).get("records", {}).get("secret") if previous else None
        manifest["records"]["secret"] = old_secret or secrets.token_hex(32)
        manifest["contact"] = contact or f"postmaster@{domain}"
        manifest["cmif"] = _write_cmif(recs, staging, base, authority, manifest["contact"],
                                       load_manifest(previous).get("cmif") if previous else None, stamp)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        report("records", 1, 1)
        rendering.join()
        if rendering.exitcode != 0:
            raise BuildError("pre-rendering the documents failed (see the error above)")
        report("documents", 1, 1)
        if checking:
            report("validate", 0, 1)
            checking.result()
            report("validate", 1, 1)
        _swap(staging, out)
    except BaseException:
        if checking:
            checking.cancel()
        if rendering is not None and rendering.is_alive():
            rendering.kill()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _write(graph: Graph, staging: Path, base: str, authority: Authority, ndocs: int, report,
           modified: str) -> dict:
    """Write store, dumps, VoID, vocabulary and manifest into ``staging``."""
    report("store", 0, 1)
    write_store(graph, staging / "store")
    report("store", 1, 1)
    epi_prefix = {"epi": f"{base}vocab#"}
    dumps = write_dumps(staging / "store", staging / "dumps", epi_prefix)
    report("dumps", 1, 1)

    example = next(iter(sorted(s for s in graph.subjects(RDF.type, SDO.Message) if isinstance(s, URIRef))), None)
    void = describe_dataset(graph, base, authority.dataset, dumps, modified, example and str(example))
    (staging / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
    terms = Graph().parse(data=vocab.TERMS.read_text(encoding="utf-8"), format="turtle",
                          publicID=f"{base}vocab")
    (staging / "vocab.ttl").write_text(terms.serialize(format="turtle"), encoding="utf-8")
    return {"base": base, "modified": modified, "title": authority.dataset.get("title"),
            "documents": ndocs, "triples": len(graph), "dumps": [d.__dict__ for d in dumps]}


def _write_cmif(recs, staging: Path, base: str, authority: Authority, email: str,
                previous: dict | None, now: str) -> dict:
    """Write ``cmif.xml`` (the letters for correspSearch); return its ``{hash, when}``."""
    body, state = cmif.render([r for r in recs if r.kind == "letter"], previous, now,
                              url=f"{base}cmif.xml", base=base,
                              title=authority.dataset.get("title", "epistola"),
                              editor=authority.dataset.get("cmif_editor", "epistola"), email=email,
                              licence=authority.dataset.get("cmif_licence",
                                                            "https://creativecommons.org/licenses/by/4.0/"))
    (staging / "cmif.xml").write_bytes(body)
    return state


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in the place of ``out``: rename the old one away, rename, delete."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
    os.rename(staging, out)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def load_manifest(build_dir: str | Path) -> dict:
    """The manifest of a finished build, or BuildError if there is none."""
    path = Path(build_dir, MANIFEST)
    if not path.exists():
        raise BuildError(f"{build_dir}: not a finished build (no {MANIFEST}); run 'epistola build'")
    return json.loads(path.read_text(encoding="utf-8"))
