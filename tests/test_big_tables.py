"""A table draws at most TABLE_ROWS rows and says how many there are; the machine formats give them all."""

from __future__ import annotations

import pytest

from conftest import Invoke


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("demo")
def test_a_long_list_is_cut_with_a_note_and_totals_over_all_rows(kbo: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from kbo_cli.render import table

    every = kbo("report", "gaps", "-f", "json").json()
    monkeypatch.setattr(table, "TABLE_ROWS", 5)
    r = kbo("report", "gaps", "--wide")
    assert r.exit_code == 0
    assert f"Showing the first 5 of {len(every)} rows" in r.stderr and "-f csv" in r.stderr
    assert f"{len(every)} gaps." in r.stderr  # the count is of every row, not of those drawn
    drawn = {row["product_code"] for row in every[:5]}
    assert all(code in r.stdout for code in drawn)
    assert every[-1]["product_code"] not in r.stdout
    assert len(kbo("report", "gaps", "-f", "csv").stdout.splitlines()) == len(every) + 1

    progress = kbo("report", "progress", "-f", "json").json()
    r = kbo("report", "progress", "--wide")
    total_certified = sum(row["certified"] for row in progress)
    footer = next(line for line in r.stdout.splitlines() if line.strip().startswith("Total"))
    assert str(total_certified) in footer.split()  # the footer counts the rows not drawn too
