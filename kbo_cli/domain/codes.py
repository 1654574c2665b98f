"""Codes kbo makes up when the user gives none: short, stable and easy to type (G0007, P00042).

A record is flushed first with a temporary code, then gets its final code from its id, so two kbo
processes adding at the same time never pick the same code.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from kbo_cli.storage.models import ProducerGroup, Product

PREFIX = {ProducerGroup: ("G", 4), Product: ("P", 5)}


def temporary_code() -> str:
    return "~" + uuid.uuid4().hex[:20]


def assign_code(session: Session, record: ProducerGroup | Product) -> str:
    """Give a flushed record its generated code (skipping codes users chose for other records)."""
    prefix, width = PREFIX[type(record)]
    session.flush()
    base = f"{prefix}{record.id:0{width}d}"
    code, n = base, 0
    model = type(record)
    while session.exec(select(model.id).where(model.code == code, model.id != record.id)).first():
        n += 1
        code = f"{base}-{n}"
    record.code = code
    return code
