"""The gap and progress definitions on a hand-built example, in every format."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict

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
