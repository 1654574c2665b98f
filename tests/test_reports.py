"""The gap and progress definitions on a hand-built example, in every format."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len

from kbo_cli.reference import catalog

from conftest import Invoke, certified, ok, prepared


@prepared(parent="np_group")
def example(kbo: Invoke, np_group: str) -> Invoke:
    """DD01 (เรณูนคร): a cloth product. NK01 (นาแก): a food product with an expired FDA number."""
    calls = [
        ("group", "add", "วิสาหกิจชุมชนน้ำพริกบ้านนาคู่", "--district", "นาแก", "--code", "NK01"),
        ("product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "P1"),
        certified("P1", "tcps", "มผช. 8/2546", "--issued", "2568-02-01"),
        ("checklist", "set", "P1", "tis", "--status", "not_applicable"),
        ("checklist", "set", "P1", "organic", "--status", "in_progress"),
        ("checklist", "set", "P1", "label", "--status", "submitted"),
        ("product", "add", "น้ำพริกปลาย่าง", "--group", "NK01", "--category", "food", "--code", "P2"),
        certified("P2", "fda", "48-2-00123-2-0001", "--issued", "01/01/2562", "--expires", "01/01/2563"),
        ("checklist", "set", "P2", "gmp", "--status", "failed", "--note", "ต้องปรับปรุงสถานที่ผลิต"),
        certified("P2", "tcps", "มผช. 60/2546", "--issued", "10/01/2568"),
        ("checklist", "set", "P2", "gap", "--status", "not_applicable"),
        ("checklist", "set", "P2", "organic", "--status", "not_applicable"),
        ("checklist", "set", "P2", "halal", "--status", "not_applicable"),
        ("checklist", "set", "P2", "label", "--status", "certified"),
    ]
    for call in calls:
        ok(kbo, *call)
    return kbo


def test_progress_counts_and_percent(example: Invoke) -> None:
    rows = example("report", "progress", "-f", "json").json()
    assert rows == [
        {
            "group_code": "NK01",
            "group_name": "วิสาหกิจชุมชนน้ำพริกบ้านนาคู่",
            "district": "นาแก",
            "products": 1,
            "applicable": 4,
            "certified": 2,
            "in_progress": 0,
            "gaps": 2,
            "percent": 50.0,
        },
        {
            "group_code": "DD01",
            "group_name": "กลุ่มทอผ้าย้อมครามบ้านดอนแดง",
            "district": "เรณูนคร",
            "products": 1,
            "applicable": 3,
            "certified": 1,
            "in_progress": 2,
            "gaps": 2,
            "percent": 33.3,
        },
    ]


def test_progress_filters_count_only_what_they_select(demo: Invoke) -> None:
    """A filtered report counts the checklists of the products it shows and no others (the counts are read
    for those products only): a district's rows are the country's rows for it, unchanged."""
    country = demo("report", "progress", "-f", "json").json()
    for district in sorted({r["district"] for r in country}):
        rows = demo("report", "progress", "--district", district, "-f", "json").json()
        assert rows and rows == [r for r in country if r["district"] == district], district
    # a category counts that category's products only: the categories add up to the country, group by group
    keys = ("products", "applicable", "certified", "in_progress")
    added: dict[str, Counter[str]] = defaultdict(Counter)
    for category in catalog.categories():
        for r in demo("report", "progress", "--category", category, "-f", "json").json():
            added[r["group_code"]].update({k: r[k] for k in keys})
    assert len(added) == len(country)
    assert {r["group_code"]: Counter({k: r[k] for k in keys}) for r in country} == added


def test_gaps_rows_and_expired_certificate(example: Invoke) -> None:
    rows = example("report", "gaps", "-f", "json").json()
    assert [(r["group_code"], r["product_code"], r["standard"], r["required"], r["status"]) for r in rows] == [
        ("NK01", "P2", "fda", True, "expired"),
        ("NK01", "P2", "gmp", True, "failed"),
        ("DD01", "P1", "organic", False, "in_progress"),
        ("DD01", "P1", "label", True, "submitted"),
    ]
    keys = "group_code group_name district product_code product_name category standard standard_name required status"
    assert list(rows[0]) == keys.split()
    assert all(type(r["required"]) is bool for r in rows)  # JSON's true and false on both engines, never 1 and 0
    assert rows[0]["standard_name"].startswith("Thai FDA")


def test_gap_filters(example: Invoke) -> None:
    def codes(*args: str) -> list[tuple[str, str]]:
        return [(r["product_code"], r["standard"]) for r in example("report", "gaps", *args, "-f", "json").json()]

    assert codes("--required-only") == [("P2", "fda"), ("P2", "gmp"), ("P1", "label")]
    assert codes("--standard", "label") == [("P1", "label")]
    assert codes("--standard", "อย.") == [("P2", "fda")]
    assert codes("--group", "DD01") == [("P1", "organic"), ("P1", "label")]
    assert codes("--district", "นาแก") == [("P2", "fda"), ("P2", "gmp")]
    assert codes("--category", "textile") == [("P1", "organic"), ("P1", "label")]


def test_gaps_csv_written_by_postgresql_is_the_python_writers_byte_for_byte(
    demo: Invoke, sql: Callable[[str], list[tuple[Any, ...]]], engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the server writes the gap report's CSV (`COPY ... TO STDOUT`), by the rules of kbo's CSV
    writer turned into SQL: every filter gives the very bytes Python's writer gives, with formula-like text made
    inert, commas, quotes and line breaks quoted, and an empty text an empty cell."""
    if engine_name != "postgresql":
        pytest.skip("only PostgreSQL writes the CSV itself")
    from kbo_cli.storage import rows

    product = "UPDATE product SET name = '{name}' WHERE code = '{code}'"
    for code, name in [
        ("NPM12-01", "=SUM(A1)"),
        ("NPM01-01", "+66 ผ้า"),
        ("NPM01-02", "-ชุดผ้าคราม=สตรี"),
        ("NPM02-01", "@cmd"),
        ("NPM03-01", "' || chr(9) || 'ขึ้นต้นด้วยแท็บ"),
        ("NPM04-01", 'ผ้าไหม, "ลายโบราณ"'),
        ("NPM05-01", "บรรทัดแรก' || chr(10) || 'บรรทัดสอง"),
        ("NPM06-01", ""),
        ("NPM08-01", "''=ข้าวฮาง"),  # the value '=ข้าวฮาง (quotes doubled in SQL)
    ]:
        sql(product.format(name=name, code=code))
    sql("UPDATE producer_group SET name = 'กลุ่ม \"ดอกแก้ว\", บ้านนา' WHERE code = 'NPM01'")
    copies: list[object] = []
    copy = rows.copy_csv
    monkeypatch.setattr(rows, "copy_csv", lambda *args: copies.append(args) or copy(*args))
    calls = [(), ("--district", "เรณูนคร"), ("--required-only",), ("--standard", "อย."), ("--category", "textile")]
    by_server = {call: ok(demo, "report", "gaps", *call, "-f", "csv").stdout for call in calls}
    assert len(copies) == len(calls)  # each one written by the server
    monkeypatch.setattr(rows.QueryRows, "server_csv", lambda *_args: None)  # Python writes it
    for call, text in by_server.items():
        assert ok(demo, "report", "gaps", *call, "-f", "csv").stdout == text, call
    assert len(copies) == len(calls)  # and these by Python
    names = {r["product_code"]: r["product_name"] for r in csv.DictReader(io.StringIO(by_server[()]))}
    assert [names[code] for code in ("NPM12-01", "NPM01-01", "NPM02-01", "NPM06-01")] == [
        "'=SUM(A1)",
        "'+66 ผ้า",
        "'@cmd",
        "",
    ]
    assert names["NPM03-01"] == "'\tขึ้นต้นด้วยแท็บ" and names["NPM05-01"] == "บรรทัดแรก\nบรรทัดสอง"
    assert names["NPM08-01"] == "''=ข้าวฮาง"  # one more apostrophe, which the importer takes off again
    assert '"กลุ่ม ""ดอกแก้ว"", บ้านนา"' in by_server[()]


def test_gaps_csv_by_postgresql_in_another_client_encoding(
    demo: Invoke, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server sends its CSV in the connection's client encoding (PGCLIENTENCODING, or the database's or role's
    setting): kbo writes the same Thai text whatever it is, and in the output's own encoding."""
    if engine_name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    utf8 = ok(demo, "report", "gaps", "-f", "csv").stdout
    monkeypatch.setenv("PGCLIENTENCODING", "WIN874")
    assert ok(demo, "report", "gaps", "-f", "csv").stdout == utf8
    assert "วิสาหกิจชุมชน" in utf8


def test_a_report_whose_query_fails_writes_nothing_on_stdout(
    demo: Invoke, sql: Callable[[str], list[tuple[Any, ...]]]
) -> None:
    """The rows are read before anything is written (and on PostgreSQL the server takes the query before the CSV
    header is written): a query that fails leaves one error line and an empty stdout, in every format."""
    sql("ALTER TABLE product RENAME COLUMN category TO cat")
    for fmt in ("csv", "json", "table"):
        r = demo("report", "gaps", "-f", fmt)
        assert r.exit_code != 0 and r.stdout == "", (fmt, r.stdout[:80])
        assert r.stderr.startswith("Error: ") and "Traceback" not in r.stderr, r.stderr


def test_csv_shapes(example: Invoke) -> None:
    gaps = list(csv.DictReader(io.StringIO(example("report", "gaps", "-f", "csv").stdout)))
    assert gaps[0] == {
        "group_code": "NK01",
        "group_name": "วิสาหกิจชุมชนน้ำพริกบ้านนาคู่",
        "district": "นาแก",
        "product_code": "P2",
        "product_name": "น้ำพริกปลาย่าง",
        "category": "food",
        "standard": "fda",
        "standard_name": gaps[0]["standard_name"],
        "required": "true",
        "status": "expired",
    }
    progress = list(csv.DictReader(io.StringIO(example("report", "progress", "-f", "csv").stdout)))
    assert progress[1]["percent"] == "33.3" and progress[1]["in_progress"] == "2"


def test_tables_for_people(example: Invoke) -> None:
    table = example("report", "progress")
    assert table.exit_code == 0
    assert "50.0%" in table.stdout and "33.3%" in table.stdout and "42.9%" in table.stdout  # total row
    assert "Progress = certified / applicable" in table.stderr
    gaps = example("report", "gaps")
    assert "expired" in gaps.stdout and "required" in gaps.stdout
    assert "4 gaps" in gaps.stderr
    thai = example("report", "progress", lang_="th")
    assert "กลุ่มทอผ้าย้อมครามบ้านดอนแดง" in thai.stdout


def test_empty_reports(kbo: Invoke) -> None:
    assert kbo("report", "gaps", "-f", "json").json() == []
    assert kbo("report", "progress", "-f", "csv").stdout.strip() == (
        "group_code,group_name,district,products,applicable,certified,in_progress,gaps,percent"
    )
    r = kbo("report", "progress")
    assert r.exit_code == 0 and "No products yet" in r.stderr


def test_long_codes_at_80_columns_keep_the_dates_the_report_exists_for(
    demo: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Codes as long as a province's register numbers: where the key columns do not fit with every word whole,
    a long code or number is cut over two lines rather than a key column (the expiry, the days left) hidden."""
    ok(demo, "group", "add", "กลุ่มทดสอบรหัสยาว", "-d", "นาแก", "--code", "NPM2569G000001")
    ok(demo, "product", "add", "น้ำพริกปลาร้า", "-g", "NPM2569G000001", "-c", "food", "--code", "NPM2569P0000001")
    ok(demo, *certified("NPM2569P0000001", "fda", "48-2-00771-2-0001", "--issued", "1/1/2569", "--expires", "1/2/2570"))
    monkeypatch.setenv("COLUMNS", "80")
    r = ok(demo, "report", "expiring", "--within", "4000")
    hidden = next(line for line in r.stderr.splitlines() if line.startswith("Hidden to fit 80 columns"))
    assert "Expires" not in hidden and "Days left" not in hidden, hidden
    lines = r.stdout.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= 80
    for row in ok(demo, "report", "expiring", "--within", "4000", "-f", "json").json():
        assert any(row["expires_on"] in line for line in lines), row


def test_gaps_and_unvisited_list_districts_in_the_thai_order_of_progress(demo: Invoke) -> None:
    """Leading vowels sort by their consonant (โพนสวรรค์ among the พ, เมืองนครพนม among the ม), as `progress`
    and `group list` place them: the same district order in every report of the network."""

    def districts(*command: str) -> list[str]:
        return list(dict.fromkeys(row["district"] for row in ok(demo, *command, "-f", "json").json()))

    order = districts("report", "progress")
    assert order.index("นาแก") < order.index("โพนสวรรค์") < order.index("เมืองนครพนม") < order.index("วังยาง")
    for command in (("report", "gaps"), ("report", "unvisited", "--days", "30")):
        shown = districts(*command)
        assert shown == [d for d in order if d in shown], command
