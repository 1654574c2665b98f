"""The output formats a list or report is written in (`--format`); `output.render` writes each. A module of its
own, so that defining the commands (and `kbo --help`) loads none of the writers."""

from enum import StrEnum


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
