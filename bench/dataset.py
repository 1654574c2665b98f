"""A synthetic national OTOP register, written as a kbo JSON dump (and a flat CSV sheet to import).

The shape follows the December 2021 national register: 878 districts (อำเภอ) in 76 provinces, about 0.45
producer groups per product, each product with its full checklist (one entry per standard of the
catalogue that applies to its category). Statuses, certificates and dates are mixed as a real register
has them: required standards more often certified than recommended ones, some certificates expired,
some certified without their number, recommended standards often not applicable. Findings, plan actions
(with agencies and due dates, some overdue, some done), field visits, OPC scores and the rounds' picks
complete it.

Every value is valid by kbo's own rules, because it is made by them: names are `clean_text`, name keys
are `name_key(name)`, certificate numbers come out of `certno.normalize_cert` for their standard's
format, expiries are `add_months(issued, validity)`, categories, standards, statuses and agencies come
from kbo's catalogue and vocabularies. The same seed gives the same file, byte for byte.

Tables are written to temporary files one row per line as they are generated (memory stays small at
any size), then joined in the order kbo's own dump uses.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

#: bump when the generated data changes: cached databases of an older version are not reused
VERSION = 2

# --- vocabulary -------------------------------------------------------------------------------------
PLACE_HEADS = [
    "บ้าน",
    "นา",
    "โพน",
    "ดอน",
    "หนอง",
    "ท่า",
    "วัง",
    "ศรี",
    "โคก",
    "ห้วย",
    "คำ",
    "ดง",
    "สระ",
    "บึง",
    "พระ",
    "เชียง",
    "แม่",
    "ลำ",
    "ปาก",
    "ทุ่ง",
    "เขา",
    "บาง",
    "สาม",
    "กุด",
    "โนน",
    "เวียง",
    "ไชย",
    "หาด",
]
PLACE_TAILS = [
    "ทอง",
    "แก้ว",
    "คำ",
    "งาม",
    "ใหญ่",
    "น้อย",
    "สวรรค์",
    "เจริญ",
    "ชัย",
    "พนม",
    "หลวง",
    "ใต้",
    "เหนือ",
    "กลาง",
    "ยาง",
    "แดง",
    "ขาม",
    "บัว",
    "สูง",
    "ทราย",
    "ไผ่",
    "โพธิ์",
    "ม่วง",
    "สะอาด",
    "ไทร",
    "หอม",
    "เย็น",
    "พัฒนา",
    "ราษฎร์",
    "ธานี",
    "นคร",
    "บุรี",
    "วงศ์",
    "หิน",
    "ขวาง",
    "เม็ก",
]
KINDS = [("community", 50), ("enterprise", 35), ("individual", 8), ("sme", 7)]
CATEGORY_SHARE = [("food", 35), ("beverage", 10), ("textile", 25), ("craft", 20), ("herbal", 10)]
TRADES = {
    "food": ["แปรรูปอาหาร", "น้ำพริก", "ปลาส้ม", "ข้าวฮางงอก", "ขนมไทย", "แปรรูปปลา", "ข้าวกล้อง", "กล้วยตาก"],
    "beverage": ["เครื่องดื่มสมุนไพร", "ชาใบหม่อน", "ไวน์ผลไม้", "น้ำผลไม้", "กาแฟ", "ชาสมุนไพร"],
    "textile": ["ทอผ้า", "ทอผ้าย้อมคราม", "ทอผ้าไหม", "ทอผ้าขิด", "ตัดเย็บเสื้อผ้า", "ผ้าฝ้ายทอมือ"],
    "craft": ["จักสาน", "จักสานผักตบชวา", "จักสานไม้ไผ่", "แกะสลักไม้", "เครื่องปั้นดินเผา", "ดอกไม้ประดิษฐ์"],
    "herbal": ["สมุนไพร", "สบู่สมุนไพร", "ลูกประคบ", "ยาหม่อง", "เครื่องสำอางสมุนไพร"],
}
PRODUCTS = {
    "food": [
        "น้ำพริกปลาร้า",
        "น้ำพริกตาแดง",
        "ปลาส้ม",
        "ข้าวเกรียบปลา",
        "ข้าวฮางงอก",
        "แจ่วบอง",
        "หมูยอ",
        "กล้วยตาก",
        "ข้าวกล้องหอมมะลิ",
        "ขนมทองม้วน",
        "ไส้กรอกอีสาน",
        "ปลาร้าบอง",
    ],
    "beverage": ["ชาใบหม่อน", "น้ำกระเจี๊ยบ", "ไวน์หมากเม่า", "ชาตะไคร้", "น้ำมะเม่า", "กาแฟคั่วบด", "ชาอัสสัม", "น้ำอ้อย"],
    "textile": ["ผ้าย้อมคราม", "ผ้าขิด", "ผ้าไหมมัดหมี่", "ผ้าฝ้ายทอมือ", "เสื้อผ้าย้อมคราม", "ผ้าขาวม้า", "ผ้าซิ่นตีนจก", "กระเป๋าผ้าทอ"],
    "craft": ["กระติบข้าวไม้ไผ่", "กระเป๋าผักตบชวา", "โคมไฟไม้ไผ่", "ตะกร้าสาน", "เสื่อกก", "แจกันดินเผา", "ดอกไม้ประดิษฐ์", "พัดสาน"],
    "herbal": [
        "ยาหม่องไพล",
        "สบู่ขมิ้น",
        "ลูกประคบสมุนไพร",
        "โลชั่นว่านหางจระเข้",
        "น้ำมันนวด",
        "ยาดมสมุนไพร",
        "แชมพูมะกรูด",
        "ครีมขมิ้นชัน",
    ],
}
BRANDS = ["แม่บุญ", "บ้านนา", "ครามสกล", "ภูพาน", "ดอกคูน", "แม่ทองใบ", "ลุงคำ", "สองฝั่งโขง", "ผาแดง", "ยายหอม"]
DESCRIPTORS = ["", "", "", "สูตรดั้งเดิม", "ลายโบราณ", "ขนาด 200 กรัม", "แบบพกพา", "ออร์แกนิก", "รุ่นพิเศษ", "สีธรรมชาติ"]
FIRST_NAMES = [
    "บัวเรียน",
    "สมพร",
    "ประยูร",
    "วิไลวรรณ",
    "สุดใจ",
    "คำปุน",
    "สมหมาย",
    "มยุรี",
    "บุญเลิศ",
    "รัตนา",
    "ทองสุข",
    "เพ็ญศรี",
    "อำนาจ",
    "จันทร์เพ็ญ",
    "ศิริพร",
    "สมศักดิ์",
]
SURNAMES = [
    "ศรีคำ",
    "แก้วมณี",
    "พลไชย",
    "ทองดี",
    "บุญมา",
    "วงศ์ไชย",
    "ศรีสุข",
    "จันทร์เพ็ญ",
    "ไชยวงศ์",
    "พรหมมา",
    "ภูผา",
    "อินทร์แก้ว",
    "เหล่าสมบัติ",
]
OFFICERS = ["พช.อำเภอ", "นักวิชาการพัฒนาชุมชน", "เจ้าหน้าที่ สสจ.", "อาจารย์มหาวิทยาลัย", "เกษตรอำเภอ", "อุตสาหกรรมจังหวัด"]
STRENGTHS = [
    "วัตถุดิบในชุมชนมีคุณภาพสม่ำเสมอ",
    "มีเรื่องราวของผลิตภัณฑ์ชัดเจน",
    "สมาชิกกลุ่มเข้มแข็ง มีการประชุมทุกเดือน",
    "ลวดลายเป็นเอกลักษณ์ของท้องถิ่น",
    "มีช่องทางขายออนไลน์แล้ว",
]
WEAKNESSES = [
    "ฉลากยังไม่ครบตามประกาศกระทรวงสาธารณสุข",
    "บรรจุภัณฑ์ไม่ดึงดูดตลาด",
    "ยังไม่มีบัญชีรายรับรายจ่ายของกลุ่ม",
    "สถานที่ผลิตยังไม่ผ่านเกณฑ์ GMP",
    "สีตกเมื่อซัก ต้องปรับกระบวนการย้อม",
    "อายุการเก็บรักษาสั้น",
]
ACTIONS = {
    None: ["ออกแบบบรรจุภัณฑ์ใหม่", "อบรมการตลาดออนไลน์", "จัดทำบัญชีกลุ่ม", "พาไปออกร้านงาน OTOP City"],
    "fda": ["ยื่นขอเลขสารบบอาหาร", "ปรับปรุงสถานที่ผลิตตามเกณฑ์ อย."],
    "gmp": ["ปรับปรุงสถานที่ผลิตตามเกณฑ์ GMP 420"],
    "tcps": ["ยื่นขอการรับรอง มผช.", "ส่งตัวอย่างตรวจตาม มผช."],
    "tis": ["ทดสอบผลิตภัณฑ์ตาม มอก."],
    "gap": ["ขอรับรอง GAP แปลงวัตถุดิบ"],
    "organic": ["ขอรับรองเกษตรอินทรีย์แปลงวัตถุดิบ"],
    "halal": ["ยื่นขอรับรองฮาลาล"],
    "label": ["แก้ไขฉลากให้ครบตามประกาศ", "ออกแบบฉลากใหม่"],
}
AGENCY_FOR = {
    None: ["community_dev", "university", "commerce", "pr"],
    "fda": ["health"],
    "gmp": ["health"],
    "tcps": ["industry"],
    "tis": ["industry"],
    "gap": ["agriculture"],
    "organic": ["agriculture"],
    "halal": ["community_dev"],
    "label": ["university", "health", "commerce"],
}
NOTES = ["รอผลตรวจ", "ยื่นเอกสารแล้ว", "ต้องปรับปรุงฉลาก", "นัดตรวจสถานที่ผลิต"]
VISITORS = ["พช.อำเภอ", "พช.จังหวัด, มหาวิทยาลัยราชภัฏ", "สสจ., พช.อำเภอ", "อุตสาหกรรมจังหวัด", "เกษตรอำเภอ, พช.อำเภอ"]
OPC_ROUNDS = (2562, 2565, 2567)
PICKED_ROUNDS = (2565, 2567)
#: recommended standards that often do not apply (share of products marking them not_applicable)
NOT_APPLICABLE = {"halal": 0.6, "organic": 0.4, "tis": 0.4, "gap": 0.3, "gmp": 0.3, "tcps": 0.2}


@dataclass(frozen=True)
class Sample:
    """What the timed commands look up: a product with a long checklist, a district of median size."""

    product: str
    district: str
    districts: list[str]


def _utc(moment: datetime) -> str:
    return moment.replace(microsecond=0, tzinfo=UTC).isoformat()


class Country:
    """The generator: kbo's rules, one random stream per table (so adding a table changes no other)."""

    def __init__(self, products: int, groups_ratio: float, seed: int, today: date) -> None:
        from kbo_cli.domain.checklist import add_months
        from kbo_cli.reference import catalog
        from kbo_cli.reference.agencies import agencies
        from kbo_cli.thai import certno, places
        from kbo_cli.thai.textnorm import clean_text, name_key

        self.products, self.seed, self.today = products, seed, today
        self.groups = max(1, round(products * groups_ratio))
        self.add_months, self.normalize_cert = add_months, certno.normalize_cert
        self.clean, self.key = clean_text, name_key
        self.standards = catalog.standards()
        self.applicable = {c: [s for s in self.standards.values() if s.applies_to(c)] for c in catalog.categories()}
        assert {c for c, _ in CATEGORY_SHARE} == set(self.applicable), "categories changed: update CATEGORY_SHARE"
        known_agencies = set(agencies())
        assert all(set(a) <= known_agencies for a in AGENCY_FOR.values()), "agencies changed: update AGENCY_FOR"
        self.provinces = sorted(code for code in places.provinces() if code != "10")  # Bangkok has khet, not amphoe
        self.province_names = {code: places.provinces()[code].name_th for code in self.provinces}
        self.now = datetime.combine(today, datetime.min.time())

    def rng(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{stream}")

    def name(self, text: str) -> str:
        cleaned = self.clean(text)
        assert cleaned == text, f"not in kbo's stored form: {text!r}"
        return cleaned

    def day(self, rng: random.Random, back: int, ahead: int = 0) -> date:
        return self.today + timedelta(days=rng.randint(-back, ahead))

    def moment(self, rng: random.Random, back_days: int) -> str:
        return _utc(self.now - timedelta(seconds=rng.randint(3600, back_days * 86400)))

    # --- places and groups ---------------------------------------------------------------------------
    def districts(self) -> list[tuple[str, str]]:
        """878 (district, province code): the capital district of each of 76 provinces, then made-up ones."""
        rng = self.rng("districts")
        result = [(self.name(f"เมือง{self.province_names[p]}"), p) for p in self.provinces]
        names = {n for n, _ in result}
        while len(result) < 878:
            name = self.name(rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS) + rng.choice(["", "", "", *PLACE_TAILS]))
            if name not in names:
                names.add(name)
                result.append((name, rng.choice(self.provinces)))
        return result

    def cert(self, rng: random.Random, fmt: str, std: str) -> str | None:
        """A certificate number in kbo's canonical form for the format (None: a free-text standard without one)."""
        province = rng.choice(self.provinces)
        if fmt == "fda_food":
            site, licence, issuer, serial = (
                rng.choice("2221"),
                rng.randint(1, 99999),
                rng.choice("12"),
                rng.randint(1, 9999),
            )
            raw = f"{province}-{site}-{licence:05d}-{issuer}-{serial:04d}"
        elif fmt in ("cosmetic_notification", "herbal"):  # a herbal product's Thai FDA number: its notification
            raw = f"{province}{rng.randint(0, 10**8 - 1):08d}"  # 10 digits, or 13
            raw += f"{rng.randint(0, 999):03d}" if rng.random() < 0.5 else ""
        elif fmt == "tcps":
            raw = f"มผช. {rng.randint(1, 1500)}/{rng.randint(2546, 2566)}"
        elif fmt == "tis":
            raw = f"มอก. {rng.randint(1, 3000)}-{rng.randint(2520, 2566)}"
        elif fmt == "doa":
            kind = "9000" if std == "organic" else "9001"
            raw = f"กษ 03-{kind}-{province}-{rng.randint(1, 999):03d}-{rng.randint(1, 999999):06d}"
        elif fmt == "halal":
            raw = f"{rng.randint(10**11, 10**13 - 1)}"
        elif std == "gmp":
            raw = ""
            if rng.random() < 0.7:
                raw = f"GMP 420 เลขที่ {province}-{rng.randint(1, 999)}-{rng.randint(2560, 2567)}"
        else:
            raw = "ฉลากตามประกาศ สธ. ฉบับที่ 367" if rng.random() < 0.1 else ""
        return self.normalize_cert(fmt, raw) if raw else None

    def entry(self, rng: random.Random, category: str, std: Any, maturity: float) -> dict[str, Any]:
        """One checklist entry's fields: a status, and for a certificate its number and dates."""
        required = std.is_required(category)
        if not required and rng.random() < NOT_APPLICABLE.get(std.code, 0.1):
            status = "not_applicable"
        elif rng.random() < (0.25 + 0.6 * maturity if required else 0.1 + 0.4 * maturity):
            status = "certified"
        else:
            status = rng.choices(["not_started", "in_progress", "submitted", "failed"], [45, 30, 15, 10])[0]
        cert = issued = expires = None
        if status == "certified":
            fmt = std.cert_format(category)
            if fmt == "free" or rng.random() < 0.95:  # the others: certified without the number (number_missing)
                cert = self.cert(rng, fmt, std.code)
            months = std.validity_months(category)
            if rng.random() < 0.95:
                # most certificates renewed in time; about one in six past its expiry
                issued = self.today - timedelta(days=rng.randint(10, int((months or 96) * 30.4 * 1.2)))
                expires = self.add_months(issued, months) if months else None
        note = rng.choice(NOTES) if rng.random() < 0.05 else None
        return {
            "standard": std.code,
            "status": status,
            "certificate_no": cert,
            "issued_on": issued and issued.isoformat(),
            "expires_on": expires and expires.isoformat(),
            "note": note,
        }

    # --- the whole country ---------------------------------------------------------------------------
    def write_dump(self, path: Path) -> tuple[Sample, dict[str, int]]:
        from kbo_cli.storage.migrations import HEAD
        from kbo_cli.transfer.dump import FORMAT, tables
        from kbo_cli.transfer.dump import VERSION as DUMP_VERSION

        order = [t.name for t in tables()]
        from kbo_cli.storage.models import DERIVED  # computed by kbo when it restores the dump

        columns = {t.name: [c.name for c in t.columns if c.name not in DERIVED] for t in tables()}
        nullable = {t.name: {c.name for c in t.columns if c.nullable} for t in tables()}
        with tempfile.TemporaryDirectory(prefix="kbo-bench-dump-", dir=path.parent) as tmp:
            files = {name: (Path(tmp) / f"{name}.jsonl").open("w", encoding="utf-8") for name in order}
            counts = dict.fromkeys(order, 0)

            def put(table: str, row: dict[str, Any]) -> None:
                # the generator's columns, in the table's order; a nullable column it does not know is NULL
                left_out = set(columns[table]) - set(row)
                assert set(row) <= set(columns[table]) and left_out <= nullable[table], f"{table}: columns {list(row)}"
                row = {c: row.get(c) for c in columns[table]}
                files[table].write(("," if counts[table] else "") + "\n    " + json.dumps(row, ensure_ascii=False))
                counts[table] += 1

            sample = self._generate(put)
            for f in files.values():
                f.close()
            with path.open("w", encoding="utf-8") as out:
                head = json.dumps({"format": FORMAT, "version": DUMP_VERSION, "schema": HEAD})
                out.write(head[:-1] + ', "tables": {')
                for i, name in enumerate(order):
                    out.write(("," if i else "") + f"\n  {json.dumps(name)}: [")
                    with (Path(tmp) / f"{name}.jsonl").open(encoding="utf-8") as part:
                        shutil.copyfileobj(part, out)
                    out.write("\n  ]" if counts[name] else "]")
                out.write("\n}}\n")
        return sample, counts

    def _generate(self, put: Any) -> Sample:
        districts = self.districts()
        put("kbo_setting", {"key": "network_name", "value": "ทะเบียน OTOP ระดับประเทศ (ข้อมูลสังเคราะห์สำหรับวัดความเร็ว)"})

        # groups: districts of very different sizes, a trade (category), a maturity that drives certification
        rng = self.rng("groups")
        weights = [rng.lognormvariate(0, 0.8) for _ in districts]
        group_district = rng.choices(range(len(districts)), weights, k=self.groups)
        group_category = rng.choices([c for c, _ in CATEGORY_SHARE], [w for _, w in CATEGORY_SHARE], k=self.groups)
        maturity = [rng.betavariate(2, 2) for _ in range(self.groups)]
        taken: set[tuple[int, str]] = set()
        for g in range(self.groups):
            kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            village = "บ้าน" + rng.choice(PLACE_HEADS[1:]) + rng.choice(PLACE_TAILS)
            trade = rng.choice(TRADES[group_category[g]])
            person = f"นาง{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            name = {
                "community": f"{rng.choice(['กลุ่ม', 'กลุ่มแม่บ้าน', 'กลุ่มอาชีพ'])}{trade}{village}",
                "enterprise": f"วิสาหกิจชุมชน{trade}{village}",
                "individual": f"{person} ({trade})",
                "sme": rng.choice([f"ห้างหุ้นส่วนจำกัด {trade}{village}", f"บริษัท {trade}{village} จำกัด"]),
            }[kind]
            n = 1
            while (group_district[g], self.key(name)) in taken:  # names are unique within a district
                n += 1
                name = f"{name.split(' หมู่ ')[0]} หมู่ {n}"
            taken.add((group_district[g], self.key(name)))
            created = self.moment(rng, 5 * 365)
            put(
                "producer_group",
                {
                    "id": g + 1,
                    "code": f"G{g + 1:04d}",
                    "name": self.name(name),
                    "name_key": self.key(name),
                    "kind": kind,
                    "district": districts[group_district[g]][0],
                    "subdistrict": self.name(rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)),
                    "village": f"{village} หมู่ {rng.randint(1, 15)}",
                    "contact": person if rng.random() < 0.8 else None,
                    "phone": _phone(rng) if rng.random() < 0.7 else None,
                    "created_at": created,
                    "updated_at": created,
                },
            )

        # products: every group has one, the rest go to groups with a heavy tail (a few groups make many)
        rng = self.rng("products")
        owner = list(range(self.groups))[: self.products]
        pull = [rng.paretovariate(1.5) for _ in range(self.groups)]
        owner += rng.choices(range(self.groups), pull, k=self.products - len(owner))
        rng.shuffle(owner)
        product_category: list[str] = []
        products_of: dict[int, list[int]] = {}
        names_in_group: set[tuple[int, str]] = set()
        for p, g in enumerate(owner):
            category = (
                group_category[g]
                if rng.random() < 0.8
                else rng.choices([c for c, _ in CATEGORY_SHARE], [w for _, w in CATEGORY_SHARE])[0]
            )
            base, extra = rng.choice(PRODUCTS[category]), rng.choice(DESCRIPTORS)
            name = f"{base} {extra}" if extra else base
            odd = rng.random()
            if odd < 0.001:  # a brand in quotes, with a comma: exercises CSV quoting
                name = f'{base} "ตรา{rng.choice(BRANDS)}", {rng.choice(DESCRIPTORS[3:])}'
            elif odd < 0.0015:  # a social-media handle: a cell a spreadsheet would take as a formula
                name = f"@{rng.choice(BRANDS)} {base}"
            elif odd < 0.002:
                name = f"-{base}-"
            n = 1
            while (g, self.key(name)) in names_in_group:
                n += 1
                name = f"{name.split(' ชุดที่ ')[0]} ชุดที่ {n}"
            names_in_group.add((g, self.key(name)))
            product_category.append(category)
            products_of.setdefault(g, []).append(p)
            created = self.moment(rng, 4 * 365)
            put(
                "product",
                {
                    "id": p + 1,
                    "code": f"P{p + 1:05d}",
                    "name": self.name(name),
                    "name_key": self.key(name),
                    "group_id": g + 1,
                    "category": category,
                    "description": "ผลิตจากวัตถุดิบในชุมชน" if rng.random() < 0.3 else None,
                    "created_at": created,
                    "updated_at": created,
                },
            )

        # full checklists
        rng = self.rng("checklist")
        entry_id = 0
        for p, category in enumerate(product_category):
            for std in self.applicable[category]:
                entry_id += 1
                put(
                    "checklist_entry",
                    {
                        "id": entry_id,
                        "product_id": p + 1,
                        **self.entry(rng, category, std, maturity[owner[p]]),
                        "updated_at": self.moment(rng, 365),
                    },
                )

        # findings (strengths, weaknesses; some weaknesses resolved), then plan actions that may address them
        rng = self.rng("findings")
        open_weakness: dict[int, int] = {}
        finding_id = 0
        for p in range(self.products):
            for _ in range(rng.choices([0, 1, 2, 3], [45, 30, 17, 8])[0]):
                finding_id += 1
                weakness = rng.random() < 0.6
                noted = self.day(rng, 720)
                resolved = None
                if weakness and rng.random() < 0.35:
                    resolved = min(self.today, noted + timedelta(days=rng.randint(7, 300)))
                elif weakness:
                    open_weakness[p] = finding_id
                put(
                    "finding",
                    {
                        "id": finding_id,
                        "product_id": p + 1,
                        "kind": "weakness" if weakness else "strength",
                        "text": rng.choice(WEAKNESSES if weakness else STRENGTHS),
                        "noted_on": noted.isoformat(),
                        "author": rng.choice(OFFICERS),
                        "resolved_on": resolved and resolved.isoformat(),
                        "created_at": _utc(datetime.combine(noted, datetime.min.time()) + timedelta(hours=10)),
                    },
                )
        rng = self.rng("plans")
        action_id = 0
        for p, category in enumerate(product_category):
            for _ in range(rng.choices([0, 1, 2, 3], [40, 30, 20, 10])[0]):
                action_id += 1
                std = rng.choice(self.applicable[category]).code if rng.random() < 0.6 else None
                due = self.day(rng, 365, 365) if rng.random() < 0.95 else None
                past = due is not None and due < self.today
                status = rng.choices(["done", "open", "dropped"], [55, 35, 10] if past else [12, 85, 3])[0]
                created = self.today - timedelta(days=rng.randint(30, 500))
                done_on = None if status == "open" else min(self.today, created + timedelta(days=rng.randint(1, 400)))
                put(
                    "plan_action",
                    {
                        "id": action_id,
                        "product_id": p + 1,
                        "action": rng.choice(ACTIONS[std]),
                        "agency": rng.choice(AGENCY_FOR[std]),
                        "due_on": due and due.isoformat(),
                        "standard": std,
                        "finding_id": open_weakness.get(p) if rng.random() < 0.4 else None,
                        "status": status,
                        "done_on": done_on and done_on.isoformat(),
                        "author": rng.choice(OFFICERS),
                        "created_at": _utc(datetime.combine(created, datetime.min.time())),
                    },
                )

        # field visits: to a whole group, or to some of its products
        rng = self.rng("visits")
        visit_id = 0
        for g in range(self.groups):
            for _ in range(rng.choices([0, 1, 2, 3, 4], [25, 35, 25, 10, 5])[0]):
                visit_id += 1
                on = self.day(rng, 730)
                put(
                    "visit",
                    {
                        "id": visit_id,
                        "visited_on": on.isoformat(),
                        "group_id": g + 1,
                        "visitors": rng.choice(VISITORS),
                        "found": rng.choice(WEAKNESSES + STRENGTHS) if rng.random() < 0.5 else None,
                        "next_steps": rng.choice(ACTIONS[None]) if rng.random() < 0.5 else None,
                        "author": rng.choice(OFFICERS),
                        "created_at": _utc(datetime.combine(on, datetime.min.time()) + timedelta(hours=15)),
                    },
                )
                mine = products_of.get(g, [])
                if mine and rng.random() < 0.7:
                    for p in sorted(rng.sample(mine, min(len(mine), rng.randint(1, 3)))):
                        put("visit_product", {"visit_id": visit_id, "product_id": p + 1})

        # OPC scores in three rounds, and each round's pick (whole country and per category): the best score
        rng = self.rng("opc")
        score_id = 0
        best: dict[tuple[int, str], tuple[float, int]] = {}
        for p, category in enumerate(product_category):
            if rng.random() >= 0.35:
                continue
            m = maturity[owner[p]]
            for year in sorted(rng.sample(OPC_ROUNDS, rng.randint(1, 3))):
                score_id += 1
                parts = [min(cap, round(rng.uniform(0.4, 0.7 + 0.3 * m) * cap * 2) / 2) for cap in (25, 25, 50)]
                put(
                    "opc_score",
                    {
                        "id": score_id,
                        "product_id": p + 1,
                        "year": year,
                        "part1": parts[0],
                        "part2": parts[1],
                        "part3": parts[2],
                        "author": rng.choice(OFFICERS),
                        "created_at": _utc(datetime(year - 543, 8, 1, 9)),
                    },
                )
                for scope in ("province", category):
                    if year in PICKED_ROUNDS and sum(parts) > best.get((year, scope), (-1.0, 0))[0]:
                        best[(year, scope)] = (sum(parts), p)
        for i, ((year, scope), (total, p)) in enumerate(sorted(best.items())):
            put(
                "selection",
                {
                    "id": i + 1,
                    "year": year,
                    "scope": scope,
                    "product_id": p + 1,
                    "reason": f"คะแนน OPC สูงสุดของรอบ ({total:g} คะแนน)",
                    "decided_by": "คณะทำงาน KBO",
                    "decided_on": date(year - 543, 9, 15).isoformat(),
                    "created_at": _utc(datetime(year - 543, 9, 15, 14)),
                },
            )

        # what the timed commands look up
        sizes: dict[int, int] = {}
        for d in group_district:
            sizes[d] = sizes.get(d, 0) + 1
        by_size = sorted(sizes, key=lambda d: (sizes[d], d))
        food = [p for p, c in enumerate(product_category) if c == "food"] or list(range(self.products))
        return Sample(
            product=f"P{food[len(food) // 2] + 1:05d}",
            district=districts[by_size[len(by_size) // 2]][0],
            districts=[d for d, _ in districts],
        )

    # --- a sheet to import ---------------------------------------------------------------------------
    def write_sheet(self, path: Path, rows: int, districts: list[str]) -> None:
        """A register-style sheet to import: one row per new product (codes the country does not use), with its
        group and where it stands against one required standard, in the flat columns of `kbo export FILE.csv`;
        dates as officials type them (day first, Buddhist Era). kbo adds each new product's full checklist."""
        from kbo_cli.transfer.exporter import FLAT_COLUMNS

        rng = self.rng("sheet")
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(FLAT_COLUMNS)
            p = g = 0
            while p < rows:
                g += 1
                trade = rng.choices([c for c, _ in CATEGORY_SHARE], [w for _, w in CATEGORY_SHARE])[0]
                group = (f"N{g:06d}", f"กลุ่ม{rng.choice(TRADES[trade])}บ้านใหม่ หมู่ {g}", rng.choice(districts))
                for _ in range(min(rows - p, rng.choice([1, 1, 2, 2, 3, 4]))):
                    p += 1
                    category = trade if rng.random() < 0.8 else rng.choice(list(self.applicable))
                    std = rng.choice([s for s in self.applicable[category] if s.is_required(category)])
                    e = self.entry(rng, category, std, rng.random())
                    out.writerow(
                        [
                            *group,
                            f"N{p:07d}",
                            f"{rng.choice(PRODUCTS[category])} รุ่นที่ {p}",
                            category,
                            std.code,
                            e["status"],
                            e["certificate_no"] or "",
                            _thai_date(e["issued_on"]),
                            _thai_date(e["expires_on"]),
                            e["note"] or "",
                        ]
                    )


def _phone(rng: random.Random) -> str:
    return f"08{rng.randint(0, 9)}-{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"


def _thai_date(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day}/{d.month}/{d.year + 543}"
