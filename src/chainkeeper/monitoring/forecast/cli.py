"""``chainkeeper monitoring forecast``: forecast the key enterprises' stoppages from a day's reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.table import Table

from chainkeeper.audit.actor import cli_actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.coordination.messages import error_text
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.forecast import service

OPERATOR = Principal(user_id=0, username="cli", display_name="cli", roles=frozenset({Role.ministry}))


def forecast_command(
    day: Annotated[str, typer.Option("--date", help="Report date YYYY-MM-DD (the latest reports on or before it).")],
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=60, help="Days ahead.")] = 30,
    lang: Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")] = None,
) -> None:
    """Forecast which key enterprises fall below 90% / 50% of normal output, keep it and print the red/yellow list."""
    chosen = language(lang)
    try:
        made_on = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        error_console.print(translate(_("--date must be a date YYYY-MM-DD, got {value}"), chosen, value=day))
        raise typer.Exit(2) from None
    try:
        with unit_of_work(open_engine()) as session:
            run = service.forecast(session=session, caller=Caller(OPERATOR, cli_actor()), made_on=made_on,
                                   horizon=horizon)
            lines = service.list_lines(session=session, principal=OPERATOR, run_id=run.id)
            _print(run.id, made_on, lines, chosen)
    except ChainkeeperError as error:
        error_console.print(error_text(error, chosen), highlight=False)
        raise typer.Exit(1) from None


def _print(run_id: int, made_on: date, lines: list[service.LineView], chosen: str) -> None:
    table = Table(title=translate(_("Stoppage forecast {run_id} from the reports of {day}"), chosen, run_id=run_id,
                                  day=made_on.isoformat()))
    for header in (_("Level"), _("Key enterprise"), _("Below 90% on day"), _("Below 50% on day"),
                   _("Binding input and supplier chain")):
        table.add_column(translate(header, chosen))
    for view in lines:
        line = view.line
        level = translate(_("red"), chosen) if line.level == "red" else translate(_("yellow"), chosen) \
            if line.level == "yellow" else ""
        chain = " → ".join(step["name"] for step in line.chain)
        table.add_row(level, view.enterprise.name, str(line.day_below_90), str(line.day_below_50 or "—"),
                      f"{line.binding_industry or translate(_('own capacity'), chosen)} {chain}".strip())
    console.print(table)
