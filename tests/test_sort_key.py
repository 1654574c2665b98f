"""Each producer group's stored sort key (`producer_group.sort_key`, `textnorm.place_key`): its order is Thai
dictionary order, and every way a group is written keeps it true (commands, import, restore, undo, upgrade)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from sqlalchemy import create_engine, text

from kbo_cli.thai.textnorm import clean_text, place_key, stored_sort_key

from conftest import Invoke, make_invoke, ok, prepared

THAI = "กขคงจฉชซญดตถทนบปผพฟภมยรลวศษสหอฮ"
LEADING = "เแโใไ"
MARKS = "ัิีึืุู็่้๊๋์"
FOLLOWING = "ะาำ"
LATIN = "aAbBzZ09 -."


def _word(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(0, 7)):
        pick = rng.random()
        if pick < 0.15:
            out.append(rng.choice(LEADING) + rng.choice(THAI))
        elif pick < 0.55:
            out.append(rng.choice(THAI) + (rng.choice(MARKS) if rng.random() < 0.4 else ""))
        elif pick < 0.7:
            out.append(rng.choice(FOLLOWING))
        else:
            out.append(rng.choice(LATIN))
    return clean_text("".join(out))  # stored text is clean


def test_place_key_orders_as_the_thai_sort_keys_do() -> None:
    rng = random.Random(20261125)
    words = [_word(rng) for _ in range(300)]
    words += [w[:n] for w in words[:100] for n in range(len(w))]  # prefixes of each other
    words += ["", "ก", "ก่", "ก้", "เก", "แก", "กา", "ก า", "กก", "ไก่", "A", "a", "เ", "โก", "ใก", "ไก"]
    triples = [
        (rng.choice(words), rng.choice(words), rng.choice(["G1", "G10", "G2", "N0000001", ""])) for _ in range(20000)
    ]
    triples += [(d, n, "G1") for d in words[:60] for n in words[:60]]

    def tuple_key(t: tuple[str, str, str]) -> tuple[tuple[str, str], tuple[str, str], str]:
        return stored_sort_key(t[0]), stored_sort_key(t[1]), t[2]

    assert sorted(triples, key=tuple_key) == sorted(triples, key=lambda t: place_key(*t))
    for a, b in zip(triples, reversed(triples), strict=True):
        assert (place_key(*a) < place_key(*b)) == (tuple_key(a) < tuple_key(b))
        assert (place_key(*a) == place_key(*b)) == (tuple_key(a) == tuple_key(b))
    assert all(min(place_key(*t)) >= "\x01" for t in triples)  # no NUL: PostgreSQL text cannot hold one


def _keys_are_true(sql) -> None:  # type: ignore[no-untyped-def]
    rows = sql("SELECT district, name, code, sort_key FROM producer_group")
    assert rows and all(key == place_key(district, name, code) for district, name, code, key in rows)


def _order(kbo: Invoke) -> list[str]:
    return [r["group_code"] for r in ok(kbo, "report", "progress", "-f", "json").json()]


@prepared()
def groups(kbo: Invoke) -> Invoke:
    ok(kbo, "init", "--province", "48")
    for code, name, district in (
        ("A1", "กลุ่มไก่ย่าง", "นาแก"),
        ("A2", "กลุ่มเขียด", "นาแก"),
        ("A3", "กลุ่มกา", "นาแก"),
        ("A4", "กลุ่มแกงหน่อไม้", "เรณูนคร"),
        ("A5", "กลุ่มโกโก้", "ธาตุพนม"),
    ):
        ok(kbo, "group", "add", name, "--district", district, "--code", code)
        ok(kbo, "product", "add", f"ผ้าของ{code}", "--group", code, "--category", "textile")
    return kbo


def test_progress_follows_renames_and_moves_and_undo_puts_the_key_back(groups: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = groups
    assert _order(kbo) == ["A5", "A3", "A1", "A2", "A4"]  # ธาตุพนม, นาแก (กา, ไก่ย่าง, เขียด), เรณูนคร
    _keys_are_true(sql)
    before = sql("SELECT id, sort_key FROM producer_group ORDER BY id")
    ok(kbo, "group", "edit", "A2", "--name", "กลุ่มกะปิ")  # กะปิ before กา
    assert _order(kbo) == ["A5", "A2", "A3", "A1", "A4"]
    _keys_are_true(sql)
    ok(kbo, "group", "edit", "A5", "--district", "เรณูนคร")  # ธาตุพนม -> เรณูนคร: last, after แกงหน่อไม้
    assert _order(kbo) == ["A2", "A3", "A1", "A4", "A5"]
    _keys_are_true(sql)
    history = ok(kbo, "history", "-f", "json").json()
    assert "sort_key" not in {r["field"] for r in history}  # derived: not a change anyone made
    ok(kbo, "undo")
    ok(kbo, "undo")
    assert sql("SELECT id, sort_key FROM producer_group ORDER BY id") == before
    assert _order(kbo) == ["A5", "A3", "A1", "A2", "A4"]
    ok(kbo, "group", "remove", "A1", "--cascade", "--yes")
    ok(kbo, "undo")  # brought back: its key computed again
    assert sql("SELECT id, sort_key FROM producer_group ORDER BY id") == before


def test_progress_as_it_stood_puts_a_group_emptied_since_back_in_its_place(groups: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    """A group whose products were all removed after the day is not in today's report; as it stood then, its
    row comes back in its place in Thai dictionary order, not at the end."""
    kbo = groups
    sql("UPDATE change_set SET at = '2026-01-01 03:00:00+00:00'")
    (p3,) = [p["code"] for p in ok(kbo, "product", "list", "--group", "A3", "-f", "json").json()]
    ok(kbo, "product", "remove", p3, "--yes")
    assert _order(kbo) == ["A5", "A1", "A2", "A4"]
    then = ok(kbo, "report", "progress", "--as-of", "2026-06-01", "-f", "json").json()
    assert [r["group_code"] for r in then] == ["A5", "A3", "A1", "A2", "A4"]
    assert [r["products"] for r in then] == [1, 1, 1, 1, 1]
    since = ok(kbo, "report", "progress", "--since", "2026-06-01", "-f", "json").json()
    assert [r["group_code"] for r in since] == ["A5", "A3", "A1", "A2", "A4"]


def test_an_import_gives_every_group_its_key(groups: Invoke, sql, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kbo_cli.transfer import importer

    monkeypatch.setattr(importer, "CHUNK", 2)  # groups added and changed in more than one chunk
    sheet = tmp_path / "groups.csv"
    rows = (
        "code,name,district\n"
        ",กลุ่มขนมจีน,นาแก\n"  # a code made from its id
        "B1,กลุ่มไผ่,เรณูนคร\n"
        "A1,กลุ่มไก่ต้ม,นาแก\n"  # a stored group renamed, in a later chunk
    )
    # the group added above, renamed in a later chunk: two names for it in one file, which is refused
    sheet.write_text(rows + "B1,กลุ่มกบ,เรณูนคร\n", encoding="utf-8")
    assert "row 5, column name: an earlier row of the file gives it กลุ่มไผ่" in groups("import", str(sheet)).stderr
    sheet.write_text(rows, encoding="utf-8")
    ok(groups, "import", str(sheet))
    _keys_are_true(sql)
    assert sql("SELECT name FROM producer_group WHERE code = 'B1'") == [("กลุ่มไผ่",)]
    ok(groups, "undo")
    _keys_are_true(sql)


def test_a_restore_computes_the_keys_whatever_the_dump_says(groups: Invoke, sql, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dump = tmp_path / "all.json"
    ok(groups, "export", str(dump))
    data = json.loads(dump.read_text(encoding="utf-8"))
    assert all("sort_key" not in g for g in data["tables"]["producer_group"])  # the dump's shape as before
    for g in data["tables"]["producer_group"]:
        g["sort_key"] = "zzz"  # a hand-edited key is not trusted
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for path in (dump, edited):
        copy = make_invoke(str(tmp_path / f"{path.stem}.db"))
        ok(copy, "import", str(path))
        assert _order(copy) == _order(groups)
        engine = create_engine(f"sqlite:///{tmp_path / f'{path.stem}.db'}")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT district, name, code, sort_key FROM producer_group")).all()
        engine.dispose()
        assert rows and all(key == place_key(d, n, c) for d, n, c, key in rows)


def test_the_upgrade_from_0007_gives_existing_groups_their_keys(engine_name: str, db_url: str, sql) -> None:  # type: ignore[no-untyped-def]
    from kbo_cli.storage.db import upgrade_schema
    from kbo_cli.storage.models import SQLModel

    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with engine.begin() as conn:
        for table in [*(t.name for t in reversed(SQLModel.metadata.sorted_tables)), "alembic_version"]:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"' + (" CASCADE" if engine_name == "postgresql" else "")))
    upgrade_schema(engine, "0007")
    names = ["กลุ่มไก่ย่าง", "กลุ่มเขียด", "กลุ่มกา", "กลุ่มแกงหน่อไม้", "Sabai OTOP", "กลุ่มกา"]
    with engine.begin() as conn:
        for g, name in enumerate(names, 1):
            conn.execute(
                text(
                    "INSERT INTO producer_group (id, code, name, name_key, kind, district, created_at, updated_at) "
                    "VALUES (:id, :code, :name, :key, 'community', :district, '2024-01-01', '2024-01-01')"
                ),
                {
                    "id": g,
                    "code": f"G{g}",
                    "name": name,
                    "key": f"{name}{g}",
                    "district": "นาแก" if g % 2 else "ธาตุพนม",
                },
            )
    upgrade_schema(engine)
    engine.dispose()
    _keys_are_true(sql)
    assert len(sql("SELECT sort_key FROM producer_group")) == len(names)


def test_db_check_finds_a_key_another_program_left_stale(groups: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    assert groups("db", "check").exit_code == 0
    sql("UPDATE producer_group SET name = 'กลุ่มแก้ไขด้วยโปรแกรมอื่น' WHERE code = 'A3'")  # the key is not
    r = groups("db", "check", "-f", "json")
    assert r.exit_code == 1
    assert [p["check"] for p in r.json()] == ["sort_key"] and "A3" in r.json()[0]["problem"]
