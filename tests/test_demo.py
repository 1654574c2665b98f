"""kbo demo: the demo dataset loads, both reports say something, and a second load is refused."""

from __future__ import annotations

from conftest import Invoke


def test_demo_loads_and_shows_progress_and_gaps(kbo: Invoke) -> None:
    r = kbo("demo")
    assert r.exit_code == 0, r.stderr
    assert "Loaded the demo" in r.stderr
    assert "Progress per producer group" in r.stdout and "Gaps per producer group" in r.stdout
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


def test_demo_refuses_a_database_with_data(kbo: Invoke, np_group: str) -> None:
    r = kbo("demo")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: the database already holds data")
    assert "kbo --db kbo-demo.db demo" in r.stderr
    assert len(kbo("group", "list", "-f", "json").json()) == 1
