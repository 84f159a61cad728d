"""HTTP load: the resources to ask for, pre-fetching them for nginx, and running wrk.

The resources are every thing of the build (every ``{base}id/…`` subject of the
N-Triples dump: letters, texts, persons, articles, issues, periodicals,
organizations). wrk picks one at random per request (``bench/paths.lua``).
"""
from __future__ import annotations

import collections
import gzip
import http.client
import json
import re
import subprocess
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

LUA = Path(__file__).with_name("paths.lua")
FORMATS = {"ttl": "text/turtle", "jsonld": "application/ld+json"}


def things(build: Path, base: str) -> list[str]:
    """Every thing IRI of a build, sorted, read from its N-Triples dump."""
    found = set()
    with gzip.open(build / "dumps" / "epistola.nt.gz") as f:
        for t in ox.parse(f, format=ox.RdfFormat.N_TRIPLES):
            s = t.subject
            if isinstance(s, ox.NamedNode) and s.value.startswith(f"{base}id/"):
                found.add(s.value)
    return sorted(found)


def count_kinds(iris: list[str], base: str) -> dict[str, int]:
    return dict(collections.Counter(i[len(base):].split("/")[1] for i in iris).most_common())


def doc_path(iri: str, base: str, ext: str | None) -> str:
    """``{base}id/person/x`` → ``/doc/person/x.ttl`` (or without a suffix)."""
    return "/doc/" + iri[len(base) + 3:] + (f".{ext}" if ext else "")


def describe_path(iri: str) -> str:
    return "/query?query=" + urllib.parse.quote(f"DESCRIBE <{iri}>", safe="")


def write_paths(path: Path, paths: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(p + "\n" for p in paths), encoding="utf-8")
    return path


def prefetch(port: int, paths: list[str], dest: Path, threads: int = 8) -> tuple[int, int]:
    """GET every path once (keep-alive, ``threads`` connections); store bodies under ``dest``.

    Returns ``(files, bytes)``; raises on any non-200 answer.
    """
    todo = iter(paths)
    lock = threading.Lock()
    totals, failures = [0, 0], []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                path = next(todo, None)
            if path is None or failures:
                break
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                failures.append(f"{path}: {r.status}")
                break
            target = dest / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            with lock:
                totals[0] += 1
                totals[1] += len(body)
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if failures:
        raise RuntimeError(f"prefetch failed: {failures[:5]}")
    return totals[0], totals[1]


@dataclass
class WrkResult:
    label: str
    connections: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: dict
    mb_per_s: float
    command: str

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def wrk(url: str, paths_file: Path, connections: int, duration: float, label: str,
        accept: str | None = None, threads: int = 2, seed: int = 1) -> WrkResult:
    """One wrk run (``--latency``) over random paths; parses the script's WRK_JSON line."""
    cmd = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{duration:g}s", "--latency",
           "--timeout", "10s", "-s", str(LUA)]
    if accept:
        cmd += ["-H", f"Accept: {accept}"]
    cmd += [url, "--", str(paths_file), str(seed)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    found = re.search(r"^WRK_JSON (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed: {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    d = json.loads(found[1])
    seconds = d["duration_us"] / 1e6
    return WrkResult(label, connections, d["requests"], seconds, d["requests"] / seconds,
                     d["p50_us"] / 1000, d["p99_us"] / 1000, d["max_us"] / 1000, d["errors"],
                     d["bytes"] / seconds / 1e6, " ".join(cmd))
