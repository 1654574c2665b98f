"""Finding a producer group or product from what the user typed: its code, or its exact name.

Names match through `textnorm.name_key`, so two ways of typing the same Thai name are equal. An unknown
reference is an error that offers the closest names; a name shared by several records is an error that
lists them with their codes.
"""

from __future__ import annotations

import difflib
import re
from typing import TypeVar

from sqlmodel import Session, col, select

from kbo_cli.domain.text import NAME_MAX, one_line
from kbo_cli.errors import Ambiguous, InvalidValue, NotFound
from kbo_cli.i18n import _
from kbo_cli.storage.models import ProducerGroup, Product
from kbo_cli.thai.textnorm import name_key

Record = TypeVar("Record", ProducerGroup, Product)

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
_SUGGESTIONS = 5
_SCAN_LIMIT = 20_000


def clean_code(text: str) -> str:
    """A user-given code in canonical form (upper-case ASCII letters, digits, `.`, `_`, `-`)."""
    code = text.strip().upper()[:64]
    if not CODE_PATTERN.match(code):
        raise InvalidValue(
            _("'{code}' is not a valid code", code=text),
            _("a code is 1 to 32 letters A-Z, digits, '.', '_' or '-', starting with a letter or digit"),
        )
    return code


def find_group(session: Session, ref: str) -> ProducerGroup:
    return _find(session, ProducerGroup, ref, _("producer group"))


def find_product(session: Session, ref: str) -> Product:
    return _find(session, Product, ref, _("product"))


def _find(session: Session, model: type[Record], ref: str, what: str) -> Record:
    text = one_line(ref, what, limit=NAME_MAX)
    if not text:
        raise InvalidValue(_("the {what} is empty", what=what), _("type a code or a name"))
    by_code = session.exec(select(model).where(model.code == text.upper())).first()
    if by_code is not None:
        return by_code
    key = name_key(text)
    matches = list(session.exec(select(model).where(model.name_key == key).order_by(model.code)).all())
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"{m.code} {m.name}" for m in matches[:_SUGGESTIONS])
        raise Ambiguous(
            _("'{ref}' matches {count} records: {listed}", ref=text, count=len(matches), listed=listed),
            _("use the code instead of the name"),
        )
    raise NotFound(_("no {what} '{ref}'", what=what, ref=text), _suggest(session, model, text, key))


def _suggest(session: Session, model: type[Record], text: str, key: str) -> str:
    """A hint offering the closest codes and names."""
    contains = session.exec(
        select(model.code, model.name).where(col(model.name_key).contains(key)).limit(_SUGGESTIONS)
    ).all()
    pairs = list(contains)
    if len(pairs) < _SUGGESTIONS:
        pool = session.exec(select(model.code, model.name, model.name_key).limit(_SCAN_LIMIT)).all()
        by_key = {name_key: (code, name) for code, name, name_key in pool}
        by_code = {code: (code, name) for code, name, _key in pool}
        close = difflib.get_close_matches(key, list(by_key), n=_SUGGESTIONS, cutoff=0.5)
        close_codes = difflib.get_close_matches(text.upper(), list(by_code), n=2, cutoff=0.6)
        for found in [by_key[k] for k in close] + [by_code[c] for c in close_codes]:
            if found not in pairs:
                pairs.append(found)
    if not pairs:
        return _("list them with 'kbo {noun} list'", noun="group" if model is ProducerGroup else "product")
    listed = "; ".join(f"{code} {name}" for code, name in pairs[:_SUGGESTIONS])
    return _("did you mean: {listed}", listed=listed)
