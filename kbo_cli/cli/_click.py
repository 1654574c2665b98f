"""The few Click names kbo needs, from the copy of Click that Typer (0.29+) ships inside itself."""

from typer import Abort
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

__all__ = ["Abort", "ClickException", "NoArgsIsHelpError", "UsageError"]
