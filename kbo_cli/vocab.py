"""Closed vocabularies: every code kbo stores or reports, its label, and the words officials type for it.

Codes are stable: the command line, JSON/CSV and the database use them, and the database refuses any
other value (CHECK constraints, migration 0004). Labels are msgids shown in the user's language. What
officials type — the code, the Thai or English label, the abbreviations in use (`สสจ.`, `พช.`, `ข้อดี`) —
is kept in reviewed data files (`data/vocabularies.toml` for the vocabularies below; the category,
agency and standard files for theirs), and one `lookup` turns any of it into a code or says what would.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Self

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _, catalog, current_language
from kbo_cli.reference.resources import load_toml
from kbo_cli.thai.textnorm import name_key


class Term(StrEnum):
    """A member of a closed vocabulary, defined as `CODE = "code", N_("label")`, or as `CODE = Other.CODE` where
    it is another vocabulary's member (the same code and label) in this one too."""

    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        if isinstance(value, Term):
            label = value._label
            value = value.value
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label or value
        return member

    @property
    def label(self) -> str:
        """The label in the user's language."""
        return _(self._label)

    @classmethod
    def choices(cls) -> list[Choice]:
        typed = load_toml("vocabularies.toml").get(_snake(cls.__name__), {})
        thai = catalog("th")
        return [
            Choice(m.value, m.label, (m.value, m._label, thai.get(m._label, m._label), *typed.get(m.value, ())))
            for m in cls
        ]

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member named by its code, its label in either language, or an alias officials use."""
        return cls(lookup(cls.choices(), text, what=_(_WHAT.get(cls.__name__, cls.__name__))))


class Status(Term):
    """Where a product stands against one standard (stored in `checklist_entry.status`)."""

    NOT_STARTED = "not_started", N_("not started")
    IN_PROGRESS = "in_progress", N_("in progress")
    SUBMITTED = "submitted", N_("submitted")
    CERTIFIED = "certified", N_("certified")
    FAILED = "failed", N_("failed")
    NOT_APPLICABLE = "not_applicable", N_("not applicable")


class Standing(Term):
    """What a report shows for an entry: its status, or `expired` / `number_missing` for a certificate."""

    NOT_STARTED = Status.NOT_STARTED
    IN_PROGRESS = Status.IN_PROGRESS
    SUBMITTED = Status.SUBMITTED
    CERTIFIED = Status.CERTIFIED
    FAILED = Status.FAILED
    NOT_APPLICABLE = Status.NOT_APPLICABLE
    EXPIRED = "expired", N_("expired")
    NUMBER_MISSING = "number_missing", N_("certified, number missing")


class GroupKind(Term):
    COMMUNITY = "community", N_("community producer group")
    ENTERPRISE = "enterprise", N_("community enterprise")
    INDIVIDUAL = "individual", N_("single-owner producer")
    SME = "sme", N_("SME producer")


class FindingKind(Term):
    STRENGTH = "strength", N_("strength")
    WEAKNESS = "weakness", N_("weakness")


class ActionStatus(Term):
    OPEN = "open", N_("open")
    DONE = "done", N_("done")
    DROPPED = "dropped", N_("dropped")


class Role(Term):
    """A product's place in a selection round."""

    SELECTED = "selected", N_("selected")
    RUNNER_UP = "runner_up", N_("runner-up")


class ChangeAction(Term):
    INSERT = "insert", N_("added")
    UPDATE = "update", N_("changed")
    DELETE = "delete", N_("removed")


class CommitteeStatus(Term):
    """Where a product stands in a committee round (`kbo report scores`): its result, or why it has none yet."""

    AGREED = "agreed", N_("agreed")
    PENDING = "pending", N_("quorum not reached")
    FLAGGED = "flagged", N_("spread over the limit: discuss and re-score")


_WHAT = {
    "Status": N_("status"),
    "Standing": N_("status"),
    "GroupKind": N_("kind of group"),
    "FindingKind": N_("kind of finding"),
    "ActionStatus": N_("action status"),
    "Role": N_("role"),
    "ChangeAction": N_("change"),
    "CommitteeStatus": N_("committee status"),
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


# --- lookup -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One value of a vocabulary: its code, its label (for hints) and every word that names it."""

    code: str
    label: str
    words: tuple[str, ...]


_IGNORED = re.compile(r"[\s._\-/()]+")


def word_key(text: str) -> str:
    """What two spellings of a vocabulary word are compared by: Thai typing, case, spaces, dots and
    dashes ignored (`สสจ.` = `สสจ`, `not started` = `not_started`)."""
    return _IGNORED.sub("", name_key(text))


@cache
def _index(choices: tuple[Choice, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for choice in choices:
        for word in choice.words:
            index.setdefault(word_key(word), choice.code)
    return index


def lookup(choices: Iterable[Choice], text: str, *, what: str) -> str:
    """The code of the choice `text` names, or InvalidValue listing the choices (Thai names first in Thai)."""
    options = tuple(choices)
    index = _index(options)
    key = word_key(text or "")
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.75) if key else []
    listed = ", ".join(f"{c.label} ({c.code})" if current_language() == "th" else c.code for c in options)
    hint = _("use one of: {choices}", choices=listed)
    if close:
        hint = _("did you mean {choice}? ", choice=_label_of(options, index[close[0]])) + hint
    raise InvalidValue(_("unknown {what} '{value}'", what=what, value=text), hint)


def _label_of(options: tuple[Choice, ...], code: str) -> str:
    return next(f"{c.label} ({c.code})" for c in options if c.code == code)
