"""Committee rounds (issue 17): several judges score, the mean is the result once the quorum is reached and the
totals agree; judges see only their own scores until the round is closed; the pick waits for the committee."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke, certify, opc_parts, prepared

YEAR = "2569"
JUDGES = [("นายหนึ่ง ใจดี", "พช."), ("นางสอง ดีใจ", "ม."), ("นายสาม มีสุข", "สสจ."), ("นางสี่ สุขใจ", "พณ.")]
#: the report's JSON/CSV keys, in order (documented in the report)
SCORE_KEYS = [
    "year",
    "product_code",
    "product_name",
    "category",
    "judge",
    "agency",
    "part1",
    "part2",
    "part3",
    "total",
    "judges_scored",
    "members",
    "needed",
    "mean",
    "spread",
    "quorum_reached",
    "spread_over_limit",
    "status",
    "result",
    "stars",
]
JUDGE_KEYS = [
    "year",
    "judge",
    "product_code",
    "product_name",
    "category",
    "part1",
    "part2",
    "part3",
    "total",
    "others_scored",
    "others",
]


@prepared(parent="np_group")
def committee(kbo: Invoke, np_group: str) -> Invoke:
    """Two textile products (P1 holds a มผช. certificate: eligible) and a committee of four for round 2569."""
    for code, name in (("P1", "ผ้าฝ้ายย้อมคราม"), ("P2", "ผ้าขิดลายโบราณ")):
        r = kbo("product", "add", name, "--group", np_group, "--category", "textile", "--code", code)
        assert r.exit_code == 0, r.stderr
    certify(kbo, "P1", "tcps", "มผช. 8/2546", "--issued", "2025-01-01")
    for name, agency in JUDGES:
        r = kbo("committee", "add", YEAR, name, "--agency", agency)
        assert r.exit_code == 0, r.stderr
    return kbo


def score(kbo: Invoke, judge: str, parts: tuple[str, str, str], product: str = "P1", year: str = YEAR):  # type: ignore[no-untyped-def]
    return kbo("opc", "score", product, "--year", year, "--judge", judge, *opc_parts(*parts))


def scored(kbo: Invoke, judge: str, total: float, product: str = "P1") -> None:
    """Give `total` points: quality up to 50, the rest split between the first two parts."""
    quality = min(50.0, total - 30)
    first = (total - quality) / 2
    r = score(kbo, judge, (f"{first:g}", f"{first:g}", f"{quality:g}"), product)
    assert r.exit_code == 0, r.stderr


def standing(kbo: Invoke, product: str = "P1") -> dict:  # type: ignore[type-arg]
    rows = [r for r in kbo("report", "scores", "--year", YEAR, "-f", "json").json() if r["product_code"] == product]
    assert rows, f"{product} is not in the table"
    return rows[0]


def candidate(kbo: Invoke, product: str = "P1", year: str | None = YEAR) -> dict:  # type: ignore[type-arg]
    args = ["--year", year] if year else []
    return next(r for r in kbo("report", "candidates", *args, "-f", "json").json() if r["product_code"] == product)


def test_the_committee_and_its_rules(committee: Invoke) -> None:
    members = committee("committee", "list", YEAR, "-f", "json").json()
    assert [(m["name"], m["agency"], m["scored"]) for m in members] == [
        ("นายหนึ่ง ใจดี", "community_dev", 0),
        ("นางสอง ดีใจ", "university", 0),
        ("นายสาม มีสุข", "health", 0),
        ("นางสี่ สุขใจ", "commerce", 0),
    ]
    r = committee("committee", "list", YEAR)
    assert "4 members; quorum 3/4 (3 judges); spread limit 10 points. Open for scoring." in r.stderr
    (rules,) = committee("committee", "rules", YEAR, "-f", "json").json()
    assert rules == {
        "year": 2569,
        "members": 4,
        "quorum": 0.75,
        "needed": 3,
        "spread_limit": 10.0,
        "quorum_is_default": True,
        "spread_is_default": True,
        "closed_at": None,
        "closed_by": None,
    }
    lines = committee("committee", "rules", YEAR, "--spread", "12.5", "-f", "csv").stdout.splitlines()
    assert lines == [
        "year,members,quorum,needed,spread_limit,quorum_is_default,spread_is_default,closed_at,closed_by",
        "2569,4,0.75,3,12.5,true,false,,",
    ]
    again = committee("committee", "add", YEAR, "นายหนึ่ง  ใจดี", "--agency", "พช.")
    assert again.exit_code == 1 and "already a member" in again.stderr
    unknown = score(committee, "นายไม่มี ชื่อนี้", ("20", "20", "40"))
    assert unknown.exit_code == 1 and "is not a member of the committee of round 2569" in unknown.stderr
    assert "นายหนึ่ง ใจดี" in unknown.stderr  # the hint lists the members
    ambiguous = score(committee, "นาย", ("20", "20", "40"))
    assert ambiguous.exit_code == 1 and "matches 2 members" in ambiguous.stderr
    no_committee = committee("report", "scores", "--year", "2570")
    assert no_committee.exit_code == 1 and "round 2570 has no committee" in no_committee.stderr


def test_the_mean_becomes_the_result_once_the_quorum_is_reached(committee: Invoke) -> None:
    for judge, total in (("หนึ่ง", 80), ("สอง", 84), ("สาม", 82.5)):
        scored(committee, judge, total)
    row = standing(committee)
    assert (row["judges_scored"], row["members"], row["needed"]) == (3, 4, 3)
    assert row["mean"] == 82.17 and row["spread"] == 4 and row["result"] == 82.17 and row["stars"] == 4
    assert row["status"] == "agreed" and row["quorum_reached"] and not row["spread_over_limit"]
    best = candidate(committee)
    assert (best["opc_year"], best["opc_total"], best["opc_status"]) == (2569, 82.17, "agreed")
    assert best["opc_points"] > 0


def test_the_quorum_at_its_edge(committee: Invoke) -> None:
    scored(committee, "หนึ่ง", 80)
    scored(committee, "สอง", 82)
    row = standing(committee)  # 2 of 4 does not reach 3/4
    assert row["status"] == "pending" and not row["quorum_reached"] and row["result"] is None and row["mean"] == 81
    pending = candidate(committee)
    assert pending["opc_status"] == "pending" and pending["opc_total"] is None and pending["opc_points"] == 0
    table = committee("report", "candidates", "--year", YEAR, "--wide")
    assert "quorum not reached (2569)" in table.stdout and "OPC pending" in table.stdout
    scored(committee, "สาม", 84)
    assert standing(committee)["status"] == "agreed"  # 3 of 4 does
    assert candidate(committee)["opc_total"] == 82
    # the round's own quorum overrides the data file's: all four now
    assert committee("committee", "rules", YEAR, "--quorum", "100%").exit_code == 0
    assert standing(committee)["status"] == "pending"
    assert candidate(committee, year=None)["opc_status"] == "pending"


def test_the_spread_at_the_limit_and_over_it(committee: Invoke) -> None:
    scored(committee, "หนึ่ง", 80)
    scored(committee, "สอง", 85)
    scored(committee, "สาม", 90)
    row = standing(committee)  # 10 points apart: within the limit
    assert row["spread"] == 10 and not row["spread_over_limit"] and row["status"] == "agreed" and row["result"] == 85
    scored(committee, "สาม", 90.5)
    row = standing(committee)  # 10.5 points apart: discuss and re-score
    assert row["spread"] == 10.5 and row["spread_over_limit"] and row["status"] == "flagged" and row["result"] is None
    table = committee("report", "scores", "--year", YEAR, "--wide")
    assert "spread over the limit: discuss and re-score" in table.stdout
    assert candidate(committee)["opc_status"] == "flagged"
    refused = committee("select", "P1", "--year", YEAR, "--reason", "คะแนนสูงสุด")
    assert refused.exit_code == 1
    assert (
        "P1's committee result for round 2569 is flagged: the judges' totals differ by 10.5 points, more "
        "than the limit of 10: discuss and re-score" in refused.stderr
    )
    assert "kbo report scores --year 2569" in refused.stderr
    assert committee("committee", "rules", YEAR, "--spread", "10.5").exit_code == 0
    assert standing(committee)["status"] == "agreed"


def test_a_judge_sees_only_their_own_scores_until_the_round_is_closed(committee: Invoke) -> None:
    scored(committee, "หนึ่ง", 81)
    scored(committee, "สอง", 87)
    scored(committee, "สาม", 79, product="P2")
    view = committee("report", "scores", "--year", YEAR, "--judge", "สอง", "-f", "json").json()
    assert [list(v) for v in view] == [JUDGE_KEYS, JUDGE_KEYS]
    assert [(v["product_code"], v["total"], v["others_scored"], v["others"]) for v in view] == [
        ("P1", 87, 1, 3),
        ("P2", None, 1, 3),
    ]
    table = committee("report", "scores", "--year", YEAR, "--judge", "สอง")
    assert "87" in table.stdout and "81" not in table.stdout and "79" not in table.stdout
    assert "หนึ่ง" not in table.stdout and "you see only your own scores" in table.stderr

    closed = committee("committee", "close", YEAR)
    assert closed.exit_code == 0, closed.stderr
    assert "Closed round 2569: 0 products agreed, 2 pending, 0 flagged" in closed.stderr
    assert "cannot be picked" in closed.stderr
    after = committee("report", "scores", "--year", YEAR, "--judge", "สอง", "-f", "json").json()
    assert sorted((r["product_code"], r["judge"], r["total"]) for r in after) == [
        ("P1", "นางสอง ดีใจ", 87),
        ("P1", "นายหนึ่ง ใจดี", 81),
        ("P2", "นายสาม มีสุข", 79),
    ]
    assert "81" in committee("report", "scores", "--year", YEAR, "--judge", "สอง").stdout
    # frozen: no more scores, members or rules, and no second closing
    for args in (
        ("opc", "score", "P1", "--year", YEAR, "--judge", "สี่", "--part1", "20", "--part2", "20", "--part3", "40"),
        ("committee", "add", YEAR, "นายห้า ใหม่", "--agency", "สอจ."),
        ("committee", "rules", YEAR, "--spread", "15"),
        ("committee", "close", YEAR),
    ):
        r = committee(*args)
        assert r.exit_code == 1 and "round 2569 is closed" in r.stderr, args
    assert committee("undo").exit_code == 0  # closing by mistake: undo reopens the round
    assert score(committee, "สี่", ("20", "20", "40")).exit_code == 0


def test_a_judge_scoring_again_replaces_their_own_score_and_history_keeps_it(committee: Invoke) -> None:
    assert score(committee, "สี่", ("17", "20", "37")).exit_code == 0
    again = score(committee, "สี่", ("20", "22", "41"))
    assert again.exit_code == 0, again.stderr
    assert "It replaces นางสี่ สุขใจ's earlier score (74 points); the history keeps it" in again.stderr
    rows = committee("report", "scores", "--year", YEAR, "-f", "json").json()
    assert [(r["judge"], r["part1"], r["part2"], r["part3"], r["total"]) for r in rows] == [
        ("นางสี่ สุขใจ", 20, 22, 41, 83)
    ]
    history = [h for h in committee("history", "-f", "json").json() if h["table"] == "judge_score"]
    changed = {h["field"]: (h["old"], h["new"]) for h in history if h["action"] == "update"}
    assert changed == {"part1": (17.0, 20.0), "part2": (20.0, 22.0), "part3": (37.0, 41.0)}
    assert any(h["action"] == "insert" for h in history)


def test_the_pick_is_refused_while_the_committee_result_is_pending(committee: Invoke) -> None:
    scored(committee, "หนึ่ง", 82)
    scored(committee, "สอง", 84)
    refused = committee("select", "P1", "--year", YEAR, "--reason", "คะแนนสูงสุด")
    assert refused.exit_code == 1
    assert (
        "P1's committee result for round 2569 is pending: 2 of 4 members scored it; the quorum is 3" in refused.stderr
    )
    unscored = committee("select", "P2", "--year", YEAR, "--reason", "ลายโบราณ", "--ineligible-because", "ทดลอง")
    assert unscored.exit_code == 1 and "0 of 4 members scored it" in unscored.stderr
    assert committee("report", "round", YEAR).exit_code == 1  # nothing was picked
    scored(committee, "สาม", 80)
    picked = committee("select", "P1", "--year", YEAR, "--reason", "คะแนนสูงสุด")
    assert picked.exit_code == 0, picked.stderr
    # a round without a committee keeps the single score ('opc set') and picks as before
    assert (
        committee("opc", "set", "P1", "--year", "2567", "--part1", "20", "--part2", "20", "--part3", "40").exit_code
        == 0
    )
    assert committee("select", "P1", "--year", "2567", "--reason", "มาตรฐานครบ").exit_code == 0
    assert candidate(committee, "P2", year="2567")["opc_status"] is None


def test_thai_digits_and_thai_messages(committee: Invoke, kbo_th: Invoke) -> None:
    r = score(kbo_th, "หนึ่ง", ("๒๐", "๒๑.๕", "๔๐"))
    assert r.exit_code == 0, r.stderr
    assert "บันทึกคะแนนรอบ 2569 ของ P1 โดย นายหนึ่ง ใจดี แล้ว: 81.5 คะแนน" in r.stderr
    over = score(kbo_th, "สอง", ("๒๖", "๒๐", "๔๐"))
    assert over.exit_code == 2 and "ต้องอยู่ระหว่าง 0 ถึง 25 ไม่ใช่ 26" in over.stderr
    assert kbo_th("committee", "rules", "๒๕๖๙", "--quorum", "๓/๔", "--spread", "๑๒").exit_code == 0
    shown = kbo_th("committee", "rules", YEAR)
    assert "องค์ประชุม 3/4 (3 คน) ส่วนต่างไม่เกิน 12 คะแนน" in shown.stderr
    table = kbo_th("report", "scores", "--year", YEAR)
    assert "ยังไม่ครบองค์ประชุม" in table.stdout and "81.5" in table.stdout
    bad = kbo_th("committee", "rules", YEAR, "--quorum", "๕/๔")
    assert bad.exit_code == 2


def test_the_report_as_json_and_csv(committee: Invoke) -> None:
    scored(committee, "หนึ่ง", 80)
    scored(committee, "สอง", 84)
    scored(committee, "สาม", 82)
    scored(committee, "หนึ่ง", 70, product="P2")
    rows = committee("report", "scores", "--year", YEAR, "-f", "json").json()
    assert all(list(r) == SCORE_KEYS for r in rows)
    assert [(r["product_code"], r["judge"]) for r in rows] == [  # agreed products first, then by code
        ("P1", "นายหนึ่ง ใจดี"),
        ("P1", "นางสอง ดีใจ"),
        ("P1", "นายสาม มีสุข"),
        ("P2", "นายหนึ่ง ใจดี"),
    ]
    csv = committee("report", "scores", "--year", YEAR, "-f", "csv").stdout.splitlines()
    assert csv[0] == ",".join(SCORE_KEYS) and len(csv) == 5
    assert (
        csv[1] == "2569,P1,ผ้าฝ้ายย้อมคราม,textile,นายหนึ่ง ใจดี,community_dev,15.0,15.0,50.0,80.0,3,4,3,82.0,4.0,"
        "true,false,agreed,82.0,4"
    )
    only = committee("report", "scores", "--year", YEAR, "--category", "อาหาร", "-f", "json").json()
    assert only == []


def test_scores_come_in_from_a_sheet_per_judge(committee: Invoke, tmp_path: Path) -> None:
    import xlsxwriter

    book_path = tmp_path / "คะแนนกรรมการ-2569.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    one = book.add_worksheet("scores - หนึ่ง")  # the judge named by the sheet
    for c, head in enumerate(("year", "product_code", "part1", "part2", "part3")):
        one.write(0, c, head)
    one.write_row(1, 0, [2569, "P1", 20, 21, 40])
    one.write_row(2, 0, [2569, "P2", 18, 19, 35])
    two = book.add_worksheet("คะแนนกรรมการ สอง")  # Thai headers, the judge in a column
    for c, head in enumerate(("รอบ", "กรรมการ", "รหัสผลิตภัณฑ์", "ส่วนที่ 1", "ส่วนที่ 2", "ส่วนที่ 3")):
        two.write(0, c, head)
    two.write_row(1, 0, ["๒๕๖๙", "นางสอง ดีใจ", "P1", "๒๒", "20", "41.5"])
    book.add_worksheet("notes")
    book.close()
    r = committee("import", str(book_path))
    assert r.exit_code == 0, r.stderr
    assert "Skipped the sheet 'notes'" in r.stderr
    assert {s["sheet"]: s["added"] for s in committee("import", str(book_path), "--dry-run", "-f", "json").json()} == {
        "scores": 0
    }
    rows = committee("report", "scores", "--year", YEAR, "-f", "json").json()
    assert sorted((r["product_code"], r["judge"], r["total"]) for r in rows) == [
        ("P1", "นางสอง ดีใจ", 83.5),
        ("P1", "นายหนึ่ง ใจดี", 81),
        ("P2", "นายหนึ่ง ใจดี", 72),
    ]

    # one CSV file per judge; a re-score replaces, a bad row stops the whole file
    csv_path = tmp_path / "scores-สาม.csv"
    csv_path.write_text("year,judge,product_code,part1,part2,part3\n2569,สาม,P1,21,21,41\n", encoding="utf-8")
    assert committee("import", str(csv_path)).exit_code == 0
    assert standing(committee)["status"] == "agreed"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "year,judge,product_code,part1,part2,part3\n2569,สาม,P1,20,20,40\n2569,สี่,P1,26,20,40\n2569,ไม่มีชื่อ,P2,20,20,40\n",
        encoding="utf-8",
    )
    rejected = committee("import", str(bad))
    assert rejected.exit_code != 0
    assert "row 3, column part1" in rejected.stderr and "row 4, column judge" in rejected.stderr
    assert standing(committee)["judges_scored"] == 3 and [
        r["total"]
        for r in committee("report", "scores", "--year", YEAR, "-f", "json").json()
        if r["judge"] == "นายสาม มีสุข"
    ] == [83]


def test_removing_a_member_added_by_mistake(committee: Invoke) -> None:
    scored(committee, "สี่", 80)
    r = committee("committee", "remove", YEAR, "สี่", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "(1 scores removed)" in r.stderr
    assert len(committee("committee", "list", YEAR, "-f", "json").json()) == 3
    assert committee("undo").exit_code == 0
    assert standing(committee)["judges_scored"] == 1


def test_removing_a_product_removes_its_judges_scores(committee: Invoke) -> None:
    scored(committee, "หนึ่ง", 80, product="P2")
    assert committee("product", "remove", "P2", "--yes").exit_code == 0
    assert committee("report", "scores", "--year", YEAR, "-f", "json").json() == []


@pytest.mark.usefixtures("demo")
def test_the_demo_committee_round(kbo: Invoke) -> None:
    """Four judges in 2569; NPM12-01 flagged for a 12-point spread, re-scored, then picked; the round closed."""
    rows = kbo("report", "scores", "--year", "2569", "-f", "json").json()
    by = {}
    for r in rows:
        by.setdefault(r["product_code"], r)
    assert by["NPM12-01"]["status"] == "agreed" and by["NPM12-01"]["result"] == 84.25
    assert by["NPM04-01"]["status"] == "pending" and by["NPM04-01"]["judges_scored"] == 2
    assert {r["members"] for r in rows} == {4}
    spread = [
        h
        for h in kbo("history", "-f", "json").json()
        if h["table"] == "judge_score" and h["action"] == "update" and h["field"] == "part1"
    ]
    assert [(h["old"], h["new"]) for h in spread] == [(17.0, 20.0)]  # 74 -> 83: the spread of 12 discussed
    assert kbo("report", "round", "2569", "-f", "json").json()[0]["product_code"] == "NPM12-01"
    closed = kbo("committee", "list", "2569")
    assert "Closed by" in closed.stderr and "2026-09-22" in closed.stderr
    assert kbo("committee", "list", "2570").stderr.strip().endswith("Open for scoring.")
