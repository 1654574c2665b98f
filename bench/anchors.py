"""The anchors: kbo's CSV reports produced without kbo, to know what the machine can do.

For `report gaps -f csv` and `report progress -f csv` (whole country or one district), one SQL query
computes exactly the rows, values and order kbo prints. The same query is run

- by the database's own program: `sqlite3` (or `psql`), which prints each row as one CSV line that the
  query itself has quoted (the `csv_line` variant below);
- by `stdlib_anchor.py`: Python's sqlite3 module and csv.writer, nothing else (the `rows` variant); for
  progress it sorts the rows itself in kbo's Thai order, as kbo does, which is faster than SQL can.

The benchmark hashes each anchor's output and compares it with kbo's: an anchor that does not print
the very same bytes is reported as a MISMATCH, never silently timed.

kbo's semantics mirrored here (kbo_cli/domain/reports.py, kbo_cli/render/output.py):
- gaps: applicable entries (status not `not_applicable`) not counting as certified (certified and
  not expired on the day); a certified entry past its expiry shows as `expired`; a certified entry
  without its number shows as `number_missing` when its standard has a numbered format for the
  product's category. Ordered by the group's stored Thai sort key (district, group name, code), product
  code, then the catalogue's order of standards. `required` is true/false, `standard_name` the
  catalogue's name in the user's language.
- progress: per group with products: products, applicable, certified, in_progress (in_progress or
  submitted), gaps = applicable - certified, percent = round(100 * certified / applicable, 1) or empty.
  Sorted in Thai dictionary order (`textnorm.stored_sort_key`) of district, then group name, then code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


# --- kbo's CSV, in one place -----------------------------------------------------------------------------
# kbo writes CSV with csv.writer(sys.stdout, lineterminator="\n") (QUOTE_MINIMAL): a cell is quoted when
# it holds the delimiter, the quote character or a newline; quotes inside are doubled; None is empty;
# True/False are true/false; floats are repr(). Update this block when kbo's CSV writer changes.
CSV_WRITER = {"lineterminator": "\n"}  # the stdlib anchor's csv.writer(...) arguments
#: the columns that hold free text; the others hold codes (kbo_cli/domain/refs.py CODE_PATTERN, the
#: catalogue's and vocabularies' codes), numbers or true/false, which never need quoting or neutralising
FREE_TEXT = {"group_name", "district", "product_name", "standard_name"}
#: text cells a spreadsheet would run as a formula, which kbo makes inert with a leading apostrophe
#: (kbo_cli/render/machine.py FORMULA_START): = + - @ tab carriage-return, as code points
FORMULA_START = (61, 43, 45, 64, 9, 13)


def cell(expr: str, d: Dialect) -> str:
    """A text cell as kbo writes it (before CSV quoting): formula-like text after an apostrophe."""
    starts = ", ".join(f"{d.char}({c})" for c in FORMULA_START)
    return f"(CASE WHEN substr({expr}, 1, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END)"


def quoted(expr: str, d: Dialect) -> str:
    """The CSV form of a text cell, as csv.writer's QUOTE_MINIMAL writes it: for the database programs."""
    special = " OR ".join(f"{d.find}({expr}, {c}) > 0" for c in ("','", "'\"'", d.newline))
    return f"(CASE WHEN {special} THEN '\"' || replace({expr}, '\"', '\"\"') || '\"' ELSE {expr} END)"


# --- dialects ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dialect:
    name: str
    find: str  # position of a substring, 0 when absent
    newline: str
    codepoint_order: str  # the collation that orders text as Python compares str
    least: str  # the smallest of several values
    char: str  # the character of a code point
    code: str  # the code point of a character


SQLITE = Dialect("sqlite", "instr", "char(10)", "BINARY", "min", "char", "unicode")
POSTGRESQL = Dialect("postgresql", "strpos", "chr(10)", '"C"', "least", "chr", "ascii")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- the catalogue, as the query needs it --------------------------------------------------------------
@dataclass(frozen=True)
class Catalogue:
    """What the gap query needs from data/standards.toml, as SQL expressions over e.standard and p.category."""

    order: str  # the catalogue's order of standards (unknown ones last)
    name: str  # the standard's name in the user's language (its code when unknown)
    required: str  # 1 when the standard is required for the product's category, else 0
    number_missing: str  # 1 when a certificate of this standard for this category must have a number


def catalogue(lang: str) -> Catalogue:
    raw = tomllib.loads((DATA / "standards.toml").read_text(encoding="utf-8"))["standard"]
    order, name, required, number = [], [], [], []
    for i, s in enumerate(raw):
        formats = s.get("cert_format", "free")
        formats = formats if isinstance(formats, dict) else {"default": formats}
        fmt = {cat: formats.get(cat, formats.get("default", "free")) for cat in s["applies"]}
        code = _lit(s["code"])
        order.append(f"WHEN {code} THEN {i}")
        shown = (s["name_th"] or s["name_en"]) if lang == "th" else (s["name_en"] or s["name_th"])  # i18n.pick
        name.append(f"WHEN {code} THEN {_lit(shown)}")
        required_for = [c for c, level in s["applies"].items() if level == "required"]
        required.append(f"WHEN {code} THEN {_in('p.category', required_for)}")
        if any(f != "free" for f in fmt.values()):  # a numbered standard: not for the categories where it is free
            number.append(f"WHEN {code} THEN {_in('p.category', [c for c, f in fmt.items() if f == 'free'], 0, 1)}")
    case = "CASE e.standard {} ELSE {} END".format
    return Catalogue(
        case(" ".join(order), len(raw)),
        case(" ".join(name), "e.standard"),
        case(" ".join(required), 0),
        case(" ".join(number), 0),
    )


def _in(expr: str, values: list[str], yes: int = 1, no: int = 0) -> str:
    if not values:
        return str(no)
    return f"CASE WHEN {expr} IN ({', '.join(map(_lit, values))}) THEN {yes} ELSE {no} END"


def gaps_sql(d: Dialect, *, today: date, lang: str, district: str | None, csv_line: bool) -> str:
    cat = catalogue(lang)
    day = _lit(today.isoformat())
    certified = f"(e.status = 'certified' AND (e.expires_on IS NULL OR e.expires_on >= {day}))"
    cols = {
        "group_code": "g.code",
        "group_name": "g.name",
        "district": "g.district",
        "product_code": "p.code",
        "product_name": "p.name",
        "category": "p.category",
        "standard": "e.standard",
        "standard_name": cat.name,
        "required": f"CASE WHEN {cat.required} = 1 THEN 'true' ELSE 'false' END",
        "status": f"CASE WHEN e.status = 'certified' AND e.expires_on < {day} THEN 'expired' "
        "WHEN e.status = 'certified' THEN 'number_missing' ELSE e.status END",
    }
    select = ",\n       ".join(f"{_text(key, expr, d, csv_line)} AS {key}" for key, expr in cols.items())
    where_district = f"\n  AND g.district = {_lit(district)}" if district is not None else ""
    return (
        _header(cols, csv_line)
        + f"""SELECT {select}
FROM producer_group g
JOIN product p ON p.group_id = g.id
JOIN checklist_entry e ON e.product_id = p.id
WHERE ((e.status <> 'not_applicable' AND NOT {certified})
       OR ({certified} AND e.certificate_no IS NULL AND {cat.number_missing} = 1)){where_district}
ORDER BY g.sort_key COLLATE {d.codepoint_order}, p.code, {cat.order};
"""
    )


#: progress's order, for a program that sorts the rows itself (stdlib_anchor.py --order)
PROGRESS_ORDER = "district:thai,group_name:thai,group_code"


def progress_sql(d: Dialect, *, today: date, district: str | None, csv_line: bool, sort: bool = True) -> str:
    """Progress per group; `sort=False` leaves the Thai dictionary order to the caller (PROGRESS_ORDER)."""
    day = _lit(today.isoformat())
    where_district = f"\n  WHERE g.district = {_lit(district)}" if district is not None else ""
    # percent: round-half-even of 100 * certified / applicable to one decimal, in integers (as Python's round)
    q, r = "(1000 * certified / applicable)", "(1000 * certified % applicable)"
    tenths = f"({q} + CASE WHEN 2 * {r} > applicable THEN 1 WHEN 2 * {r} = applicable THEN {q} % 2 ELSE 0 END)"
    percent = f"CASE WHEN applicable > 0 THEN CAST({tenths} / 10 AS TEXT) || '.' || CAST({tenths} % 10 AS TEXT) END"
    cols = {
        "group_code": "code",
        "group_name": "name",
        "district": "district",
        "products": "products",
        "applicable": "applicable",
        "certified": "certified",
        "in_progress": "in_progress",
        "gaps": "applicable - certified",
        "percent": percent,
    }
    select = ",\n       ".join(f"{_text(key, expr, d, csv_line)} AS {key}" for key, expr in cols.items())
    per_group = f"""per_group AS MATERIALIZED (
  SELECT g.code, g.name, g.district, count(DISTINCT p.id) AS products,
         coalesce(sum(CASE WHEN e.status <> 'not_applicable' THEN 1 ELSE 0 END), 0) AS applicable,
         coalesce(sum(CASE WHEN e.status = 'certified' AND (e.expires_on IS NULL OR e.expires_on >= {day})
                           THEN 1 ELSE 0 END), 0) AS certified,
         coalesce(sum(CASE WHEN e.status IN ('in_progress', 'submitted') THEN 1 ELSE 0 END), 0) AS in_progress
  FROM producer_group g
  JOIN product p ON p.group_id = g.id
  LEFT JOIN checklist_entry e ON e.product_id = p.id{where_district}
  GROUP BY g.id, g.code, g.name, g.district)"""
    if not sort:
        return _header(cols, csv_line) + f"WITH {per_group}\nSELECT {select}\nFROM per_group;\n"
    columns = ["code", "name", "district", "products", "applicable", "certified", "in_progress"]
    keys, keyed, order = thai_order(d, "per_group", columns, ["district", "name"])
    by = ", ".join(f"{term} COLLATE {d.codepoint_order}" for term in [*order, "code"])
    return (
        _header(cols, csv_line)
        + f"""WITH RECURSIVE {per_group},
{keys}
SELECT {select}
FROM {keyed}
ORDER BY {by};
"""
    )


def _header(cols: dict[str, str], csv_line: bool) -> str:
    """The database programs print the header as a row of its own (they print none for an empty result)."""
    return f"SELECT '{','.join(cols)}';\n" if csv_line else ""


def _text(key: str, expr: str, d: Dialect, csv_line: bool) -> str:
    if key not in FREE_TEXT:
        return expr
    expr = cell(expr, d)
    return quoted(expr, d) if csv_line else expr


# --- Thai dictionary order in SQL (kbo_cli/thai/textnorm.py: stored_sort_key) ---------------------------
# kbo sorts by (without tone marks, with them) of the casefolded text in which each leading vowel
# เ แ โ ใ ไ is moved after the consonant that follows it. SQLite has no regular expressions, so a
# recursive query moves the leading vowels one at a time, rounds alternating between finding the first one
# still in place (p, its position: > 0 to move it next, -1 to look again, 0 when none is left) and moving
# it, written as a private-use character so that it is not found again; the characters are put back at
# the end. lower() is casefold() for the ASCII letters and Thai that names hold.
LEADING_VOWELS = "".join(chr(c) for c in range(0x0E40, 0x0E45))
CONSONANTS = ("\u0e01", "\u0e2e")  # ก to ฮ
TONES_AND_MARKS = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47"
_MOVED = 0xE000 - 0x0E40  # a moved vowel's code point, less its own


def thai_order(d: Dialect, source: str, columns: list[str], keyed: list[str]) -> tuple[str, str, list[str]]:
    """A recursive CTE over `source` and the keyed CTE after it (text to follow a WITH RECURSIVE ... ,), the
    keyed CTE's name, and its ORDER BY terms: kbo's key of each `keyed` column, then nothing else."""

    def position(k: str) -> str:  # of the first leading vowel left, 0 when none
        found = ", ".join(f"coalesce(nullif({d.find}({k}, '{v}'), 0), 999999)" for v in LEADING_VOWELS)
        return f"({d.least}({found}) % 999999)"

    def moved(k: str, p: str) -> str:
        vowel, after = f"substr({k}, {p}, 1)", f"substr({k}, {p} + 1, 1)"
        mark = f"{d.char}({d.code}({vowel}) + {_MOVED})"
        consonant = f"{after} COLLATE {d.codepoint_order} BETWEEN '{CONSONANTS[0]}' AND '{CONSONANTS[1]}'"
        return (
            f"substr({k}, 1, {p} - 1) || CASE WHEN {consonant} THEN {after} || {mark} || substr({k}, {p} + 2) "
            f"ELSE {mark} || substr({k}, {p} + 1) END"
        )

    def put_back(k: str) -> str:
        for i, vowel in enumerate(LEADING_VOWELS):
            k = f"replace({k}, {d.char}({0x0E40 + i + _MOVED}), '{vowel}')"
        return k

    def unmarked(k: str) -> str:
        for mark in TONES_AND_MARKS:
            k = f"replace({k}, '{mark}', '')"
        return k

    passed = ", ".join(columns)
    texts, places = [f"{c}_k" for c in keyed], [f"{c}_p" for c in keyed]
    first = ", ".join([*(f"lower({c})" for c in keyed), *(position(f"lower({c})") for c in keyed)])
    step = ", ".join(
        [
            *(f"CASE WHEN {p} > 0 THEN {moved(k, p)} ELSE {k} END" for k, p in zip(texts, places, strict=False)),
            *(
                f"CASE WHEN {p} > 0 THEN -1 WHEN {p} = -1 THEN {position(k)} ELSE 0 END"
                for k, p in zip(texts, places, strict=False)
            ),
        ]
    )
    pending = " OR ".join(f"{p} <> 0" for p in places)
    done = " AND ".join(f"{p} = 0" for p in places)
    ctes = f"""moving({passed}, {", ".join(texts + places)}) AS (
  SELECT {passed}, {first} FROM {source}
  UNION ALL
  SELECT {passed}, {step} FROM moving WHERE {pending}),
keyed AS MATERIALIZED (
  SELECT {passed}, {", ".join(f"{put_back(k)} AS {k}" for k in texts)} FROM moving WHERE {done})"""
    order = [term for k in texts for term in (unmarked(k), k)]
    return ctes, "keyed", order
