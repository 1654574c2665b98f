"""`--help` in the user's language: Thai by default (kbo's users are Thai officials), English with --lang en
or KBO_LANG=en; every command's help is translated, and Thai help is never cut inside a word."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

from kbo_cli.cli.helptext import help_text
from kbo_cli.i18n import catalog
from kbo_cli.locale.extract import help_messages

from conftest import kbo_command, run_kbo

THAI = re.compile("[\u0e00-\u0e7f]")
#: the longest run of text with Thai and no space that Click's wrapping never has to cut: its narrowest help
#: column at 80 columns is 46 characters (78 less a first column of at most 30 and the spacing)
LONGEST_RUN = 30
SUMMARY_MOST = 45


def commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every command and group of `kbo`, with its path (the root's is empty)."""
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(cmd: Any, path: tuple[str, ...], parent: Any) -> None:
        found.append((path, cmd))
        ctx = typer.Context(cmd, parent=parent, info_name=path[-1] if path else "kbo", **cmd.context_settings)
        for name in cmd.list_commands(ctx) if hasattr(cmd, "list_commands") else ():
            walk(cmd.get_command(ctx, name), (*path, name), ctx)

    walk(kbo_command(), (), None)
    return found


def thai(msgid: str) -> str:
    text = catalog("th").get(msgid)
    assert text, f"no Thai help for: {msgid[:60]}"
    return text


def flat(text: str) -> str:
    return " ".join(text.split())


def test_help_is_thai_by_default_and_english_with_lang_en(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KBO_LANG", raising=False)
    th = run_kbo(["product", "add", "--help"])
    assert th.exit_code == 0, th.stderr
    assert th.stdout.startswith("วิธีใช้: kbo product add")
    assert "อาร์กิวเมนต์:" in th.stdout and "ตัวเลือก:" in th.stdout
    assert "[จำเป็น]" in flat(th.stdout) and "[ค่าเริ่มต้น: table]" in flat(th.stdout)
    assert 'ตัวอย่าง: kbo product add "ผ้าฝ้ายย้อมคราม" --group G0001 --category ผ้า' in flat(th.stdout)
    assert "Example:" not in th.stdout and "Options:" not in th.stdout
    en = run_kbo(["--lang", "en", "product", "add", "--help"])
    assert en.stdout.startswith("Usage: kbo product add")
    assert "Options:" in en.stdout and "[required]" in en.stdout and "[default: table]" in flat(en.stdout)
    assert 'Example: kbo product add "ผ้าฝ้ายย้อมคราม"' in en.stdout
    monkeypatch.setenv("KBO_LANG", "en")
    en = run_kbo(["--help"])
    assert en.stdout.startswith("Usage: kbo") and "Commands:" in en.stdout
    assert "[env var: KBO_DB]" in flat(en.stdout)
    th = run_kbo(["--lang", "th", "--help"])
    assert th.stdout.startswith("วิธีใช้: kbo") and "คำสั่ง:" in th.stdout
    assert "[ตัวแปรสภาพแวดล้อม: KBO_DB]" in flat(th.stdout)


def test_every_commands_help_is_shown_in_thai() -> None:
    listed = commands()
    assert len(listed) > 60
    for path, cmd in listed:
        r = run_kbo(["--lang", "th", *path, "--help"])
        assert r.exit_code == 0, (path, r.stderr)
        shown = flat(r.stdout)
        source = help_text(cmd)
        assert flat(thai(source)) in shown, path
        assert flat(source).split(". ")[0] not in shown or not THAI.search(source), path  # not the English
        for param in cmd.params:
            if param.help and not param.hidden:
                assert flat(thai(param.help)) in shown, (path, param.name)


def test_command_lists_show_each_commands_thai_summary() -> None:
    for path, cmd in commands():
        if not hasattr(cmd, "list_commands"):
            continue
        r = run_kbo(["--lang", "th", *path, "--help"])
        listing = r.stdout.partition("คำสั่ง:\n")[2].splitlines()
        assert listing, path
        ctx = typer.Context(cmd, info_name="kbo", **cmd.context_settings)
        for name in cmd.list_commands(ctx):
            summary = thai(help_text(cmd.get_command(ctx, name))).partition("\n")[0]
            line = next(line for line in listing if line.split()[:1] == [name])
            shown = line.split(None, 1)[1]
            assert shown == summary or (shown.endswith("…") and summary.startswith(shown[:-1].rstrip())), (
                path,
                name,
                shown,
            )


def test_thai_help_is_never_cut_inside_a_word() -> None:
    """Click wraps at spaces only: each run of Thai without a space fits the narrowest column whole."""
    for msgid in help_messages():
        text = thai(msgid)
        long_runs = [run for run in text.split() if THAI.search(run) and len(run) > LONGEST_RUN]
        assert not long_runs, (msgid[:50], long_runs)
    for path, _cmd in commands():
        for line in run_kbo(["--lang", "th", *path, "--help"]).stdout.splitlines():
            assert len(line) <= 80, (path, line)


def test_a_translated_command_help_starts_with_its_summary() -> None:
    for path, cmd in commands():
        if path:
            summary = thai(help_text(cmd)).partition("\n")[0]
            assert summary.strip() and len(summary) <= SUMMARY_MOST, (path, summary)
