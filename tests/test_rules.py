"""Each checklist rule has a Python function and an SQL twin (kbo_cli/domain/checklist.py): they must agree.

Every combination of status, expiry (none, yesterday, today, tomorrow) and certificate number (none,
empty, given) is stored for every standard and every category, on both engines, and each SQL expression
is compared with its Python rule entry by entry.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from kbo_cli.config import resolve_database
from kbo_cli.domain.checklist import (
    certified_sql,
    counts_as_certified,
    gap_sql,
    is_gap,
    numbered_sql,
    required_sql,
    standing,
    standing_sql,
)
from kbo_cli.reference import catalog
from kbo_cli.storage.db import make_engine
from kbo_cli.storage.models import ChecklistEntry, Product
from kbo_cli.vocab import Status

TODAY = date(2026, 11, 25)
EXPIRIES = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))
NUMBERS = (None, "", "ทก. 1234/2566")


def test_the_sql_twins_agree_with_the_python_rules(kbo, sql, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert kbo("group", "add", "กลุ่มทดสอบกฎ", "--district", "เมืองนครพนม", "--code", "R01").exit_code == 0
    combos = list(itertools.product(Status, EXPIRIES, NUMBERS))
    standards = catalog.standards()
    ((group_id,),) = sql("SELECT id FROM producer_group WHERE code = 'R01'")
    products, entries = [], []
    for n, category in enumerate(catalog.categories()):
        for i, (status, expires, number) in enumerate(combos):
            code = f"R{n:02d}-{i:03d}"
            products.append(
                f"('{code}', '{code}', '{code.lower()}', {group_id}, '{category}', '2026-01-01', '2026-01-01')"
            )
            for standard in standards:
                entries.append(
                    f"((SELECT id FROM product WHERE code = '{code}'), '{standard}', '{status.value}', "
                    f"{'NULL' if number is None else repr(number)}, "
                    f"{'NULL' if expires is None else repr(expires.isoformat())}, '2026-01-01')"
                )
    sql(
        "INSERT INTO product (code, name, name_key, group_id, category, created_at, updated_at) VALUES "
        + ", ".join(products)
    )
    sql(
        "INSERT INTO checklist_entry (product_id, standard, status, certificate_no, expires_on, updated_at) VALUES "
        + ", ".join(entries)
    )

    engine = make_engine(resolve_database(db_url), write=False)
    with Session(engine) as session:
        query = (
            select(
                ChecklistEntry.standard,
                ChecklistEntry.status,
                ChecklistEntry.expires_on,
                ChecklistEntry.certificate_no,
                Product.category,
                standing_sql(TODAY),
                certified_sql(TODAY),
                gap_sql(TODAY),
                numbered_sql(),
                required_sql(),
            )
            .join(Product, Product.id == ChecklistEntry.product_id)
            .where(col(Product.code).like("R%-%"))
        )
        rows = session.execute(query).all()
    engine.dispose()

    assert len(rows) == len(catalog.categories()) * len(combos) * len(standards)
    for std_code, status, expires, number, category, standing_, certified, gap, numbered, required in rows:
        std = standards[std_code]
        entry = (std_code, category, status, expires, number)
        expected = standing(status, expires, number, std.numbered(category), TODAY)
        assert standing_ == expected.value, entry
        assert bool(certified) == counts_as_certified(status, expires, TODAY), entry
        assert bool(gap) == is_gap(expected), entry
        assert bool(numbered) == std.numbered(category), entry
        assert bool(required) == std.is_required(category), entry
        assert isinstance(required, bool) and isinstance(numbered, bool), entry  # read back as booleans
