"""Make the malicious and odd input files of tests/test_bad_files.py (issue #11, [hardening]).

    python tests/data/bad/make.py            # the small files, next to this script (they are committed)
    python tests/data/bad/make.py --large D  # also the large one(s), into folder D (never committed)

The output is deterministic (fixed zip timestamps), so re-running it changes no committed file. Each
bad file has a good twin made the same way (good.xlsx, good.csv, dump-good.json), which the tests import
first: a refusal then shows the damage was refused, not the way the file was made. The kbo dumps copy the
shape of `kbo export FILE.json` (format kbo-dump version 1, schema 0003); if the schema changes and
dump-good.json no longer imports, update BASE_DUMP here and re-run.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
STAMP = (2024, 1, 1, 0, 0, 0)

# --- .xlsx ------------------------------------------------------------------------------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="groups" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""

GROUP_ROWS = [
    ["name", "district", "village"],
    *[[f"กลุ่มทอผ้าทดสอบที่ {n}", "เรณูนคร", f"บ้านทดสอบ หมู่ {n}"] for n in range(1, 21)],
]


def column(n: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 -> A, 16383 -> XFD."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def row(number: int, values: list[str]) -> str:
    return f'<row r="{number}">' + "".join(cell(f"{column(i)}{number}", v) for i, v in enumerate(values)) + "</row>"


def sheet_xml(rows: list[list[str]], *, dimension: str | None = None, body_extra: str = "") -> str:
    dimension = dimension or f"A1:{column(max(len(r) for r in rows) - 1)}{len(rows)}"
    body = "".join(row(i + 1, r) for i, r in enumerate(rows))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{body}{body_extra}</sheetData></worksheet>'
    )


def xlsx(sheet: str) -> bytes:
    """A minimal workbook (one sheet, named groups) around this sheet XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet),
        ]:
            z.writestr(
                zipfile.ZipInfo(name, STAMP), text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9
            )
    return buf.getvalue()


def huge_dimension_sheet(empty_rows: int = 400_000) -> str:
    """A sheet that declares A1:XFD1048576: a header, ~400,000 empty rows, one cell in the very last one."""
    empty = "".join(f'<row r="{n}"/>' for n in range(2, empty_rows + 2))
    last = f'<row r="1048576">{cell("XFD1048576", "x")}</row>'
    return sheet_xml([GROUP_ROWS[0]], dimension="A1:XFD1048576", body_extra=empty + last)


# --- kbo dumps --------------------------------------------------------------------------------------

T = "2024-01-01T00:00:00+00:00"
BASE_DUMP = {
    "format": "kbo-dump",
    "version": 1,
    "schema": "0003",
    "tables": {
        "kbo_setting": [{"key": "province", "value": "48"}],
        "producer_group": [
            {
                "id": 1,
                "code": "G1",
                "name": "กลุ่มทดสอบ",
                "name_key": "กลุ่มทดสอบ",
                "kind": "community",
                "district": "ธาตุพนม",
                "subdistrict": None,
                "village": None,
                "contact": None,
                "phone": None,
                "created_at": T,
                "updated_at": T,
            }
        ],
        "product": [
            {
                "id": 1,
                "code": "P1",
                "name": "น้ำพริก",
                "name_key": "น้ำพริก",
                "group_id": 1,
                "category": "food",
                "description": None,
                "created_at": T,
                "updated_at": T,
            }
        ],
        "checklist_entry": [
            {
                "id": 1,
                "product_id": 1,
                "standard": "fda",
                "status": "not_started",
                "certificate_no": None,
                "issued_on": None,
                "expires_on": None,
                "note": None,
                "updated_at": T,
            },
            {
                "id": 2,
                "product_id": 1,
                "standard": "gmp",
                "status": "certified",
                "certificate_no": "12-3-45678-1-0001",
                "issued_on": "2023-01-10",
                "expires_on": "2026-01-09",
                "note": None,
                "updated_at": T,
            },
        ],
        "finding": [],
        "plan_action": [],
        "visit": [],
        "visit_product": [],
        "opc_score": [
            {
                "id": 1,
                "product_id": 1,
                "year": 2567,
                "part1": 20.0,
                "part2": 20.0,
                "part3": 40.0,
                "author": "tester",
                "created_at": T,
            }
        ],
        "selection": [],
    },
}


def dump_with(table: str, index: int, key: str, value: object) -> str:
    data = copy.deepcopy(BASE_DUMP)
    data["tables"][table][index][key] = value  # type: ignore[index]
    return json.dumps(data, ensure_ascii=False, indent=1)


# --- all the files ----------------------------------------------------------------------------------


def small_files() -> dict[str, bytes]:
    good_sheet = sheet_xml(GROUP_ROWS)
    csv_head = "name,district\n"
    five_thousand_digits = "9" * 5000
    big_number = dump_with("opc_score", 0, "year", 0).replace('"year": 0', f'"year": {five_thousand_digits}')
    return {
        # controls: the same making, undamaged
        "good.xlsx": xlsx(good_sheet),
        "good.csv": (csv_head + "กลุ่มทดสอบนำเข้า,ธาตุพนม\n").encode("utf-8"),
        "dump-good.json": json.dumps(BASE_DUMP, ensure_ascii=False, indent=1).encode("utf-8"),
        # spreadsheets
        "cut-sheet.xlsx": xlsx(good_sheet[: len(good_sheet) // 2]),
        "not-a-zip.xlsx": b"name,district\nthis is not a workbook\n",
        "long-field.csv": (csv_head + '"' + "x" * (128 * 1024 + 10) + '",ธาตุพนม\n').encode("utf-8"),
        "unbalanced-quote.csv": (csv_head + '"กลุ่มทดสอบ,ธาตุพนม\nกลุ่มที่สอง,เรณูนคร\n').encode("utf-8"),
        # bytes 0xDB-0xDE and 0xFC-0xFF are undefined in cp874 and invalid in UTF-8
        "not-utf8-nor-cp874.csv": csv_head.encode() + b"\xdb\xdc\xdd\xde,\xfc\xfd\n",
        "empty.csv": b"",
        # JSON
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "dump-big-number.json": big_number.encode("utf-8"),
        "dump-issued-feb30.json": dump_with("checklist_entry", 1, "issued_on", "2566-02-30").encode("utf-8"),
        "dump-status-bogus.json": dump_with("checklist_entry", 0, "status", "bogus").encode("utf-8"),
        "dump-opc-negative.json": dump_with("opc_score", 0, "part1", -50).encode("utf-8"),
        "dump-name-123.json": dump_with("producer_group", 0, "name", 123).encode("utf-8"),
        # --weights for `kbo report candidates`: a Thai comment saved in the Thai Windows code page
        "weights-cp874.toml": "# น้ำหนักของจังหวัดนครพนม\nopc = 30.0\n".encode("cp874"),
        "weights-good.toml": "# น้ำหนักของจังหวัดนครพนม\nopc = 30.0\n".encode(),
    }


def large_files() -> dict[str, bytes]:
    return {"huge-dimension.xlsx": xlsx(huge_dimension_sheet())}


def write(files: dict[str, bytes], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def main(argv: list[str]) -> None:
    write(small_files(), HERE)
    if len(argv) == 2 and argv[0] == "--large":
        write(large_files(), Path(argv[1]))
    for name, data in sorted(small_files().items()):
        print(f"{len(data):9,d}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
