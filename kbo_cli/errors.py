"""Expected failures. Every one carries a message and a hint; the CLI prints them as `Error:` / `Hint:`.

Domain code raises these and never prints or exits; `kbo_cli.cli` turns them into one clean error line
on stderr and an exit code. Messages are already translated when raised (see `kbo_cli.i18n`).
"""

from __future__ import annotations


class KboError(Exception):
    """An expected failure the user can act on."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class NotFound(KboError):
    """A group, product, standard or other record that does not exist."""


class Ambiguous(KboError):
    """A reference that matches more than one record."""


class InvalidValue(KboError):
    """A value the user typed that kbo cannot accept (a usage error: exit 2)."""

    exit_code = 2


class Conflict(KboError):
    """The request contradicts what is stored (a duplicate code, a group that still has products...)."""


class DatabaseProblem(KboError):
    """The database cannot be opened, read or written (locked, corrupt, not kbo's, too old or new...)."""
