"""Every message exists in Thai and English, with the same placeholders."""

from __future__ import annotations

import re

import polib

from kbo_cli.i18n import COMPILED, LOCALE_DIR, catalog
from kbo_cli.locale.extract import all_messages, catalogue_entries, missing

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_every_message_has_a_thai_translation() -> None:
    untranslated = missing("th")
    assert not untranslated, "messages with no Thai translation:\n" + "\n".join(
        f"{where}: {msgid}" for msgid, where in untranslated.items()
    )


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in catalogue_entries("th").items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_the_catalogue_holds_no_message_the_code_no_longer_uses() -> None:
    unused = set(catalogue_entries("th")) - set(all_messages())
    assert not unused, f"remove from the catalogue: {sorted(unused)}"


def test_catalogues_are_valid_po_files() -> None:
    files = sorted((LOCALE_DIR / "th").glob("*.po"))
    assert files
    for path in files:
        po = polib.pofile(str(path))
        assert po.percent_translated() == 100


def test_the_compiled_catalogue_kbo_reads_matches_the_po_files() -> None:
    """kbo reads `th/kbo.mo`, not the .po files: after editing them, run
    `python -m kbo_cli.locale.extract --compile`."""
    import gettext

    with (LOCALE_DIR / "th" / COMPILED).open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    expected = {msgid: msgstr for msgid, msgstr in catalogue_entries("th").items() if msgstr}
    stale = {msgid for msgid, msgstr in expected.items() if compiled.gettext(msgid) != msgstr}
    assert not stale, f"run python -m kbo_cli.locale.extract --compile ({len(stale)} stale, e.g. {sorted(stale)[:3]})"
    assert catalog("th").get("product") == expected["product"]
