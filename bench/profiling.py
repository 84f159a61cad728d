"""Profiles for when a target is missed.

* the build: ``py-spy record --nonblocking --nolineno -f raw`` around the build's
  child process (no pauses; sampled from outside), summed per function;
* the server: cProfile of a few hundred requests through ``app.test_client()``
  in a fresh process (``python -m bench.profiling server BUILD N``), cold (first
  request for each representation: rendered) and warm (served from the cache).
"""
from __future__ import annotations

import collections
import cProfile
import json
import pstats
import random
import site
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARK = "PROFILE_JSON "
_PREFIXES = sorted({str(REPO) + "/", *(p + "/" for p in site.getsitepackages()),
                    sysconfig.get_paths()["stdlib"] + "/"}, key=len, reverse=True)


def short(path: str) -> str:
    """A file path without the repository, site-packages or stdlib prefix."""
    for prefix in _PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def pyspy_summary(raw: Path, n: int = 15, ours: tuple[str, ...] = ("graph/",),
                  parents: tuple[str, ...] = ("build (graph/build.py)", "_write (graph/build.py)")) -> dict:
    """Per-function shares (%) of the samples in py-spy's collapsed stacks.

    ``top``: ``[(function, own %, total %)]`` by own time; ``ours``: ``[(function, total %)]``
    for named functions in files under ``ours`` (the project's code) by total time;
    ``calls``: the functions called directly by any of ``parents`` (the build's steps).
    """
    own, total, calls, samples = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        # --subprocesses puts a 'process PID:"command"' frame at the root of each stack
        frames, k = [_frame(f) for f in stack.split(";") if not f.startswith("process ")], int(count)
        if not frames:
            continue
        samples += k
        own[frames[-1]] += k
        for f in set(frames):
            total[f] += k
        for f in {frames[i + 1] for i, f in enumerate(frames[:-1]) if f in parents and frames[i + 1] not in parents}:
            calls[f] += k
    pct = lambda c: 100 * c / max(samples, 1)
    named = lambda f: "<" not in f.split(" (", 1)[0]          # no comprehensions or lambdas
    return {"samples": samples,
            "top": [(f, pct(c), pct(total[f])) for f, c in own.most_common(n)],
            "ours": [(f, pct(c)) for f, c in total.most_common()
                     if f.split(" (", 1)[-1].startswith(ours) and named(f)][:n],
            "calls": [(f, pct(c)) for f, c in calls.most_common() if pct(c) >= 0.5]}


def _frame(frame: str) -> str:
    name, _, where = frame.partition(" (")
    return f"{name} ({short(where.rstrip(')'))})" if where else name


def profile_server(build: Path, requests: int) -> dict:
    """Run the server profile in a fresh process; its JSON report."""
    out = subprocess.run([sys.executable, "-m", "bench.profiling", "server", str(build), str(requests)],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    lines = [line for line in out.stdout.splitlines() if line.startswith(MARK)]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"server profile failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return json.loads(lines[-1][len(MARK):])


def _top(stats: pstats.Stats, key: int, n: int) -> list[list]:
    """Top ``n`` functions by tottime (key 2) or cumtime (key 3): [function, calls, tottime, cumtime]."""
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)[:n]
    return [[f"{func} ({short(file)}:{line})" if line else func, nc, tt, ct]
            for (file, line, func), (cc, nc, tt, ct, callers) in rows]


def _server(build: str, n: int) -> None:
    from bench.load import doc_path, things
    from server import create_app
    app = create_app({"BUILD": build})
    base = app.config["BASE_URI"]
    client = app.test_client()
    picked = random.Random(1).sample(things(Path(build), base), 2 * n)
    report, profiler = {"requests_per_phase": n}, cProfile.Profile()
    # Two disjoint samples: the first timed plainly, the second under cProfile.
    for label, sample, prof in (("plain", picked[:n], None), ("profiled", picked[n:], profiler)):
        for phase, ext in (("cold ttl", "ttl"), ("cold jsonld", "jsonld"), ("warm ttl", "ttl"),
                           ("warm jsonld", "jsonld")):
            paths = [doc_path(i, base, ext) for i in sample]
            started = time.perf_counter()
            if prof:
                prof.enable()
            for p in paths:
                r = client.get(p)
                if r.status_code != 200:
                    raise SystemExit(f"{p}: {r.status_code}")
            if prof:
                prof.disable()
            report.setdefault(label, {})[phase] = (time.perf_counter() - started) / n * 1000  # ms/request
    stats = pstats.Stats(profiler)
    report["total_s"] = stats.total_tt
    report["by_tottime"] = _top(stats, 2, 20)
    report["by_cumtime"] = _top(stats, 3, 25)
    print(MARK + json.dumps(report), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["server"]:
        _server(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: python -m bench.profiling server BUILD REQUESTS")
