"""Follow-up and selection: findings, plans, visits, OPC stars, candidate ranking, the round's pick."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import Invoke, certify, ok, opc_parts, prepared


def count(sql, table: str) -> int:  # type: ignore[no-untyped-def]
    return int(sql(f"SELECT count(*) FROM {table}")[0][0])


@prepared(parent="np_group")
def two_products(kbo: Invoke, np_group: str) -> Invoke:
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "P1")
    ok(kbo, "product", "add", "ผ้าพันคอย้อมคราม", "--group", "DD01", "--category", "textile", "--code", "P2")
    return kbo


def test_findings_are_dated_signed_and_resolved(two_products: Invoke) -> None:
    kbo = two_products
    r = ok(
        kbo,
        "finding",
        "add",
        "P1",
        "ลวดลายขิดเป็นเอกลักษณ์ของชุมชน",
        "--kind",
        "ข้อเด่น",
        "--on",
        "19 ม.ค. 2566",
        "--by",
        "ม.นครพนม",
        "-f",
        "json",
    )
    strength = r.json()[0]
    assert strength == {
        "id": 1,
        "product_code": "P1",
        "product_name": "ผ้าฝ้ายย้อมครามลายขิด",
        "kind": "strength",
        "text": "ลวดลายขิดเป็นเอกลักษณ์ของชุมชน",
        "noted_on": "2023-01-19",
        "author": "ม.นครพนม",
        "resolved_on": None,
    }
    weak = ok(kbo, "finding", "add", "P1", "สีตกเมื่อซัก", "--kind", "weakness", "-f", "json").json()[0]
    assert weak["author"] == "tester" and weak["noted_on"] == date.today().isoformat()
    assert [f["id"] for f in ok(kbo, "finding", "list", "--open", "-f", "json").json()] == [weak["id"]]
    r = kbo("finding", "resolve", str(weak["id"]), "--on", "01/02/2566")
    assert r.exit_code == 2 and "before it was noted" in r.stderr  # resolved before it was found: a slip
    ok(kbo, "finding", "resolve", str(weak["id"]))
    assert ok(kbo, "finding", "list", "--open", "-f", "json").json() == []
    r = kbo("finding", "resolve", str(strength["id"]))
    assert r.exit_code == 1 and "is a strength" in r.stderr


def test_plan_actions_link_standards_and_weaknesses_and_flag_overdue(two_products: Invoke) -> None:
    kbo = two_products
    weak = ok(kbo, "finding", "add", "P1", "ฉลากไม่มีข้อมูลผู้ผลิต", "--kind", "weakness", "-f", "json").json()[0]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    a1 = ok(
        kbo,
        "plan",
        "add",
        "P1",
        "ออกแบบฉลากใหม่",
        "--agency",
        "university",
        "--due",
        yesterday,
        "--weakness",
        str(weak["id"]),
        "-f",
        "json",
    ).json()[0]
    assert a1["weakness"] == weak["id"] and a1["overdue"] is True and a1["agency"] == "university"
    a2 = ok(
        kbo,
        "plan",
        "add",
        "P1",
        "ยื่นขอ มผช.",
        "--agency",
        "สำนักงานอุตสาหกรรมจังหวัด",
        "--due",
        "30/09/2570",
        "--standard",
        "มผช.",
        "-f",
        "json",
    ).json()[0]
    assert a2["standard"] == "tcps" and a2["agency"] == "industry" and a2["overdue"] is False
    assert [a["id"] for a in ok(kbo, "plan", "list", "--overdue", "-f", "json").json()] == [a1["id"]]
    ok(kbo, "plan", "done", str(a1["id"]))
    assert ok(kbo, "plan", "list", "--overdue", "-f", "json").json() == []
    assert [a["status"] for a in ok(kbo, "plan", "list", "-f", "json").json()] == ["done", "open"]
    r = kbo("plan", "done", str(a1["id"]))
    assert r.exit_code == 1 and "already done" in r.stderr
    header = ok(kbo, "plan", "list", "-f", "csv").stdout.splitlines()[0]
    assert header == (
        "id,product_code,product_name,group_code,group_name,district,action,agency,due_on,standard,"
        "weakness,status,"
        "done_on,overdue"
    )


def test_the_same_finding_or_open_action_typed_twice_is_refused(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    """A command run again by mistake would count a weakness twice against the product's candidate score and
    show an agency the same action twice: the second is refused and names the first."""
    kbo = two_products
    ok(kbo, "finding", "add", "P1", "สีตกเมื่อซัก", "--kind", "จุดอ่อน")
    r = kbo("finding", "add", "P1", "สีตกเมื่อซัก", "--kind", "weakness")
    assert r.exit_code == 1 and r.stderr.startswith("Error: P1 has this weakness already: #")
    ok(kbo, "finding", "add", "P2", "สีตกเมื่อซัก", "--kind", "weakness")  # another product: its own
    ok(kbo, "plan", "add", "P1", "ปรับสูตรย้อมสี", "--agency", "สอจ.")
    r = kbo("plan", "add", "P1", "ปรับสูตรย้อมสี", "--agency", "ม.")
    assert r.exit_code == 1 and "P1 has this open plan action already" in r.stderr
    assert sql("SELECT count(*) FROM finding") == [(2,)] and sql("SELECT count(*) FROM plan_action") == [(1,)]
    [(action,)] = sql("SELECT id FROM plan_action")
    ok(kbo, "plan", "done", str(action))
    ok(kbo, "plan", "add", "P1", "ปรับสูตรย้อมสี", "--agency", "สอจ.")  # done: the same work may be planned again


def test_plan_for_a_standard_that_does_not_apply_is_refused(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    r = two_products("plan", "add", "P1", "ขอเลข อย.", "--agency", "health", "--standard", "fda")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: Thai FDA does not apply to Cloth and clothing products")
    assert count(sql, "plan_action") == 0


def test_bad_dates_and_unknown_products_write_nothing(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = two_products
    r = kbo("plan", "add", "P1", "ทำบรรจุภัณฑ์", "--agency", "university", "--due", "31/02/2568")
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")
    r = kbo("finding", "add", "P9", "ดี", "--kind", "strength")
    assert r.exit_code == 1 and r.stderr.startswith("Error: no product 'P9'")
    r = kbo("visit", "add", "--product", "P1", "--by", "พช.", "--on", "32/01/2568")
    assert r.exit_code == 2
    r = kbo("plan", "add", "P1", "x", "--agency", "police")
    assert r.exit_code == 2 and "community_dev, university, health" in r.stderr
    assert count(sql, "plan_action") == count(sql, "visit") == count(sql, "finding") == 0


def test_a_visit_or_a_certificate_dated_after_today_is_refused(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    """A future visit would earn a candidate its visit points now; a future issue, count as certified now."""
    kbo = two_products
    tomorrow = date.today() + timedelta(days=1)
    be = f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year + 543}"
    r = kbo("visit", "add", "--product", "P1", "--by", "พช.", "--on", be)
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: the visit date {tomorrow.isoformat()} is after today")
    r = kbo("checklist", "set", "P1", "มผช.", "--status", "certified", "--cert", "มผช. 8/2546", "--issued", be)
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: the issue date {tomorrow.isoformat()} is after today")
    assert count(sql, "visit") == 0
    # a finding noted, a weakness resolved, an action closed: none of them is in the future either
    r = kbo("finding", "add", "P1", "สีตกเมื่อซัก", "--kind", "weakness", "--on", be)
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: the date of the finding {tomorrow.isoformat()} is after")
    ok(kbo, "finding", "add", "P1", "สีตกเมื่อซัก", "--kind", "weakness")
    [(finding,)] = sql("SELECT id FROM finding")
    r = kbo("finding", "resolve", str(finding), "--on", be)
    assert r.exit_code == 2 and "the date it was resolved" in r.stderr
    ok(kbo, "plan", "add", "P1", "ปรับสูตรย้อมสี", "--agency", "สอจ.")
    [(action,)] = sql("SELECT id FROM plan_action")
    r = kbo("plan", "done", str(action), "--on", be)
    assert r.exit_code == 2 and "the date it was closed" in r.stderr
    assert sql("SELECT status FROM plan_action") == [("open",)]
    today = date.today()
    ok(kbo, "visit", "add", "--product", "P1", "--by", "พช.", "--on", f"{today.day}/{today.month}/{today.year + 543}")


def test_a_total_a_float_puts_just_below_a_cut_off_counts_as_shown(two_products: Invoke) -> None:
    """9.77 + 22.33 + 17.9 is 49.99999... as a float: shown as 50.0 with 2 stars, and counted so in districts."""
    kbo = two_products
    row = ok(kbo, "opc", "set", "P1", "--year", "2567", *opc_parts("9.77", "22.33", "17.9"), "-f", "json").json()[0]
    assert (row["total"], row["stars"]) == (50.0, 2)
    (district,) = ok(kbo, "report", "districts", "-f", "json").json()
    assert (district["star2"], district["star1"]) == (1, 0)


def test_a_visit_closes_and_adds_actions(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = two_products
    a = ok(kbo, "plan", "add", "P1", "ปรับสูตรย้อมให้สีไม่ตก", "--agency", "university", "-f", "json").json()[0]
    r = ok(
        kbo,
        "visit",
        "add",
        "--product",
        "P1",
        "--on",
        "๑๕/๐๘/๒๕๖๗",
        "--by",
        "พช.จังหวัด, ม.นครพนม",
        "--found",
        "สีไม่ตกแล้ว",
        "--next",
        "ทำฉลาก",
        "--closes",
        str(a["id"]),
        "--new-action",
        "ออกแบบฉลาก",
        "--agency",
        "university",
        "--due",
        "30/09/2567",
        "-f",
        "json",
    )
    visit = r.json()[0]
    assert visit["visited_on"] == "2024-08-15" and visit["products"] == "P1" and visit["group_code"] == "DD01"
    assert "Closed plan actions: #1" in r.stderr and "Added plan actions: #2" in r.stderr
    actions = {x["id"]: x for x in ok(kbo, "plan", "list", "-f", "json").json()}
    assert actions[1]["status"] == "done" and actions[1]["done_on"] == "2024-08-15"
    assert actions[2]["action"] == "ออกแบบฉลาก" and actions[2]["status"] == "open"
    assert [v["id"] for v in ok(kbo, "visit", "list", "--district", "เรณูนคร", "-f", "json").json()] == [1]
    assert ok(kbo, "visit", "list", "--since", "2024-09-01", "-f", "json").json() == []


def test_a_visit_with_a_product_of_another_group_is_refused(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = two_products
    ok(kbo, "group", "add", "กลุ่มจักสานบ้านนาคู่", "--district", "นาแก", "--code", "NK01")
    r = kbo("visit", "add", "--group", "NK01", "--product", "P1", "--by", "พช.")
    assert r.exit_code == 1 and "do not belong to the group NK01" in r.stderr
    assert count(sql, "visit") == 0


def test_unvisited_report(two_products: Invoke) -> None:
    kbo = two_products
    recent = (date.today() - timedelta(days=10)).isoformat()
    old = (date.today() - timedelta(days=200)).isoformat()
    ok(kbo, "visit", "add", "--product", "P1", "--by", "พช.", "--on", recent)
    ok(kbo, "visit", "add", "--product", "P2", "--by", "พช.", "--on", old)
    rows = ok(kbo, "report", "unvisited", "--days", "90", "-f", "json").json()
    assert [(r["product_code"], r["days_since"]) for r in rows] == [("P2", 200)]
    # filtered, the visits of the products in scope are read, and only those (DD01 is in เรณูนคร)
    for scope in (("-d", "เรณูนคร"), ("-c", "textile"), ("-d", "เรณูนคร", "-c", "ผ้า")):
        assert ok(kbo, "report", "unvisited", "--days", "90", *scope, "-f", "json").json() == rows, scope
    for scope in (("-d", "นาแก"), ("-c", "food")):
        assert ok(kbo, "report", "unvisited", "--days", "90", *scope, "-f", "json").json() == [], scope
    assert ok(kbo, "report", "unvisited", "--days", "365", "-f", "json").json() == []
    # a visit to the whole group counts for all its products, filtered or not
    ok(kbo, "visit", "add", "--group", "DD01", "--by", "พช.")
    assert ok(kbo, "report", "unvisited", "--days", "90", "-f", "json").json() == []
    assert ok(kbo, "report", "unvisited", "--days", "90", "-d", "เรณูนคร", "-f", "json").json() == []


@pytest.mark.parametrize(
    ("parts", "total", "stars"),
    [
        (("25", "25", "40"), 90.0, 5),
        (("25", "25", "39.9"), 89.9, 4),
        (("20", "20", "40"), 80.0, 4),
        (("20", "20", "39.99"), 79.99, 3),
        (("20", "20", "30"), 70.0, 3),
        (("10", "10", "30"), 50.0, 2),
        (("10", "10", "29.5"), 49.5, 1),
        (("0", "0", "0"), 0.0, 1),
    ],
)
def test_star_levels_at_their_edges(
    two_products: Invoke, parts: tuple[str, str, str], total: float, stars: int
) -> None:
    r = ok(two_products, "opc", "set", "P1", "--year", "2567", *opc_parts(*parts), "-f", "json")
    row = r.json()[0]
    assert row["total"] == total and row["stars"] == stars


def test_opc_history_and_part_maxima(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = two_products
    ok(kbo, "opc", "set", "P1", "--year", "2565", "--part1", "15", "--part2", "15", "--part3", "30")
    ok(kbo, "opc", "set", "P1", "--year", "2024", "--part1", "20", "--part2", "20", "--part3", "41")  # CE -> 2567
    history = ok(kbo, "opc", "list", "--product", "P1", "-f", "json").json()
    assert [(h["year"], h["total"], h["stars"]) for h in history] == [(2567, 81.0, 4), (2565, 60.0, 2)]
    r = kbo("opc", "set", "P1", "--year", "2567", "--part1", "26", "--part2", "20", "--part3", "40")
    assert r.exit_code == 2 and "must be between 0 and 25" in r.stderr
    assert count(sql, "opc_score") == 2


def test_candidates_ranking_and_score_breakdown(kbo: Invoke, np_group: str) -> None:
    """A hand-built example: every part of the score, and the order it gives."""
    ok(kbo, "group", "add", "วิสาหกิจชุมชนน้ำพริกบ้านนาคู่", "--district", "นาแก", "--code", "NK01")
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "T1")
    ok(kbo, "product", "add", "น้ำพริกปลาย่าง", "--group", "NK01", "--category", "food", "--code", "F1")
    ok(kbo, "product", "add", "น้ำพริกเผาสมุนไพร", "--group", "NK01", "--category", "food", "--code", "F2")
    # T1: both required (tcps, label) certified, organic recommended certified, tis not applicable
    certify(kbo, "T1", "tcps", "มผช. 8/2546", "--issued", "2568-01-01")
    ok(kbo, "checklist", "set", "T1", "label", "--status", "certified")
    certify(kbo, "T1", "organic", "กษ 03-9000-48-001-000123", "--issued", "2568-01-01")
    ok(kbo, "checklist", "set", "T1", "tis", "--status", "not_applicable")
    ok(kbo, "opc", "set", "T1", "--year", "2567", "--part1", "20", "--part2", "20", "--part3", "40")  # 80
    ok(kbo, "finding", "add", "T1", "ราคาสูง", "--kind", "weakness")
    ok(kbo, "plan", "add", "T1", "ทำสื่อออนไลน์", "--agency", "pr")
    a = ok(kbo, "plan", "add", "T1", "หาตลาดใหม่", "--agency", "commerce", "-f", "json").json()[0]
    ok(kbo, "plan", "done", str(a["id"]))
    ok(kbo, "visit", "add", "--product", "T1", "--by", "พช.")
    # F1: fda certified (legal), 1 of 3 required; two open weaknesses; no OPC, no plan, no visit
    certify(kbo, "F1", "fda", "48-2-00123-2-0001")
    for text in ("ฉลากไม่ครบ", "สถานที่ผลิตไม่ได้มาตรฐาน"):
        ok(kbo, "finding", "add", "F1", text, "--kind", "weakness")
    # F2: a higher OPC score but no legal certificate: not eligible, so ranked last
    ok(kbo, "opc", "set", "F2", "--year", "2567", "--part1", "25", "--part2", "25", "--part3", "45")
    ok(kbo, "checklist", "set", "F2", "label", "--status", "certified")

    rows = ok(kbo, "report", "candidates", "-f", "json").json()
    assert [(r["rank"], r["product_code"], r["eligible"]) for r in rows] == [
        (1, "T1", True),
        (2, "F1", True),
        (3, "F2", False),
    ]
    t1 = rows[0]
    assert (t1["required_certified"], t1["required_applicable"], t1["required_points"]) == (2, 2, 40.0)
    assert (t1["recommended_certified"], t1["recommended_applicable"], t1["recommended_points"]) == (1, 1, 10.0)
    assert (t1["opc_year"], t1["opc_total"], t1["opc_points"]) == (2567, 80.0, 20.0)
    assert (t1["open_weaknesses"], t1["weakness_points"]) == (1, -3.0)
    assert (t1["plans_done"], t1["plans_open"], t1["plan_points"]) == (1, 1, 7.5)
    assert (t1["visits"], t1["visit_points"]) == (1, 5.0)
    assert t1["score"] == 79.5
    f1 = rows[1]
    # food: required fda, gmp, label (3); recommended tcps, gap, organic, halal (4)
    assert (f1["required_certified"], f1["required_applicable"]) == (1, 3)
    assert f1["required_points"] == 13.33 and f1["weakness_points"] == -6.0 and f1["score"] == 7.33
    assert rows[2]["score"] > f1["score"]  # higher score, still after the eligible ones
    textile = ok(kbo, "report", "candidates", "--category", "textile", "-f", "csv").stdout
    parsed = list(csv.DictReader(io.StringIO(textile)))
    assert [r["product_code"] for r in parsed] == ["T1"] and parsed[0]["score"] == "79.5"
    table = ok(kbo, "report", "candidates", "--wide")
    assert "2/2 +40" in table.stdout and "79.5" in table.stdout


def test_weights_can_be_overridden(two_products: Invoke, tmp_path: Path) -> None:
    kbo = two_products
    certify(kbo, "P1", "tcps", "มผช. 8/2546")
    ok(kbo, "checklist", "set", "P1", "label", "--status", "certified")
    certify(kbo, "P2", "tis", "มอก. 2346-2550")
    ok(kbo, "opc", "set", "P2", "--year", "2567", "--part1", "25", "--part2", "25", "--part3", "50")
    weights = tmp_path / "weights.toml"
    weights.write_text("opc = 100.0\n", encoding="utf-8")
    default = [r["product_code"] for r in ok(kbo, "report", "candidates", "-f", "json").json()]
    custom = [
        r["product_code"] for r in ok(kbo, "report", "candidates", "--weights", str(weights), "-f", "json").json()
    ]
    assert default == ["P1", "P2"] and custom == ["P2", "P1"]
    weights.write_text("opc_weight = 1\n", encoding="utf-8")
    r = kbo("report", "candidates", "--weights", str(weights))
    assert r.exit_code == 2 and "unknown weights: opc_weight" in r.stderr
    weights.write_text("opc = 1e9\n", encoding="utf-8")
    r = kbo("report", "candidates", "--weights", str(weights))
    assert r.exit_code == 2 and "the weight opc must be a number from -1000" in r.stderr
    weights.write_bytes("opc = 1.0 # ผ้า\n".encode("cp874"))
    r = kbo("report", "candidates", "--weights", str(weights))
    assert r.exit_code == 2 and "is not UTF-8 text" in r.stderr
    for line, said in (  # a penalty that adds points to every product, a cap that takes them away
        ("weakness_floor = 5", "the weight weakness_floor must be zero or below, not 5"),
        ("weakness_penalty = 3", "the weight weakness_penalty must be zero or below, not 3"),
        ("visits_max = -1000", "the weight visits_max must be zero or above, not -1000"),
    ):
        weights.write_text(line + "\n", encoding="utf-8")
        r = kbo("report", "candidates", "--weights", str(weights))
        assert r.exit_code == 2 and said in r.stderr, r.stderr


def test_select_one_pick_per_round_and_the_round_report(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = two_products
    certify(kbo, "P1", "tcps", "มผช. 8/2546")
    r = ok(kbo, "select", "P1", "--year", "2568", "--reason", "ผ่าน มผช. ลวดลายโดดเด่น", "--by", "คณะกรรมการจังหวัด")
    assert "represents round 2568" in r.stderr
    r = kbo("select", "P2", "--year", "2568", "--reason", "สำรอง")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: round 2568 (whole province) already has its pick: P1")
    assert count(sql, "selection") == 1
    r = kbo("select", "P2", "--year", "2568", "--reason", "ดีที่สุดในประเภทผ้า", "--category-round")
    assert r.exit_code == 1 and "P2 is not eligible for round 2568" in r.stderr and "--ineligible-because" in r.stderr
    ok(
        kbo,
        "select",
        "P2",
        "--year",
        "2568",
        "--reason",
        "ดีที่สุดในประเภทผ้า",
        "--category-round",
        "--ineligible-because",
        "ยื่น มผช. แล้ว รอผลตรวจ",
    )
    rows = ok(kbo, "report", "round", "2568", "-f", "json").json()
    assert [(r["scope"], r["role"], r["product_code"]) for r in rows] == [
        ("province", "selected", "P1"),
        ("province", "runner_up", "P2"),
        ("textile", "selected", "P2"),
        ("textile", "runner_up", "P1"),
    ]
    assert rows[0]["decided_by"] == "คณะกรรมการจังหวัด" and rows[0]["reason"] == "ผ่าน มผช. ลวดลายโดดเด่น"
    assert rows[0]["ineligible_because"] is None and rows[2]["ineligible_because"] == "ยื่น มผช. แล้ว รอผลตรวจ"
    assert "ยื่น มผช. แล้ว รอผลตรวจ" in ok(kbo, "report", "round", "2568").stdout
    r = kbo("report", "round", "2560")
    assert r.exit_code == 1 and "round 2560 has no pick yet" in r.stderr


def test_product_show_carries_the_follow_up(two_products: Invoke) -> None:
    kbo = two_products
    ok(kbo, "finding", "add", "P1", "ลวดลายโดดเด่น", "--kind", "strength")
    ok(kbo, "plan", "add", "P1", "ทำฉลากใหม่", "--agency", "university")
    ok(kbo, "visit", "add", "--product", "P1", "--by", "พช.", "--found", "ฉลากเสร็จครึ่งหนึ่ง")
    ok(kbo, "opc", "set", "P1", "--year", "2567", "--part1", "20", "--part2", "20", "--part3", "40")
    data = ok(kbo, "product", "show", "P1", "-f", "json").json()
    assert [f["text"] for f in data["findings"]] == ["ลวดลายโดดเด่น"]
    assert [a["action"] for a in data["plans"]] == ["ทำฉลากใหม่"]
    assert [v["found"] for v in data["visits"]] == ["ฉลากเสร็จครึ่งหนึ่ง"]
    assert [(s["year"], s["stars"]) for s in data["opc_scores"]] == [(2567, 4)]
    table = ok(kbo, "product", "show", "P1").stdout
    assert "Strengths and weaknesses" in table and "ลวดลายโดดเด่น" in table and "★★★★☆" in table


def test_candidates_sum_checklists_whatever_the_split(demo: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranking sums each product's checklist in SQL, a chunk of standards to an integer (2 bits each):
    split over several sums, or with a standard the catalogue no longer has (counted as recommended, which
    halal is anyway for the demo's food, drink and herbal products), the ranking is the same."""
    from kbo_cli.domain import candidates
    from kbo_cli.reference import catalog

    whole = ok(demo, "report", "candidates", "-f", "json").json()
    assert any(row["recommended_certified"] for row in whole)

    monkeypatch.setattr(candidates, "_PER_SUM", 2)  # the catalogue's 8 standards in four sums
    monkeypatch.setattr(candidates, "_OTHER", 4**2)
    monkeypatch.setattr(candidates, "_OTHER_CERTIFIED", 4**2 * 2**16)
    assert ok(demo, "report", "candidates", "-f", "json").json() == whole
    monkeypatch.undo()

    kept = {code: std for code, std in catalog.standards().items() if code != "halal"}
    monkeypatch.setattr(catalog, "standards", lambda: kept)
    assert ok(demo, "report", "candidates", "-f", "json").json() == whole


def test_a_removal_says_what_it_takes_with_it(two_products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    """A product's findings and plan actions, a group's visits: removed with it, and said so in the question and
    the message (it said "and its checklist" only)."""
    kbo = two_products
    ok(kbo, "finding", "add", "P1", "สีตกเมื่อซัก", "--kind", "weakness")
    ok(kbo, "plan", "add", "P1", "ปรับสูตรย้อมสี", "--agency", "สอจ.")
    r = kbo("product", "remove", "P1", input="n\n")
    assert "Remove product P1 ผ้าฝ้ายย้อมครามลายขิด, with checklist entries 4, findings 1, plan actions 1?" in r.stderr
    r = ok(kbo, "product", "remove", "P1", "--yes")
    assert "Removed product P1 ผ้าฝ้ายย้อมครามลายขิด, with checklist entries 4, findings 1, plan actions 1" in r.stderr
    assert sql("SELECT count(*) FROM finding") == [(0,)] and sql("SELECT count(*) FROM plan_action") == [(0,)]
    r = ok(kbo, "group", "remove", "DD01", "--cascade", "--yes")
    assert "Removed group DD01 กลุ่มทอผ้าย้อมครามบ้านดอนแดง, with products 1, checklist entries 4" in r.stderr
