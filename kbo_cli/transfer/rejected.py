"""What a refused import says: every bad cell of the file, then one error line. Nothing was written."""

from __future__ import annotations

from dataclasses import dataclass

from kbo_cli.errors import KboError
from kbo_cli.i18n import _


@dataclass(frozen=True)
class RowError:
    sheet: str  # a sheet, a CSV file, or a dump's table
    row: int
    column: str
    message: str


class ImportRejected(KboError):
    """Some rows are bad: nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            _("{count} problems in the file: nothing was imported", count=len(errors)),
            _("correct the rows listed above and import again (add --dry-run to check without writing)"),
        )
        self.errors = errors
