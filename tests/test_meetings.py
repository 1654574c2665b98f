"""Meetings, before/after from the recorded history, and the agency and district overviews.

The timeline tests run real commands, then date each recorded change set by hand (the history is what
"before" is computed from), and compare the reports with figures worked out on paper.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import Invoke, certified, ok, prepared


def test_meetings_record_attendance_minutes_and_what_came_out(kbo: Invoke, np_group: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "ผ้า", "--code", "P1")
    minutes = tmp_path / "บันทึก.txt"
    minutes.write_bytes("มติ: ยื่นขอ มผช. ภายในเดือนสิงหาคม\n".encode("cp874"))  # a Thai Windows text file
    r = ok(
        kbo,
        "meeting",
        "add",
        "ประชุมเชิงปฏิบัติการ KBO",
        "--on",
        "๒๐/๐๗/๖๙",
        "--to",
        "21 ก.ค. 2569",
        "--place",
        "ศาลากลางจังหวัด",
        "--agency",
        "พช.",
        "--agency",
        "สสจ.",
        "--group",
        "DD01",
        "--person",
        "นางสาวกัลยา ศรีวงศ์",
        "--minutes-file",
        str(minutes),
        "-f",
        "json",
    )
    meeting = r.json()[0]
    assert (meeting["starts_on"], meeting["ends_on"], meeting["agencies"], meeting["groups"], meeting["people"]) == (
        "2026-07-20",
        "2026-07-21",
        2,
        1,
        1,
    )
    ok(kbo, "finding", "add", "P1", "ลวดลายเป็นเอกลักษณ์", "--kind", "ข้อดี", "--meeting", "1")
    ok(kbo, "plan", "add", "P1", "ยื่นขอ มผช.", "--agency", "สอจ.", "--meeting", "1")
    ok(kbo, "visit", "add", "--group", "DD01", "--by", "พช.", "--meeting", "1")
    shown = ok(kbo, "meeting", "show", "1", "-f", "json").json()
    assert shown["minutes"] == "มติ: ยื่นขอ มผช. ภายในเดือนสิงหาคม"
    assert [a["kind"] for a in shown["attendance"]] == ["agency", "agency", "group", "person"]
    assert [f["text"] for f in shown["findings"]] == ["ลวดลายเป็นเอกลักษณ์"]
    assert [a["agency"] for a in shown["plans"]] == ["industry"] and len(shown["visits"]) == 1
    table = ok(kbo, "meeting", "show", "1", lang_="th").stdout
    assert "ศาลากลางจังหวัด" in table and "นางสาวกัลยา ศรีวงศ์" in table and "ลวดลายเป็นเอกลักษณ์" in table
    ok(kbo, "meeting", "edit", "1", "--remove-person", "นางสาวกัลยา ศรีวงศ์", "--agency", "พณ.", "--place", "")
    edited = ok(kbo, "meeting", "list", "-f", "json").json()[0]
    assert (edited["place"], edited["agencies"], edited["people"]) == (None, 3, 0)
    r = kbo("meeting", "add", "ประชุม", "--on", "21/07/69", "--to", "20/07/69")
    assert r.exit_code == 2 and "cannot end" in r.stderr
    r = kbo("finding", "add", "P1", "x", "--kind", "ข้อดี", "--meeting", "9")
    assert r.exit_code == 1 and "no meeting #9" in r.stderr
    r = kbo("meeting", "edit", "1")
    assert r.exit_code == 2 and "nothing to change" in r.stderr


@prepared(parent="np_group")
def timeline(kbo: Invoke, np_group: str, sql) -> Invoke:  # type: ignore[no-untyped-def]
    """A hand-made history, each command dated by hand:

    day 1 (2026-03-01): P1 (textile: tcps, tis, organic, label) added; tcps certified, expiring 2026-06-30;
                        label certified; tis not applicable. P1: applicable 3, certified 2.
                        A plan action due 2026-04-30.
    day 2 (2026-05-10): organic certified (P1: 3 of 3); the action done on 2026-05-10.
    day 3 (2026-05-20): P2 added (textile): 4 entries, none certified; its tis not applicable.
    today:              tcps has expired since 2026-06-30 (a new gap, no command needed).
    """
    steps = [
        ("2026-03-01", ("product", "add", "ผ้าฝ้ายย้อมคราม", "--group", "DD01", "--category", "textile", "--code", "P1")),
        ("2026-03-01", certified("P1", "tcps", "มผช. 8/2546", "--issued", "2023-07-01", "--expires", "2026-06-30")),
        ("2026-03-01", ("checklist", "set", "P1", "label", "--status", "certified")),
        ("2026-03-01", ("checklist", "set", "P1", "tis", "--status", "not_applicable")),
        ("2026-03-01", ("plan", "add", "P1", "ยื่นขอเกษตรอินทรีย์", "--agency", "เกษตร", "--due", "30/04/2569")),
        ("2026-05-10", certified("P1", "organic", "กษ 03-9000-48-012-000211")),
        ("2026-05-10", ("plan", "done", "1", "--on", "10/05/2569")),
        ("2026-05-20", ("product", "add", "ผ้าพันคอคราม", "--group", "DD01", "--category", "textile", "--code", "P2")),
        ("2026-05-20", ("checklist", "set", "P2", "tis", "--status", "not_applicable")),
    ]
    for day, args in steps:
        ok(kbo, *args)
        last = sql("SELECT max(id) FROM change_set")[0][0]
        sql(f"UPDATE change_set SET at = '{day} 03:00:00+00:00' WHERE id = {last}")
    return kbo


def _progress(kbo: Invoke, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["group_code"]: r for r in ok(kbo, "report", "progress", *args, "-f", "json").json()}


def test_progress_as_it_stood_on_each_day(timeline: Invoke) -> None:
    assert _progress(timeline, "--as-of", "28/02/2569") == {}  # nothing recorded yet
    day1 = _progress(timeline, "--as-of", "2026-03-01")["DD01"]
    assert (day1["products"], day1["applicable"], day1["certified"], day1["percent"]) == (1, 3, 2, 66.7)
    day2 = _progress(timeline, "--as-of", "10/05/69")["DD01"]
    assert (day2["products"], day2["applicable"], day2["certified"], day2["percent"]) == (1, 3, 3, 100.0)
    day3 = _progress(timeline, "--as-of", "2026-05-20")["DD01"]
    assert (day3["products"], day3["applicable"], day3["certified"]) == (2, 6, 3)
    today = _progress(timeline)["DD01"]  # tcps expired on 2026-06-30: a gap now, whatever was recorded
    assert (today["products"], today["applicable"], today["certified"], today["gaps"]) == (2, 6, 2, 4)


def test_what_changed_since_a_day(timeline: Invoke) -> None:
    since = ok(timeline, "report", "progress", "--since", "2026-03-01", "-f", "json").json()
    assert len(since) == 1
    row = since[0]
    assert (row["percent_then"], row["percent"], row["change"]) == (66.7, 33.3, -33.4)
    assert row["certified_since"] == 1  # organic
    assert row["gaps_closed"] == 1  # organic was a gap on day 1
    assert row["new_gaps"] == 1 + 3  # tcps expired; P2's three applicable entries
    assert row["actions_done"] == 1
    # filtered, the same row from the products in scope (expiries and actions read for them only), or none
    for scope in (("-d", "เรณูนคร"), ("-c", "textile"), ("-d", "เรณูนคร", "-c", "ผ้า")):
        assert ok(timeline, "report", "progress", "--since", "2026-03-01", *scope, "-f", "json").json() == since
    for scope in (("-d", "นาแก"), ("-c", "food")):
        assert ok(timeline, "report", "progress", "--since", "2026-03-01", *scope, "-f", "json").json() == []
    table = ok(timeline, "report", "progress", "--since", "2026-03-01", lang_="th")
    assert "-33.4" in table.stdout and "ก่อนหน้า" in table.stdout


def test_since_before_the_history_began_with_a_product_removed_since(timeline: Invoke) -> None:
    """P2 was added after the day and is removed now: its entries never counted, then or now."""
    ok(timeline, "product", "remove", "P2", "--yes")
    (row,) = ok(timeline, "report", "progress", "--since", "2026-02-01", "-f", "json").json()
    assert (row["applicable_then"], row["applicable"], row["certified"]) == (0, 3, 2)  # P1: tcps expired since
    assert (row["certified_since"], row["new_gaps"], row["gaps_closed"]) == (2, 1, 0)


def test_since_a_meeting_counts_from_its_last_day(timeline: Invoke) -> None:
    ok(timeline, "meeting", "add", "ประชุมติดตามผล", "--on", "09/05/2569", "--to", "10/05/2569")
    row = ok(timeline, "report", "progress", "--since-meeting", "1", "-f", "json").json()[0]
    assert row["percent_then"] == 100.0 and row["certified_since"] == 0 and row["actions_done"] == 0
    r = timeline("report", "progress", "--since-meeting", "1", "--since", "2026-01-01")
    assert r.exit_code == 2 and "cannot be combined" in r.stderr


@pytest.mark.usefixtures("demo")
def test_agency_to_do_lists_and_the_district_overview(kbo: Invoke) -> None:
    agencies = {a["agency"]: a for a in ok(kbo, "report", "agencies", "-f", "json").json()}
    assert set(agencies) == {"community_dev", "university", "health", "industry", "agriculture", "commerce", "pr"}
    health = agencies["health"]
    assert health["open"] == 2 and health["done"] == 2
    todo = ok(kbo, "report", "agencies", "--agency", "สสจ.", "-f", "json").json()
    assert {r["agency"] for r in todo} == {"health"} and all(r["status"] == "open" for r in todo)
    assert [r["district"] for r in todo] == sorted(r["district"] for r in todo) or len(todo) < 2
    # a to-do list's rows are plan actions: the keys of `plan list`, in its order, each once (README)
    plan_keys = list(ok(kbo, "plan", "list", "-f", "json").json()[0])
    assert list(todo[0]) == plan_keys
    header = ok(kbo, "report", "agencies", "--agency", "สสจ.", "-f", "csv").stdout.splitlines()[0]
    assert header.split(",") == plan_keys
    overdue_first = [r["overdue"] for r in todo if r["district"] == todo[0]["district"]]
    assert overdue_first == sorted(overdue_first, reverse=True)
    page = ok(kbo, "report", "agencies", "--agency", "สสจ.", "-f", "html", lang_="th").stdout
    assert page.startswith("<!DOCTYPE html>") and "งานที่ต้องทำของ" in page
    districts = ok(kbo, "report", "districts", "-f", "json").json()
    assert sum(d["products"] for d in districts) == 30 and sum(d["groups"] for d in districts) == 13
    muang = next(d for d in districts if d["district"] == "เมืองนครพนม")
    assert muang["star5"] == 1 and muang["opc_products"] == 1
    assert all(set(d) >= {"district", "percent", "gaps", "open_actions", "overdue_actions"} for d in districts)
    r = kbo("report", "agencies", "--agency", "สำนักงานที่ไม่มี")
    assert r.exit_code == 2 and "unknown agency" in r.stderr


@pytest.mark.usefixtures("demo")
def test_the_overviews_count_the_plan_actions_as_the_list_shows_them(kbo: Invoke) -> None:
    """The agencies' and districts' figures are counted by the database: they agree with the actions listed one
    by one (status, overdue, due date) by `plan list`."""
    listed = ok(kbo, "plan", "list", "-f", "json").json()
    assert {a["status"] for a in listed} == {"open", "done", "dropped"}
    for agency in ok(kbo, "report", "agencies", "-f", "json").json():
        mine = [a for a in listed if a["agency"] == agency["agency"]]
        still_open = [a for a in mine if a["status"] == "open"]
        assert (agency["open"], agency["done"], agency["dropped"]) == tuple(
            sum(a["status"] == status for a in mine) for status in ("open", "done", "dropped")
        )
        assert agency["overdue"] == sum(a["overdue"] for a in mine)
        assert agency["next_due"] == min((a["due_on"] for a in still_open if a["due_on"]), default=None)
    for district in ok(kbo, "report", "districts", "-f", "json").json():
        here = [a for a in listed if a["district"] == district["district"] and a["status"] == "open"]
        assert (district["open_actions"], district["overdue_actions"]) == (len(here), sum(a["overdue"] for a in here))


def test_due_dates_relative_to_today_drive_overdue(kbo: Invoke, np_group: str) -> None:
    ok(kbo, "product", "add", "ผ้าคราม", "--group", "DD01", "--category", "textile", "--code", "P1")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    ok(kbo, "plan", "add", "P1", "ทำฉลากใหม่", "--agency", "ม.", "--due", yesterday)
    row = ok(kbo, "report", "agencies", "-f", "json").json()
    university = next(a for a in row if a["agency"] == "university")
    assert (university["open"], university["overdue"]) == (1, 1)
