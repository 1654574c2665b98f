"""Messages in Thai and English, from gettext PO catalogues.

Source strings (msgids) are English and live in the code wrapped in `_()`; their Thai translations live
in `kbo_cli/locale/th/*.po`, standard gettext catalogues (one per part of kbo) that translators edit
with any PO tool; `python -m kbo_cli.locale.extract` lists or adds the msgids still missing. Thai is
the default language; `--lang en` or `KBO_LANG=en` switches. The catalogue is parsed lazily, the first
time a message is translated, so `kbo --help` does not pay for it.

`N_()` marks a string for translation without translating it (for labels defined at import time);
translate it later with `_()`. `tests/test_i18n.py` fails when a msgid has no Thai translation.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
LOCALE_DIR = Path(__file__).parent / "locale"

_current = {"lang": os.environ.get("KBO_LANG", DEFAULT_LANGUAGE)}


def set_language(lang: str) -> None:
    """Switch the language for the rest of the process (`th` or `en`)."""
    lang = lang.strip().lower()
    if lang not in LANGUAGES:
        from kbo_cli.errors import InvalidValue

        raise InvalidValue(
            f"unknown language '{lang}' / ไม่รู้จักภาษา '{lang}'",
            "use th or en / ใช้ th หรือ en",
        )
    _current["lang"] = lang


def current_language() -> str:
    lang = _current["lang"]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for one language (English is the msgids themselves)."""
    if lang == "en":
        return {}
    import polib

    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        merged.update((e.msgid, e.msgstr) for e in polib.pofile(str(path)).translated_entries())
    return merged


def _(msgid: str, /, **params: object) -> str:
    """Translate `msgid` into the current language, then fill its `{placeholders}`."""
    text = catalog(current_language()).get(msgid) or msgid
    return text.format(**params) if params else text


def N_(msgid: str, /) -> str:
    """Mark a string for translation; it is translated when passed to `_()`."""
    return msgid


def pick(th: str | None, en: str | None) -> str:
    """Choose between a Thai and an English value from a data file (falls back to the other)."""
    if current_language() == "th":
        return th or en or ""
    return en or th or ""


class Bilingual:
    """A mixin for records from data files that have `name_th` and `name_en`: `.name` in the user's language."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)
