"""``chainkeeper briefing``: generate a month's briefing, and the schedule's job for cron.

Deployments without the in-process clock run ``chainkeeper briefing scheduled`` daily (it does nothing before the
3rd, nor twice for a region)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainkeeper.audit.actor import cli_actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.coordination.messages import error_text
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate

briefing_app = typer.Typer(help="The monthly briefing (月度通报).")
Lang = Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")]
OPERATOR = Principal(user_id=0, username="cli", display_name="cli", roles=frozenset({Role.ministry}))


@briefing_app.command("generate")
def generate(month: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
             region: Annotated[str, typer.Option(help="00 (national) or a province's code.")] = "00",
             pdf: Annotated[Path | None, typer.Option(help="Also write the PDF to this file.")] = None,
             lang: Lang = None) -> None:
    """Generate the month's briefing of the region as a new version."""
    from chainkeeper.monitoring.briefing.service import generate as make

    chosen = language(lang)
    try:
        with unit_of_work(open_engine()) as session:
            briefing = make(session=session, caller=Caller(OPERATOR, cli_actor()), month=month, region_code=region)
            number, version, data = briefing.id, briefing.version, briefing.pdf
    except ChainkeeperError as error:
        error_console.print(error_text(error, chosen), highlight=False)
        raise typer.Exit(1) from error
    if pdf is not None:
        pdf.write_bytes(data)
    console.print(translate(_("briefing {id}: {month} {region}, version {version}"), chosen, id=number, month=month,
                            region=region, version=version), highlight=False)


@briefing_app.command("scheduled")
def scheduled(lang: Lang = None) -> None:
    """The schedule's job: last month's missing national and provincial briefings, from the 3rd of the month."""
    from chainkeeper.monitoring.briefing.schedule import run_scheduled

    chosen = language(lang)
    report = run_scheduled(open_engine())
    console.print(translate(_("scheduled briefings generated: {count}"), chosen, count=len(report.generated)),
                  highlight=False)
    for problem in report.errors[:20]:
        error_console.print(problem, highlight=False)
    if report.errors:
        raise typer.Exit(1)
