"""SPARQL query mix: epistola's ``/sparql`` against Oxigraph server, same data, same run.

    .venv/bin/python bench/sparql_bench.py                       # 10,000 texts, about 10 minutes
    .venv/bin/python bench/sparql_bench.py --texts 2000 --duration 5 --kind-duration 3 --processes 2

1. Generates the synthetic corpus (``bench/synthetic.py``) and builds it with
   ``epistola build`` into ``bench/out/sparql-oai/`` (reused when present; the build
   only if it was made at the current commit, or with ``--keep-build``).
2. Loads the build's N-Triples dump into an Oxigraph server database (``oxigraph
   load`` + ``optimize``; reused while the dump is the same).
3. Writes four query kinds, many concrete instances of each, as request paths:
   ``lookup`` (every property of one random thing), ``join`` (the letters sent to
   one random person, with title and sender name: letter → person → name),
   ``count`` (``COUNT(*)`` over every triple) and ``filter`` (letters sent within a
   random date range, ordered by date). The *mix* has the four in equal shares.
4. Serves Oxigraph (``serve-read-only``, ``/query``) and epistola (gunicorn,
   ``/sparql``; once per ``--processes`` value of ``EPISTOLA_SPARQL_PROCESSES``),
   checks on a sample that both answer 200 with the same rows, and drives each with
   wrk (``bench/paths.lua``: a random path of the file per request) with
   ``Accept: application/sparql-results+json`` at ``--connections``: the mix
   ``--mix-repeat`` times (fresh connections each run; mean queries/s, median p99),
   then each kind on its own. The best ``--processes`` value is the one with the
   highest mean on the mix.
5. Appends (or replaces) its section in ``bench/RESULTS.md`` (or
   ``bench/RESULTS-sparql-oai.md`` when there is no RESULTS.md) and writes
   ``bench/out/sparql-oai/sparql.json``. If the target (≥ 50 % of Oxigraph's
   queries/s on the mix, p99 < 4× Oxigraph's) is missed, or with ``--profile``, it
   adds where a query's time goes: the engine alone (pyoxigraph in-process), the
   app without HTTP (Flask test client → query process), and a cProfile of 200
   mix queries through ``app.test_client()``.

Every server is started and stopped here, by process id, on loopback ports.
``--report-only`` re-renders the section from the saved JSON (e.g. after
``bench/run.py`` rewrote RESULTS.md, or with ``--notes``) without measuring.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gzip
import importlib.metadata
import io
import json
import os
import platform
import pstats
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))

from bench import load, servers, synthetic  # noqa: E402

OUT = REPO / "bench" / "out" / "sparql-oai"
VENV_BIN = Path(sys.executable).parent
JSON_RESULTS = "application/sparql-results+json"
KINDS = ("lookup", "join", "count", "filter")
PREFIXES = ("PREFIX schema: <http://schema.org/>\n"
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")
OTHER_BENCHMARKS = r"bench/run\.py|bench\.buildbench"
DISTURBED_PCT = 15          # other CPU % (of all cores) above which a run is repeated
ATTEMPTS = 3


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# --- the machine, and waiting for it to be quiet -----------------------------

def _tree_all_threads(pid: int) -> list[int]:
    """``pid`` and its descendants, through the children of *every* thread.

    ``load._tree`` reads ``/proc/P/task/P/children``, the main thread's children
    only; epistola's query processes are started from a request thread, so they
    would count as "other" CPU. ``load.cpu_ticks`` uses this one instead (set below,
    in this process only; bench/load.py is unchanged).
    """
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    return found


load._tree = _tree_all_threads


def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "?")
    mem = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                   if ln.startswith("MemTotal"))) / 2**20
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gib": round(mem, 1),
            "kernel": f"Linux {platform.release()}", "python": platform.python_version()}


def versions() -> dict:
    v = {}
    for p in ("pyoxigraph", "oxigraph", "flask", "gunicorn", "Sickle", "lxml"):
        try:
            v[p] = importlib.metadata.version(p)
        except importlib.metadata.PackageNotFoundError:
            pass
    try:
        v["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    except (OSError, IndexError):
        pass
    return v


def code_version() -> dict:
    """The commit the measured code is at, and the project files (outside bench/) changed since."""
    def git(*a):
        return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout.strip()
    changed = [ln[3:] for ln in git("status", "--porcelain", "--", "server", "graph", "vocab",
                                    "pyproject.toml").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD"), "changed": changed}


def busy_pct(seconds: float = 3.0) -> float:
    """CPU busy (user, nice, system, steal) over ``seconds``, in % of all cores."""
    def sample():
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(f[:3]) + f[7], sum(f)
    b0, t0 = sample()
    time.sleep(seconds)
    b1, t1 = sample()
    return 100 * (b1 - b0) / max(1, t1 - t0)


def wait_idle(limit_pct: float = DISTURBED_PCT, max_wait: float = 300) -> bool:
    """Wait (up to ``max_wait`` s) until the machine is nearly idle; our idle servers cost ~0."""
    deadline = time.monotonic() + max_wait
    while (pct := busy_pct()) >= limit_pct:
        if time.monotonic() >= deadline:
            log(f"machine still {pct:.0f} % busy; measuring anyway")
            return False
        log(f"machine {pct:.0f} % busy with other work; waiting")
        time.sleep(10)
    return True


def wait_for_quiet(minutes: float) -> bool:
    """Poll every 30 s until no other benchmark runs (``pgrep -f``); False if still busy."""
    deadline = time.monotonic() + 60 * minutes
    while True:
        busy = subprocess.run(["pgrep", "-f", OTHER_BENCHMARKS], capture_output=True, text=True).stdout.split()
        busy = [p for p in busy if int(p) != os.getpid()]
        if not busy:
            return True
        if time.monotonic() >= deadline:
            return False
        log(f"another benchmark is running (pids {' '.join(busy)}); waiting")
        time.sleep(30)


# --- corpus, build, Oxigraph database ----------------------------------------

def ensure_build(texts: int, port: int, out: Path = OUT, keep: bool = False) -> tuple[Path, dict]:
    """The build of the ``texts``-text synthetic corpus for base ``http://127.0.0.1:port/``.

    Reused if it was made at the current commit (or ``keep``); else built again.
    """
    corpus, build = out / f"corpus-{texts}", out / f"build-{texts}"
    stamp, commit = out / f"build-{texts}.commit", code_version()["commit"]
    base = f"http://127.0.0.1:{port}/"
    if not (corpus / "authority.toml").exists():
        log(f"generating {texts} synthetic texts into {corpus.relative_to(REPO)}")
        synthetic.generate(corpus, texts)
    manifest = build / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        if m.get("base") == base and "records" in m and m.get("documents") == texts + 1 and \
                (keep or (stamp.exists() and stamp.read_text() == commit)):
            return build, m
    cmd = [str(VENV_BIN / "epistola"), "build", "--corpus", str(corpus), "--out", str(build),
           "--base-uri", base, "-q"]
    log("building: " + shlex.join(cmd))
    started = time.monotonic()
    subprocess.run(cmd, cwd=REPO, check=True)
    stamp.write_text(commit)
    m = json.loads(manifest.read_text())
    m["_build_seconds"] = round(time.monotonic() - started, 1)
    log(f"built in {m['_build_seconds']} s: {m['triples']} triples")
    return build, m


def ensure_oxigraph_db(build: Path, manifest: dict, out: Path = OUT) -> tuple[Path, Path]:
    """An Oxigraph server database holding the build's dump (load + optimize), and the binary."""
    binary = VENV_BIN / "oxigraph"
    if not binary.exists():
        binary = REPO / "bench" / "out" / "oxvenv" / "bin" / "oxigraph"
    location = out / f"oxigraph-{build.name}"
    digest = next(d["sha256"] for d in manifest["dumps"] if d["name"] == "epistola.nt.gz")
    stamp = location.with_name(location.name + ".sha256")
    if location.exists() and stamp.exists() and stamp.read_text() == digest:
        return binary, location
    shutil.rmtree(location, ignore_errors=True)
    nt = out / "epistola.nt"
    with gzip.open(build / "dumps" / "epistola.nt.gz") as src, nt.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    log(f"loading the dump into {location.relative_to(REPO)}")
    for cmd in ([str(binary), "load", "--location", str(location), "--file", str(nt)],
                [str(binary), "optimize", "--location", str(location)]):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    nt.unlink()
    stamp.write_text(digest)
    return binary, location


# --- the queries --------------------------------------------------------------

def lookup(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def join(person: str) -> str:
    return (PREFIXES + "SELECT ?letter ?title ?sender ?senderName WHERE {\n"
            f"  ?letter a schema:Message ; schema:recipient <{person}> ; schema:name ?title ;\n"
            "          schema:sender ?sender .\n  ?sender schema:name ?senderName .\n}")


COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"


def date_filter(start: dt.date, end: dt.date) -> str:
    return (PREFIXES + "SELECT ?letter ?date WHERE {\n  ?letter a schema:Message ; schema:dateSent ?date .\n"
            f'  FILTER(?date >= "{start}"^^xsd:date && ?date < "{end}"^^xsd:date)\n}} ORDER BY ?date ?letter')


def queries(build: Path, base: str, per_kind: int, seed: int) -> dict[str, list[str]]:
    """``per_kind`` concrete queries of each kind (the count is one query, repeated)."""
    import pyoxigraph as ox
    rng = random.Random(seed)
    iris = load.things(build, base)
    store = ox.Store.read_only(str(build / "store"))
    people = sorted(s["p"].value for s in store.query(
        PREFIXES + "SELECT DISTINCT ?p WHERE { ?l a schema:Message ; schema:recipient ?p }"))
    years = [int(s["y"].value) for s in store.query(
        PREFIXES + "SELECT (YEAR(?d) AS ?y) WHERE { ?l schema:dateSent ?d FILTER(DATATYPE(?d) = xsd:date) }")]
    del store
    lo, hi = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    ranges = []
    for _ in range(per_kind):
        start = lo + dt.timedelta(days=rng.randrange((hi - lo).days))
        ranges.append((start, start + dt.timedelta(days=rng.randint(30, 730))))   # 1 month to 2 years
    return {"lookup": [lookup(i) for i in rng.sample(iris, min(per_kind, len(iris)))],
            "join": [join(rng.choice(people)) for _ in range(per_kind)],
            "count": [COUNT] * per_kind,
            "filter": [date_filter(a, b) for a, b in ranges],
            "_facts": {"things": len(iris), "recipients": len(people), "years": [lo.year, hi.year]}}


def path(endpoint: str, query: str) -> str:
    return f"{endpoint}?query={urllib.parse.quote(query, safe='')}"


def write_paths(qs: dict[str, list[str]], endpoint: str, name: str, seed: int) -> dict[str, Path]:
    """One paths file per kind and one for the mix (equal shares, shuffled)."""
    files = {k: load.write_paths(OUT / "queries" / f"{name}-{k}.txt", [path(endpoint, q) for q in qs[k]])
             for k in KINDS}
    mix = [path(endpoint, q) for k in KINDS for q in qs[k]]
    random.Random(seed).shuffle(mix)
    files["mix"] = load.write_paths(OUT / "queries" / f"{name}-mix.txt", mix)
    return files


# --- correctness --------------------------------------------------------------

def fetch(url: str) -> tuple[int, dict | None]:
    req = urllib.request.Request(url, headers={"Accept": JSON_RESULTS})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, None


def rows(doc: dict) -> list[str]:
    """The bindings, comparable across stores: blank-node labels (which loading renames) blanked."""
    return sorted(json.dumps({k: {**v, "value": "_"} if v["type"] == "bnode" else v for k, v in b.items()},
                             sort_keys=True) for b in doc["results"]["bindings"])


def check(qs: dict, epistola: str, oxigraph: str, sample: int) -> dict:
    """Both servers on the first ``sample`` queries of each kind: 200, same row count (and rows)."""
    report = {"queries": 0, "status_errors": [], "count_mismatches": [], "row_differences": 0,
              "rows": {}}
    for kind in KINDS:
        n_rows = []
        for q in dict.fromkeys(qs[kind][:sample]):
            se, de = fetch(epistola + path("/sparql", q))
            so, do = fetch(oxigraph + path("/query", q))
            report["queries"] += 1
            if se != 200 or so != 200:
                report["status_errors"].append({"kind": kind, "epistola": se, "oxigraph": so, "query": q})
                continue
            re_, ro = rows(de), rows(do)
            n_rows.append(len(re_))
            if len(re_) != len(ro):
                report["count_mismatches"].append({"kind": kind, "epistola": len(re_), "oxigraph": len(ro),
                                                   "query": q})
            elif re_ != ro:
                report["row_differences"] += 1
                report.setdefault("differing", []).append({"kind": kind, "query": q,
                                                           "epistola_only": sorted(set(re_) - set(ro))[:3],
                                                           "oxigraph_only": sorted(set(ro) - set(re_))[:3]})
        report["rows"][kind] = {"min": min(n_rows, default=0), "median": statistics.median(n_rows or [0]),
                                "max": max(n_rows, default=0)}
    report["ok"] = not report["status_errors"] and not report["count_mismatches"]
    return report


# --- load ---------------------------------------------------------------------

def measure(server: str, config: str, url: str, files: dict[str, Path], args) -> dict:
    """Warm-up, the mix ``--mix-repeat`` times (fresh connections each), then each kind alone."""
    out = {}
    load.wrk(url, files["mix"], args.connections, args.warmup, "warmup", accept=JSON_RESULTS)
    for kind in ("mix", *KINDS):
        duration = args.duration if kind == "mix" else args.kind_duration
        repeats = []
        for rep in range(args.mix_repeat if kind == "mix" else 1):
            runs = []
            for attempt in range(ATTEMPTS):     # other work on the machine: wait, repeat, keep the quietest
                wait_idle()
                runs.append(load.wrk(url, files[kind], args.connections, duration, f"{server} {kind}",
                                     accept=JSON_RESULTS, seed=args.seed + rep))
                if runs[-1].other_cpu_pct <= DISTURBED_PCT:
                    break
                log(f"  {server} {kind}: {runs[-1].other_cpu_pct:.0f} % CPU used by other work; repeating")
            r = min(runs, key=lambda r: r.other_cpu_pct)
            repeats.append({"rps": r.rps, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms, "max_ms": r.max_ms,
                            "requests": r.requests, "seconds": r.seconds, "errors": r.errors,
                            "other_cpu_pct": r.other_cpu_pct, "attempts": len(runs), "command": r.command})
            log(f"  {server} {config} {kind:6}: {r.rps:8.1f} req/s  p50 {r.p50_ms:7.1f} ms  "
                f"p99 {r.p99_ms:7.1f} ms  errors {r.error_count}  other CPU {r.other_cpu_pct:.0f} %")
        out[kind] = {**repeats[0], "runs": [{k: r[k] for k in ("rps", "p50_ms", "p99_ms", "other_cpu_pct",
                                                                 "requests", "errors")} for r in repeats]}
    return out


def summarize(res: dict) -> dict:
    """The mix of each server over its runs (mean queries/s, median p50 and p99); the best setting; ratios.

    The mean, because each run's fresh connections land on the gunicorn workers differently and
    one unlucky split can halve a run (see the notes): the mean is what a client can expect.
    """
    for block in [res["oxigraph"], *res["epistola"].values()]:
        mix, runs = block["mix"], block["mix"]["runs"]
        mix.update(rps=statistics.mean(r["rps"] for r in runs),
                   p50_ms=statistics.median(r["p50_ms"] for r in runs),
                   p99_ms=statistics.median(r["p99_ms"] for r in runs),
                   other_cpu_pct=max(r["other_cpu_pct"] for r in runs))
        if all("requests" in r for r in runs):
            mix["requests"] = sum(r["requests"] for r in runs)
            mix["errors"] = {k: sum(r["errors"].get(k, 0) for r in runs) for k in mix["errors"]}
    res["best"] = max(res["epistola"], key=lambda p: res["epistola"][p]["mix"]["rps"])
    ep, ox_ = res["epistola"][res["best"]]["mix"], res["oxigraph"]["mix"]
    res["mix_ratio"], res["p99_ratio"] = ep["rps"] / ox_["rps"], ep["p99_ms"] / ox_["p99_ms"]
    res["target_met"] = res["mix_ratio"] >= 0.5 and res["p99_ratio"] < 4
    return res


# --- where a query's time goes ------------------------------------------------

def profile(build: Path, qs: dict, processes: int, n: int = 200) -> dict:
    """Engine alone vs the app without HTTP, per kind (medians, ms); cProfile of ``n`` mix queries."""
    import pyoxigraph as ox
    from server import create_app
    from server.sparql_engine import Job, evaluate
    store = ox.Store.read_only(str(build / "store"))
    app = create_app({"BUILD": str(build), "SPARQL_PROCESSES": processes})
    client = app.test_client()
    per_kind = {}
    for kind in KINDS:
        sample = qs[kind][:40]
        engine, through_app = [], []
        for q in sample:
            t = time.perf_counter()
            evaluate(store, Job(q, (), (), "JSON", "TURTLE", 16 << 20))
            engine.append(time.perf_counter() - t)
            t = time.perf_counter()
            r = client.get("/sparql", query_string={"query": q}, headers={"Accept": JSON_RESULTS})
            through_app.append(time.perf_counter() - t)
            assert r.status_code == 200, r.data[:200]
        per_kind[kind] = {"engine_ms": 1000 * statistics.median(engine),
                          "app_ms": 1000 * statistics.median(through_app)}
    rng = random.Random(7)
    mix = [rng.choice(qs[rng.choice(KINDS)]) for _ in range(n)]
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for q in mix:
        client.get("/sparql", query_string={"query": q}, headers={"Accept": JSON_RESULTS})
    prof.disable()
    wall = time.perf_counter() - t
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(12)
    lines = [ln for ln in text.getvalue().splitlines() if re.match(r"\s+\d", ln) and "function calls" not in ln]
    return {"per_kind": per_kind, "cprofile_queries": n, "cprofile_wall_s": wall,
            "cprofile_top": [_short(ln) for ln in lines[:12]]}


def _short(line: str) -> str:
    return re.sub(r"/\S*/(site-packages|lib/python3\.\d+|main)/", "", line.rstrip())


# --- the report -----------------------------------------------------------------

def replace_section(name: str, markdown: str) -> Path:
    """Put ``markdown`` between this script's markers in RESULTS.md (or the fallback file)."""
    target = REPO / "bench" / "RESULTS.md"
    if not target.exists():
        target = REPO / "bench" / "RESULTS-sparql-oai.md"
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}\n"
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end) + 1:]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block
    target.write_text(text, encoding="utf-8")
    return target


def code_line(code: dict | None) -> str:
    if not code:
        return "code at an unrecorded commit."
    return f"code at commit `{code['commit']}`" + (
        f" with uncommitted changes to {', '.join(f'`{c}`' for c in code['changed'])}." if code["changed"]
        else " (no uncommitted changes outside bench/).")


def fmt_row(label: str, r: dict) -> str:
    errors = sum(r["errors"].values())
    return (f"| {label} | {r['rps']:,.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['requests']:,} "
            f"| {errors} | {r['other_cpu_pct']:.0f} % |")


def markdown(res: dict) -> str:
    m, ox_, best = res["machine"], res["oxigraph"], res["best"]
    ep = res["epistola"][best]
    mix_ratio = ep["mix"]["rps"] / ox_["mix"]["rps"]
    p99_ratio = ep["mix"]["p99_ms"] / ox_["mix"]["p99_ms"]
    met = mix_ratio >= 0.5 and p99_ratio < 4
    f = res["facts"]
    lines = [
        "## SPARQL query mix: epistola `/sparql` against Oxigraph server",
        "",
        f"Measured {res['date']} on {m['nproc']} × {m['cpu']} ({m['mem_gib']} GiB, {m['kernel']}, "
        f"Python {m['python']}); " + ", ".join(f"{k} {v}" for k, v in res["versions"].items()) + "; "
        + code_line(res.get("code")),
        "",
        f"    {res['command']}",
        "",
        f"Data: the {res['texts']:,}-text synthetic corpus (`bench/synthetic.py`), {res['triples']:,} triples, "
        f"built with `{res['build_command']}`; Oxigraph server loaded from the build's `epistola.nt.gz` "
        f"(`oxigraph load` + `optimize`) and run as `{res['oxigraph_command']}` (endpoint `/query`); "
        f"epistola as `{res['gunicorn_command']}` (endpoint `/sparql`). Both on loopback, driven by wrk "
        f"(`bench/paths.lua`, a random query of the file per request, `GET …?query=…`, "
        f"`Accept: {JSON_RESULTS}`) at {res['connections']} connections, 2 wrk threads on the same 2 cores; "
        f"{res['warmup']:g} s warm-up, then {res.get('mix_repeat', 1)} runs of {res['duration']:g} s of the mix "
        f"(each with fresh connections; a mix row gives the mean queries/s of the runs and the median of "
        f"their p50 and p99; every run is listed below) and "
        f"{res['kind_duration']:g} s for each kind alone. A run during which other work used more than "
        f"{DISTURBED_PCT} % of the CPU is repeated (up to {ATTEMPTS} times; the quietest is kept).",
        "",
        "The mix, in equal shares (many concrete instances each):",
        "",
        f"- **lookup**: `SELECT ?p ?o WHERE {{ <thing> ?p ?o }}` for {res['distinct']['lookup']:,} "
        f"distinct random things of {f['things']:,} (letters, texts, persons, articles, issues, …);",
        f"- **join**: the letters sent to one person with title, sender and sender's name "
        f"(`?letter a schema:Message ; schema:recipient <person> ; schema:name ?title ; schema:sender ?s . "
        f"?s schema:name ?senderName`), a random person of the {f['recipients']} recipients;",
        "- **count**: `SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }` (every triple);",
        "- **filter**: letters whose `schema:dateSent` (`xsd:date`) falls in a random range of 1 month to "
        f"2 years within {f['years'][0]}–{f['years'][1]}, `ORDER BY ?date`.",
        "",
        f"Correctness before loading: {res['check']['queries']} distinct queries (first "
        f"{res['check_sample']} of each kind) sent to both: "
        + ("all answered 200 with the same number of rows" if res["check"]["ok"] else
           f"**{len(res['check']['status_errors'])} status errors, "
           f"{len(res['check']['count_mismatches'])} row-count mismatches**")
        + (", and identical rows (blank-node labels aside)" if not res["check"]["row_differences"] else
           f" ({res['check']['row_differences']} with different rows)")
        + " (rows per query: " + ", ".join(f"{k} {v['min']}–{v['max']}" for k, v in res["check"]["rows"].items())
        + ").",
        "",
        "| server | kind | queries/s | p50 ms | p99 ms | requests | errors | other CPU |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in ("mix", *KINDS):
        lines.append(fmt_row(f"Oxigraph server | {kind}", ox_[kind]))
        lines.append(fmt_row(f"epistola (SPARQL_PROCESSES={best}) | {kind}", ep[kind]))
    lines += ["", "epistola / Oxigraph server, per kind (queries/s ratio; p99 ratio):", "",
              "| kind | queries/s ratio | p99 ratio |", "| --- | ---: | ---: |"]
    for kind in ("mix", *KINDS):
        lines.append(f"| {kind} | {ep[kind]['rps'] / ox_[kind]['rps']:.2f} | "
                     f"{ep[kind]['p99_ms'] / ox_[kind]['p99_ms']:.2f} |")
    lines += ["", "Every mix run (queries/s, p99 ms), and epistola by `EPISTOLA_SPARQL_PROCESSES` (query "
              "processes per gunicorn worker; 2 workers); the best setting by mean queries/s is the one above:",
              "", "| server | mean queries/s | median p50 ms | median p99 ms | errors | runs: queries/s (p99 ms) |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    rows_ = [("Oxigraph server", ox_)] + [(f"epistola, SPARQL_PROCESSES={p}" + (" (best)" if p == best else ""), r)
                                         for p, r in res["epistola"].items()]
    for label, r in rows_:
        runs = ", ".join(f"{x['rps']:.1f} ({x['p99_ms']:.0f})" for x in r["mix"].get("runs", [r["mix"]]))
        lines.append(f"| {label} | {r['mix']['rps']:,.1f} | {r['mix']['p50_ms']:.1f} | "
                     f"{r['mix']['p99_ms']:.1f} | {sum(r['mix']['errors'].values())} | {runs} |")
    lines += ["", f"**Target** (≥ 50 % of Oxigraph server's queries/s on the mix, p99 < 4× Oxigraph's): "
              f"{mix_ratio:.0%} of its queries/s, p99 {p99_ratio:.1f}× — "
              + ("**met**." if met else "**missed**.")]
    if res.get("profile"):
        p = res["profile"]
        lines += ["", "Where a query's time goes (median ms over 40 queries of each kind, one at a time, "
                  "no HTTP): the engine alone (pyoxigraph `Store.query` + JSON serialization in this "
                  "process) and epistola's app (`app.test_client()` → Flask → the query pool's child "
                  "process → back):", "", "| kind | engine ms | app ms | app − engine ms |",
                  "| --- | ---: | ---: | ---: |"]
        for kind, v in p["per_kind"].items():
            lines.append(f"| {kind} | {v['engine_ms']:.2f} | {v['app_ms']:.2f} | "
                         f"{v['app_ms'] - v['engine_ms']:.2f} |")
        lines += ["", f"cProfile of {p['cprofile_queries']} mix queries through `app.test_client()` "
                  f"({p['cprofile_wall_s']:.1f} s wall), top functions by own time (the evaluation itself "
                  "runs in the child process, so it shows here as waiting on the pipe):", "", "```",
                  *p["cprofile_top"], "```"]
    if res.get("notes"):
        lines += ["", res["notes"]]
    lines += ["", "Raw figures: `bench/out/sparql-oai/sparql.json`."]
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=10000, help="synthetic texts (default 10000)")
    ap.add_argument("--duration", type=float, default=20, help="seconds of the mix run (default 20)")
    ap.add_argument("--mix-repeat", type=int, default=3,
                    help="mix runs per server, each with fresh connections; the median is reported (default 3)")
    ap.add_argument("--kind-duration", type=float, default=10, help="seconds of each per-kind run (default 10)")
    ap.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per server (default 3)")
    ap.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    ap.add_argument("--processes", default="1,2,4",
                    help="EPISTOLA_SPARQL_PROCESSES values to try, comma-separated (default 1,2,4)")
    ap.add_argument("--gunicorn", default="-w 2 -k gthread --threads 8", help="gunicorn worker options")
    ap.add_argument("--per-kind", type=int, default=2000, help="concrete queries per kind (default 2000)")
    ap.add_argument("--check-sample", type=int, default=25, help="queries per kind checked on both (default 25)")
    ap.add_argument("--port", type=int, default=18180, help="epistola's port; Oxigraph gets port+1")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep-build", action="store_true",
                    help="reuse an existing build even if it was made at another commit")
    ap.add_argument("--profile", action="store_true", help="profile even if the target is met")
    ap.add_argument("--wait-minutes", type=float, default=20,
                    help="wait this long for bench/run.py or bench.buildbench to finish (default 20)")
    ap.add_argument("--notes", help="a Markdown file whose text is added at the end of the section")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: re-render the section from bench/out/sparql-oai/sparql.json "
                         "(with --profile: profile first; with --notes: add the notes)")
    args = ap.parse_args(argv)

    if args.report_only:
        res = summarize(json.loads((OUT / "sparql.json").read_text()))
        if args.profile:
            build = REPO / res["build_command"].split("--out ")[1].split()[0]
            qs = queries(build, json.loads((build / "manifest.json").read_text())["base"], args.per_kind, res.get("seed", 1))
            qs.pop("_facts")
            res["profile"] = profile(build, qs, int(res["best"]))
        if args.notes:
            res["notes"] = Path(args.notes).read_text(encoding="utf-8")
        (OUT / "sparql.json").write_text(json.dumps(res, indent=1))
        log(f"wrote {replace_section('sparql_bench', markdown(res))}")
        return 0
    if not wait_for_quiet(args.wait_minutes):
        sys.exit("another benchmark is still running; not measuring")
    OUT.mkdir(parents=True, exist_ok=True)
    build, manifest = ensure_build(args.texts, args.port, keep=args.keep_build)
    base = manifest["base"]
    binary, location = ensure_oxigraph_db(build, manifest)
    log("writing queries")
    qs = queries(build, base, args.per_kind, args.seed)
    facts = qs.pop("_facts")
    ep_files = write_paths(qs, "/sparql", "epistola", args.seed)
    ox_files = write_paths(qs, "/query", "oxigraph", args.seed)
    ep_url, ox_url = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
    logs = OUT / "logs"
    gargs = args.gunicorn.split()
    procs = [p.strip() for p in args.processes.split(",") if p.strip()]
    res = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
           "code": code_version(),
           "versions": versions(), "command": shlex.join([".venv/bin/python", "bench/sparql_bench.py",
                                                          *(argv if argv is not None else sys.argv[1:])]),
           "texts": args.texts, "triples": manifest["triples"], "facts": facts,
           "build_command": f".venv/bin/epistola build --corpus {OUT.relative_to(REPO)}/corpus-{args.texts} "
                            f"--out {build.relative_to(REPO)} --base-uri {base} -q",
           "oxigraph_command": f"oxigraph serve-read-only --location {location.relative_to(REPO)} "
                               f"--bind 127.0.0.1:{args.port + 1}",
           "gunicorn_command": f"EPISTOLA_BUILD={build.relative_to(REPO)} EPISTOLA_SPARQL_PROCESSES=N "
                               f".venv/bin/gunicorn {args.gunicorn} -b 127.0.0.1:{args.port} 'server:create_app()'",
           "connections": args.connections, "duration": args.duration, "kind_duration": args.kind_duration,
           "warmup": args.warmup, "check_sample": args.check_sample, "seed": args.seed,
           "mix_repeat": args.mix_repeat,
           "distinct": {k: len(set(v)) for k, v in qs.items()},
           "epistola": {}}
    ready_ox = path("/query", "ASK {}")
    with servers.oxigraph(binary, location, args.port + 1, ready_ox, logs):
        with servers.gunicorn(build, args.port, gargs, "/sparql", logs, env={"EPISTOLA_SPARQL_PROCESSES": procs[0]}):
            log("checking both servers answer alike")
            res["check"] = check(qs, ep_url, ox_url, args.check_sample)
            log(f"  check: {json.dumps({k: v for k, v in res['check'].items() if k != 'rows'})[:400]}")
            if not res["check"]["ok"]:
                (OUT / "sparql-check.json").write_text(json.dumps(res["check"], indent=1))
                sys.exit("the servers disagree; see bench/out/sparql-oai/sparql-check.json")
        log("Oxigraph server")
        res["oxigraph"] = measure("oxigraph", "", ox_url, ox_files, args)
    for p in procs:
        log(f"epistola, SPARQL_PROCESSES={p}")
        with servers.gunicorn(build, args.port, gargs, "/sparql", logs, env={"EPISTOLA_SPARQL_PROCESSES": p}):
            res["epistola"][p] = measure("epistola", f"SPARQL_PROCESSES={p}", ep_url, ep_files, args)
    summarize(res)
    ep, ox_ = res["epistola"][res["best"]]["mix"], res["oxigraph"]["mix"]
    if args.profile or not res["target_met"]:
        log("profiling")
        res["profile"] = profile(build, qs, int(res["best"]))
    if args.notes:
        res["notes"] = Path(args.notes).read_text(encoding="utf-8")
    (OUT / "sparql.json").write_text(json.dumps(res, indent=1))
    target = replace_section("sparql_bench", markdown(res))
    log(f"mix: epistola {ep['rps']:.1f} q/s p99 {ep['p99_ms']:.1f} ms; Oxigraph {ox_['rps']:.1f} q/s "
        f"p99 {ox_['p99_ms']:.1f} ms → {res['mix_ratio']:.0%}, p99 {res['p99_ratio']:.1f}×; wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
