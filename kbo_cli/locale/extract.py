"""Find the translatable messages in kbo's source and compare them with the Thai catalogues.

    python -m kbo_cli.locale.extract                 list msgids with no Thai translation
    python -m kbo_cli.locale.extract --add FILE.po   append them to FILE.po with empty translations
    python -m kbo_cli.locale.extract --compile       write the .po files into th/kbo.mo, which kbo reads

A message is the first argument of a call to `_()` or `N_()` when it is a string literal, or a help text of a
command, group, option or argument of `kbo` (`kbo_cli.cli.helptext`: shown translated by `--help`).
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def source_messages(root: Path = PACKAGE) -> dict[str, str]:
    """msgid -> 'file:line' of its first use."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def help_messages() -> dict[str, str]:
    """msgid -> 'kbo ... --help' where it is first shown: every help text of the `kbo` command tree."""
    import typer

    from kbo_cli.cli import app
    from kbo_cli.cli.helptext import messages

    found: dict[str, str] = {}
    for msgid, where in messages(typer.main.get_command(app)):
        found.setdefault(msgid, where)
    return found


def all_messages() -> dict[str, str]:
    """msgid -> where: the source's messages and the help texts."""
    return {**help_messages(), **source_messages()}


def catalogue_entries(lang: str = "th") -> dict[str, str]:
    """msgid -> msgstr over all of a language's catalogues (untranslated ones included, as '')."""
    import polib

    entries: dict[str, str] = {}
    for path in sorted((PACKAGE / "locale" / lang).glob("*.po")):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                entries[entry.msgid] = entry.msgstr
    return entries


def compile_catalogue(lang: str = "th") -> Path:
    """Write every translated message of a language's .po files into its one compiled catalogue."""
    import polib

    from kbo_cli.i18n import COMPILED

    merged = polib.POFile()
    merged.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
    for msgid, msgstr in sorted(catalogue_entries(lang).items()):
        if msgstr:
            merged.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    target = PACKAGE / "locale" / lang / COMPILED
    merged.save_as_mofile(str(target))
    return target


def missing(lang: str = "th") -> dict[str, str]:
    have = catalogue_entries(lang)
    return {m: where for m, where in all_messages().items() if not have.get(m)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--add", type=Path, help="append missing msgids to this .po file")
    parser.add_argument("--compile", action="store_true", help="write the .po files into the compiled catalogue")
    args = parser.parse_args()
    if args.compile:
        print(compile_catalogue())
        return
    todo = missing()
    if args.add:
        import polib

        po = polib.pofile(str(args.add)) if args.add.exists() else polib.POFile()
        po.metadata = po.metadata or {"Content-Type": "text/plain; charset=UTF-8", "Language": "th"}
        present = {e.msgid for e in po}
        for msgid, where in todo.items():
            if msgid not in present:
                occurrences = [tuple(where.split(":"))] if ":" in where else []
                po.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=occurrences, comment=where))
        po.save(str(args.add))
    for msgid, where in todo.items():
        print(f"{where}\t{msgid}")


if __name__ == "__main__":
    main()
