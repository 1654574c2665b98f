"""kbo at national scale: build a synthetic country, then time kbo's commands as whole processes.

    python bench/run.py --keep ~/kbo-bench                        # 212,000 products, SQLite
    python bench/run.py --keep ~/kbo-bench --sizes 10000,50000,100000,212000 --skip-heavy
    python bench/run.py --keep ~/kbo-bench --engine postgresql --pg postgresql+psycopg://postgres@127.0.0.1/postgres
    python bench/run.py --keep ~/kbo-bench --only gaps            # only the commands whose label has "gaps"

The country (dataset.py: --products products, --groups-ratio groups per product, 878 districts, full
checklists, findings, plan actions, visits, OPC scores, all valid by kbo's rules) is written as a kbo JSON
dump and loaded with `kbo import`, kbo's own bulk path; with --keep the database is cached per size (and
per dataset version and kbo schema) and reused by later runs, which time their commands on a fresh copy.

Each command in COMMANDS below runs as a separate process (measure.py): one warm-up run, then --runs
counted runs; the median wall time and the peak memory (max RSS, from GNU time) are reported. The heavy
ones (export, JSON restore, sheet imports, history after an import) run --heavy-runs times, on a database
prepared before each run, and are left out by --skip-heavy. A run is stopped after --timeout seconds.

The gap and progress reports run interleaved with two anchors (anchors.py), which must print kbo's CSV
byte for byte, checked by hash (MISMATCH otherwise): the database's own program (sqlite3, or psql for
PostgreSQL) running one SQL query, and a stdlib-only Python script (stdlib_anchor.py: sqlite3 and
csv.writer). kbo/anchor is the median of the ratios taken round by round. The queries are kept in
WORK/sql, the outputs of the last run in WORK/out.

Nothing here is a test: it prints figures (tables on stdout, each command line and its figures on
stderr as it goes). Standard library only, besides kbo itself; kbo is this repository's (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(Path(__file__).resolve().parent.parent))  # kbo itself, when it is not installed
import anchors
import dataset
from engines import PostgreSQL, SQLite
from measure import Result, Run, Variant, interleaved

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Timed:
    """One timed command. `args` are kbo's, with {placeholders} filled in per size (see `placeholders`).

    anchor: "gaps" or "progress": also time the same CSV without kbo (for the district in `district`).
    db: "work" (the country's working copy), "none" (no database), "empty" (a new empty database before
    each run), "import" (a fresh copy of the country before each run), "imported" (what the last
    "import" run left). heavy: runs --heavy-runs times, without a warm-up.
    """

    args: tuple[str, ...]
    note: str = ""
    anchor: str | None = None
    district: str | None = None
    db: str = "work"
    heavy: bool = False


# The timed commands. Adding one is one line; a command this kbo does not have yet prints "n/a".
COMMANDS = [
    Timed(("--help",), db="none"),
    Timed(
        ("report", "progress", "-d", "NOWHERE", "-f", "csv"),
        "start-up: any DB command's fixed cost",
        anchor="progress",
        district="NOWHERE",
    ),
    Timed(("product", "show", "{product}")),
    Timed(("checklist", "show", "{product}")),
    Timed(("checklist", "set", "{product}", "label", "--note", "bench")),
    Timed(("report", "gaps", "-f", "csv"), "whole country", anchor="gaps"),
    Timed(("report", "gaps", "-f", "csv", "-d", "{district}"), "one district", anchor="gaps", district="{district}"),
    Timed(("report", "progress", "-f", "csv"), "whole country", anchor="progress"),
    Timed(
        ("report", "progress", "-f", "csv", "-d", "{district}"),
        "one district",
        anchor="progress",
        district="{district}",
    ),
    Timed(("report", "candidates", "-f", "csv")),
    Timed(("report", "progress", "--as-of", "{year_ago}", "-f", "csv"), "meeting: progress a year ago"),
    Timed(("report", "progress", "--since", "{quarter_ago}", "-f", "csv"), "meeting: progress since a date"),
    Timed(("report", "districts", "-f", "csv"), "meeting"),
    Timed(("report", "agencies", "-f", "csv"), "meeting"),
    Timed(("export", "{out}/country.xlsx", "--force"), heavy=True),
    Timed(("import", "{dump}"), "JSON restore of the whole dump, into an empty database", db="empty", heavy=True),
    Timed(("import", "{sheet}"), "{rows} sheet rows, into an empty database", db="empty", heavy=True),
    Timed(("import", "{sheet}"), "{rows} sheet rows, into a copy of the country", db="import", heavy=True),
    Timed(("history",), "after that import", db="imported", heavy=True),
]


@dataclass
class Row:
    label: str
    note: str
    kbo: Result | None = None
    anchors: list[Result] = field(default_factory=list)
    problem: str = ""  # "n/a", "failed ..."
    mismatch: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Setup:
    """What every step of a run works with: the options, the engine, how kbo is started (and its environment),
    and the folders of cached countries and of the run's work."""

    args: argparse.Namespace
    engine: SQLite | PostgreSQL
    kbo: list[str]
    env: dict[str, str]
    cache: Path
    work: Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=212_000, help="products in the country (default 212000)")
    parser.add_argument("--sizes", help="several sizes, e.g. 10000,50000,100000,212000 (instead of --products)")
    parser.add_argument("--groups-ratio", type=float, default=0.45, help="producer groups per product (0.45)")
    parser.add_argument("--seed", type=int, default=48)
    parser.add_argument("--runs", type=int, default=5, help="counted runs per command (5), after one warm-up")
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs of restore, imports and export (3)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the CSV sheet to import")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg", default=os.environ.get("KBO_TEST_PG"), help="server URL for --engine postgresql")
    parser.add_argument("--lang", default="th", help="kbo's language (KBO_LANG); th is kbo's default")
    parser.add_argument("--keep", type=Path, help="cache built databases, dumps and sheets in this folder")
    parser.add_argument("--only", help="time only commands whose label contains this text")
    parser.add_argument("--skip-heavy", action="store_true", help="leave out export, restore, imports and history")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before one run is stopped (900)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.products]

    root = args.keep.expanduser().resolve() if args.keep else Path(tempfile.mkdtemp(prefix="kbo-bench-"))
    cache, work = root / "cache", root / "work"
    cache.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    kbo = (
        [str(Path(sys.executable).parent / "kbo")]
        if (Path(sys.executable).parent / "kbo").exists()
        else [sys.executable, "-m", "kbo_cli"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KBO_") and k not in ("COLUMNS", "LINES")}
    env.update(KBO_LANG=args.lang, KBO_USER="bench", PYTHONPATH=str(REPO), KBO_BENCH_CSV=json.dumps(anchors.CSV_WRITER))
    if args.engine == "sqlite":
        engine: SQLite | PostgreSQL = SQLite(cache, work, kbo, env)
    else:
        if not args.pg:
            raise SystemExit("--engine postgresql needs --pg URL (or KBO_TEST_PG)")
        engine = PostgreSQL(args.pg, kbo, env)

    print(machine(engine, kbo, env), flush=True)
    setup = Setup(args, engine, kbo, env, cache, work)
    tables: dict[int, list[Row]] = {}
    try:
        for products in sizes:
            tables[products] = bench_size(products, setup)
            print(table(products, args, engine, tables[products]), flush=True)
        if len(sizes) > 1:
            print(scaling(tables, args))
    finally:
        for name in ("work", "empty", "import"):
            engine.drop(name)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def machine(engine: SQLite | PostgreSQL, kbo: list[str], env: dict[str, str]) -> str:
    def proc(name: str, field: str) -> str:  # Linux: /proc/cpuinfo, /proc/meminfo
        path = Path("/proc") / name
        lines = path.read_text().splitlines() if path.exists() else []
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(field)), "")

    cpu = proc("cpuinfo", "model name") or platform.processor() or "?"
    memory = proc("meminfo", "MemTotal").split()  # "24683240 kB"
    ram = int(memory[0]) / 2**20 if memory else 0.0
    version = subprocess.run([*kbo, "--version"], env=env, capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"# kbo benchmark, {date.today().isoformat()}\n\n"
        f"- machine: {cpu}, {os.cpu_count()} cores ({usable} usable), {ram:.1f} GB RAM, load average {load}\n"
        f"- {platform.python_implementation()} {platform.python_version()}, {engine.describe()}\n"
        f"- {version} at {commit or '?'}, {engine.name}\n"
    )


def placeholders(sample: dict, dump: Path, sheet: Path, out: Path, rows: int) -> dict[str, str]:
    today = date.today()
    return {
        "product": sample["product"],
        "district": sample["district"],
        "dump": str(dump),
        "sheet": str(sheet),
        "out": str(out),
        "rows": f"{rows:,}",
        "year_ago": (today - timedelta(days=365)).isoformat(),
        "quarter_ago": (today - timedelta(days=91)).isoformat(),
    }


# --- building the country (cached) -------------------------------------------------------------------------
def country(products: int, setup: Setup) -> tuple[str, dict, Path]:
    """The cached database of this size (built when missing), what it holds, and its dump."""
    from kbo_cli.storage.migrations import HEAD

    args, engine, cache = setup.args, setup.engine, setup.cache
    key = f"{products}-r{args.groups_ratio:g}-s{args.seed}-v{dataset.VERSION}-schema{HEAD}"
    name, dump, info_file = f"cache-{key}", cache / f"country-{key}.json", cache / f"country-{key}.info.json"
    if info_file.exists() and dump.exists() and engine.complete(name):
        info = json.loads(info_file.read_text())
        print(f"Country of {products:,} products: cached ({info['build']})", file=sys.stderr, flush=True)
        return name, info, dump
    print(f"Building a country of {products:,} products ...", file=sys.stderr, flush=True)
    if info_file.exists() and dump.exists():  # made for the other engine: load it
        info = json.loads(info_file.read_text())
        generated_by = info["build"].split(", loaded")[0]
    else:
        start = time.perf_counter()
        generator = dataset.Country(products, args.groups_ratio, args.seed, date.today())
        sample, counts = generator.write_dump(dump.with_suffix(".part"))
        dump.with_suffix(".part").replace(dump)
        generated_by = f"generated in {time.perf_counter() - start:.0f} s ({dump.stat().st_size / 2**20:,.0f} MB)"
        info = {"product": sample.product, "district": sample.district, "districts": sample.districts, "counts": counts}
    engine.create_empty("build")
    start = time.perf_counter()
    load = subprocess.run(
        [*setup.kbo, "--db", engine.url("build"), "import", str(dump)], env=setup.env, capture_output=True, text=True
    )
    if load.returncode:
        raise SystemExit(f"kbo import of the generated dump failed:\n{load.stderr[-3000:]}")
    loaded = time.perf_counter() - start
    engine.keep("build", name)
    info["build"] = f"{generated_by}, loaded by kbo import in {loaded:.0f} s"
    info_file.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    print(f"  {info['build']}", file=sys.stderr, flush=True)
    return name, info, dump


def sheet(rows: int, args: argparse.Namespace, districts: list[str], cache: Path) -> Path:
    path = cache / f"sheet-{rows}-s{args.seed}-v{dataset.VERSION}.csv"
    if not path.exists():
        generator = dataset.Country(1, args.groups_ratio, args.seed, date.today())
        generator.write_sheet(path.with_suffix(".part"), rows, districts)
        path.with_suffix(".part").replace(path)
    return path


# --- timing ---------------------------------------------------------------------------------------------
def bench_size(products: int, setup: Setup) -> list[Row]:
    args = setup.args
    cached, info, dump = country(products, setup)
    csv_sheet = sheet(args.import_rows, args, info["districts"], setup.cache)
    out = setup.work / "out"
    out.mkdir(exist_ok=True)
    values = placeholders(info, dump, csv_sheet, out, args.import_rows)
    setup.engine.copy(cached, "work")
    rows = []
    for number, cmd in enumerate(COMMANDS):
        argv = [a.format(**values) for a in cmd.args]
        label = "kbo " + " ".join(a.replace("{", "<").replace("}", ">") for a in cmd.args)
        note = cmd.note.format(**values)
        if (args.only and args.only not in f"{label} {note}") or (args.skip_heavy and cmd.heavy):
            continue
        slug = f"{number:02d}-" + re.sub(r"[^\w.]+", "-", " ".join(cmd.args[:2])).strip("-")
        rows.append(measure_one(cmd, argv, label, note, slug, setup, cached, values))
    return rows


def measure_one(
    cmd: Timed,
    argv: list[str],
    label: str,
    note: str,
    slug: str,
    setup: Setup,
    cached: str,
    values: dict[str, str],
) -> Row:
    args, engine, work = setup.args, setup.engine, setup.work
    row = Row(label, note)
    prepare = None
    if cmd.db == "empty":
        db, prepare = "empty", lambda: engine.create_empty("empty")
    elif cmd.db == "import":
        db, prepare = "import", lambda: engine.copy(cached, "import")
    elif cmd.db == "imported" and not engine.exists("import"):
        row.problem = "n/a (no import was timed)"
        return row
    else:
        db = "import" if cmd.db == "imported" else "work"
    variants = [Variant("kbo", [*setup.kbo, *argv], env={"KBO_DB": engine.url(db)})]
    if cmd.anchor:
        variants += anchor_variants(cmd, engine, db, work, values, args.lang)
    print(f"$ KBO_DB={shlex.quote(engine.url(db))} {shell(['kbo', *argv])}", file=sys.stderr, flush=True)
    for v in variants[1:]:
        print(f"  {v.name}: {shell(v.argv)}" + (f" < {v.stdin}" if v.stdin else ""), file=sys.stderr, flush=True)
    runs = args.heavy_runs if cmd.heavy else args.runs
    result = interleaved(
        variants,
        env=setup.env,
        out_dir=work / "out",
        slug=slug,
        runs=runs,
        warmup=0 if cmd.heavy else 1,
        timeout=args.timeout,
        prepare=prepare,
        probe=lambda r: r.exit != 2,
    )
    if isinstance(result, Run):
        known = {2: "n/a", -9: f"stopped after {args.timeout:.0f} s"}  # 2: a usage error, no such command
        row.problem = known.get(result.exit, f"failed (exit {result.exit})")
        print(f"  {row.problem}: {result.stderr[-600:]}", file=sys.stderr, flush=True)
        return row
    row.kbo, row.anchors = result[0], result[1:]
    for a in row.anchors:
        if not a.ok:
            row.mismatch[a.name] = f"failed: {a.runs[-1].stderr[-300:]}"
        elif a.digest != row.kbo.digest:
            row.mismatch[a.name] = first_difference(
                work / "out" / f"{slug}.kbo.out", work / "out" / f"{slug}.{a.name}.out"
            )
    if cmd.db == "imported":
        rows, mb = engine.history_size("import")
        row.note += f"; history: {rows:,} changes, {mb:,.0f} MB"
    print(
        "  "
        + "; ".join(f"{r.name} {r.median:.3f} s, {r.peak_mb:.0f} MB" for r in result)
        + "".join(f"; {name} MISMATCH" for name in row.mismatch),
        file=sys.stderr,
        flush=True,
    )
    return row


def anchor_variants(
    cmd: Timed, engine: SQLite | PostgreSQL, db: str, work: Path, values: dict[str, str], lang: str
) -> list[Variant]:
    """The anchors of a report: its SQL written to files (kept in work/sql for reading), and how to run it."""
    district = cmd.district.format(**values) if cmd.district else None
    today = date.today()
    sql_dir = work / "sql"
    sql_dir.mkdir(exist_ok=True)
    name = f"{cmd.anchor}-{'district' if district else 'country'}" + ("-nowhere" if district == "NOWHERE" else "")
    if cmd.anchor == "gaps":
        lines = anchors.gaps_sql(engine.dialect, today=today, lang=lang, district=district, csv_line=True)
        rows = anchors.gaps_sql(engine.dialect, today=today, lang=lang, district=district, csv_line=False)
        order = None
    else:
        lines = anchors.progress_sql(engine.dialect, today=today, district=district, csv_line=True)
        rows = anchors.progress_sql(engine.dialect, today=today, district=district, csv_line=False, sort=False)
        order = anchors.PROGRESS_ORDER
    (sql_dir / f"{name}.{engine.name}.sql").write_text(lines, encoding="utf-8")
    (sql_dir / f"{name}.stdlib.sql").write_text(rows, encoding="utf-8")
    return engine.anchors(db, sql_dir / f"{name}.{engine.name}.sql", sql_dir / f"{name}.stdlib.sql", order)


def shell(argv: list[str]) -> str:
    """A command line to copy into bash."""
    return " ".join("$'\\n'" if a == "\n" else shlex.quote(a) for a in argv)


def first_difference(a: Path, b: Path) -> str:
    with a.open("rb") as fa, b.open("rb") as fb:
        for number, (la, lb) in enumerate(zip(fa, fb, strict=False), start=1):
            if la != lb:
                show = lambda line: line.decode("utf-8", "replace").rstrip("\n")[:200]  # noqa: E731
                return f"line {number}: kbo `{show(la)}`, anchor `{show(lb)}`"
    return f"one output ends early ({a.stat().st_size:,} vs {b.stat().st_size:,} bytes)"


# --- printing -------------------------------------------------------------------------------------------
def seconds(s: float) -> str:
    return f"{s:.3f}" if s < 10 else f"{s:.1f}"


def table(products: int, args: argparse.Namespace, engine: SQLite | PostgreSQL, rows: list[Row]) -> str:
    groups = round(products * args.groups_ratio)
    program = engine.program
    lines = [
        f"\n## {products:,} products, {groups:,} groups, {engine.name}: median of {args.runs} runs "
        f"({args.heavy_runs} for the heavy ones), kbo language {args.lang}\n",
        f"| command | note | kbo median (s) | kbo min–max (s) | kbo peak (MB) | {program} (s, MB) "
        f"| stdlib (s, MB) | kbo/{program} | kbo/stdlib |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    problems = []
    for r in rows:
        if r.kbo is None:
            lines.append(f"| `{r.label}` | {r.note} | {r.problem} | | | | | | |")
            continue
        cells, ratios = [], []
        for name in (program, "stdlib"):
            a = next((x for x in r.anchors if x.name == name), None)
            if a is None:
                cells.append("–")
                ratios.append("–")
            elif name in r.mismatch:
                cells.append("MISMATCH")
                ratios.append("–")
                problems.append(f"- `{r.label}` ({r.note}): {name} does not print kbo's bytes: {r.mismatch[name]}")
            else:
                cells.append(f"{seconds(a.median)} ({a.peak_mb:.0f} MB)")
                ratios.append(f"{a.ratio:.2f}")
        spread = f"{seconds(min(x.seconds for x in r.kbo.runs))}–{seconds(max(x.seconds for x in r.kbo.runs))}"
        lines.append(
            f"| `{r.label}` | {r.note} | {seconds(r.kbo.median)} | {spread} | {r.kbo.peak_mb:.0f} | "
            f"{cells[0]} | {cells[1]} | {ratios[0]} | {ratios[1]} |"
        )
    if problems:
        lines += ["", "MISMATCH (the anchor's figure is not comparable):", *problems]
    return "\n".join(lines)


def scaling(tables: dict[int, list[Row]], args: argparse.Namespace) -> str:
    sizes = list(tables)
    lines = [
        "\n## Scaling: kbo median s (peak MB)\n",
        "| command | note | " + " | ".join(f"{s:,} products" for s in sizes) + " |",
        "|---|---|" + "---:|" * len(sizes),
    ]
    for i, r in enumerate(tables[sizes[0]]):
        cells = []
        for s in sizes:
            other = tables[s][i]
            cells.append(f"{seconds(other.kbo.median)} ({other.kbo.peak_mb:.0f})" if other.kbo else other.problem)
        lines.append(f"| `{r.label}` | {r.note.split(';')[0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
