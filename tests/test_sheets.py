"""Spreadsheets in and out: .xlsx and .csv import (Thai headers, cp874, bad rows, formulas, a large file),
export to .xlsx/.csv/.json with the JSON round trip, the template, and the printable HTML report."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from kbo_cli.transfer.exporter import FLAT_COLUMNS

from conftest import Invoke, make_invoke, prepared


def ok(kbo: Invoke, *args: str, **options: str):  # type: ignore[no-untyped-def]
    r = kbo(*args, **options)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


THAI_SHEETS = {
    "กลุ่มผู้ผลิต": [
        ["รหัส", "กลุ่มผู้ผลิต", "ประเภท", "อำเภอ", "ตำบล", "หมู่บ้าน", "ผู้ติดต่อ", "โทรศัพท์"],
        [
            "DD01",
            "กลุ่มทอผ้าย้อมครามบ้านดอนแดง",
            "วิสาหกิจชุมชน",
            "เรณูนคร",
            "โพนทอง",
            "บ้านดอนแดง หมู่ 5",
            "นางสมศรี ใจดี",
            "080-000-0101",
        ],
        [None, "กลุ่มแม่บ้านน้ำพริกบ้านนาคำ", None, "อ.ธาตุพนม", None, None, None, None],
    ],
    "ผลิตภัณฑ์": [
        ["รหัส", "ผลิตภัณฑ์", "รหัสกลุ่ม", "ประเภท", "รายละเอียด"],
        ["DD01-01", "ผ้าฝ้ายย้อมครามลายขิด", "DD01", "ผ้า เครื่องแต่งกาย", "ผ้าทอมือ"],
        ["NK-01", "น้ำพริกปลาร้าบอง", "กลุ่มแม่บ้านน้ำพริกบ้านนาคำ", "food", None],
    ],
    "รายการตรวจมาตรฐาน": [
        ["รหัสผลิตภัณฑ์", "มาตรฐาน", "สถานะ", "เลขที่ใบรับรอง", "วันที่ออก", "วันหมดอายุ", "หมายเหตุ"],
        ["DD01-01", "มผช.", "certified", "มผช ๘/๒๕๔๖", "15/03/2567", None, "ตรวจโดย สอจ."],
        ["NK-01", "fda", "submitted", None, None, None, "ยื่นที่ สสจ. แล้ว"],
    ],
}


@prepared()
def province(kbo: Invoke) -> Invoke:
    ok(kbo, "init", "--province", "48")
    return kbo


def test_import_xlsx_with_thai_headers(province: Invoke, tmp_path: Path) -> None:
    kbo = province
    r = ok(kbo, "import", str(workbook(tmp_path / "กลุ่ม.xlsx", THAI_SHEETS)), "-f", "json")
    assert r.json() == [
        {"sheet": "groups", "added": 2, "updated": 0, "unchanged": 0},
        {"sheet": "products", "added": 2, "updated": 0, "unchanged": 0},
        {"sheet": "checklist", "added": 2, "updated": 0, "unchanged": 0},  # the checklists of new products
    ]
    groups = {g["name"]: g for g in ok(kbo, "group", "list", "-f", "json").json()}
    assert groups["กลุ่มทอผ้าย้อมครามบ้านดอนแดง"]["kind"] == "enterprise"
    assert groups["กลุ่มแม่บ้านน้ำพริกบ้านนาคำ"]["district"] == "ธาตุพนม"
    assert groups["กลุ่มแม่บ้านน้ำพริกบ้านนาคำ"]["code"] == "G0002"
    entry = ok(kbo, "checklist", "show", "DD01-01", "-f", "json").json()["entries"][0]
    assert (entry["status"], entry["certificate_no"], entry["issued_on"], entry["expires_on"]) == (
        "certified",
        "มผช. 8/2546",
        "2024-03-15",
        "2027-03-14",
    )
    # importing the same file again changes nothing
    again = ok(kbo, "import", str(tmp_path / "กลุ่ม.xlsx"), "-f", "json").json()
    assert all(row["added"] == row["updated"] == 0 for row in again)


def test_dry_run_writes_nothing(province: Invoke, tmp_path: Path, sql) -> None:  # type: ignore[no-untyped-def]
    r = ok(province, "import", str(workbook(tmp_path / "a.xlsx", THAI_SHEETS)), "--dry-run", "-f", "json")
    assert r.json()[0]["added"] == 2 and "Dry run" in r.stderr
    assert sql("SELECT count(*) FROM producer_group") == [(0,)]


def test_every_bad_row_is_reported_and_nothing_is_written(province: Invoke, tmp_path: Path, sql) -> None:  # type: ignore[no-untyped-def]
    sheets = {
        "groups": [
            ["code", "name", "district"],
            ["G1", "กลุ่มหนึ่ง", "เรณูนคร"],
            ["G2", "", "นาแก"],
            ["G3", "กลุ่มสาม", "เรณูนคอน"],
        ],
        "products": [
            ["code", "name", "group_code", "category"],
            ["P1", "ผ้าคราม", "G1", "textile"],
            ["P2", "น้ำพริก", "G9", "food"],
            ["P3", "ขนม", "G1", "snack"],
        ],
        "checklist": [
            ["product_code", "standard", "status", "certificate_no", "issued_on"],
            ["P1", "fda", "certified", None, None],
            ["P1", "tcps", "done", None, None],
            ["P1", "tcps", "certified", "มผช. 8/46", "31/02/2567"],
        ],
    }
    r = province("import", str(workbook(tmp_path / "bad.xlsx", sheets)))
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[-2] == "Error: 8 problems in the file: nothing was imported"
    assert lines[-1].startswith("Hint: correct the rows listed above")
    problems = lines[:-2]
    assert problems[0] == "groups, row 3, column name: a value is required"
    assert problems[1].startswith("groups, row 4, column district: 'เรณูนคอน' is not a district of")
    assert problems[2] == "products, row 3, column group_code: no producer group 'G9'"
    assert problems[3] == "products, row 4, column category: unknown category 'snack'"
    assert problems[4].startswith("checklist, row 2, column standard: Thai FDA does not apply")
    assert problems[5] == "checklist, row 3, column status: unknown status 'done'"
    assert problems[6].startswith("checklist, row 4, column certificate_no: 'มผช. 8/46' is not a valid")
    assert problems[7].startswith("checklist, row 4, column issued_on: '31/02/2567' is not a date")
    assert sql("SELECT count(*) FROM producer_group") == sql("SELECT count(*) FROM product") == [(0,)]


def test_csv_in_utf8_bom_and_cp874(province: Invoke, tmp_path: Path) -> None:
    rows = "code,name,district,kind\nDD01,กลุ่มทอผ้าย้อมครามบ้านดอนแดง,เรณูนคร,community\n"
    (tmp_path / "groups-bom.csv").write_bytes(b"\xef\xbb\xbf" + rows.encode("utf-8"))
    (tmp_path / "groups-874.csv").write_bytes(rows.replace("DD01", "DD02").replace("ดอนแดง", "นาคู่").encode("cp874"))
    ok(province, "import", str(tmp_path / "groups-bom.csv"))
    ok(province, "import", str(tmp_path / "groups-874.csv"))
    names = sorted(g["name"] for g in ok(province, "group", "list", "-f", "json").json())
    assert names == ["กลุ่มทอผ้าย้อมครามบ้านดอนแดง", "กลุ่มทอผ้าย้อมครามบ้านนาคู่"]


def test_unreadable_files(province: Invoke, tmp_path: Path) -> None:
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    r = province("import", str(tmp_path / "notes.xlsx"))
    assert r.exit_code == 2 and r.stderr.startswith("Error: cannot read") and "Traceback" not in r.stderr
    r = province("import", str(tmp_path / "missing.csv"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = province("import", str(tmp_path / "data.pdf"))
    assert r.exit_code == 2


def test_formula_like_cells_are_neutralised(province: Invoke, tmp_path: Path) -> None:
    ok(
        province,
        "group",
        "add",
        '=HYPERLINK("http://x","คลิก")',
        "--district",
        "นาแก",
        "--code",
        "F1",
        "--contact",
        "+66 80 000 0101",
        "--phone",
        "-1",
    )
    ok(province, "product", "add", "@SUM(A1)", "--group", "F1", "--category", "craft", "--code", "FP1")
    ok(province, "export", str(tmp_path / "out.csv"))
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    ok(province, "export", str(tmp_path / "out.xlsx"), "--include-personal")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cells = [c for row in book["groups"].iter_rows() for c in row if c.value]
    assert all(c.data_type == "s" for c in cells if str(c.value).startswith(("=", "+", "-", "@")))
    # and the CSV imports back to the same text
    fresh = make_invoke(str(tmp_path / "fresh.db"))
    ok(fresh, "import", str(tmp_path / "out.csv"))
    assert ok(fresh, "product", "show", "FP1", "-f", "json").json()["name"] == "@SUM(A1)"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_text_that_starts_with_an_apostrophe_imports_back_as_it_was(
    province: Invoke, tmp_path: Path, suffix: str
) -> None:
    """The importer takes kbo's guard (one apostrophe before a formula character) off again: text that already
    starts that way gets one more apostrophe on export, in every format, so that nothing changes on the way."""
    names = {"A1": "'=ผ้าไหม", "A2": "''+ลายขิด", "A3": "=ผ้าคราม", "A4": "'ผ้าฝ้าย", "A5": "-ผ้าซิ่น 'ลายโบราณ'"}
    ok(province, "group", "add", "กลุ่มทอผ้าบ้านนาแก", "--district", "นาแก", "--code", "A")
    for code, name in names.items():
        ok(province, "product", "add", "--group", "A", "--category", "textile", "--code", code, "--", name)
    ok(province, "checklist", "set", "A1", "label", "--status", "in_progress", "--note", "'=ยังไม่ครบ")
    out = tmp_path / f"out{suffix}"
    ok(province, "export", str(out))
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel on Windows reads it as UTF-8
        text = out.read_text(encoding="utf-8-sig")
        assert "''=ผ้าไหม" in text and "'''+ลายขิด" in text and "'=ผ้าคราม" in text and ",'ผ้าฝ้าย," in text
    fresh = make_invoke(str(tmp_path / "fresh.db"))
    ok(fresh, "import", str(out))
    shown = json.loads(ok(fresh, "product", "list", "-f", "json").stdout)
    assert {p["code"]: p["name"] for p in shown} == names
    shown_entries = json.loads(ok(fresh, "checklist", "show", "A1", "-f", "json").stdout)["entries"]
    entry = [e for e in shown_entries if e["standard"] == "label"]
    assert entry[0]["note"] == "'=ยังไม่ครบ"


def test_columns_kbo_does_not_read_are_never_left_out_silently(province: Invoke, tmp_path: Path) -> None:
    """A column whose name is a slip for one kbo reads is refused; any other is named in a warning; a sheet whose
    first row does not name its columns (a title above them) is refused, in a workbook as in a CSV file."""
    ok(province, "group", "add", "กลุ่มทอผ้าบ้านนาแก", "--district", "นาแก", "--code", "A")
    ok(province, "product", "add", "ผ้าฝ้ายทอมือ", "--group", "A", "--category", "textile", "--code", "A1")
    slip = tmp_path / "checklist.csv"
    slip.write_text("product_code,standard,status,notes\nA1,tcps,submitted,ยื่นแล้ว\n", encoding="utf-8")
    r = province("import", str(slip))
    assert r.exit_code == 2 and "kbo does not read a column named 'notes'" in r.stderr and "'note'" in r.stderr
    extra = tmp_path / "extra.csv"
    extra.write_text("product_code,standard,status,ผู้บันทึก\nA1,tcps,submitted,นางสมศรี\n", encoding="utf-8")
    r = ok(province, "import", str(extra))
    assert "Warning: extra.csv: kbo does not read the columns ผู้บันทึก; their cells were left out" in r.stderr
    named = tmp_path / "named.csv"  # close to product_code, which the sheet has: another column, not a slip
    named.write_text("product_code,product_name,standard,status\nA1,ผ้าฝ้ายทอมือ,tcps,submitted\n", encoding="utf-8")
    r = ok(province, "import", str(named))
    assert "Warning: named.csv: kbo does not read the columns product_name" in r.stderr
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "checklist"
    sheet.append(["รายการตรวจมาตรฐาน จังหวัดนครพนม"])
    sheet.append(["product_code", "standard", "status"])
    sheet.append(["A1", "tcps", "certified"])
    book.save(tmp_path / "titled.xlsx")
    r = province("import", str(tmp_path / "titled.xlsx"))
    assert r.exit_code == 2 and "checklist has no column product_code, standard in its first row" in r.stderr


def test_a_new_category_in_a_sheet_says_which_entries_go(province: Invoke, tmp_path: Path) -> None:
    """An import that changes a product's category removes the entries that no longer apply, as `product edit
    --category` does: --dry-run lists them, and one that held a status, a number or a note is named."""
    ok(province, "group", "add", "กลุ่มทอผ้าบ้านนาแก", "--district", "นาแก", "--code", "A")
    ok(province, "product", "add", "ผ้าฝ้ายทอมือ", "--group", "A", "--category", "textile", "--code", "A1")
    ok(province, "checklist", "set", "A1", "มอก.", "--status", "not_applicable", "--note", "ผ้าทอมือไม่อยู่ในขอบข่าย มอก.")
    sheet = tmp_path / "products.csv"
    sheet.write_text("code,name,group_code,category\nA1,ผ้าฝ้ายทอมือ,A,food\n", encoding="utf-8")
    r = ok(province, "import", str(sheet), "--dry-run")
    assert "Warning: A1: the entry for TIS (not applicable) is removed" in r.stderr
    assert "A1 TIS" in r.stdout and "removed" in r.stdout and "A1 Thai FDA" in r.stdout
    r = ok(province, "import", str(sheet))
    assert "Warning: A1: the entry for TIS (not applicable) is removed" in r.stderr


def test_a_dump_from_a_newer_kbo_is_refused_and_one_with_a_byte_order_mark_is_read(
    demo: Invoke, tmp_path: Path
) -> None:
    dump = tmp_path / "สำรอง.json"
    ok(demo, "export", str(dump))
    text = dump.read_text(encoding="utf-8")
    newer = tmp_path / "ใหม่กว่า.json"
    newer.write_text(text.replace('"schema": "', '"schema": "9', 1), encoding="utf-8")
    r = make_invoke(str(tmp_path / "a.db"))("import", str(newer))
    assert r.exit_code == 2 and "this dump was made by a newer kbo (schema 9" in r.stderr
    marked = tmp_path / "bom.json"
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # as Notepad saves it
    copy = make_invoke(str(tmp_path / "b.db"))
    ok(copy, "import", str(marked))
    assert len(copy("group", "list", "-f", "json").json()) == len(demo("group", "list", "-f", "json").json())


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "checklist.csv",
            "product_code,standard,status,certificate_no\nA1,tcps,certified,มผช. 8/2546\nA1,tcps,failed,\n",
            "row 3, column status: an earlier row of the file gives it certified",
        ),
        (
            "products.csv",
            "code,name,group_code,category\nA1,ผ้าฝ้ายทอมือ,A,textile\nA1,ผ้าฝ้ายทอมือ,A,food\n",
            "row 3, column category: an earlier row of the file gives it textile",
        ),
        (
            "groups.csv",
            "code,name,district\nZ1,กลุ่มจักสานบ้านนาคำ,นาแก\nZ1,กลุ่มจักสานบ้านนาคำ,ธาตุพนม\n",
            "row 3, column district: an earlier row of the file gives it นาแก",
        ),
    ],
)
def test_rows_that_disagree_about_a_record_are_refused(
    province: Invoke, tmp_path: Path, name: str, text: str, where: str
) -> None:
    """Two rows giving one record two values: the later one won without a word (an entry failed, still holding
    its certificate number). Now neither: the file is refused at the later row. The same row twice is fine."""
    ok(province, "group", "add", "กลุ่มทอผ้าบ้านนาแก", "--district", "นาแก", "--code", "A")
    ok(province, "product", "add", "ผ้าฝ้ายทอมือ", "--group", "A", "--category", "textile", "--code", "A1")
    sheet = tmp_path / name
    sheet.write_text(text, encoding="utf-8")
    r = province("import", str(sheet))
    assert r.exit_code == 1 and where in r.stderr, r.stderr
    header, first, _second = text.splitlines()
    sheet.write_text(f"{header}\n{first}\n{first}\n", encoding="utf-8")
    ok(province, "import", str(sheet))


def test_rows_that_disagree_across_chunks_are_refused(
    province: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group the import adds in one chunk, given another district by a row of a later chunk: refused as within
    a chunk (what the rows gave new records is kept by their ids once they are written)."""
    from kbo_cli.transfer import importer

    monkeypatch.setattr(importer, "CHUNK", 4)
    rows = ["group_code,group_name,district,product_code,product_name,category,standard,status"]
    rows += [f"Z{i // 2},กลุ่มทดสอบที่ {i // 2},เรณูนคร,ZP{i},น้ำพริกสูตร {i},food,fda,not_started" for i in range(10)]
    sheet = tmp_path / "สองส่วน.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ok(province, "import", str(sheet), "--dry-run")  # the same rows in chunks of four: fine
    rows.append("Z1,กลุ่มทดสอบที่ 1,นาแก,ZP99,น้ำพริกสูตรพิเศษ,food,fda,not_started")
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = province("import", str(sheet))
    assert r.exit_code == 1 and "row 12, column district: an earlier row of the file gives it เรณูนคร" in r.stderr


def test_a_dash_or_mai_mee_clears_a_field_and_an_empty_cell_leaves_it(demo: Invoke, tmp_path: Path) -> None:
    """As forms write "none": `-` or ไม่มี in a cell clears the field (as `group edit --phone ไม่มี` does), where an
    empty cell leaves it as it is, so that a sheet may give only what it knows."""
    groups = tmp_path / "กลุ่ม.csv"
    groups.write_text(
        "code,name,district,phone,contact,village\nNPM05,กลุ่มแม่บ้านน้ำพริกบ้านนาคำ,ธาตุพนม,ไม่มี,-,\n",
        encoding="utf-8",
    )
    dry = ok(demo, "import", str(groups), "--dry-run")
    assert "080-000-0105" in dry.stdout and "นางสุดใจ บุญมา" in dry.stdout
    assert [line.split()[-1] for line in dry.stdout.splitlines() if "updated" in line] == ["(none)", "(none)"]
    ok(demo, "import", str(groups))
    group = json.loads(ok(demo, "group", "show", "NPM05", "-f", "json").stdout)
    assert (group["phone"], group["contact"], group["village"]) == (None, None, "บ้านนาคำ หมู่ 6")
    products = tmp_path / "ผลิตภัณฑ์.csv"
    products.write_text(
        "code,name,group_code,category,description\nNPM05-01,น้ำพริกปลาร้าบองสมุนไพร,NPM05,food, – \n",
        encoding="utf-8",
    )
    ok(demo, "import", str(products))
    assert json.loads(ok(demo, "product", "show", "NPM05-01", "-f", "json").stdout)["description"] is None
    checklist = tmp_path / "รายการตรวจ.csv"
    checklist.write_text(
        "product_code,standard,status,certificate_no,expires_on,note\n"
        "NPM05-01,fda,in_progress,,,ไม่มี\n"  # the status given, the note cleared
        "NPM01-01,tcps,,-,-,\n"  # the number and the expiry cleared; the status (certified) left
        "NPM02-02,tcps,certified,,,\n",  # certified, no number given
        encoding="utf-8",
    )
    r = ok(demo, "import", str(checklist))
    for row, entry in ((3, "NPM01-01 TCPS"), (4, "NPM02-02 TCPS")):  # as `checklist set` warns
        assert f"row {row}: {entry}: certified without a certificate number" in r.stderr
    fda = csv.DictReader(ok(demo, "checklist", "show", "NPM05-01", "-f", "csv").stdout.splitlines())
    assert [(e["status"], e["note"]) for e in fda if e["standard"] == "fda"] == [("in_progress", "")]
    tcps = csv.DictReader(ok(demo, "checklist", "show", "NPM01-01", "-f", "csv").stdout.splitlines())
    assert [(e["certificate_no"], e["expires_on"]) for e in tcps if e["standard"] == "tcps"] == [("", "")]
    # a row that clears what an earlier row of the file gives, or the other way round, is one of two slips: refused
    for first, second, said in (("สูตรใหม่", "ไม่มี", "gives it สูตรใหม่"), ("-", "สูตรใหม่", "leaves it with no value")):
        products.write_text(
            "code,name,group_code,category,description\n"
            f"NPM05-02,แจ่วบองสมุนไพร,NPM05,food,{first}\nNPM05-02,แจ่วบองสมุนไพร,NPM05,food,{second}\n",
            encoding="utf-8",
        )
        r = demo("import", str(products))
        assert r.exit_code == 1 and f"row 3, column description: an earlier row of the file {said}" in r.stderr


def test_an_import_names_its_first_cautions_and_counts_the_rest(
    demo: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbo_cli.transfer import importer

    monkeypatch.setattr(importer, "CAUTIONS_SHOWN", 1)
    checklist = tmp_path / "รายการตรวจ.csv"
    checklist.write_text(
        "product_code,standard,status\nNPM02-02,tcps,certified\nNPM01-01,tcps,certified\nNPM05-01,fda,certified\n",
        encoding="utf-8",
    )
    warnings = [line for line in ok(demo, "import", str(checklist)).stderr.splitlines() if line.startswith("Warning")]
    assert len(warnings) == 2 and "row 2: NPM02-02 TCPS: certified without a certificate number" in warnings[0]
    assert warnings[1] == "Warning: and 1 more rows with such a warning"  # NPM01-01 has its number: no warning


def test_the_commands_read_none_as_the_import_does(demo: Invoke, tmp_path: Path) -> None:
    """`-` (any dash) or ไม่มี, with a zero-width space pasted after it too, is no value for the commands as for
    the import: nothing stores the text `-`, so an export imports back as it was."""
    ok(demo, "group", "edit", "NPM05", "--village", "\u2212", "--contact", "ไม่มี\u200b")
    ok(demo, "product", "edit", "NPM05-01", "--description", "–")
    r = ok(demo, "checklist", "set", "NPM01-01", "tcps", "--cert", "-", "--note", "ไม่มี")
    assert "certified without a certificate number" in r.stderr
    group = json.loads(ok(demo, "group", "show", "NPM05", "-f", "json").stdout)
    assert (group["village"], group["contact"]) == (None, None)
    assert json.loads(ok(demo, "product", "show", "NPM05-01", "-f", "json").stdout)["description"] is None
    tcps = csv.DictReader(ok(demo, "checklist", "show", "NPM01-01", "-f", "csv").stdout.splitlines())
    assert [(e["certificate_no"], e["note"]) for e in tcps if e["standard"] == "tcps"] == [("", "")]
    out = tmp_path / "ทั้งหมด.xlsx"
    ok(demo, "export", str(out), "--include-personal")
    assert "Nothing would change." in ok(demo, "import", str(out), "--dry-run").stderr
    for command in (("import",), ("group", "edit"), ("product", "edit"), ("checklist", "set")):  # and each says so
        assert "a dash (-) or ไม่มี clears" in " ".join(ok(demo, *command, "--help").stdout.lower().split()), command


def test_template_has_the_sheets_and_imports(province: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    ok(province, "export", "--template", str(path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["groups", "products", "checklist", "scores"]
    assert [c.value for c in book["products"][1]] == ["code", "name", "group_code", "category", "description"]
    assert book["groups"].freeze_panes == "A2"
    assert ok(province, "import", str(path), "-f", "json").json()[0]["added"] == 1


@pytest.mark.usefixtures("demo")
def test_export_xlsx_has_every_kind_of_record_and_the_reports(kbo: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "kbo.xlsx"
    ok(kbo, "export", str(path))
    book = openpyxl.load_workbook(path)
    read_only = ["findings", "plans", "visits", "opc_scores", "selections", "gaps", "progress"]
    assert book.sheetnames == ["groups", "products", "checklist", *(f"{name} (read only)" for name in read_only)]
    groups = book["groups"]
    assert groups.freeze_panes == "A2"
    assert [c.value for c in groups[1]] == ["code", "name", "kind", "district", "subdistrict", "village"]
    assert groups["B2"].value.startswith("กลุ่ม") or groups["B2"].value.startswith("วิสาหกิจ")
    assert groups.column_dimensions["B"].width > 20
    issued = [row[4].value for row in book["checklist"].iter_rows(min_row=2) if row[4].value]
    assert issued and all(hasattr(v, "year") for v in issued)  # real dates
    assert book["gaps (read only)"].max_row > 10 and book["progress (read only)"].max_row == 14
    gaps = list(book["gaps (read only)"].iter_rows(values_only=True))
    required = [row[gaps[0].index("required")] for row in gaps[1:]]
    assert {type(v) for v in required} == {bool} and set(required) == {True, False}  # TRUE/FALSE on both engines
    # personal data only on request
    ok(kbo, "export", str(tmp_path / "personal.xlsx"), "--include-personal")
    assert "phone" in [c.value for c in openpyxl.load_workbook(tmp_path / "personal.xlsx")["groups"][1]]
    # a part of the database
    ok(kbo, "export", str(tmp_path / "renu.xlsx"), "--district", "เรณูนคร")
    renu = openpyxl.load_workbook(tmp_path / "renu.xlsx")
    assert {r[3].value for r in renu["groups"].iter_rows(min_row=2)} == {"เรณูนคร"}


def test_export_names_what_is_wrong_with_the_target(demo: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "ส่งออก"
    folder.mkdir()
    for target, first in (
        (folder, f"Error: {folder} is a folder, not a file"),
        (folder / "รายงาน", "Error: the name รายงาน does not say which kind of file to write"),
        (folder / ".xlsx", "Error: the name .xlsx does not say which kind of file to write"),
        (folder / "รายงาน.txt", "Error: kbo cannot export to .txt files"),
    ):
        r = demo("export", str(target))
        assert r.exit_code == 2 and r.stderr.splitlines()[0] == first, r.stderr
    assert list(folder.iterdir()) == []
    for target in ("/proc/kbo.csv", "/proc/kbo.xlsx"):  # a folder no file can be created in
        r = demo("export", target)
        assert r.exit_code == 2 and r.stderr.startswith(f"Error: cannot write {target}: "), r.stderr


@pytest.mark.usefixtures("demo")
def test_json_export_round_trips_exactly(kbo: Invoke, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    ok(kbo, "export", str(first), "--include-personal")
    copy = make_invoke(str(tmp_path / "copy.db"))
    ok(copy, "import", str(first))
    second = tmp_path / "second.json"
    ok(copy, "export", str(second), "--include-personal")
    assert json.loads(first.read_text(encoding="utf-8")) == json.loads(second.read_text(encoding="utf-8"))
    for command in (
        ("report", "gaps", "-f", "json"),
        ("report", "candidates", "-f", "json"),
        ("checklist", "show", "NPM07-01", "-f", "json"),
    ):
        assert ok(copy, *command).json() == ok(kbo, *command).json()
    again = copy("import", str(first))
    assert again.exit_code == 1 and "only into an empty database" in again.stderr
    no_personal = json.loads(ok(kbo, "export", str(tmp_path / "p.json")) and (tmp_path / "p.json").read_text("utf-8"))
    assert {g["phone"] for g in no_personal["tables"]["producer_group"]} == {None}


def test_the_flat_checklist_counts_each_record_once(demo: Invoke, tmp_path: Path) -> None:
    """The flat CSV names a group and a product on each checklist row, and a sheet may repeat a row: the summary
    counts the records the rows name, each once."""
    flat = tmp_path / "รายการตรวจ.csv"
    ok(demo, "export", str(flat))
    status = {row["key"]: row["value"] for row in ok(demo, "db", "status", "-f", "json").json()}
    records = {"groups": "producer_group", "products": "product", "checklist": "checklist_entry"}
    lines = flat.read_text(encoding="utf-8").splitlines()
    flat.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # one row twice
    again = ok(demo, "import", str(flat), "-f", "json").json()
    assert {row["sheet"]: (row["added"], row["updated"], row["unchanged"]) for row in again} == {
        sheet: (0, 0, status[table]) for sheet, table in records.items()
    }
    header = lines[0].split(",")
    code, name = header.index("product_code"), header.index("product_name")
    rows = [line.split(",") for line in lines[1:]]  # the demo's names and notes hold no comma
    renamed = rows[0][code]
    last = max(n for n, row in enumerate(rows) if row[code] == renamed)
    rows[last][name] += " สูตรใหม่"  # changed on the last of its rows only: the rows disagree, which is meant?
    flat.write_text("\n".join([lines[0], *map(",".join, rows)]) + "\n", encoding="utf-8")
    r = demo("import", str(flat))
    assert r.exit_code == 1 and f"row {last + 2}, column name: an earlier row of the file gives it" in r.stderr
    for row in rows:  # renamed on every row of the product: one update
        if row[code] == renamed:
            row[name] = rows[last][name]
    flat.write_text("\n".join([lines[0], *map(",".join, rows)]) + "\n", encoding="utf-8")
    changed = {row["sheet"]: row for row in ok(demo, "import", str(flat), "-f", "json").json()}
    assert (changed["products"]["updated"], changed["products"]["unchanged"]) == (1, status["product"] - 1)
    assert ok(demo, "product", "show", renamed, "-f", "json").json()["name"].endswith(" สูตรใหม่")
    fresh = make_invoke(str(tmp_path / "ใหม่.db"))
    ok(fresh, "init", "--province", "48")
    added = ok(fresh, "import", str(flat), "-f", "json").json()
    assert {row["sheet"]: (row["added"], row["updated"], row["unchanged"]) for row in added} == {
        sheet: (status[table], 0, 0) for sheet, table in records.items()
    }


def test_a_dump_row_may_leave_out_a_column(demo: Invoke, tmp_path: Path) -> None:
    """Rows of a table that do not all give the same columns are restored too, a left-out column taking its
    default (on SQLite, rows leaving out a column with no default go straight to the driver, the others through
    SQLAlchemy, which fills the default in), and a time with another offset is stored as the same moment."""
    dump = tmp_path / "ดัมพ์.json"
    ok(demo, "export", str(dump))
    data = json.loads(dump.read_text(encoding="utf-8"))
    product_id = next(p["id"] for p in data["tables"]["product"] if p["code"] == "NPM07-01")
    edited = []
    for entry in data["tables"]["checklist_entry"]:
        if entry["product_id"] == product_id and entry["standard"] == "label":
            entry = {k: v for k, v in entry.items() if k not in ("status", "note", "certificate_no")}
        elif entry["product_id"] == product_id:
            entry = {k: v for k, v in entry.items() if k != "note"}
        edited.append(entry)
    data["tables"]["checklist_entry"] = edited
    group = data["tables"]["producer_group"][0]
    moment = datetime.fromisoformat(group["created_at"])
    group["created_at"] = moment.astimezone(timezone(timedelta(hours=7))).isoformat()  # Bangkok time
    dump.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copy = make_invoke(str(tmp_path / "สำเนา.db"))
    ok(copy, "import", str(dump))
    restored = {e["standard"]: e for e in ok(copy, "checklist", "show", "NPM07-01", "-f", "json").json()["entries"]}
    original = {e["standard"]: e for e in ok(demo, "checklist", "show", "NPM07-01", "-f", "json").json()["entries"]}
    assert restored["label"]["status"] == "not_started" and restored["label"]["note"] is None
    assert {k: v for k, v in restored.items() if k != "label"} == {
        k: {**v, "note": None} for k, v in original.items() if k != "label"
    }
    again = tmp_path / "อีกครั้ง.json"
    ok(copy, "export", str(again))
    assert json.loads(again.read_text(encoding="utf-8"))["tables"]["producer_group"][0]["created_at"] == (
        moment.astimezone(UTC).isoformat()
    )


def test_a_dump_that_breaks_a_key_is_refused_whole(demo: Invoke, tmp_path: Path) -> None:
    dump = tmp_path / "ดัมพ์.json"
    ok(demo, "export", str(dump))
    data = json.loads(dump.read_text(encoding="utf-8"))
    entries = data["tables"]["checklist_entry"]
    entries[-1] = {**entries[-1], "id": entries[0]["id"]}  # two entries with one id
    dump.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copy = make_invoke(str(tmp_path / "สำเนา.db"))
    r = copy("import", str(dump))
    assert r.exit_code == 1 and r.stderr.startswith("Error: the change conflicts with what is stored"), r.stderr
    assert len(r.stderr.splitlines()) == 2 and "Traceback" not in r.stderr  # the error and its hint
    assert not (tmp_path / "สำเนา.db").exists()  # nothing half-written: not even the new, empty database


def test_a_group_moved_by_a_sheet_keeps_its_sub_district_only_where_it_belongs(demo: Invoke, tmp_path: Path) -> None:
    """NPM02 (ต.ท่าจำปา, อ.ท่าอุเทน) moved to นาแก by a sheet without a sub-district column: refused, as
    `group edit -d` refuses it; with the new district's sub-district given, it moves."""
    name = ok(demo, "group", "show", "NPM02", "-f", "json").json()["name"]
    moved = tmp_path / "ย้าย.csv"
    moved.write_text(f"code,name,district\nNPM02,{name},นาแก\n", encoding="utf-8")
    r = demo("import", str(moved))
    assert r.exit_code == 1 and "column district: 'ท่าจำปา' is not a sub-district of นาแก" in r.stderr, r.stderr
    moved.write_text(f"code,name,district,subdistrict\nNPM02,{name},นาแก,\n", encoding="utf-8")  # a blank cell
    r = demo("import", str(moved))
    assert r.exit_code == 1 and "column district: 'ท่าจำปา' is not a sub-district of นาแก" in r.stderr, r.stderr
    assert ok(demo, "group", "show", "NPM02", "-f", "json").json()["district"] == "ท่าอุเทน"
    moved.write_text(f"code,name,district,subdistrict\nNPM02,{name},นาแก,นาแก\n", encoding="utf-8")
    ok(demo, "import", str(moved))
    group = ok(demo, "group", "show", "NPM02", "-f", "json").json()
    assert (group["district"], group["subdistrict"]) == ("นาแก", "นาแก")


def test_a_dump_that_breaks_rules_between_records_restores_with_each_named(demo: Invoke, tmp_path: Path) -> None:
    """What a row alone cannot show. kbo can work with these, and a backup made before a rule existed must still
    restore: each is named with an example record, and `kbo db check` lists them until they are corrected."""
    dump = tmp_path / "ดัมพ์.json"
    ok(demo, "export", str(dump))
    data = json.loads(dump.read_text(encoding="utf-8"))
    tables = data["tables"]
    tables["producer_group"][1]["district"] = "ไม่มีอำเภอนี้"
    moved = tables["producer_group"][1]["code"]
    category = {p["id"]: p["category"] for p in tables["product"]}
    code = {p["id"]: p["code"] for p in tables["product"]}
    label = next(
        e for e in tables["checklist_entry"] if category[e["product_id"]] == "textile" and e["standard"] == "label"
    )
    label["standard"] = "fda"  # อย. for cloth
    tcps = next(e for e in tables["checklist_entry"] if e["standard"] == "tcps" and e["certificate_no"])
    tcps["certificate_no"] = "12345"
    strength = next(f for f in tables["finding"] if f["kind"] == "strength")
    tables["plan_action"][0]["finding_id"] = strength["id"]
    dump.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copy = make_invoke(str(tmp_path / "สำเนา.db"))
    r = ok(copy, "import", str(dump))
    said = [
        f"Warning: producer_group.district: 'ไม่มีอำเภอนี้' is not a district of Nakhon Phanom (group {moved})",
        "Warning: checklist_entry.standard: fda does not apply to textile products, yet they have entries of it "
        "(entries: 1)",
        "Warning: checklist_entry.certificate_no: '12345' is not a valid certificate number "
        f"(product {code[tcps['product_id']]})",
        "Warning: plan_action.finding_id: an action answers a finding that is not a weakness of its product, "
        f"e.g. action {tables['plan_action'][0]['id']} (actions: 1)",
    ]
    for expected in said:
        assert expected in r.stderr, r.stderr
    checked = copy("db", "check", "-f", "json")
    assert checked.exit_code == 1 and len([p for p in checked.json() if p["check"] == "rules"]) == 4


def test_a_column_given_twice_is_refused(demo: Invoke, tmp_path: Path) -> None:
    """Two group_code columns: the row's last one won (NPM02 renamed and moved). Now neither: the file is refused."""
    flat = tmp_path / "ซ้ำ.csv"
    flat.write_text(
        "group_code,group_code,group_name,district,product_code,product_name,category,standard,status\n"
        "NPM01,NPM02,กลุ่มใหม่,นาแก,P1,น้ำพริก,food,fda,certified\n",
        encoding="utf-8",
    )
    before = ok(demo, "group", "list", "-f", "json").json()
    r = demo("import", str(flat))
    assert r.exit_code == 2 and r.stderr.startswith("Error: ซ้ำ.csv has the column group_code twice (columns 1 and 2)")
    groups = tmp_path / "กลุ่ม.csv"
    groups.write_text("code,name,district,name\nNPM02,กลุ่มใหม่,นาแก,กลุ่มอื่น\n", encoding="utf-8")
    r = demo("import", str(groups))
    assert r.exit_code == 2 and "has the column name twice (columns 2 and 4)" in r.stderr, r.stderr
    assert ok(demo, "group", "list", "-f", "json").json() == before


def test_a_dump_whose_judge_scores_in_another_round_is_refused(demo: Invoke, tmp_path: Path) -> None:
    """A judge scores in the round they sit on: a dump that says otherwise would break `report scores`."""
    dump = tmp_path / "ดัมพ์.json"
    ok(demo, "export", str(dump))
    data = json.loads(dump.read_text(encoding="utf-8"))
    year_of = {m["id"]: m["year"] for m in data["tables"]["committee_member"]}
    score = data["tables"]["judge_score"][0]
    other = next(mid for mid, year in year_of.items() if year != score["year"])
    score["member_id"] = other
    dump.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copy = make_invoke(str(tmp_path / "สำเนา.db"))
    r = copy("import", str(dump))
    assert r.exit_code == 1 and "Traceback" not in r.stderr, r.stderr
    said = (
        f"judge_score, column member_id: a score is by a member of another round, e.g. score {score['id']} (scores: 1)"
    )
    assert said in r.stderr, r.stderr
    assert not (tmp_path / "สำเนา.db").exists()  # nothing half-written: not even the new, empty database


@pytest.mark.slow
def test_a_20000_row_file(province: Invoke, tmp_path: Path, sql) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FLAT_COLUMNS)
        districts = ["เรณูนคร", "นาแก", "ธาตุพนม", "ท่าอุเทน"]
        for i in range(20_000):
            g = i // 20
            writer.writerow(
                [
                    f"G{g:04d}",
                    f"กลุ่มทอผ้าที่ {g}",
                    districts[g % 4],
                    f"P{i:05d}",
                    f"ผ้าครามผืนที่ {i}",
                    "textile",
                    "tcps",
                    "certified" if i % 3 == 0 else "in_progress",
                    "มผช. 8/2546" if i % 3 == 0 else "",
                    "15/03/2567" if i % 3 == 0 else "",
                    "",
                    "",
                ]
            )
    r = ok(province, "import", str(path), "-f", "json")
    # each group, product and checklist entry the file names counted once, however many of its rows name it (the
    # other standards of a new product's checklist, made from the catalogue, are not named by any row)
    assert {row["sheet"]: (row["added"], row["updated"], row["unchanged"]) for row in r.json()} == {
        "groups": (1000, 0, 0),
        "products": (20000, 0, 0),
        "checklist": (20000, 0, 0),
    }
    assert sql("SELECT count(*) FROM checklist_entry") == [(80_000,)]
    assert sql("SELECT count(*) FROM checklist_entry WHERE status = 'certified'") == [(6667,)]
    progress = ok(province, "report", "progress", "-f", "json").json()
    assert len(progress) == 1000


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed")
@pytest.mark.usefixtures("demo")
def test_html_reports_on_stdout(kbo: Invoke) -> None:
    gaps = ok(kbo, "report", "gaps", "-f", "html", lang_="th").stdout
    assert gaps.startswith("<!DOCTYPE html>") and "มาตรฐานที่ยังขาดรายกลุ่มผู้ผลิต" in gaps
    progress = ok(kbo, "report", "progress", "-f", "html", lang_="en").stdout
    assert "Progress per producer group" in progress and 'class="bar"' in progress and " BE" in progress


MACHINE_LISTS = [
    ("group", "list"),
    ("product", "list"),
    ("standards", "list"),
    ("checklist", "show", "NPM12-01"),
    ("report", "gaps"),
    ("report", "progress"),
    ("report", "expiring"),
    ("report", "candidates"),
    ("report", "unvisited"),
    ("report", "agencies"),
    ("report", "districts"),
    ("report", "scores", "--year", "2569"),
    ("report", "progress", "--since-meeting", "1"),
    ("finding", "list"),
    ("plan", "list"),
    ("visit", "list"),
    ("opc", "list"),
    ("meeting", "list"),
    ("history",),
]


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("demo")
def test_csv_passes_typed_fields_through_exactly_as_the_converter_writes_them(
    kbo: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSV writer hands named-tuple fields of plain types to csv.writer unconverted; for every list and
    report, that must give the same bytes as converting each cell, and still neutralise formula-like text."""
    from kbo_cli.render import machine

    ok(kbo, "product", "edit", "NPM12-01", "--name", "-ชุดผ้าคราม=สตรีร่วมสมัย")
    fast = {command: ok(kbo, *command, "-f", "csv").stdout for command in MACHINE_LISTS}
    monkeypatch.setattr(machine, "_fast_cells", lambda columns, row_type: None)
    for command, text in fast.items():
        assert ok(kbo, *command, "-f", "csv").stdout == text, command
    gaps = list(csv.DictReader(fast[("report", "gaps")].splitlines()))
    assert {row["product_name"] for row in gaps if row["product_code"] == "NPM12-01"} == {"'-ชุดผ้าคราม=สตรีร่วมสมัย"}
    assert {row["required"] for row in gaps} == {"true", "false"}
