"""Malicious and odd input files: `kbo import` and `report candidates --weights` refuse each one cleanly.

Issue #11 ([hardening]). The files are in tests/data/bad, made by tests/data/bad/make.py (committed with
them); the one large file, a 1 MB workbook declaring A1:XFD1048576, is made at test time and read only by
a separate process limited to 2 GB of address space and 60 seconds, so that it cannot take the machine
down.

The rules are those of test_fuzz.py (fuzzsupport.py): no traceback, exit 1 or 2, one `Error:` line (+ one
`Hint:` line) on stderr, the database unchanged, no raw control character printed. One allowance: an
import that finds bad rows first lists them, one line each (`SHEET, row N, column C: problem`), as `kbo
import` is documented to do.

Every file is imported into an empty database (made with `kbo db upgrade`; a dump restores only into
one), for real and with --dry-run. Each damaged file has an undamaged twin made the same way, which must
import: a refusal is then a refusal of the damage, not of the way the file was made.
"""

from __future__ import annotations

import importlib.util
import re
import resource
import subprocess
from pathlib import Path

import pytest

from fuzzsupport import TALLY, Outcome, Problem, copy_db, invoke, judge, judged, process_on, run_on, shell

BAD = Path(__file__).parent / "data" / "bad"
_spec = importlib.util.spec_from_file_location("bad_files_make", BAD / "make.py")
assert _spec is not None and _spec.loader is not None
make = importlib.util.module_from_spec(_spec)  # tests/data/bad/make.py: the files' recipe
_spec.loader.exec_module(make)

#: the lines an import prints for each bad row, before its Error line
ROW_PROBLEM = re.compile(r".+, row \d+, column .+: .+")
#: damaged files for `kbo import`, and what each one is
BAD_IMPORTS = {
    "cut-sheet.xlsx": "an .xlsx whose sheet XML is cut in half",
    "not-a-zip.xlsx": "an .xlsx that is not a zip archive",
    "long-field.csv": "a CSV with a field over 128 KiB",
    "unbalanced-quote.csv": "a CSV with an unbalanced quote",
    "not-utf8-nor-cp874.csv": "a CSV that is neither UTF-8 nor cp874",
    "empty.csv": "an empty CSV",
    "deep.json": "JSON nested 100,000 deep",
    "dump-big-number.json": "a kbo dump with a 5,000-digit number",
    "dump-issued-feb30.json": "a kbo dump with issued_on 2566-02-30",
    "dump-status-bogus.json": "a kbo dump with status 'bogus'",
    "dump-opc-negative.json": "a kbo dump with an OPC part1 of -50",
    "dump-name-123.json": "a kbo dump whose group name is the number 123",
}
CONTROLS = ["good.xlsx", "good.csv", "dump-good.json"]
MODES = {"import": [], "dry-run": ["--dry-run"]}
MEMORY_LIMIT = 2 << 30  # bytes of address space for the large-file process
TIMEOUT = 60


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory, demo_sqlite: Path) -> dict[str, Path]:
    """An empty database made once for the module, and the demo (loaded once per session: conftest.py)."""
    empty = tmp_path_factory.mktemp("bad-files") / "empty.db"
    out = invoke(["--db", str(empty), "--lang", "en", "db", "upgrade"])
    assert out.exit_code == 0 and out.exception is None, out.stderr or out.traceback
    return {"empty": empty, "demo": demo_sqlite}


def database(templates: dict[str, Path], which: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{which}.db"
    copy_db(templates[which], path)
    return path


def run(db: Path, args: list[str]) -> tuple[Outcome, bool]:
    return run_on(db, ["--db", str(db), "--lang", "en", *args])


def check(case_id: str, out: Outcome, changed: bool, expect: str = "error") -> list[Problem]:
    return judged(case_id, out, expect=expect, changed=changed, extra_stderr=ROW_PROBLEM)


def explain(out: Outcome, problems: list[Problem]) -> str:
    return "\n".join(
        [
            shell(out.argv),
            *(f"  {p.rule}: {p.detail}" for p in problems),
            f"  exit {out.exit_code}; stderr: {out.stderr[-600:]!r}",
        ]
    )


def test_the_committed_files_are_what_make_py_makes() -> None:
    for name, data in make.small_files().items():
        assert (BAD / name).read_bytes() == data, f"run: python tests/data/bad/make.py ({name} differs)"
        assert len(data) < 200 * 1024, name


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", CONTROLS)
def test_the_undamaged_twin_imports(name: str, mode: str, templates: dict[str, Path], tmp_path: Path) -> None:
    out, _changed = run(database(templates, "empty", tmp_path), ["import", str(BAD / name), *MODES[mode]])
    problems = judge(out, expect="ok", changed=False)
    assert not problems, explain(out, problems)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", BAD_IMPORTS)
def test_a_damaged_file_is_refused(name: str, mode: str, templates: dict[str, Path], tmp_path: Path) -> None:
    out, changed = run(database(templates, "empty", tmp_path), ["import", str(BAD / name), *MODES[mode]])
    problems = check(f"import-{mode}/{name}={BAD_IMPORTS[name]}", out, changed)
    assert not problems, explain(out, problems)


def test_an_unbalanced_quote_is_called_that(templates: dict[str, Path], tmp_path: Path) -> None:
    """Not 'unknown text encoding', not a missing district: the message names the quote."""
    path = BAD / "unbalanced-quote.csv"
    out, changed = run(database(templates, "empty", tmp_path), ["import", str(path)])
    said = out.stderr.replace(str(path), "").replace(path.name, "").lower()  # the file's own name says quote
    unnamed = out.exit_code != 0 and "quote" not in said
    more = [Problem("an unbalanced quote is not called that", _first_line(out.stderr))] if unnamed else []
    case_id = "import-import/unbalanced-quote.csv=the error names the quote"
    problems = judged(case_id, out, changed=changed, extra_stderr=ROW_PROBLEM, more=more)
    assert not problems, explain(out, problems)


def _first_line(text: str) -> str:
    return text.strip().split("\n")[0][:160]


def test_good_weights_are_read(templates: dict[str, Path], tmp_path: Path) -> None:
    out, _changed = run(
        database(templates, "demo", tmp_path), ["report", "candidates", "--weights", str(BAD / "weights-good.toml")]
    )
    problems = judge(out, expect="ok", changed=False)
    assert not problems, explain(out, problems)


def test_weights_not_in_utf8_are_refused(templates: dict[str, Path], tmp_path: Path) -> None:
    out, changed = run(
        database(templates, "demo", tmp_path), ["report", "candidates", "--weights", str(BAD / "weights-cp874.toml")]
    )
    problems = check("report-candidates/--weights=weights-cp874.toml", out, changed)
    assert not problems, explain(out, problems)


# --- the workbook that declares a huge sheet: a separate, limited process ------------------------------


@pytest.fixture(scope="module")
def huge_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    make.write(make.large_files(), folder)
    path = folder / "huge-dimension.xlsx"
    assert path.stat().st_size <= 2 * 1024 * 1024
    return path


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("mode", MODES)
def test_a_workbook_declaring_a_huge_sheet_is_refused(
    mode: str, huge_workbook: Path, templates: dict[str, Path], tmp_path: Path
) -> None:
    """~400,000 empty rows and one cell at XFD1048576: kbo must check the declared size before reading."""
    db = database(templates, "empty", tmp_path)
    argv: list[str | bytes] = ["--db", str(db), "--lang", "en", "import", str(huge_workbook), *MODES[mode]]
    case_id = f"import-{mode}/huge-dimension.xlsx=a workbook declaring A1:XFD1048576"
    try:
        out, changed = process_on(db, argv, tmp_path, timeout=TIMEOUT, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        TALLY.record(case_id, shell(list(map(str, argv))), [Problem("timeout", f"still running after {TIMEOUT} s")])
        pytest.fail(f"kbo import {huge_workbook.name} was still running after {TIMEOUT} s")
    problems = check(case_id, out, changed)
    assert not problems, explain(out, problems)
