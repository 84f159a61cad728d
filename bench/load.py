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
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
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


def prefetch(build: Path, paths: list[str], dest: Path, processes: int = 2) -> tuple[int, int]:
    """Render every path once through epistola's own app, in ``processes`` shards; store the bodies.

    The app is ``server.create_app({"BUILD": build})`` driven by Flask's test client:
    the same code and bytes that gunicorn serves (bench/run.py checks a sample over
    HTTP), without a Python HTTP client in the way. Returns ``(files, bytes)``;
    raises on any non-200 answer.
    """
    listing = write_paths(dest.with_name(dest.name + "-paths.txt"), paths)
    procs = [subprocess.Popen([sys.executable, "-m", "bench.load", "prefetch", str(build), str(dest),
                               str(listing), str(i), str(processes)], cwd=REPO, stdout=subprocess.PIPE, text=True)
             for i in range(processes)]
    files = size = 0
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"prefetch shard failed (exit {proc.returncode}): {out[-2000:]}")
        n, b = json.loads(out.strip().splitlines()[-1])
        files, size = files + n, size + b
    listing.unlink()
    return files, size


def _prefetch_shard(build: str, dest: str, listing: str, shard: int, shards: int) -> None:
    from server import create_app
    client = create_app({"BUILD": build}).test_client()
    files = size = 0
    for path in Path(listing).read_text(encoding="utf-8").split()[shard::shards]:
        r = client.get(path)
        if r.status_code != 200:
            raise SystemExit(f"{path}: HTTP {r.status_code}")
        target = Path(dest, path.lstrip("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(r.data)
        files, size = files + 1, size + len(r.data)
    print(json.dumps([files, size]))


def verify(port: int, paths: list[str], dest: Path) -> int:
    """GET each path over HTTP and compare with the pre-fetched file; the number identical."""
    same = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths:
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        same += r.status == 200 and body == (dest / path.lstrip("/")).read_bytes()
    conn.close()
    return same


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    return found


def worker_ticks(pid: int) -> dict[int, int]:
    """CPU ticks so far of each child process of ``pid`` (gunicorn's workers)."""
    out = {}
    for child in _tree(pid)[1:]:
        try:
            stat = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            out[child] = int(stat[11]) + int(stat[12])
        except OSError:
            pass
    return out


def busiest_share(before: dict[int, int], after: dict[int, int]) -> float | None:
    """Share (%) of the workers' CPU time spent by the busiest worker between two snapshots."""
    used = [after[p] - before.get(p, 0) for p in after]
    return 100 * max(used) / sum(used) if used and sum(used) > 0 else None


def cpu_ticks() -> tuple[int, int]:
    """``(busy ticks of the whole machine, ticks of this process tree)``, reaped children included."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    # user, nice, system and steal; not irq/softirq, which no process is charged with
    # (loopback traffic at high rates would otherwise look like another workload)
    busy = sum(fields[:3]) + fields[7]
    ours, me = 0, os.getpid()
    for pid in _tree(me):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ours += int(stat[11]) + int(stat[12]) + (int(stat[13]) + int(stat[14]) if pid == me else 0)
    return busy, ours


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
    other_cpu_pct: float        # CPU used outside the benchmark's processes, % of all cores

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
    busy0, ours0, t0 = *cpu_ticks(), time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    busy1, ours1, t1 = *cpu_ticks(), time.monotonic()
    other = ((busy1 - busy0) - (ours1 - ours0)) / (os.sysconf("SC_CLK_TCK") * (t1 - t0) * (os.cpu_count() or 1))
    found = re.search(r"^WRK_JSON (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed: {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    d = json.loads(found[1])
    seconds = d["duration_us"] / 1e6
    return WrkResult(label, connections, d["requests"], seconds, d["requests"] / seconds,
                     d["p50_us"] / 1000, d["p99_us"] / 1000, d["max_us"] / 1000, d["errors"],
                     d["bytes"] / seconds / 1e6, shlex.join(cmd), max(0.0, 100 * other))


if __name__ == "__main__":
    if sys.argv[1:2] == ["prefetch"]:
        _prefetch_shard(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit("usage: python -m bench.load prefetch BUILD DEST PATHS_FILE SHARD SHARDS")
