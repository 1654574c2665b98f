"""Closed vocabularies of kbo: checklist statuses and kinds of producer group.

Codes are stable (command line, JSON/CSV, database); labels are shown in the user's language. A user
may type either the code or a label in either language (`certified`, `ได้รับรองแล้ว`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _


DEFINITIONS = N_(
    "Progress = certified / applicable, where not_applicable entries leave the denominator. "
    "Gaps = applicable entries that are not certified; a certificate past its expiry date is a gap "
    "(shown as expired)."
)


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CERTIFIED = "certified"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.NOT_STARTED: N_("not started"),
    Status.IN_PROGRESS: N_("in progress"),
    Status.SUBMITTED: N_("submitted"),
    Status.CERTIFIED: N_("certified"),
    Status.FAILED: N_("failed"),
    Status.NOT_APPLICABLE: N_("not applicable"),
}


class GroupKind(StrEnum):
    COMMUNITY = "community"
    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"
    SME = "sme"

    @property
    def label(self) -> str:
        return _(KIND_LABELS[self])


KIND_LABELS = {
    GroupKind.COMMUNITY: N_("community producer group"),
    GroupKind.ENTERPRISE: N_("community enterprise"),
    GroupKind.INDIVIDUAL: N_("single-owner producer"),
    GroupKind.SME: N_("SME producer"),
}


E = TypeVar("E", bound=StrEnum)


def _lookup(enum: type[E], labels: dict[E, str], text: str) -> E | None:
    wanted = " ".join(text.split()).casefold().replace("-", "_").replace(" ", "_")
    for member in enum:
        if wanted == member.value:
            return member
    from kbo_cli.i18n import catalog

    typed = " ".join(text.split()).casefold()
    for member, msgid in labels.items():
        candidates = {msgid.casefold(), catalog("th").get(msgid, msgid).casefold()}
        if typed in candidates:
            return member
    return None


def parse_status(text: str) -> Status:
    found = _lookup(Status, STATUS_LABELS, text)
    if found is None:
        raise InvalidValue(
            _("unknown status '{value}'", value=text),
            _("use one of: {choices}", choices=", ".join(s.value for s in Status)),
        )
    return found


def parse_kind(text: str) -> GroupKind:
    found = _lookup(GroupKind, KIND_LABELS, text)
    if found is None:
        raise InvalidValue(
            _("unknown kind of group '{value}'", value=text),
            _("use one of: {choices}", choices=", ".join(k.value for k in GroupKind)),
        )
    return found


def label_of(value: str, enum: type[StrEnum]) -> str:
    """The label of a stored code, or the code itself when it is not (or no longer) known."""
    try:
        return enum(value).label  # type: ignore[attr-defined,no-any-return]
    except ValueError:
        return value

