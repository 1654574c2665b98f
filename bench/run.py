"""kbo at national scale: build a synthetic country, then time kbo's commands as whole processes.

    python bench/run.py [--products 100000] [--runs 5] [--engine sqlite|postgresql] [--pg URL] [--keep DIR]

The dataset (default 100,000 products of about 40,000 producer groups in 878 districts, full checklists
with a mix of statuses and certificates, findings, plan actions and visits) is written as a kbo JSON export
and loaded with `kbo import`, kbo's own bulk path. Each command then runs --runs times as a separate
process; the table shows the median wall time and the peak memory (max RSS) of each, and beside each
report the time the `sqlite3` program takes for the same query on the same file, as a ratio.
Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYLLABLES = [
    "นา",
    "โพน",
    "ดง",
    "บ้าน",
    "หนอง",
    "คำ",
    "ศรี",
    "ท่า",
    "วัง",
    "โคก",
    "สระ",
    "เมือง",
    "แก้ว",
    "ทอง",
    "สวรรค์",
    "ไผ่",
    "ยาง",
    "เหนือ",
    "ใต้",
    "กลาง",
    "แดง",
    "ขาม",
    "บัว",
    "เจริญ",
    "สุข",
    "พนม",
    "ธาตุ",
    "ชัย",
]
KINDS = ["community", "enterprise", "individual", "sme"]
CATEGORIES = {
    "food": ["fda", "gmp", "tcps", "gap", "organic", "halal", "label"],
    "beverage": ["fda", "gmp", "tcps", "gap", "organic", "halal", "label"],
    "textile": ["tcps", "tis", "organic", "label"],
    "craft": ["tcps", "tis", "label"],
    "herbal": ["fda", "gmp", "tcps", "gap", "organic", "halal", "label"],
}
PRODUCT_WORDS = {
    "food": ["น้ำพริก", "ปลาส้ม", "ข้าวเกรียบ", "ข้าวฮาง", "แจ่วบอง"],
    "beverage": ["ชาใบหม่อน", "น้ำกระเจี๊ยบ", "ไวน์หมากเม่า", "ชาตะไคร้"],
    "textile": ["ผ้าย้อมคราม", "ผ้าขิด", "ผ้าทอมือ", "เสื้อผ้าคราม"],
    "craft": ["กระติบไม้ไผ่", "กระเป๋าผักตบชวา", "โคมไฟไม้ไผ่", "ตะกร้าสาน"],
    "herbal": ["ยาหม่องไพล", "สบู่ขมิ้น", "ลูกประคบ", "โลชั่นว่านหาง"],
}
CERTS = {
    "fda": "48-2-00123-2-{:04d}",
    "tcps": "มผช. {}/2546",
    "tis": "มอก. {}-2550",
    "gap": "กษ 03-9001-48-001-{:06d}",
    "organic": "กษ 03-9000-48-001-{:06d}",
    "halal": "48{:011d}",
    "gmp": "GMP 420 เลขที่ {}",
    "label": None,
}
STATUSES = (
    ["certified"] * 4 + ["in_progress"] * 2 + ["submitted", "not_started", "not_started", "failed", "not_applicable"]
)


def district_names(n: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < n:  # 28 x 27 pairs are too few for 878 districts: some get a third syllable
        names.add("".join(rng.sample(SYLLABLES, rng.choice((2, 3)))))
    return sorted(names)


def build_dump(products: int, path: Path, seed: int = 48) -> dict[str, str]:
    """A kbo JSON export of a synthetic country; returns sample codes for the timed commands."""
    sys.path.insert(0, str(HERE.parent))
    from kbo_cli.storage.migrations import HEAD

    rng = random.Random(seed)
    groups = max(1, int(products * 0.4))
    districts = district_names(878, rng)
    today = date.today()
    now = "2026-01-01T00:00:00+00:00"
    tables: dict[str, list[dict[str, object]]] = {
        k: []
        for k in (
            "kbo_setting",
            "producer_group",
            "product",
            "checklist_entry",
            "finding",
            "plan_action",
            "visit",
            "visit_product",
            "opc_score",
            "selection",
        )
    }
    for g in range(1, groups + 1):
        tables["producer_group"].append(
            {
                "id": g,
                "code": f"G{g:06d}",
                "name": f"กลุ่มผู้ผลิต{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)} {g}",
                "name_key": "",
                "kind": rng.choice(KINDS),
                "district": districts[g % len(districts)],
                "subdistrict": None,
                "village": None,
                "contact": None,
                "phone": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    entry_id = finding_id = action_id = visit_id = 0
    for p in range(1, products + 1):
        category = rng.choice(list(CATEGORIES))
        group = rng.randint(1, groups)
        name = f"{rng.choice(PRODUCT_WORDS[category])}{rng.choice(SYLLABLES)} {p}"
        tables["product"].append(
            {
                "id": p,
                "code": f"P{p:06d}",
                "name": name,
                "name_key": name,
                "group_id": group,
                "category": category,
                "description": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        for std in CATEGORIES[category]:
            entry_id += 1
            status = rng.choice(STATUSES)
            cert = issued = expires = None
            if status == "certified":
                fmt = CERTS[std]
                cert = fmt.format(rng.randint(1, 9999)) if fmt else None
                issued_day = today - timedelta(days=rng.randint(30, 1400))
                issued, expires = issued_day.isoformat(), (issued_day + timedelta(days=1095)).isoformat()
            tables["checklist_entry"].append(
                {
                    "id": entry_id,
                    "product_id": p,
                    "standard": std,
                    "status": status,
                    "certificate_no": cert,
                    "issued_on": issued,
                    "expires_on": expires,
                    "note": None,
                    "updated_at": now,
                }
            )
        if p % 3 == 0:
            finding_id += 1
            tables["finding"].append(
                {
                    "id": finding_id,
                    "product_id": p,
                    "kind": rng.choice(["strength", "weakness"]),
                    "text": "ฉลากยังไม่ครบตามประกาศ",
                    "noted_on": "2025-06-01",
                    "author": "bench",
                    "resolved_on": None,
                    "created_at": now,
                }
            )
        if p % 4 == 0:
            action_id += 1
            tables["plan_action"].append(
                {
                    "id": action_id,
                    "product_id": p,
                    "action": "ออกแบบฉลากใหม่",
                    "agency": "university",
                    "due_on": "2026-12-31",
                    "standard": None,
                    "finding_id": None,
                    "status": rng.choice(["open", "done"]),
                    "done_on": None,
                    "author": "bench",
                    "created_at": now,
                }
            )
        if p % 5 == 0:
            visit_id += 1
            tables["visit"].append(
                {
                    "id": visit_id,
                    "visited_on": (today - timedelta(days=rng.randint(1, 400))).isoformat(),
                    "group_id": group,
                    "visitors": "พช.",
                    "found": None,
                    "next_steps": None,
                    "author": "bench",
                    "created_at": now,
                }
            )
            tables["visit_product"].append({"visit_id": visit_id, "product_id": p})
        if p % 10 == 0:
            tables["opc_score"].append(
                {
                    "id": p // 10,
                    "product_id": p,
                    "year": 2567,
                    "part1": 20.0,
                    "part2": 20.0,
                    "part3": float(rng.randint(25, 48)),
                    "author": "bench",
                    "created_at": now,
                }
            )
    from kbo_cli.thai.textnorm import name_key

    for record in tables["producer_group"] + tables["product"]:
        record["name_key"] = name_key(str(record["name"]))
    path.write_text(
        json.dumps({"format": "kbo-dump", "version": 1, "schema": HEAD, "tables": tables}, ensure_ascii=False),
        encoding="utf-8",
    )
    middle = products // 2
    return {"product": f"P{middle:06d}", "district": districts[len(districts) // 2]}


def flat_csv(rows: int, path: Path) -> None:
    """A 100,000-row import file: one checklist entry per row, with its product and group."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "group_code",
                "group_name",
                "district",
                "product_code",
                "product_name",
                "category",
                "standard",
                "status",
                "certificate_no",
                "issued_on",
                "expires_on",
                "note",
            ]
        )
        for i in range(rows):
            g = i // 5
            out.writerow(
                [
                    f"N{g:06d}",
                    f"กลุ่มใหม่ {g}",
                    "เมือง",
                    f"N{i:07d}",
                    f"ผ้าครามผืนที่ {i}",
                    "textile",
                    "tcps",
                    rng.choice(["certified", "in_progress", "not_started"]),
                    "",
                    "",
                    "",
                    "",
                ]
            )


TIME = shutil.which("time") or "/usr/bin/time"


def run(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """(median wall seconds, peak MB) over `runs` executions of a whole process.

    GNU time reports the peak resident memory of the command itself (a child forked from this big
    process would count the parent's pages too).
    """
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [TIME, "-f", "%M", *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
        times.append(elapsed)
        peaks.append(int(proc.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), max(peaks)


PROGRESS_SQL = """
SELECT g.code, g.name, g.district, count(DISTINCT p.id),
       sum(CASE WHEN e.status != 'not_applicable' THEN 1 ELSE 0 END),
       sum(CASE WHEN e.status = 'certified' AND (e.expires_on IS NULL OR e.expires_on >= date('now')) THEN 1 ELSE 0 END),
       sum(CASE WHEN e.status IN ('in_progress', 'submitted') THEN 1 ELSE 0 END)
FROM producer_group g JOIN product p ON p.group_id = g.id LEFT JOIN checklist_entry e ON e.product_id = p.id
{where} GROUP BY g.id ORDER BY g.district, g.code;"""
GAPS_SQL = """
SELECT g.code, g.name, g.district, p.code, p.name, p.category, e.standard, e.status, e.expires_on, e.certificate_no
FROM producer_group g JOIN product p ON p.group_id = g.id JOIN checklist_entry e ON e.product_id = p.id
WHERE (e.status != 'not_applicable' AND NOT (e.status = 'certified' AND (e.expires_on IS NULL OR e.expires_on >= date('now'))))
   OR (e.status = 'certified' AND e.certificate_no IS NULL) {where}
ORDER BY g.district, g.code, p.code, e.standard;"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg", default=os.environ.get("KBO_TEST_PG"), help="server URL for --engine postgresql")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the database and files in this folder")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="kbo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    kbo = [sys.executable, "-m", "kbo_cli"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "KBO_LANG": "en", "KBO_USER": "bench", "COLUMNS": "160"}
    if args.engine == "sqlite":
        db = str(work / "country.db")
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    else:
        if not args.pg:
            raise SystemExit("--engine postgresql needs --pg URL (or KBO_TEST_PG)")
        db = args.pg
        subprocess.run([*kbo, "--db", db, "db", "upgrade"], env=env, check=True, capture_output=True)
    env["KBO_DB"] = db

    print(f"Building {args.products:,} products ...", flush=True)
    t0 = time.perf_counter()
    sample = build_dump(args.products, work / "country.json")
    t1 = time.perf_counter()
    load_s, load_mb = run([*kbo, "import", str(work / "country.json")], env, 1)
    print(f"  generated in {t1 - t0:.1f} s; kbo import (bulk JSON) {load_s:.1f} s, {load_mb:.0f} MB", flush=True)
    flat_csv(args.import_rows, work / "import.csv")

    rows: list[tuple[str, float, float, float | None]] = []

    def measure(label: str, cmd: list[str], sql: str | None = None, runs: int = args.runs) -> None:
        seconds, mb = run(cmd, env, runs)
        sql_s = None
        if sql and args.engine == "sqlite" and shutil.which("sqlite3"):
            sql_s, _ = run(["sqlite3", db, sql], env, runs)
        rows.append((label, seconds, mb, sql_s))
        print(
            f"  {label:<42} {seconds:7.3f} s  {mb:6.0f} MB" + (f"   sqlite3 {sql_s:.3f} s" if sql_s else ""), flush=True
        )

    d = sample["district"].replace("'", "''")
    measure("kbo --help", [*kbo, "--help"])
    measure("start-up: open the database, empty report", [*kbo, "report", "progress", "-f", "csv", "-d", "-"])
    measure("kbo product show", [*kbo, "product", "show", sample["product"]])
    measure("kbo checklist show", [*kbo, "checklist", "show", sample["product"]])
    measure("kbo checklist set", [*kbo, "checklist", "set", sample["product"], "label", "--note", "bench"])
    measure(
        "kbo report progress -f csv (country)", [*kbo, "report", "progress", "-f", "csv"], PROGRESS_SQL.format(where="")
    )
    measure(
        "kbo report progress -f csv (one district)",
        [*kbo, "report", "progress", "-f", "csv", "-d", sample["district"]],
        PROGRESS_SQL.format(where=f"WHERE g.district = '{d}'"),
    )
    measure("kbo report gaps -f csv (country)", [*kbo, "report", "gaps", "-f", "csv"], GAPS_SQL.format(where=""))
    measure(
        "kbo report gaps -f csv (one district)",
        [*kbo, "report", "gaps", "-f", "csv", "-d", sample["district"]],
        GAPS_SQL.format(where=f"AND g.district = '{d}'"),
    )
    measure("kbo report candidates -f csv", [*kbo, "report", "candidates", "-f", "csv"])
    measure("kbo export country.xlsx", [*kbo, "export", str(work / "country.xlsx")], runs=1)
    import_db = work / "import.db"
    import_env = {**env, "KBO_DB": str(import_db)}
    times = []
    peak = 0.0
    for _ in range(max(1, min(args.runs, 3))):
        for suffix in ("", "-wal", "-shm"):
            Path(str(import_db) + suffix).unlink(missing_ok=True)
        seconds, mb = run([*kbo, "import", str(work / "import.csv")], import_env, 1)
        times.append(seconds)
        peak = max(peak, mb)
    rows.append((f"kbo import of a {args.import_rows:,}-row file", statistics.median(times), peak, None))
    print(f"  {rows[-1][0]:<42} {rows[-1][1]:7.3f} s  {peak:6.0f} MB", flush=True)

    startup = rows[1][1]
    print(f"\n{args.products:,} products, {args.engine}, median of {args.runs} runs, on {os.cpu_count()} cores\n")
    print("| command | median (s) | peak memory (MB) | sqlite3 (s) | (kbo − start-up) / sqlite3 |")
    print("|---|---:|---:|---:|---:|")
    for label, seconds, mb, sql_s in rows:
        ratio = f"{max(seconds - startup, 0) / sql_s:.2f}" if sql_s else ""
        print(
            f"| `{label}` | {seconds:.3f} | {mb:.0f} | {sql_s:.3f} | {ratio} |"
            if sql_s
            else f"| `{label}` | {seconds:.3f} | {mb:.0f} |  |  |"
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
