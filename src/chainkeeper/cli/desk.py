"""``chainkeeper desk``: the coordination desk's clock for cron, the queue, routing rules, the working-day calendar,
and a letter's problem list imported from a spreadsheet."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chainkeeper.audit.actor import cli_actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.coordination import queries
from chainkeeper.coordination.labels import CATEGORY_LABELS, STATE_LABELS
from chainkeeper.coordination.letter_import import import_letter_rows
from chainkeeper.coordination.letters import create_letter
from chainkeeper.coordination.models import Level
from chainkeeper.coordination.policy import desk_policy
from chainkeeper.coordination.routing import routing_level, set_routing_level
from chainkeeper.coordination.tick import run_tick
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import translate
from chainkeeper.whitelist.service import Caller

desk_app = typer.Typer(help="The coordination desk: cases, time limits, letters.")
Lang = Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")]
OPERATOR = Principal(user_id=0, username="cli", display_name="cli", roles=frozenset({Role.ministry}))


@desk_app.command("tick")
def tick(no_impact: Annotated[bool, typer.Option("--no-impact", help="Skip the engine's assessments.")] = False,
         no_delivery: Annotated[bool, typer.Option("--no-delivery", help="Leave notifications queued.")] = False,
         ) -> None:
    """One run of the desk's clock: reminders, overdue flags, escalation, auto-confirmation, impact, delivery."""
    report = run_tick(open_engine(), assess=not no_impact, deliver=not no_delivery)
    console.print(f"reminded {report.reminded}, overdue {report.overdue}, escalated {report.escalated}, "
                  f"auto-confirmed {report.auto_confirmed}, assessed {report.assessed}, "
                  f"notifications sent {report.delivered}", highlight=False)
    for problem in report.errors[:20]:
        error_console.print(problem, highlight=False)


@desk_app.command("list")
def list_cases(region: Annotated[str, typer.Option(help="Region code prefix.")] = "",
               open_only: Annotated[bool, typer.Option("--open", help="Open cases only.")] = False,
               limit: Annotated[int, typer.Option(min=1, max=1000)] = 50, lang: Lang = None) -> None:
    """The queue, most urgent first."""
    chosen = language(lang)
    where = queries.CaseFilter(region=region, open_only=open_only)
    with unit_of_work(open_engine()) as session:
        found = queries.list_cases(session=session, principal=OPERATOR, where=where, page_size=limit)
        table = Table("ledger", "state", "category", "title", "blocking party", "handling", "due (UTC)")
        for case in found.items:
            due = case.accept_due_at if case.state.value == "submitted" else case.resolve_due_at
            table.add_row(case.ledger_no, translate(STATE_LABELS[case.state], chosen),
                          translate(CATEGORY_LABELS[case.category], chosen), case.title, case.blocking_name,
                          case.handling_region_code or "—", due.strftime("%Y-%m-%d %H:%M") if due else "")
    console.print(table)
    console.print(f"{found.total} case(s)", highlight=False)


@desk_app.command("routing")
def routing(province: str, level: Annotated[str | None, typer.Argument(help="county, city or province")] = None
            ) -> None:
    """Show or set where a province's new cases go first."""
    with unit_of_work(open_engine()) as session:
        try:
            if level is not None:
                set_routing_level(session=session, province_code=province, level=Level(level))
            console.print(f"{province}: {routing_level(session=session, province_code=province).value}")
        except (ChainkeeperError, ValueError) as error:
            error_console.print(str(error))
            raise typer.Exit(1) from None


@desk_app.command("calendar")
def calendar(year: int) -> None:
    """The working-day calendar of a year: holidays and adjusted working days."""
    cal = desk_policy().calendar
    if not cal.knows(year):
        error_console.print(f"{year} is not in the calendar: Monday to Friday are taken as working days")
    console.print(f"{year}: {cal.source(year) or 'no notice'}", highlight=False)
    day, off, extra = date(year, 1, 1), [], []
    while day.year == year:
        weekend = day.weekday() >= 5
        if cal.is_working_day(day) == weekend:
            (extra if weekend else off).append(day.isoformat())
        day += timedelta(days=1)
    console.print(f"holidays on weekdays: {', '.join(off)}", highlight=False)
    console.print(f"working weekend days: {', '.join(extra)}", highlight=False)


@desk_app.command("import-letter")
def import_letter(file: Path, from_province: Annotated[str, typer.Option("--from")],
                  to_province: Annotated[str, typer.Option("--to")], subject: Annotated[str, typer.Option()]) -> None:
    """Draft a letter from one province to another carrying every problem of the spreadsheet (all rows or none)."""
    principal = Principal(user_id=0, username="cli", display_name="cli", roles=frozenset({Role.province}),
                          region_code=from_province)
    caller = Caller(principal, cli_actor())
    try:
        with unit_of_work(open_engine(), immediate=True) as session:
            letter = create_letter(session=session, caller=caller, to_region_code=to_province, subject=subject)
            with file.open("rb") as stream:
                ids = import_letter_rows(session=session, caller=caller, letter=letter, filename=file.name,
                                         data=stream)
            number = letter.number
    except ChainkeeperError as error:
        error_console.print(str(error), highlight=False)
        for item in getattr(error, "details", [])[:50]:
            error_console.print(f"  {item.get('file', file.name)}, row {item.get('row')}, "
                                f"{item.get('column') or ''}: {item.get('message')}", highlight=False)
        raise typer.Exit(1) from None
    console.print(f"letter {number}: {len(ids)} case(s) filed and accepted; send it from the desk", highlight=False)



