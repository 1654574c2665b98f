"""kbo init and kbo demo: setting up a database (and loading the demo)."""

from typing import Annotated

import typer

from kbo_cli.cli._common import open_session, state
from kbo_cli.cli.options import text_option
from kbo_cli.i18n import _


def init(
    ctx: typer.Context,
    province: Annotated[
        str | None,
        text_option(
            "--province",
            help="The network's province (code or name, e.g. 48 or นครพนม); district names are checked against it.",
        ),
    ] = None,
    network_name: Annotated[str | None, text_option("--network", help="The network's name, for reports.")] = None,
) -> None:
    """Create or upgrade the database; safe to run again.

    Example: kbo init --province นครพนม
    """
    from kbo_cli.domain import network
    from kbo_cli.domain.text import required_name
    from kbo_cli.render.streams import message
    from kbo_cli.storage.migrations import HEAD

    with open_session(ctx, write=True, upgrade=True) as s:
        if province:
            network.set_province(s, province)
        if network_name:
            network.put(s, network.NETWORK_NAME, required_name(network_name, "network name"))
        code = network.province_code(s)
    target = state(ctx).target
    assert target is not None
    message(_("Database ready: {db} (schema {rev})", db=target.display(), rev=HEAD))
    if code:
        from kbo_cli.thai import places

        message(_("Province: {name} ({code})", name=places.province(code).name, code=code))


def demo(ctx: typer.Context) -> None:
    """Load the demo dataset (a fictional Nakhon Phanom network) into an empty database; show the reports.

    Example: kbo --db demo.db demo
    """
    from kbo_cli.cli import report
    from kbo_cli.domain.demo import load_demo
    from kbo_cli.render.formats import Format
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        summary = load_demo(session=s)
    target = state(ctx).target
    assert target is not None
    message(
        _(
            "Loaded the demo: {groups} producer groups, {products} products, {entries} checklist entries and "
            "{meetings} meetings into {db}",
            groups=summary.groups,
            products=summary.products,
            entries=summary.entries,
            meetings=summary.meetings,
            db=target.display(),
        )
    )
    report.progress(ctx, district=None, category=None, as_of=None, since=None, since_meeting=1, fmt=Format.table)
    report.gaps(ctx, group=None, district=None, category=None, standard=None, required_only=True, fmt=Format.table)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
