"""What the hardening tests (test_fuzz.py, test_bad_files.py) share: running kbo, judging the outcome, counting.

A refused input must end in exactly this, and nothing else (issue #11):

- no traceback: no exception escapes kbo's error boundary (an in-process SystemExit is how kbo exits);
- exit code 1 or 2;
- stderr is one `Error: ...` line, optionally followed by one `Hint: ...` line;
- the database is unchanged (row counts of every table and the last change_set id, read with sqlite3);
- nothing printed (stdout or stderr) holds a raw terminal control character: C0 except newline and tab,
  DEL, C1. A name like $'x\\x1b[31mRED' echoed raw recolours the officer's terminal.

An accepted input must exit 0 without a traceback, and print no raw control character either.

Every judged case is counted; a pytest plugin (registered by tests/conftest.py) prints the tally at the
end of the run (cases tried, passing, failing per class with one example), the workers' cases added up
when pytest-xdist runs the suite. Set KBO_FUZZ_REPORT=FILE.json to
also get every failure as JSON.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

#: a raw control character in output: C0 except \t and \n, DEL, C1
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ERROR, HINT = "Error: ", "Hint: "


# --- the database --------------------------------------------------------------------------------


def fingerprint(db: Path) -> tuple[Any, ...]:
    """Cheap evidence that nothing was written: each table's row count, and the last change_set id."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = tuple((n, conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names)
        last = conn.execute("SELECT max(id) FROM change_set").fetchone()[0] if "change_set" in names else None
        return (*counts, ("change_set.max(id)", last))
    finally:
        conn.close()


def copy_db(src: Path, dst: Path) -> None:
    """Copy a SQLite database with SQLite's backup API (safe with WAL files; overwrites dst's content)."""
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


# --- running kbo -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one kbo run did."""

    argv: list[str]
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None  # an exception that escaped kbo (never SystemExit)
    where: str = ""  # for an escaped exception: the innermost kbo_cli frame

    @property
    def crash(self) -> str:
        """The escaped exception's type (for a process: the type its traceback names, or 'abort')."""
        if isinstance(self.exception, ProcessCrash):
            head = str(self.exception).split(":")[0].split(".")[-1]
            return head if head.isidentifier() else "abort"
        kind = type(self.exception)
        return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"

    @property
    def traceback(self) -> str:
        text = str(self.exception)
        if not isinstance(self.exception, ProcessCrash):
            text = f"{self.crash}: {text}"
        return f"{_short(text, 160)} at {self.where}"


def invoke(argv: list[str]) -> Outcome:
    """Run kbo in-process with these arguments (root options included); never raises."""
    from conftest import run_kbo

    result = run_kbo(argv)
    where = ""
    if result.exception is not None and result.exc_info:
        frames = traceback.extract_tb(result.exc_info[2])
        ours = [f for f in frames if "kbo_cli" in f.filename] or frames
        last = ours[-1]
        where = f"{last.filename.split('kbo_cli/')[-1]}:{last.lineno} {last.name}()"
    return Outcome(argv, result.exit_code, result.stdout, result.stderr, result.exception, where)


def kbo_process(
    args: list[str | bytes],
    cwd: Path,
    *,
    shell_wrap: str | None = None,
    env: dict[str, str] | None = None,
    stdout: Any = subprocess.PIPE,
    timeout: float = 60,
    preexec_fn: Any = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run kbo as a real process (`python -m kbo_cli ARGS`); `shell_wrap` runs it as "$@" inside `sh -c`."""
    cmd: list[str | bytes] = [sys.executable, "-m", "kbo_cli", *args]
    if shell_wrap:
        cmd = ["sh", "-c", shell_wrap, "sh", *cmd]
    return subprocess.run(
        cmd,
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )


#: the line of a Python traceback, or of a Rust panic or abort, that says what went wrong
_CRASH_LINE = re.compile(
    r"^(\w+\.)*\w*(Error|Exception|Interrupt)\b.*|^memory allocation of .*|.*panicked at .*", re.MULTILINE
)


def process_outcome(argv: list[str], proc: subprocess.CompletedProcess[bytes]) -> Outcome:
    """A finished process as an Outcome: a traceback, a panic or a signal counts as an escaped exception."""
    stderr = proc.stderr.decode("utf-8", "replace")
    out = Outcome(argv, proc.returncode, (proc.stdout or b"").decode("utf-8", "replace"), stderr)
    crashed = "Traceback (most recent call last)" in stderr or "panicked" in stderr or proc.returncode < 0
    if crashed:
        lines = [m.group() for m in _CRASH_LINE.finditer(stderr)]
        what = lines[-1] if lines else (stderr.strip().split("\n")[-1] if stderr.strip() else "")
        signal = f" (killed by signal {-proc.returncode})" if proc.returncode < 0 else ""
        out.exception = ProcessCrash(f"{what}{signal}")
        out.where = "a real process"
    return out


class ProcessCrash(Exception):
    """kbo, run as a process, ended in a traceback, a panic or a signal."""


def run_on(db: Path, argv: list[str]) -> tuple[Outcome, bool]:
    """Run kbo in-process on the SQLite file DB (ARGV with its root options): the outcome, and whether DB changed."""
    before = fingerprint(db)
    out = invoke(argv)
    return out, fingerprint(db) != before


def process_on(
    db: Path, argv: list[str | bytes], cwd: Path, *, shown: list[str] | None = None, **options: Any
) -> tuple[Outcome, bool]:
    """`run_on` with kbo as a real process (`kbo_process` and its OPTIONS); SHOWN: the command line as typed."""
    before = fingerprint(db)
    proc = kbo_process(argv, cwd, **options)
    out = process_outcome(
        shown or [a if isinstance(a, str) else a.decode("utf-8", "surrogateescape") for a in argv], proc
    )
    return out, fingerprint(db) != before


# --- judging ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    rule: str  # the class of failure, for the tally: 'traceback UnicodeEncodeError', 'accepted', ...
    detail: str


def judge(out: Outcome, *, expect: str, changed: bool, extra_stderr: re.Pattern[str] | None = None) -> list[Problem]:
    """The rules above, for a case expected to be refused (`expect='error'`) or accepted (`'ok'`).

    `extra_stderr` matches further stderr lines allowed before the Error line (an import's row problems).
    """
    problems: list[Problem] = []
    if out.exception is not None:
        return [Problem(f"traceback {out.crash}", out.traceback)]
    printed = out.stdout + out.stderr
    if CONTROL.search(printed):
        char = CONTROL.search(printed).group()  # type: ignore[union-attr]
        problems.append(Problem("raw control character printed", f"{char!r} in the output"))
    if expect == "ok":
        if out.exit_code != 0:
            problems.insert(0, Problem("refused a legitimate value", f"exit {out.exit_code}: {_first(out.stderr)}"))
        return problems
    if out.exit_code == 0:
        return [Problem("accepted (exit 0)", _first(out.stderr) or _first(out.stdout)), *problems]
    if out.exit_code not in (1, 2):
        problems.append(Problem("exit code not 1 or 2", f"exit {out.exit_code}"))
    shape = stderr_shape(out.stderr, extra_stderr)
    if shape:
        problems.append(Problem("stderr is not one Error line (+ Hint)", shape))
    if changed:
        problems.append(Problem("database changed by a refused command", _first(out.stderr)))
    return problems


def judged(
    case_id: str,
    out: Outcome,
    *,
    expect: str = "error",
    changed: bool,
    extra_stderr: re.Pattern[str] | None = None,
    more: list[Problem] | None = None,
) -> list[Problem]:
    """`judge` the case (MORE: problems found besides), count it in the tally; returns its problems."""
    problems = judge(out, expect=expect, changed=changed, extra_stderr=extra_stderr) + (more or [])
    TALLY.record(case_id, shell(out.argv), problems)
    return problems


def stderr_shape(stderr: str, extra: re.Pattern[str] | None = None) -> str:
    """'' when stderr is one Error line and an optional Hint line; else what is wrong with it."""
    lines = stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    while extra is not None and lines and extra.fullmatch(lines[0]):
        lines.pop(0)
    if not lines:
        return "nothing on stderr"
    if not lines[0].startswith(ERROR):
        return f"first line is not an Error line: {_short(lines[0], 100)!r}"
    if len(lines) == 2 and lines[1].startswith(HINT):
        return ""
    if len(lines) == 1:
        return ""
    return f"{len(lines)} lines: " + " | ".join(_short(line, 60) for line in lines[:4])


def _first(text: str) -> str:
    return _short(text.strip().split("\n")[0], 160) if text.strip() else ""


def _short(text: str, n: int) -> str:
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= n else f"{text[:n]}...({len(text)} chars)"


def shell(argv: list[str]) -> str:
    """The command line as a user would type it in bash (ANSI-C quoting for odd characters)."""
    return "kbo " + " ".join(_shell_word(arg) for arg in argv)


def _shell_word(arg: str) -> str:
    if arg.startswith("--") and "=" in arg:  # --option=VALUE: the value quoted on its own
        option, value = arg.split("=", 1)
        return f"{option}={_shell_word(value)}"
    if not arg:
        return "''"
    if len(arg) > 300:
        if len(set(arg)) == 1:
            return f"\"$(printf '{arg[0]}%.0s' {{1..{len(arg)}}})\""
        return shlex.quote(_short(arg, 40))
    if arg.isprintable() and not any(0xDC80 <= ord(c) <= 0xDCFF for c in arg):
        return shlex.quote(arg)
    return "$'" + "".join(_ansi_c(c) for c in arg) + "'"


def _ansi_c(c: str) -> str:
    if 0xDC80 <= ord(c) <= 0xDCFF:
        return f"\\x{ord(c) - 0xDC00:02x}"
    if c in "\\'":
        return "\\" + c
    if c.isprintable():
        return c
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}.get(c, f"\\x{ord(c):02x}")


# --- the tally -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Every judged case of the run, for the summary printed at the end."""

    cases: list[tuple[str, str, list[Problem]]] = field(default_factory=list)  # (case id, command line, problems)

    def record(self, case_id: str, command: str, problems: list[Problem]) -> None:
        self.cases.append((case_id, command, problems))

    def lines(self) -> list[str]:
        failed = [(i, c, p) for i, c, p in self.cases if p]
        out = [
            f"kbo hardening: {len(self.cases)} cases tried, {len(self.cases) - len(failed)} pass, {len(failed)} fail"
        ]
        by_class: dict[str, list[tuple[str, str, Problem]]] = defaultdict(list)
        for case_id, command, problems in failed:
            by_class[problems[0].rule].append((case_id, command, problems[0]))
        for rule, hits in sorted(by_class.items(), key=lambda kv: -len(kv[1])):
            kinds = Counter(case_id.split("=")[-1].split("+")[0] for case_id, _c, _p in hits)
            out.append(
                f"  {len(hits):5d}  {rule}  (values: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(8)) + ")"
            )
            case_id, command, problem = hits[0]
            out.append(f"         e.g. {_short(command, 150)}")
            out.append(f"              -> {_short(problem.detail, 150)}")
        return out

    def dump(self, path: str) -> None:
        rows = [{"case": i, "command": c, "problems": [p.__dict__ for p in ps]} for i, c, ps in self.cases]
        Path(path).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


TALLY = Tally()


class _SummaryPlugin:
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """On a pytest-xdist worker: hand this worker's cases to the controller, which prints the tally."""
        workeroutput = getattr(session.config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput["kbo_tally"] = [(i, c, [(p.rule, p.detail) for p in ps]) for i, c, ps in TALLY.cases]

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not TALLY.cases or hasattr(terminalreporter.config, "workerinput"):
            return
        terminalreporter.section("kbo hardening tally")
        for line in TALLY.lines():
            terminalreporter.write_line(line)
        if os.environ.get("KBO_FUZZ_REPORT"):
            TALLY.dump(os.environ["KBO_FUZZ_REPORT"])


class _WorkerTallies:
    """On the pytest-xdist controller: add up the cases each worker judged."""

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        for case_id, command, problems in getattr(node, "workeroutput", {}).get("kbo_tally", []):
            TALLY.record(case_id, command, [Problem(rule, detail) for rule, detail in problems])


def register_summary(config: pytest.Config) -> None:
    """Print the tally at the end of the run, of every worker's cases (idempotent; tests/conftest.py calls it)."""
    if not config.pluginmanager.has_plugin("kbo-hardening-tally"):
        config.pluginmanager.register(_SummaryPlugin(), "kbo-hardening-tally")
    if config.pluginmanager.hasplugin("xdist") and not config.pluginmanager.has_plugin("kbo-worker-tallies"):
        config.pluginmanager.register(_WorkerTallies(), "kbo-worker-tallies")
