"""The demo dataset: a fictional Nakhon Phanom KBO network, loaded from data/demo.toml.

It goes through the same domain functions as the commands, so the demo data is validated like typed
input (districts, certificate numbers, dates).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from kbo_cli import network
from kbo_cli.checklist import set_entry
from kbo_cli.errors import Conflict
from kbo_cli.groups import add_group
from kbo_cli.i18n import _
from kbo_cli.models import ProducerGroup
from kbo_cli.products import add_product
from kbo_cli.resources import load_toml


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
    return DemoSummary(groups=len(data["group"]), products=len(data["product"]), entries=entries)
