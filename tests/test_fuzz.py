"""Every kbo command and option, fed bad values of its kind: kbo refuses cleanly or accepts, never crashes.

Issue #11 ([hardening]). The commands and their parameters are found by walking the Typer app, so a new
command or option is fuzzed without touching this file; KINDS maps a parameter's name to its kind, and a
parameter it does not name gets a kind from its type (int: count, float: score, Path: path, a choice,
else one-line text).

The rules, for each case (see fuzzsupport.py for the exact checks):

- A bad value is REFUSED: no traceback, exit 1 or 2, stderr is one `Error:` line (+ one `Hint:` line) and
  nothing else, the database is unchanged, and no raw terminal control character is printed.
- Bad values, by kind: empty, whitespace only, 100,000 characters, invalid UTF-8 (in-process: the str with
  surrogate escapes Python makes of undecodable argv), control characters (an ANSI/OSC sequence with BEL,
  CR, LF, NUL); numbers too large for the database, negative, 1e400, nan, zero and unknown ids, scores
  over every part maximum; impossible dates (2566-02-30, 31/04/2566, 0/0/0); unknown codes, districts and
  vocabulary words; an existing code given as a new one; folders (`.`, and a folder named folder.xlsx)
  and missing folders as files, a missing input file; database URLs kbo cannot use.
- Decided as ACCEPTED (exit 0, no traceback, no raw control character printed): an empty or blank value of
  an optional field that is stored clears it (--note, --description, --found, --next, --contact, --phone,
  --village, --subdistrict, --cert, and the dates --issued, --expires, --due, as `checklist set` does
  today); a line break inside multi-line text (--note, --description, --found, --next, a finding's text,
  --reason); 400 characters of Thai in multi-line text.
- Everything else is refused, including an explicitly empty value of any other option (a filter such as
  `--group ''` or `--district ''`, `--db ''`, `--by ''`, `--on ''`, `--code ''`), an unknown value in a
  filter (`--district` that is not a district of the network's province), a control character in any
  one-line value, and an undecodable argument everywhere (paths included: kbo shows and records file
  names, so it cannot keep one it cannot print).
- The other parameters a case needs are GOOD values from the demo (product NPM05-01 of group NPM05, open
  plan actions #5 and #6, open weakness #7, round 2567), so the bad value is what is tested;
  test_good_values_are_accepted checks that those alone succeed. Destructive commands get --yes (and
  --cascade) so that a bad value taken for a real record would show as a changed database.
- A repeatable option is tried with the bad value alone and after a good one; an option that takes one value,
  given twice (even the same good value), is refused: Click would keep the last without a word. Flags take no value and
  are not fuzzed. Options are given as --option=VALUE and arguments after `--`, so that a value like -1
  reaches the parameter instead of being parsed as an option.

The demo is loaded once per session; this module works on its own copy, restored only after a case that
changed it. A few cases run kbo as a real process: a closed stdout, undecodable bytes in argv, a report
redirected to a file under PYTHONIOENCODING=cp874 and ascii. The number of cases and the failures per
class are printed at the end of the run ("kbo hardening tally").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import pytest
import typer

from kbo_cli.cli import app

from conftest import empty_folder
from fuzzsupport import Outcome, copy_db, fingerprint, invoke, judge, judged, process_on, shell, stderr_shape

# --- what each parameter is ------------------------------------------------------------------------

#: parameter name -> kind (names are the Python names Typer gives the parameters)
KINDS = {
    **dict.fromkeys(["on", "since", "until", "to"], "date"),  # when something happened; a filter
    **dict.fromkeys(["due", "issued", "expires"], "date-field"),  # a stored date that may be cleared
    **dict.fromkeys(["product", "products"], "product"),
    "group": "group",
    "record": "record",
    **dict.fromkeys(["status", "category", "kind", "agency", "standard", "province", "lang"], "vocab"),
    "district": "district",
    **dict.fromkeys(["action_id", "finding_id", "weakness", "closes", "meeting", "since_meeting"], "id"),
    **dict.fromkeys(["limit", "within", "days"], "count"),
    **dict.fromkeys(["year", "round_year"], "year"),
    **dict.fromkeys(["part1", "part2", "part3"], "score"),
    "code": "new-code",
    **dict.fromkeys(["cert", "contact", "phone", "village", "subdistrict", "place"], "line"),
    **dict.fromkeys(["note", "description", "found", "next_steps", "minutes"], "note"),
    **dict.fromkeys(["text", "reason", "ineligible_because"], "text"),
    **dict.fromkeys(["name", "action", "new_actions", "visitors", "by", "network_name"], "name"),
    **dict.fromkeys(["file", "template", "out"], "path"),
    "weights": "in-file",
    "db": "database",
}
#: (command, parameter) -> kind, where the name alone is not enough
KIND_OF = {("import", "file"): "in-file"}

HUGE = "999999999999999999999999999999"
#: bad values every kind gets: (label, value)
COMMON = [
    ("empty", ""),
    ("blank", "   "),
    ("long", "x" * 100_000),
    ("invalid-utf8", "\udcff\udcfe"),
    ("ansi", "x\x1b[31mRED\x1b]0;pwned\x07"),
    ("cr", "a\rb"),
    ("lf", "a\nb"),
    ("nul", "a\x00b"),
]
NUMBERS = [("huge", HUGE), ("negative", "-1"), ("1e400", "1e400"), ("nan", "nan")]
DATES = [("feb-30", "2566-02-30"), ("apr-31", "31/04/2566"), ("zeros", "0/0/0"), ("huge", HUGE), ("negative", "-1")]
#: more bad values, by kind
EXTRA: dict[str, list[tuple[str, str]]] = {
    "date": DATES,
    "date-field": DATES,
    "product": [("unknown", "NPM99-99"), ("huge", HUGE), ("negative", "-1")],
    "group": [("unknown", "NPM99"), ("huge", HUGE), ("negative", "-1")],
    "record": [("unknown", "NPM99-99"), ("huge", HUGE)],
    "vocab": [("unknown", "bogus")],
    "district": [("unknown", "ไม่มีอำเภอนี้"), ("other-province", "บางรัก")],
    "id": [*NUMBERS, ("zero", "0"), ("unknown", "99999")],
    "count": NUMBERS,
    "year": [*NUMBERS, ("zero", "0")],
    "score": [*NUMBERS, ("inf", "inf"), ("over-max", "101")],
    "new-code": [("duplicate", "{duplicate}")],
    "note": [("long-ok", "ก" * 400)],
    "text": [("long-ok", "ก" * 400)],
    "path": [("folder", "."), ("folder.xlsx", "folder.xlsx"), ("missing-folder", "no/such/folder/out.xlsx")],
    "in-file": [
        ("folder", "."),
        ("folder.xlsx", "folder.xlsx"),
        ("missing-folder", "no/such/folder/in.xlsx"),
        ("missing", "no-such-file.xlsx"),
    ],
    "database": [
        ("mysql", "mysql://kbo@127.0.0.1/kbo"),
        ("memory", "sqlite://"),
        ("folder", "."),
        ("missing-folder", "no/such/folder/kbo.db"),
    ],
    "choice": [("unknown", "xml")],
}
NUMERIC = {"id", "count", "year", "score"}
#: (kind, label) decided as accepted; every other case must be refused
ACCEPTED = {
    *((kind, label) for kind in ("note", "line", "date-field") for label in ("empty", "blank")),
    *((kind, label) for kind in ("note", "text") for label in ("lf", "long-ok")),
}

# --- good values, from the demo --------------------------------------------------------------------

#: per command: the good values for its required parameters (and any a case needs); True adds a flag
GOOD: dict[str, dict[str, Any]] = {
    "checklist set": {"product": "NPM05-01", "standard": "gmp", "status": "in_progress"},
    "finding add": {"product": "NPM05-01", "text": "ฉลากยังไม่มีวันผลิต", "kind": "weakness"},
    "finding resolve": {"finding_id": "7"},
    "group add": {"name": "กลุ่มทดสอบความทนทาน", "district": "ธาตุพนม"},
    "group remove": {"group": "NPM05", "cascade": True, "yes": True},
    "product add": {"name": "น้ำพริกทดสอบ", "group": "NPM05", "category": "food"},
    "product remove": {"product": "NPM05-01", "yes": True},
    "opc set": {"product": "NPM05-01", "year": "2567", "part1": "20", "part2": "20", "part3": "40"},
    "plan add": {"product": "NPM05-01", "action": "ออกแบบฉลากใหม่", "agency": "health"},
    "plan done": {"action_id": "5"},
    "plan drop": {"action_id": "6"},
    "select": {"product": "NPM07-01", "year": "2568", "reason": "มาตรฐานครบ คะแนน OPC สูงสุด"},
    "visit add": {"visitors": "พช.จังหวัด", "group": "NPM05", "products": "NPM05-01"},
    "export": {"file": "out.json"},
    "import": {"file": "{data}/groups.csv"},
    "report summary": {"out": "summary.html"},
    "meeting show": {"meeting": "1"},
    "meeting edit": {"meeting": "1", "place": "ห้องประชุมอำเภอ"},
    "db backup": {"file": "backup.db"},
    "opc score": {"product": "NPM05-01", "year": "2570", "judge": "กัลยา", "part1": "20", "part2": "20", "part3": "40"},
    "committee add": {"round_year": "2570", "name": "นายทดสอบ ระบบดี", "agency": "industry"},
    "committee remove": {"round_year": "2570", "name": "สมบัติ", "yes": True},
    "committee close": {"round_year": "2570"},
    "report scores": {"round_year": "2569"},
}
#: good values for a required parameter of a command GOOD does not list, by kind
GOOD_BY_KIND = {
    "product": "NPM05-01",
    "group": "NPM05",
    "record": "NPM05-01",
    "district": "ธาตุพนม",
    "date": "15/06/2567",
    "id": "5",
    "count": "10",
    "year": "2567",
    "score": "20",
    "new-code": "FUZZ01",
    "line": "ทดสอบ",
    "note": "ทดสอบ",
    "text": "ทดสอบ",
    "name": "ทดสอบ",
    "path": "out.json",
    "in-file": "{data}/groups.csv",
}
#: (command, fuzzed parameter) -> good values the case also needs, so that the fuzzed value is used
COMPANIONS = {
    ("visit add", "agency"): {"new_actions": "ติดตามผลการยื่นขอ"},
    ("visit add", "due"): {"new_actions": "ติดตามผลการยื่นขอ", "agency": "health"},
    ("visit add", "new_actions"): {"agency": "health"},
}
#: what the control run of an edit command changes (an edit with nothing to change is refused)
CONTROL_EDIT = {"group edit": {"phone": "042-000-111"}, "product edit": {"description": "สูตรใหม่"}}
#: a code that exists, for "a new code that is taken"
DUPLICATE = {"group": "NPM02", "product": "NPM05-02"}
#: the commands the root options (--db, --lang) are tried with
ROOT_TARGETS = [("group", "list"), ("db", "status")]


# --- walking the app -------------------------------------------------------------------------------

ROOT = typer.main.get_command(app)


def commands(group: Any = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (command path, command) of the app, sub-groups walked."""
    ctx = typer.Context(group)
    for name in sorted(group.list_commands(ctx)):  # groups are built when asked for (kbo_cli.cli.GROUPS)
        command = group.get_command(ctx, name)
        if getattr(command, "hidden", False):
            continue
        if hasattr(command, "list_commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False))


def option_name(param: Any) -> str | None:
    """The parameter's long option (--status), or None for an argument."""
    if param.param_type_name != "option":
        return None
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def kind_of(command: str, param: Any) -> str:
    if (command, param.name) in KIND_OF:
        return KIND_OF[(command, param.name)]
    if param.name in KINDS:
        return KINDS[param.name]
    desc = param.type_descriptor
    if desc.choices:
        return "choice"
    base = get_args(desc.annotation)[0] if desc.is_list else desc.annotation
    if base is int:
        return "count"
    if base is float:
        return "score"
    if desc.is_path:
        return "path"
    return "name"


def bad_values(kind: str) -> list[tuple[str, str]]:
    common = [
        ("long", "9" * 100_000) if label == "long" and kind in NUMERIC else (label, value) for label, value in COMMON
    ]
    return common + EXTRA.get(kind, [])


def good_values(name: str, command: Any) -> dict[str, Any]:
    """The good values a command runs with: GOOD's, else one by kind for each required parameter."""
    good = dict(GOOD.get(name, {}))
    for param in command.params:
        if param.required and param.name not in good:
            value = GOOD_BY_KIND.get(kind_of(name, param))
            if value is None and param.type_descriptor.choices:
                value = getattr(param.type_descriptor.choices[0], "value", param.type_descriptor.choices[0])
            if value is not None:
                good[param.name] = value
    return good


def argv_for(command: Any, values: dict[str, Any]) -> list[str]:
    """Options as --option=VALUE, then `--` and the arguments in order."""
    options: list[str] = []
    arguments: list[str] = []
    for param in command.params:
        if param.name not in values:
            continue
        value = values[param.name]
        opt = option_name(param)
        if opt is None:
            arguments += value if isinstance(value, list) else [value]
        elif is_flag(param):
            options += [opt] if value is True else []
        else:
            for one in value if isinstance(value, list) else [value]:
                options.append(f"{opt}={one}" if opt.startswith("--") else opt + one)
    return options + (["--", *arguments] if arguments else [])


# --- the cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    argv: list[str]  # after the root options
    expect: str  # 'error' or 'ok'
    root: dict[str, str] = field(default_factory=dict)  # root options replacing --db / --lang


def build_cases() -> list[Case]:
    cases = []
    for path, command in commands():
        name = " ".join(path)
        good = good_values(name, command)
        for param in command.params:
            if is_flag(param):
                continue
            kind = kind_of(name, param)
            label = option_name(param) or param.name.upper()
            base = {**good, **COMPANIONS.get((name, param.name), {})}
            for value_label, value in bad_values(kind):
                value = value.replace("{duplicate}", DUPLICATE.get(path[0], "NPM02"))
                expect = "ok" if (kind, value_label) in ACCEPTED else "error"
                tries = [("", value)]
                if param.multiple and param.name in good:
                    tries.append(("+good", [good[param.name], value]))
                for suffix, tried in tries:
                    argv = [*path, *argv_for(command, {**base, param.name: tried})]
                    cases.append(Case(f"{'-'.join(path)}/{label}={value_label}{suffix}", argv, expect))
            once = good.get(param.name, GOOD_BY_KIND.get(kind))
            if once is None and param.type_descriptor.choices:
                once = getattr(param.type_descriptor.choices[0], "value", param.type_descriptor.choices[0])
            if option_name(param) and not param.multiple and once is not None:  # a one-value option twice
                argv = [*path, *argv_for(command, {**base, param.name: [once, once]})]
                cases.append(Case(f"{'-'.join(path)}/{label}=good-twice", argv, "error"))
    for param in ROOT.params:
        if is_flag(param):
            continue
        kind = kind_of("", param)
        for path in ROOT_TARGETS:
            for value_label, value in bad_values(kind):
                expect = "ok" if (kind, value_label) in ACCEPTED else "error"
                cases.append(
                    Case(
                        f"{'-'.join(path)}/{option_name(param)}={value_label}", list(path), expect, {param.name: value}
                    )
                )
    return cases


CASES = build_cases()
GOOD_RUNS = [(" ".join(path), command) for path, command in commands() if command.params]


# --- the database ----------------------------------------------------------------------------------


class DemoDatabase:
    """This module's copy of the demo database; run() restores it when a case changed it."""

    def __init__(self, pristine: Path, workdir: Path) -> None:
        self.pristine = pristine
        self.data = workdir
        self.path = workdir / "fuzz.db"
        copy_db(pristine, self.path)
        self.now = fingerprint(self.path)  # only run() writes to this database: its fingerprint after the last case

    def run(self, argv: list[str], root: dict[str, str] | None = None) -> tuple[Outcome, bool]:
        """Run kbo on this database; returns the outcome and whether the database changed."""
        options = {"db": str(self.path), "lang": "en", **(root or {})}
        full = ["--db", options["db"], "--lang", options["lang"], *argv]
        full = [a.replace("{data}", str(self.data)) for a in full]
        before = self.now
        outcome = invoke(full)
        self.now = fingerprint(self.path)
        changed = self.now != before
        if changed:
            copy_db(self.pristine, self.path)
            self.now = fingerprint(self.path)
        return outcome, changed


@pytest.fixture(scope="module")
def demo(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoDatabase:
    """This module's own copy of the demo (loaded once per session: tests/conftest.py)."""
    workdir = tmp_path_factory.mktemp("fuzz")
    (workdir / "groups.csv").write_text("name,district\nกลุ่มนำเข้าทดสอบ,ธาตุพนม\n", encoding="utf-8")
    return DemoDatabase(demo_sqlite, workdir)


@pytest.fixture(scope="module")
def case_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cases")


@pytest.fixture
def in_tmp(case_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files a case writes (exports, backups) land in a folder that holds nothing else when the case starts
    (emptied before each case) but folder.xlsx, a folder."""
    empty_folder(case_folder)
    (case_folder / "folder.xlsx").mkdir()
    monkeypatch.chdir(case_folder)
    return case_folder


# --- the tests -------------------------------------------------------------------------------------


def _report(case_id: str, out: Outcome, problems: list[Any]) -> str:
    lines = [shell(out.argv)] + [f"  {p.rule}: {p.detail}" for p in problems]
    lines += [f"  exit {out.exit_code}; stderr: {out.stderr[:400]!r}"]
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_value(case: Case, demo: DemoDatabase, in_tmp: Path) -> None:
    out, changed = demo.run(case.argv, case.root)
    problems = judged(case.id, out, expect=case.expect, changed=changed)
    assert not problems, _report(case.id, out, problems)


@pytest.mark.parametrize(("name", "command"), GOOD_RUNS, ids=[n.replace(" ", "-") for n, _c in GOOD_RUNS])
def test_good_values_are_accepted(name: str, command: Any, demo: DemoDatabase, in_tmp: Path) -> None:
    """The control: a command with only its good values succeeds, so a refused case is refused for its value."""
    good = {**good_values(name, command), **CONTROL_EDIT.get(name, {})}
    missing = [p.name for p in command.params if p.required and p.name not in good]
    assert not missing, f"give a good value for {missing} of 'kbo {name}' in GOOD or GOOD_BY_KIND"
    out, _changed = demo.run([*name.split(), *argv_for(command, good)])
    problems = judge(out, expect="ok", changed=False)
    assert not problems, _report(name, out, problems)


def test_every_command_is_fuzzed() -> None:
    """The walk finds the commands (a broken walk would make every other test here pass vacuously)."""
    fuzzed = {c.id.split("/")[0] for c in CASES}
    for expected in ("group-show", "plan-done", "visit-add", "report-candidates", "import", "checklist-set"):
        assert expected in fuzzed
    assert len(CASES) > 1000


# --- real processes (slow: a few) --------------------------------------------------------------------


@pytest.fixture
def process_db(demo: DemoDatabase, tmp_path: Path) -> Path:
    path = tmp_path / "proc.db"
    copy_db(demo.pristine, path)
    return path


def test_closed_stdout(process_db: Path, tmp_path: Path) -> None:
    """`kbo group list >&-`: kbo cannot write its output; it says so in one line instead of a traceback."""
    argv: list[str | bytes] = ["--db", str(process_db), "--lang", "en", "group", "list"]
    shown = [*map(str, argv), ">&-"]
    out, changed = process_on(process_db, argv, tmp_path, shown=shown, shell_wrap='"$@" >&-')
    problems = judged("process/group-list=closed-stdout", out, changed=changed)
    assert not problems, (problems, out.stderr[-800:])


def test_invalid_utf8_in_real_argv(process_db: Path, tmp_path: Path) -> None:
    """`kbo group show $'\\xff\\xfe'` from a real shell: undecodable bytes in argv."""
    argv: list[str | bytes] = ["--db", str(process_db), "--lang", "en", "group", "show", b"\xff\xfe"]
    out, changed = process_on(process_db, argv, tmp_path)
    problems = judged("process/group-show=invalid-utf8-bytes", out, changed=changed)
    assert not problems, (problems, out.stderr[-800:])


REDIRECTED = [("report", "progress"), ("group", "list", "-f", "csv")]


@pytest.mark.parametrize("args", REDIRECTED, ids=["-".join(a) for a in REDIRECTED])
def test_report_to_file_in_cp874(args: tuple[str, ...], process_db: Path, tmp_path: Path) -> None:
    """PYTHONIOENCODING=cp874 (the Thai Windows code page), output to a file: it works, and the Thai is there.

    cp874 holds every Thai letter, so a Thai group name must come through; characters cp874 lacks (box
    drawing, bars) may be replaced.
    """
    argv: list[str | bytes] = ["--db", str(process_db), "--lang", "en", *args]
    with (tmp_path / "report.txt").open("wb") as file:
        env = {"PYTHONIOENCODING": "cp874"}
        out, changed = process_on(
            process_db, argv, tmp_path, shown=[*map(str, argv), ">", "report.txt"], env=env, stdout=file
        )
    problems = judged(f"process/{'-'.join(args)}=cp874-to-file", out, expect="ok", changed=changed)
    assert not problems, (problems, out.stderr[-800:])
    assert "กลุ่มแม่บ้านน้ำพริกบ้านนาคำ" in (tmp_path / "report.txt").read_bytes().decode("cp874")


@pytest.mark.parametrize("args", REDIRECTED, ids=["-".join(a) for a in REDIRECTED])
def test_report_to_file_in_ascii(args: tuple[str, ...], process_db: Path, tmp_path: Path) -> None:
    """PYTHONIOENCODING=ascii, output to a file: Thai cannot be written in ASCII.

    Either way is decided as fine, never a traceback: kbo writes the report anyway (exit 0, the file is
    ASCII), or it refuses with one Error line (and a Hint, such as setting PYTHONIOENCODING=utf-8).
    """
    argv: list[str | bytes] = ["--db", str(process_db), "--lang", "en", *args]
    with (tmp_path / "report.txt").open("wb") as file:
        env = {"PYTHONIOENCODING": "ascii"}
        out, changed = process_on(
            process_db, argv, tmp_path, shown=[*map(str, argv), ">", "report.txt"], env=env, stdout=file
        )
    expect = "ok" if out.exit_code == 0 else "error"
    problems = judged(f"process/{'-'.join(args)}=ascii-to-file", out, expect=expect, changed=changed)
    assert not problems, (problems, out.stderr[-800:])
    if out.exit_code == 0:
        (tmp_path / "report.txt").read_bytes().decode("ascii")
    else:
        assert stderr_shape(out.stderr) == ""
