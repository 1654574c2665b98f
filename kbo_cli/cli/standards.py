"""kbo standards: the standards catalogue (a reviewed data file, not the database)."""

from kbo_cli.cli._common import subcommands
from kbo_cli.cli.options import CategoryOption, FormatOption, WideOption
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("The standards catalogue (อย., มอก., มผช., GAP, organic, GMP, Halal, labelling).")


@app.command("list")
def list_(category: CategoryOption = None, fmt: FormatOption = Format.table, wide: WideOption = False) -> None:
    """List the standards of the catalogue, and for which categories each is required or recommended.

    Example: kbo standards list --category อาหาร
    """
    from kbo_cli.reference.catalog import STANDARD_COLUMNS, standard_rows
    from kbo_cli.render.output import render

    render(Listing(standard_rows(category), STANDARD_COLUMNS, title=_("Standards catalogue")), fmt, wide=wide)
