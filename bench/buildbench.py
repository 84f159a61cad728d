"""Time one build in a child process and measure its memory.

Each build runs in a fresh interpreter (``python -m bench.buildbench child …``)
so that its memory is its own. Two measures, because the build may fork (the
shape check runs in a forked process while the files are written):

* ``ru_maxrss`` from ``os.wait4``: the peak resident set of the largest single
  process of the build's tree (Linux reports the maximum, not the sum);
* the peak, sampled every 0.2 s, of the *sum* of the PSS (proportional set size,
  from ``/proc/PID/smaps_rollup``) of the child and all its descendants: pages
  shared copy-on-write after a fork are counted once.

The child reports, as one JSON line, the wall time of the ``graph.build.build``
call, and when each progress stage was first and last reported with its memory.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARK = "BUILD_JSON "


@dataclass
class BuildResult:
    validate: bool
    documents: int
    triples: int
    seconds: float              # the build() call alone
    process_seconds: float      # the child's whole life: interpreter, imports, build
    peak_rss_kib: int           # ru_maxrss: the largest single process
    peak_tree_pss_kib: int      # sampled peak of the summed PSS of the whole process tree
    max_processes: int          # most processes seen at once in the tree
    main_peak_kib: int          # VmHWM of the main build process when build() returned
    other_cpu_pct: float        # CPU used outside the benchmark during the build, % of all cores
    # one entry per progress stage, in order of first report:
    # {"stage", "first", "last" (s), "first_done", "total", "rss_kib", "hwm_kib" (at the last report)}
    stages: list = field(default_factory=list)

    @property
    def texts_per_s(self) -> float:
        return self.documents / self.seconds

    def segments(self) -> list[dict]:
        """The build's time cut into named segments, from its progress reports.

        A stage whose first report says 0 done runs from that report to its last; one
        reported only once, when done (1 of 1), gets the time since the previous
        segment ended; a per-item stage (first report: 1 of N) runs from the previous
        segment's end to its last report. Time no stage claims is "between X and Y".
        Each segment carries the main process's resident set and peak so far (MiB)
        at its end, when known.
        """
        out, end, previous = [], 0.0, "start"
        for st in self.stages:
            begin = st["first"] if st["first_done"] == 0 else end
            if begin - end > 0.05:
                out.append({"name": f"between {previous} and {st['stage']}", "seconds": begin - end})
            out.append({"name": st["stage"], "seconds": st["last"] - begin,
                        "rss_mib": st["rss_kib"] / 1024, "peak_mib": st["hwm_kib"] / 1024})
            end, previous = st["last"], st["stage"]
        if self.seconds - end > 0.05:
            out.append({"name": f"after {previous}", "seconds": self.seconds - end,
                        "peak_mib": self.main_peak_kib / 1024})
        return out


def _memory_kib() -> tuple[int, int]:
    """This process's resident set and its peak so far (VmRSS, VmHWM), KiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.most = pid, interval, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        from bench.load import _tree            # the process tree, as the load benchmark reads it
        while not self._stop_event.is_set():
            pids = _tree(self.pid)
            self.peak = max(self.peak, sum(_pss_kib(p) for p in pids))
            self.most = max(self.most, len(pids))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def child_command(corpus: Path, out: Path, base: str, validate: bool) -> list[str]:
    return [sys.executable, "-m", "bench.buildbench", "child", str(corpus), str(out), base,
            "--validate" if validate else "--no-validate"]


def run(corpus: Path, out: Path, base: str, validate: bool, wrapper: list[str] | None = None) -> BuildResult:
    """Build ``corpus`` into ``out`` in a child process; ``wrapper`` prefixes the command (py-spy)."""
    from bench.load import cpu_ticks
    cmd = (wrapper or []) + child_command(corpus, out, base, validate)
    busy0, ours0 = cpu_ticks()
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout = proc.stdout.read()
    sampler.stop()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    busy1, ours1 = cpu_ticks()
    other = ((busy1 - busy0) - (ours1 - ours0)) / (os.sysconf("SC_CLK_TCK") * elapsed * (os.cpu_count() or 1))
    lines = [line for line in stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"build failed (exit {proc.returncode}): {' '.join(cmd)}\n{stdout[-2000:]}")
    data = json.loads(lines[-1][len(MARK):])
    return BuildResult(validate, data["documents"], data["triples"], data["seconds"], elapsed,
                       usage.ru_maxrss, sampler.peak, sampler.most, data["main_peak_kib"],
                       max(0.0, 100 * other), data["stages"])


def _child(argv: list[str]) -> None:
    corpus, out, base, flag = argv
    from graph.build import build
    stages: dict[str, dict] = {}
    start = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - start
        st = stages.setdefault(stage, {"stage": stage, "first": now, "first_done": done, "total": total})
        st["last"] = now
        if done in (0, 1, total) or "rss_kib" not in st:       # not on every item: /proc costs time
            st["rss_kib"], st["hwm_kib"] = _memory_kib()

    manifest = build(corpus, out, base, validate=flag == "--validate", progress=progress)
    seconds = time.perf_counter() - start
    print(MARK + json.dumps({"documents": manifest["documents"], "triples": manifest["triples"],
                             "seconds": seconds, "main_peak_kib": _memory_kib()[1], "stages": list(stages.values())}),
          flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        _child(sys.argv[2:])
    else:
        sys.exit("usage: python -m bench.buildbench child CORPUS OUT BASE --validate|--no-validate")
