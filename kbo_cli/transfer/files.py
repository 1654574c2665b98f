"""Files named by a user: small ones read with a bound, new ones written safely (into an existing folder,
never over a file unless asked, never half-written).

A file is written under a temporary name beside its target and renamed into place at the end, so a
failure (or Ctrl-C) never leaves a half-written file; kbo refuses to replace an existing file unless the
command is given `--force`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import _


def read_small(path: Path, *, limit: int, what: str, hint: str) -> bytes:
    """The bytes of a file a user named that must be small (a weights file, minutes): at most `limit` bytes are
    read, and a larger file is refused as too large for `what` (a file, or a device, is never read whole)."""
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise InvalidValue(_("cannot read {path}: {reason}", path=path, reason=exc.strerror or exc), hint) from exc
    if len(data) > limit:
        raise InvalidValue(
            _("{path} is too large for {what}", path=path, what=what),
            _("give a file of at most {size} KB", size=f"{limit // 1024:,}"),
        )
    return data


def check_target(path: Path, *, force: bool = False, example: str = "kbo.xlsx") -> Path:
    """The path, once it is somewhere a new file can be written (by a name a person can read)."""
    name = str(path)
    if not path.name.strip() or any(ord(ch) < 32 or ord(ch) == 127 or "\udc80" <= ch <= "\udcff" for ch in name):
        raise InvalidValue(
            _("'{path}' is not a usable file name", path=name.encode("unicode_escape").decode()[:80]),
            _("give a file name of letters, digits and punctuation"),
        )
    path = path.expanduser()
    if path.is_dir():
        raise InvalidValue(
            _("{path} is a folder, not a file", path=path),
            _("give a file name, for example {example}", example=path / example),
        )
    if not path.parent.is_dir():
        raise InvalidValue(_("the folder {folder} does not exist", folder=path.parent), _("create it first"))
    if path.exists() and not force:
        raise Conflict(_("{path} already exists", path=path), _("add --force to replace it, or give a new name"))
    return path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write to; it becomes `path` when the block ends without an error."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:  # the temporary name is kbo's business: the error names the file asked for
        if exc.filename is None or Path(exc.filename) != tmp:
            raise
        raise InvalidValue(
            _("cannot write {path}: {reason}", path=path, reason=exc.strerror or exc),
            _("choose a folder you can write to"),
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str, *, force: bool = True) -> None:
    path = check_target(path, force=force)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
