"""Messages in Thai and English, from gettext PO catalogues.

Source strings (msgids) are English and live in the code wrapped in `_()`; their Thai translations live
in `kbo_cli/locale/th/*.po`, standard gettext catalogues (one per part of kbo) that translators edit
with any PO tool; `python -m kbo_cli.locale.extract` lists or adds the msgids still missing, and
`--compile` writes them into the one compiled catalogue kbo reads, `kbo_cli/locale/th/kbo.mo` (a test
fails when it is older than the .po files). Thai is the default language; `--lang en` or `KBO_LANG=en`
switches. The compiled catalogue is read lazily, the first time a message is translated, so
`kbo --help` does not pay for it.

`N_()` marks a string for translation without translating it (for labels defined at import time);
translate it later with `_()`. `tests/test_i18n.py` fails when a msgid has no Thai translation.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path
from typing import overload

LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
LOCALE_DIR = Path(__file__).parent / "locale"
COMPILED = "kbo.mo"

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


class Catalogue:
    """One language's compiled messages, looked up like a dict."""

    def __init__(self, translations: gettext.NullTranslations) -> None:
        self._translations = translations

    @overload
    def get(self, msgid: str) -> str | None: ...
    @overload
    def get(self, msgid: str, default: str) -> str: ...
    def get(self, msgid: str, default: str | None = None) -> str | None:
        text = self._translations.gettext(msgid)
        return text if text != msgid else default


@cache
def catalog(lang: str) -> Catalogue:
    """msgid -> translation for one language (English is the msgids themselves)."""
    if lang == "en":
        return Catalogue(gettext.NullTranslations())
    with (LOCALE_DIR / lang / COMPILED).open("rb") as file:
        return Catalogue(gettext.GNUTranslations(file))


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
