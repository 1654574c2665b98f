"""The demo dataset: a fictional Nakhon Phanom KBO network, loaded from data/demo.toml.

It goes through the same domain functions as the commands, so the demo data is validated like typed
input (districts, certificate numbers, dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from kbo_cli.domain import network
from kbo_cli.domain.checklist import set_entry
from kbo_cli.errors import Conflict
from kbo_cli.domain.groups import add_group
from kbo_cli.i18n import _
from kbo_cli.storage.models import ProducerGroup
from kbo_cli.domain.products import add_product
from kbo_cli.domain import followup, opc, selection
from kbo_cli.domain.refs import find_product
from kbo_cli.reference.resources import load_toml
from kbo_cli.vocab import ActionStatus


@dataclass(frozen=True)
class DemoSummary:
    groups: int
    products: int
    entries: int


def is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(ProducerGroup)).one() == 0


def load_demo(*, session: Session) -> DemoSummary:
    """Load the demo dataset into an empty database."""
    if not is_empty(session):
        raise Conflict(
            _("the database already holds data; the demo loads only into an empty one"),
            _("try it on a new file: kbo --db kbo-demo.db demo"),
        )
    data = load_toml("demo.toml")
    meta = data.get("meta", {})
    if meta.get("province") and network.province_code(session) is None:
        network.set_province(session, meta["province"])
    if meta.get("network"):
        network.put(session, network.NETWORK_NAME, meta["network"])
    entries = 0
    for g in data["group"]:
        add_group(session=session, **{k: g.get(k) for k in (
            "name", "district", "subdistrict", "village", "code", "contact", "phone", "kind")})
    for p in data["product"]:
        product = add_product(session=session, name=p["name"], group=p["group"], category=p["category"],
                              code=p.get("code"), description=p.get("description"))
        for standard, e in p.get("checklist", {}).items():
            set_entry(session=session, product=product, standard=standard, status=e.get("status"),
                      cert=e.get("cert"), issued=e.get("issued"), expires=e.get("expires"), note=e.get("note"))
            entries += 1
    _load_followup(session, data)
    return DemoSummary(groups=len(data["group"]), products=len(data["product"]), entries=entries)


def _load_followup(session: Session, data: dict[str, Any]) -> None:
    """Findings, plans, visits, OPC scores and the selection of the demo network."""
    findings: list[int] = []
    for f in data.get("finding", []):
        row = followup.add_finding(session=session, product=find_product(session, f["product"]), kind=f["kind"],
                                   text=f["text"], noted_on=f["on"], author=f["by"])
        if f.get("resolved"):
            followup.resolve_finding(session=session, finding=row, on=f["resolved"])
        findings.append(row.id)  # type: ignore[arg-type]
    for p in data.get("plan", []):
        action = followup.add_action(
            session=session, product=find_product(session, p["product"]), action=p["action"], agency=p["agency"],
            due=p.get("due"), standard=p.get("standard"),
            weakness=findings[p["weakness"] - 1] if p.get("weakness") else None, author=_("demo"))
        if p["status"] != ActionStatus.OPEN:
            followup.close_action(session=session, action=action, status=ActionStatus(p["status"]), on=p.get("closed"))
    for v in data.get("visit", []):
        followup.add_visit(session=session, on=v["on"], group=v["group"], products=v.get("products", []),
                           visitors=v["by"], found=v.get("found"), next_steps=v.get("next"), author=_("demo"))
    for o in data.get("opc", []):
        opc.record_score(session=session, product=find_product(session, o["product"]), year=o["year"],
                         parts=[float(x) for x in o["parts"]], author=_("demo"))
    for s in data.get("selection", []):
        selection.select_product(session=session, product=find_product(session, s["product"]), year=s["year"],
                                 reason=s["reason"], decided_by=s["by"], decided_on=date.fromisoformat(s["on"]))
