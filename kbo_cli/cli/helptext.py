"""`--help` in the user's language.

Help texts are written in English in the code, as any message is (the commands' docstrings, `help=` of
options, arguments and command groups); they are msgids, translated when help is shown, so that `--lang en`
and `KBO_LANG` choose the language of help as they do of everything else. Click's and Typer's own words in
help (the headings, `[env var: ...]`, `[default: ...]`, `[required]`) are translated here too.

A translation of a command's help starts with a line of its own that sums it up: the group's list of commands
shows that line (in English, Click shows the first sentence). Click wraps help at spaces only, so a Thai
translation keeps a space between phrases (a test holds every run without one to a width that never needs
cutting). `TranslatedHelp` goes before Typer's command and group classes; `messages` lists every help msgid
of a command tree, for the catalogue's checks (`kbo_cli.locale.extract`).
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterator
from typing import Any

from kbo_cli.i18n import N_, _

#: Click's and Typer's own words in help, as msgids (Click adds the colon after a heading)
HEADINGS = (N_("Arguments"), N_("Options"), N_("Commands"))
USAGE = N_("Usage: ")
#: what Typer puts in brackets after an option's help, each form with its placeholder
EXTRAS = {"env var: ": N_("env var: {var}"), "default: ": N_("default: {default}")}
REQUIRED = N_("required")


def help_text(command: Any) -> str:
    """A command's help as its msgid: its docstring or `help=`, de-indented, up to a form feed."""
    return inspect.cleandoc(command.help).partition("\f")[0] if command.help else ""


def _translated(msgid: str) -> str:
    return _(msgid) if msgid else ""


def _extras(text: str) -> str:
    """Typer's `[env var: KBO_DB; default: 20; required]` in the user's language."""
    items = []
    for item in text.split("; "):
        for prefix, form in EXTRAS.items():
            if item.startswith(prefix):
                key = form[form.index("{") + 1 : form.index("}")]
                item = _(form, **{key: item[len(prefix) :]})
                break
        else:
            item = _(REQUIRED) if item == REQUIRED else item  # a number's range stays as Typer writes it
        items.append(item)
    return "; ".join(items)


def parameter_help(param: Any, record: str) -> str:
    """An option's or argument's help line (`record`, as Typer wrote it) in the user's language."""
    own = param.help or ""
    if not record.startswith(own):  # not the form Typer writes: left as it is
        return record
    rest = record[len(own) :].strip()
    if rest.startswith("[") and rest.endswith("]"):
        rest = f"[{_extras(rest[1:-1])}]"
    translated = _translated(own)
    return f"{translated}  {rest}" if translated and rest else translated or rest


class TranslatedHelp:
    """A Typer command or group whose help is shown in the user's language (put first among the bases)."""

    help: str | None
    short_help: str | None

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE))

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = _translated(help_text(self))
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        sections: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is not None and param.param_type_name in sections:
                sections[param.param_type_name].append((record[0], parameter_help(param, record[1])))
        for heading, rows in zip(HEADINGS, sections.values(), strict=False):
            if rows:
                with formatter.section(_(heading)):
                    formatter.write_dl(rows)
        if hasattr(self, "list_commands"):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """A group's commands, each with the start of its help."""
        group: Any = self
        commands = [(name, cmd) for name in group.list_commands(ctx) if (cmd := group.get_command(ctx, name))]
        commands = [(name, cmd) for name, cmd in commands if not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
            with formatter.section(_(HEADINGS[2])):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])

    def get_short_help_str(self, limit: int = 45) -> str:
        """The start of the help, for a group's list of commands: in English its first sentence (as Click does);
        in a translation its first line (Thai ends no sentence with a full stop, and a mark such as อย. has one)."""
        source = inspect.cleandoc(self.short_help) if self.short_help else help_text(self)
        text = _translated(source)
        if text == source:
            return str(super().get_short_help_str(limit))  # type: ignore[misc]
        return textwrap.shorten(text.partition("\n")[0], limit, placeholder=" …")


def messages(command: Any, parent: Any = None, path: str = "kbo") -> Iterator[tuple[str, str]]:
    """(msgid, where) for every help text of `command` and of the commands under it."""
    import typer

    ctx = typer.Context(command, parent=parent, info_name=path.rpartition(" ")[2], **command.context_settings)
    where = f"{path} --help"
    for text in (help_text(command), inspect.cleandoc(command.short_help or "")):
        if text:
            yield text, where
    for param in command.get_params(ctx):
        if param.help:
            yield param.help, where
    for name in command.list_commands(ctx) if hasattr(command, "list_commands") else ():
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            yield from messages(sub, ctx, f"{path} {name}")
