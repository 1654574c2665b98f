"""Settings resolved once per command: `--db` flag > `KBO_DB` > a SQLite file in the user's data dir.

Resolving is cheap (no SQLAlchemy import), so the root callback can do it for every command.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path

from kbo_cli.errors import DatabaseProblem
from kbo_cli.i18n import N_, _

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
#: query parameters that carry a credential (libpq's and the usual others)
_SECRET_PARAMETER = re.compile(r"([?&](?:[\w.-]*(?:pass|pwd|secret|token|key|auth|cred)[\w.-]*)=)[^&#]*", re.IGNORECASE)


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("kbo", appauthor=False) / "kbo.db"


def redact(url: str) -> str:
    """A database URL with every secret it can carry hidden (the password of its user info, and query
    parameters such as `password=`, `sslpassword=` or `sslkey=`), safe to print and to record."""
    return _SECRET_PARAMETER.sub(r"\1***", _PASSWORD.sub(r"\1***@", url))


def current_user() -> str:
    """Who is working: KBO_USER (checked like any name typed: it is stored as the author of every change),
    else the login name."""
    from kbo_cli.domain.text import required_name

    typed = os.environ.get("KBO_USER") or ""
    named = required_name(typed, N_("user name (KBO_USER)")) if typed.strip() else None  # blank: the login
    try:
        return named or getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "unknown"


@dataclass(frozen=True)
class DatabaseTarget:
    """Where the database is: a SQLAlchemy URL, and the file for SQLite."""

    url: str
    sqlite_path: Path | None
    is_default: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    def display(self) -> str:
        return str(self.sqlite_path) if self.sqlite_path else redact(self.url)


#: the database addresses kbo can use, and the driver each scheme means
SCHEMES = {
    "sqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def resolve_database(value: str | None) -> DatabaseTarget:
    """Turn what the user gave (path or URL, or nothing) into a DatabaseTarget; check a path's folder."""
    if value is not None and not value.strip():
        raise DatabaseProblem(
            _("the database address is empty"),
            _("give a file path or a URL, or leave --db out for the default database"),
        )
    value = (value or os.environ.get("KBO_DB") or "").strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise DatabaseProblem(_("the database address holds a control character"), _("type the path or URL again"))
    if not value:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return DatabaseTarget(f"sqlite:///{path}", path, is_default=True)
    if _URL.match(value):
        scheme, rest = value.split("://", 1)
        if scheme.lower() not in SCHEMES:
            raise DatabaseProblem(
                _("kbo cannot use a {scheme} database", scheme=scheme),
                _("give a SQLite file path, or a PostgreSQL URL like postgresql+psycopg://user@host/dbname"),
            )
        value = f"{SCHEMES[scheme.lower()]}://{rest}"
        if value.startswith("sqlite"):
            raw = value.split(":///", 1)[1] if ":///" in value else ""
            if not raw or raw == ":memory:":
                raise DatabaseProblem(
                    _("an in-memory SQLite database cannot keep kbo's data"),
                    _("give a file path, for example --db ./kbo.db"),
                )
            if raw.startswith("file:"):  # a SQLite URI filename: sqlite:///file:path?mode=ro&uri=true
                raw = raw[len("file:") :].split("?", 1)[0]
                return DatabaseTarget(value, _check_path(Path(raw)))
            return DatabaseTarget(value, _check_path(Path(raw.split("?", 1)[0])))
        return DatabaseTarget(value, None)
    path = _check_path(Path(value).expanduser())
    return DatabaseTarget(f"sqlite:///{path}", path)


def _check_path(path: Path) -> Path:
    path = path.absolute()
    if path.is_dir():
        raise DatabaseProblem(
            _("{path} is a folder, not a database file", path=path),
            _("give a file path, for example --db {example}", example=path / "kbo.db"),
        )
    if not path.parent.is_dir():
        raise DatabaseProblem(
            _("the folder {folder} does not exist", folder=path.parent),
            _("create the folder first, or give a path in an existing folder"),
        )
    return path
