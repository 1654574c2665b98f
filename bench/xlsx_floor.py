"""The writer's floor of `kbo export FILE.xlsx`: how long XlsxWriter alone takes to write the cells kbo writes.

    python bench/xlsx_floor.py DATABASE [OUT.xlsx]

Reads every sheet's rows with kbo's own queries (timed apart), turns each cell into the typed call kbo makes
(string, number, boolean, date), and only then times XlsxWriter writing them in constant-memory mode, as kbo
does: kbo's export can be no faster than that figure plus the reading. Prints CPU seconds.
"""

import sys
import time
from datetime import date, datetime
from enum import Enum
from typing import Any

import xlsxwriter

from kbo_cli.config import resolve_database
from kbo_cli.storage import db
from kbo_cli.transfer.exporter import Scope, _rows

STRING, DATE, BOOLEAN, NUMBER = range(4)


def typed(value: Any, column: int) -> tuple[int, int, Any] | None:
    """The call kbo's export makes for a cell (see exporter.export_xlsx), or None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return DATE, column, datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return BOOLEAN, column, value
    if isinstance(value, int | float):
        return NUMBER, column, value
    return STRING, column, str(value)


def main() -> None:
    database, out = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "xlsx-floor.xlsx"
    engine = db.make_engine(resolve_database(database), write=False)
    with db.session_scope(engine, write=False) as session:
        started = time.process_time()
        sheets = {
            name: (list(keys), [list(row) for row in rows]) for name, (keys, rows) in _rows(session, Scope()).items()
        }
        read = time.process_time() - started
    calls = {
        name: (keys, [[c for c in (typed(v, i) for i, v in enumerate(row)) if c is not None] for row in rows])
        for name, (keys, rows) in sheets.items()
    }
    cells = sum(len(row) for _keys, rows in calls.values() for row in rows)
    started = time.process_time()
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(out, {**options, "strings_to_urls": False})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, (keys, rows) in calls.items():
        sheet = book.add_worksheet(name)
        write = (sheet.write_string, sheet.write_datetime, sheet.write_boolean, sheet.write_number)
        for c, key in enumerate(keys):
            sheet.write_string(0, c, key)
        for n, row in enumerate(rows, 1):
            for kind, c, value in row:
                if kind == DATE:
                    sheet.write_datetime(n, c, value, day)
                else:
                    write[kind](n, c, value)
    book.close()
    written = time.process_time() - started
    print(
        f"{cells:,} cells: kbo's queries read them in {read:.1f} s CPU; XlsxWriter {xlsxwriter.__version__} writes them in {written:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
