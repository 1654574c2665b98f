"""kbo demo: the demo dataset loads, both reports say something, and a second load is refused."""

from __future__ import annotations

import pytest

from conftest import Invoke


def test_demo_loads_and_shows_progress_and_gaps(kbo: Invoke) -> None:
    r = kbo("demo")
    assert r.exit_code == 0, r.stderr
    assert "Loaded the demo" in r.stderr
    assert "Progress since meeting #1" in r.stdout and "Gaps per producer group" in r.stdout
    groups = kbo("group", "list", "-f", "json").json()
    products = kbo("product", "list", "-f", "json").json()
    assert len(groups) >= 10 and len(products) >= 25
    assert {p["category"] for p in products} == {"food", "beverage", "textile", "craft", "herbal"}
    assert len({g["district"] for g in groups}) >= 8
    progress = kbo("report", "progress", "-f", "json").json()
    percents = [row["percent"] for row in progress]
    assert min(percents) < 30 and max(percents) > 70  # a believable spread
    statuses = {row["status"] for row in kbo("report", "gaps", "-f", "json").json()}
    assert {"not_started", "in_progress", "submitted"} <= statuses
    status = {row["key"]: row["value"] for row in kbo("db", "status", "-f", "json").json()}
    loaded = f"{status['producer_group']} producer groups, {status['product']} products, "
    assert loaded + f"{status['checklist_entry']} checklist entries" in " ".join(r.stderr.split())


def test_demo_refuses_a_database_with_data(kbo: Invoke, np_group: str) -> None:
    r = kbo("demo")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: the database already holds data")
    assert "kbo --db kbo-demo.db demo" in r.stderr
    assert len(kbo("group", "list", "-f", "json").json()) == 1


@pytest.mark.usefixtures("demo")  # loaded once per session (`kbo demo` itself: the tests above)
def test_the_demo_tells_the_story_of_a_workshop_and_a_follow_up(kbo: Invoke) -> None:
    """Registered 10 Jul 2569, workshop 20-21 Jul, certificates and visits in Aug-Sep, follow-up meeting and the
    province's pick on 22 Sep: the history, the meetings and the before/after reports tell it back."""
    meetings = kbo("meeting", "list", "-f", "json").json()
    assert [(m["starts_on"], m["ends_on"]) for m in meetings] == [("2026-07-20", "2026-07-21"), ("2026-09-22", None)]
    assert meetings[0]["findings"] >= 10 and meetings[0]["actions"] >= 8 and meetings[0]["agencies"] == 7
    assert meetings[1]["picks"] == 1
    since = kbo("report", "progress", "--since-meeting", "1", "-f", "json").json()
    assert sum(r["certified_since"] for r in since) == 5  # tcps, 2 x GMP, a label, Halal
    assert sum(r["actions_done"] for r in since) >= 5
    moved = {r["group_code"]: r["change"] for r in since if r["change"]}
    assert moved["NPM01"] > 0 and moved["NPM04"] > 0
    workshop = {
        r["group_code"]: r["percent"] for r in kbo("report", "progress", "--as-of", "21/07/69", "-f", "json").json()
    }
    now = {r["group_code"]: r["percent"] for r in kbo("report", "progress", "-f", "json").json()}
    assert workshop["NPM01"] < now["NPM01"] and workshop["NPM05"] == now["NPM05"]
    registered = kbo("report", "progress", "--as-of", "09/07/69", "-f", "json").json()
    assert registered == []  # nothing was recorded before the network registered its groups
    pick = kbo("report", "round", "2569", "-f", "json").json()[0]
    assert pick["product_code"] == "NPM12-01" and pick["role"] == "selected"
    shown = kbo("meeting", "show", "2", "-f", "json").json()
    assert shown["picks"] == [{"year": 2569, "scope": "province", "product_code": "NPM12-01"}]
    history = kbo("history", "-f", "json").json()
    assert min(h["at"] for h in history).startswith("2026-07-10")
