"""Timing whole processes: wall time, peak memory, and what they printed.

Each run is one process started afresh, timed from outside (wall clock around it); its peak memory is
the kernel's maximum resident set size of that process, reported by GNU time (`/usr/bin/time -f %M`).
GNU time matters: a process started directly by this (larger) Python process would be charged the
parent's pages it was forked from. What the process prints on stdout goes to a file whose SHA-256 is
kept, so that outputs can be compared byte for byte.

Runs of several variants of one measurement (kbo and its anchors) are interleaved, A B C A B C ..., after
a warm-up round that is not counted: the medians and the ratios, taken pair by pair within a round,
then hold when the machine's speed drifts.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else shutil.which("time")
#: without GNU time, a small launcher reports the child's peak (it then includes the launcher's ~10 MB)
_LAUNCHER = (
    "import os, resource, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n    os.execvp(sys.argv[2], sys.argv[2:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit: int
    digest: str
    stderr: str


def run(argv: list[str], *, env: dict[str, str], out: Path, stdin: Path | None = None, timeout: float) -> Run:
    """Run one process to the end (killed with its children after `timeout` seconds)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        if GNU_TIME:
            wrapped = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv]
        else:
            wrapped = [sys.executable, "-S", "-c", _LAUNCHER, rss.name, *argv]
        with out.open("wb") as sink, stdin.open("rb") if stdin else open(os.devnull, "rb") as source:
            start = time.perf_counter()
            proc = subprocess.Popen(
                wrapped, env=env, stdin=source, stdout=sink, stderr=subprocess.PIPE, start_new_session=True
            )  # its own process group: a timeout ends them all
            try:
                _, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                _, err = proc.communicate()
                return Run(time.perf_counter() - start, 0.0, -9, "", f"killed after {timeout:.0f} s")
            seconds = time.perf_counter() - start
        text = Path(rss.name).read_text().strip().splitlines()  # GNU time may write a status line first
        peak_kb = int(text[-1]) if text and text[-1].isdigit() else 0
    return Run(seconds, peak_kb / 1024, proc.returncode, digest(out), err.decode("utf-8", "replace").strip())


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Variant:
    """One way of doing the work: kbo, or an anchor."""

    name: str
    argv: list[str]
    stdin: Path | None = None
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    runs: list[Run]
    ratios: list[float] = field(default_factory=list)  # first variant / this one, round by round

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.exit == 0 for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def digest(self) -> str:
        return self.runs[-1].digest

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def interleaved(
    variants: list[Variant],
    *,
    env: dict[str, str],
    out_dir: Path,
    slug: str,
    runs: int,
    warmup: int,
    timeout: float,
    prepare: Callable[[], None] | None = None,
    probe: Callable[[Run], bool] | None = None,
) -> list[Result] | Run:
    """Time the variants in turn, `warmup` uncounted rounds then `runs` counted ones.

    `prepare` runs (untimed) before each round; `probe` looks at the first run of the first variant and
    may stop there (returning that run), e.g. for a command this kbo does not have.
    """
    results = [Result(v.name, []) for v in variants]
    for round_ in range(warmup + runs):
        if prepare:
            prepare()
        done = []
        for v in variants:
            r = run(v.argv, env={**env, **v.env}, out=out_dir / f"{slug}.{v.name}.out", stdin=v.stdin, timeout=timeout)
            if round_ == 0 and v is variants[0] and probe and not probe(r):
                return r
            if r.exit != 0 and v is variants[0]:
                return r  # kbo failed: no point timing the rest
            done.append(r)
        if round_ >= warmup:
            for res, r in zip(results, done, strict=True):
                res.runs.append(r)
                res.ratios.append(done[0].seconds / r.seconds if r.seconds else float("nan"))
    return results
