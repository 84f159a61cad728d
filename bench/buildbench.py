"""Time one build in a child process and read its peak RSS.

Each build runs in a fresh interpreter (``python -m bench.buildbench child …``)
so that its peak resident set is its own: the parent reaps it with
``os.wait4``, whose rusage is that child's (``ru_maxrss``, KiB on Linux). The
child reports, as one JSON line, the wall time of the ``graph.build.build``
call and when each progress stage was first and last reported.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
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
    peak_rss_kib: int
    stages: list = field(default_factory=list)   # [(stage, first s, last s, RSS KiB, peak-so-far KiB)]

    @property
    def texts_per_s(self) -> float:
        return self.documents / self.seconds

    def stage_durations(self) -> list[tuple[str, float]]:
        """Seconds between the first reports of consecutive stages (the first: since start)."""
        out, previous = [], ("start → first report", 0.0)
        for name, first, *_ in self.stages:
            out.append((previous[0], first - previous[1]))
            previous = (name, first)
        out.append((previous[0], self.seconds - previous[1]))
        return [(n, s) for n, s in out if s > 0.0005]

    def memory_at_stages(self) -> list[tuple[str, float, float]]:
        """``(stage, RSS MiB, peak RSS so far MiB)`` at each stage's first progress report."""
        return [(s[0], s[3] / 1024, s[4] / 1024) for s in self.stages if len(s) >= 5]


def _memory_kib() -> tuple[int, int]:
    """This process's resident set and its peak so far (VmRSS, VmHWM), KiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def child_command(corpus: Path, out: Path, base: str, validate: bool) -> list[str]:
    return [sys.executable, "-m", "bench.buildbench", "child", str(corpus), str(out), base,
            "--validate" if validate else "--no-validate"]


def run(corpus: Path, out: Path, base: str, validate: bool, wrapper: list[str] | None = None) -> BuildResult:
    """Build ``corpus`` into ``out`` in a child process; ``wrapper`` prefixes the command (py-spy)."""
    cmd = (wrapper or []) + child_command(corpus, out, base, validate)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    lines = [line for line in stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"build failed (exit {proc.returncode}): {' '.join(cmd)}\n{stdout[-2000:]}")
    data = json.loads(lines[-1][len(MARK):])
    return BuildResult(validate, data["documents"], data["triples"], data["seconds"], elapsed,
                       usage.ru_maxrss, [tuple(s) for s in data["stages"]])


def _child(argv: list[str]) -> None:
    corpus, out, base, flag = argv
    from graph.build import build
    stages: dict[str, list[float]] = {}
    start = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - start
        if stage not in stages:
            stages[stage] = [now, now, *_memory_kib()]
        stages[stage][1] = now

    manifest = build(corpus, out, base, validate=flag == "--validate", progress=progress)
    seconds = time.perf_counter() - start
    print(MARK + json.dumps({"documents": manifest["documents"], "triples": manifest["triples"],
                             "seconds": seconds, "stages": [[k, *v] for k, v in stages.items()]}),
          flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        _child(sys.argv[2:])
    else:
        sys.exit("usage: python -m bench.buildbench child CORPUS OUT BASE --validate|--no-validate")
