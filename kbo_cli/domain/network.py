"""The KBO network's own settings, stored in the database: its province and its name.

The province decides which district and sub-district names are accepted (`kbo init --province 48`, any of
the 77 provinces; see `kbo_cli.thai.places`); a database with no province accepts any name.
"""

from __future__ import annotations

from sqlmodel import Session, select

from kbo_cli.domain.text import one_line
from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.storage.models import ProducerGroup, Setting
from kbo_cli.thai import places
from kbo_cli.thai.textnorm import thai_sort_key

PROVINCE = "province"
NETWORK_NAME = "network_name"


def get(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row else None


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def province_code(session: Session) -> str | None:
    return get(session, PROVINCE)


def set_province(session: Session, text: str) -> str:
    """Set the network's province from a code or a name; returns its code."""
    prov = places.province(text)
    if prov.code != province_code(session):  # the groups stored must lie in the new province's districts
        stored = session.exec(select(ProducerGroup.district, ProducerGroup.subdistrict).distinct()).all()
        wrong = (places.misplaced(prov.code, district, subdistrict) for district, subdistrict in stored)
        problems = sorted({why for _column, why in filter(None, wrong)}, key=thai_sort_key)
        if problems:
            raise Conflict(
                _(
                    "the network's groups are not all in {province}: {problems}",
                    province=prov.name,
                    problems="; ".join(problems[:3]) + (" …" if len(problems) > 3 else ""),
                ),
                _(
                    "correct those groups (kbo group edit CODE --district …), or use a new database (--db) for "
                    "another province"
                ),
            )
    put(session, PROVINCE, prov.code)
    return prov.code


def check_district(session: Session, text: str) -> str:
    """The canonical district name for what was typed (a record's district, or a filter), checked against
    the network's province: an unknown one is refused with the closest names. With no province set, any
    district name is taken as typed."""
    cleaned = one_line(text, N_("district"), limit=120)
    if not cleaned:
        raise InvalidValue(_("the district cannot be empty"), _("give the district (อำเภอ) name"))
    code = province_code(session)
    if code is None:
        return cleaned
    return places.check_district(code, cleaned)


def page_meta(session: Session) -> dict[str, str | None]:
    """The network's name and province, for the head of a printed page."""
    code = province_code(session)
    return {"network": get(session, NETWORK_NAME), "province": places.province(code).name if code else None}


def check_subdistrict(session: Session, district: str, text: str | None) -> str | None:
    """The canonical sub-district (ตำบล/แขวง) name for what was typed, or None when nothing was typed.

    It must be a sub-district of `district` (the group's district) in the network's province.
    """
    cleaned = one_line(text, N_("sub-district"), limit=120)
    if not cleaned:
        return None
    code = province_code(session)
    if code is None:
        return cleaned
    return places.check_subdistrict(code, district, cleaned)
