"""The stdlib floor: one SQL query on a SQLite file, its rows written as CSV. Python's standard library only.

    python bench/stdlib_anchor.py DATABASE QUERY.sql [--order district:thai,group_name:thai,group_code]

The query (from bench/anchors.py) computes the report's rows and values; this script adds what a short
program would: open the file read-only, run the query, sort the rows when asked (`:thai` is kbo's Thai
dictionary order, kbo_cli/thai/textnorm.py), write a header and the rows with csv.writer as kbo does.
The writer's arguments are bench/anchors.py's CSV_WRITER, passed as JSON in KBO_BENCH_CSV.
"""

import csv
import json
import os
import re
import sqlite3
import sys
from functools import cache
from pathlib import Path

LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
TONES_AND_MARKS = re.compile("[\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47]")


@cache
def thai_key(text: str) -> tuple[str, str]:
    key = LEADING_VOWEL.sub(r"\2\1", text.casefold())
    return TONES_AND_MARKS.sub("", key), key


def main() -> None:
    database, query = sys.argv[1], Path(sys.argv[2]).read_text(encoding="utf-8")
    order = sys.argv[sys.argv.index("--order") + 1].split(",") if "--order" in sys.argv else []
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    cursor = connection.execute(query)
    header = [column[0] for column in cursor.description]
    out = csv.writer(sys.stdout, **json.loads(os.environ.get("KBO_BENCH_CSV", '{"lineterminator": "\\n"}')))
    out.writerow(header)
    if not order:
        while rows := cursor.fetchmany(5000):
            out.writerows(rows)
        return
    keys = [(header.index(spec.split(":")[0]), spec.endswith(":thai")) for spec in order]
    rows = cursor.fetchall()
    rows.sort(key=lambda row: tuple(thai_key(row[i]) if thai else row[i] for i, thai in keys))
    out.writerows(rows)


if __name__ == "__main__":
    main()
