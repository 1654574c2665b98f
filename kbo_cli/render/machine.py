"""JSON and CSV for programs: stable English keys, raw values, streamed row by row.

JSON is an array of objects, one per row, with the listing's machine columns as keys. CSV has the same
keys as its header row. The one CSV writer of kbo (used by every `-f csv` and by `kbo export FILE.csv`)
makes text cells that a spreadsheet would run as a formula inert: a text cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading apostrophe (`'=1+1`), as OWASP advises for CSV
injection; numbers are written as they are (`-3` stays a number). kbo's importer removes that apostrophe
again, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from kbo_cli.render.columns import Col, Kind, Listing
from kbo_cli.render.values import csv_text, machine

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAYBE_FORMULA = re.compile(r'(?:^|,)"?[=+\-@\t\r]', re.MULTILINE)
_TEXT_KINDS = (Kind.TEXT, Kind.CODE, Kind.TERM, Kind.DATE)
_CHUNK = 2000


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_json(listing: Listing, out: IO[str]) -> int:
    columns = listing.machine_columns()
    count = 0
    out.write("[")
    for row in listing.rows:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps({c.key: machine(c.get(row)) for c in columns}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def csv_rows(columns: Sequence[Col], rows: Iterable[Any]) -> Iterable[list[str]]:
    """Each row as CSV cells (before neutralising)."""
    getters = [c.get for c in columns]
    for row in rows:
        yield [csv_text(get(row)) for get in getters]


def write_csv(listing: Listing, out: IO[str]) -> int:
    columns = listing.machine_columns()
    return write_csv_rows([c.key for c in columns], csv_rows(columns, listing.rows), out,
                          text_columns=[i for i, c in enumerate(columns) if c.kind in _TEXT_KINDS])


def write_csv_rows(header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[str],
                   text_columns: Sequence[int] | None = None) -> int:
    """Write a header and rows of cells, neutralising formula-like text cells; returns the rows written.

    Rows are written in chunks; a chunk is scanned once for anything that could start a formula and only
    then are its text cells checked one by one, so that large reports cost no more than plain csv.writer.
    """
    text_columns = list(range(len(header))) if text_columns is None else list(text_columns)
    csv.writer(out, lineterminator="\n").writerow(header)
    count = 0
    chunk: list[Sequence[str]] = []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> None:
        writer.writerows(chunk)
        text = buffer.getvalue()
        if _MAYBE_FORMULA.search(text):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(_neutralised(chunk, text_columns))
            text = buffer.getvalue()
        out.write(text)
        buffer.seek(0)
        buffer.truncate()
        chunk.clear()

    for row in rows:
        chunk.append(row)
        count += 1
        if len(chunk) >= _CHUNK:
            flush()
    if chunk:
        flush()
    return count


def _neutralised(rows: list[Sequence[str]], text_columns: list[int]) -> Iterable[list[str]]:
    for row in rows:
        cells = list(row)
        for i in text_columns:
            value = cells[i]
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cells[i] = "'" + value
        yield cells
