"""The demo dataset: a fictional Nakhon Phanom KBO network and its year, loaded from data/demo.toml.

Everything goes through the same domain functions as the commands, so the demo data is validated like
typed input (districts, certificate numbers, dates). Each event of the story (the registration, the
workshop, the field visits, the certificates that arrived, the follow-up meeting and its pick) is recorded
as a change set of its own, dated the day it happened, so that the history and the before/after reports
(`kbo report progress --since-meeting 1`) tell the story back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from kbo_cli.domain import committee, followup, meetings, network, opc, selection
from kbo_cli.domain.checklist import set_entry
from kbo_cli.domain.groups import add_group
from kbo_cli.domain.products import add_product
from kbo_cli.domain.refs import find_product
from kbo_cli.errors import Conflict
from kbo_cli.i18n import _
from kbo_cli.reference.resources import load_toml
from kbo_cli.storage.history import next_change_set
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product, id_of
from kbo_cli.vocab import ActionStatus

#: who enters the demo's records
CLERK = "พช.นครพนม (demo)"


@dataclass(frozen=True)
class DemoSummary:
    groups: int
    products: int
    entries: int
    meetings: int


def is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(ProducerGroup)).one() == 0


def _at(day: str) -> datetime:
    """An event's moment: ten in the morning of its day, local time."""
    return datetime.combine(date.fromisoformat(day), time(10, 0)).astimezone()


def load_demo(*, session: Session) -> DemoSummary:
    """Load the demo network into an empty database, one dated change set per event of its story."""
    if not is_empty(session):
        raise Conflict(
            _("the database already holds data; the demo loads only into an empty one"),
            _("try it on a new file: kbo --db kbo-demo.db demo"),
        )
    data = load_toml("demo.toml")
    meta = data.get("meta", {})
    # (day, order, command, do); `do` is called without arguments (typed `...`: mypy cannot infer a lambda that
    # binds loop values as default arguments against `Callable[[], Any]`)
    events: list[tuple[str, int, str, Callable[..., Any]]] = []

    def event(day: str, order: int, command: str, do: Callable[..., Any]) -> None:
        events.append((day, order, command, do))

    def each(
        key: str,
        order: int,
        command: Callable[[dict[str, Any]], str],
        do: Callable[[dict[str, Any]], Any],
        day: Callable[[dict[str, Any]], str] = lambda item: item["on"],
    ) -> None:
        """An event for each record of the list `key` in the file, on its day (`on`, unless `day` says)."""
        for item in data.get(key, []):
            event(day(item), order, command(item), lambda item=item: do(item))

    def product(item: dict[str, Any]) -> Product:
        return find_product(session, item["product"])

    event(meta["registered"], 0, "kbo import ทะเบียน-OTOP-นครพนม-2569.xlsx", lambda: _register(session, data, meta))
    meeting_ids: dict[int, int] = {}
    for number, m in enumerate(data.get("meeting", []), 1):
        event(
            m["on"],
            1,
            f"kbo meeting add {m['title']!r}",
            lambda m=m, n=number: meeting_ids.__setitem__(n, _meeting(session, m)),
        )
    findings: dict[int, int] = {}  # number in the file (from 1) -> id
    for number, f in enumerate(data.get("finding", []), 1):
        event(
            f["on"],
            2,
            f"kbo finding add {f['product']}",
            lambda f=f, n=number: findings.__setitem__(
                n,
                id_of(
                    followup.add_finding(
                        session=session,
                        product=product(f),
                        kind=f["kind"],
                        text=f["text"],
                        noted_on=f["on"],
                        author=f["by"],
                        meeting_id=meeting_ids.get(f.get("meeting", 0)),
                    )
                ),
            ),
        )
        if f.get("resolved"):
            event(
                f["resolved"],
                3,
                "kbo finding resolve",
                lambda f=f, n=number: followup.resolve_finding(
                    session=session, finding=followup.get_finding(session, findings[n]), on=f["resolved"]
                ),
            )
    workshop_end = data["meeting"][0].get("to", data["meeting"][0]["on"]) if data.get("meeting") else meta["registered"]
    for p in data.get("plan", []):
        action: dict[str, Any] = {}
        event(
            workshop_end,
            3,
            f"kbo plan add {p['product']}",
            lambda p=p, a=action: a.update(
                row=followup.add_action(
                    session=session,
                    product=product(p),
                    action=p["action"],
                    agency=p["agency"],
                    due=p.get("due"),
                    standard=p.get("standard"),
                    weakness=findings[p["weakness"]] if p.get("weakness") else None,
                    author=CLERK,
                    meeting_id=meeting_ids.get(p.get("meeting", 0)),
                )
            ),
        )
        if p["status"] != ActionStatus.OPEN:
            event(
                p["closed"],
                5,
                f"kbo plan {'done' if p['status'] == ActionStatus.DONE else 'drop'}",
                lambda p=p, a=action: followup.close_action(
                    session=session, action=a["row"], status=ActionStatus(p["status"]), on=p["closed"]
                ),
            )
    each(
        "visit",
        4,
        lambda v: f"kbo visit add --group {v['group']}",
        lambda v: followup.add_visit(
            session=session,
            on=v["on"],
            group=v["group"],
            products=v.get("products", []),
            visitors=v["by"],
            found=v.get("found"),
            next_steps=v.get("next"),
            author=CLERK,
        ),
    )
    each(
        "update",
        4,
        lambda u: f"kbo checklist set {u['product']} {u['standard']}",
        lambda u: _set_entry(session, product(u), u["standard"], u),
    )
    each(
        "opc",
        0,
        lambda o: f"kbo opc set {o['product']} --year {o['year']}",
        lambda o: opc.record_score(session=session, product=product(o), year=o["year"], parts=_parts(o), author=CLERK),
        day=lambda _o: meta["registered"],
    )
    each(
        "selection",
        6,
        lambda s: f"kbo select {s['product']} --year {s['year']}",
        lambda s: selection.select_product(
            session=session,
            product=product(s),
            year=s["year"],
            reason=s["reason"],
            decided_by=s["by"],
            decided_on=date.fromisoformat(s["on"]),
            meeting_id=meeting_ids.get(s.get("meeting", 0)),
        ),
        day=lambda s: max(s["on"], meta["registered"]),  # not dated before the register
    )
    for cm in data.get("committee", []):
        event(
            cm["on"],
            1,
            f"kbo committee add {cm['year']}",
            lambda cm=cm: [
                committee.add_member(
                    session=session,
                    year=cm["year"],
                    name=m["name"],
                    agency=m["agency"],
                    title=m.get("title"),
                    author=CLERK,
                )
                for m in cm["members"]
            ],
        )
        if cm.get("closed"):
            event(
                cm["closed"],
                5,
                f"kbo committee close {cm['year']}",
                lambda cm=cm: committee.close_round(session=session, year=cm["year"], by=CLERK, at=_at(cm["closed"])),
            )
    each(
        "judge_score",
        2,
        lambda j: f"kbo opc score {j['product']} --year {j['year']} --judge {j['judge']!r}",
        lambda j: committee.record_judge_score(
            session=session, product=product(j), year=j["year"], judge=j["judge"], parts=_parts(j), author=CLERK
        ),
    )
    for day, _order, command, do in sorted(events, key=lambda e: (e[0], e[1])):
        next_change_set(session, command=command, at=_at(day), user=CLERK)
        do()
    session.flush()
    entries = session.exec(select(func.count()).select_from(ChecklistEntry)).one()  # every product's whole checklist
    return DemoSummary(
        groups=len(data["group"]), products=len(data["product"]), entries=entries, meetings=len(data.get("meeting", []))
    )


def _parts(score: dict[str, Any]) -> list[float]:
    """An OPC score's three parts as the demo data gives them."""
    return [float(x) for x in score["parts"]]


def _register(session: Session, data: dict[str, Any], meta: dict[str, Any]) -> None:
    """The groups and products, with their checklists as they stood when the network registered them."""
    if meta.get("province") and network.province_code(session) is None:
        network.set_province(session, meta["province"])
    if meta.get("network"):
        network.put(session, network.NETWORK_NAME, meta["network"])
    for g in data["group"]:
        add_group(
            session=session,
            **{k: g.get(k) for k in ("name", "district", "subdistrict", "village", "code", "contact", "phone", "kind")},
        )
    for p in data["product"]:
        product = add_product(
            session=session,
            name=p["name"],
            group=p["group"],
            category=p["category"],
            code=p.get("code"),
            description=p.get("description"),
        )
        for standard, e in p.get("checklist", {}).items():
            _set_entry(session, product, standard, e)


def _set_entry(session: Session, product: Product, standard: str, entry: dict[str, Any]) -> None:
    """A checklist entry as the demo data gives it (status, cert, issued, expires, note; each optional)."""
    set_entry(
        session=session,
        product=product,
        standard=standard,
        status=entry.get("status"),
        cert=entry.get("cert"),
        issued=entry.get("issued"),
        expires=entry.get("expires"),
        note=entry.get("note"),
    )


def _meeting(session: Session, m: dict[str, Any]) -> int:
    meeting = meetings.add_meeting(
        session=session,
        title=m["title"],
        on=m["on"],
        to=m.get("to"),
        place=m.get("place"),
        minutes=m.get("minutes"),
        author=CLERK,
    )
    who = meetings.Attendees(m.get("groups", []), m.get("agencies", []), m.get("people", []))
    meetings.add_attendance(session=session, meeting=meeting, who=who)
    return id_of(meeting)
