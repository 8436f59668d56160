"""``chainkeeper desk``: the coordination desk's clock for cron, the queue, routing rules, the working-day calendar,
and a letter's problem list imported from a spreadsheet."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from chainkeeper.audit.actor import cli_actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.coordination import queries
from chainkeeper.coordination.daily import ZONE
from chainkeeper.coordination.labels import CATEGORY_LABELS, LEVEL_LABELS, STATE_LABELS
from chainkeeper.coordination.letter_import import import_letter_rows
from chainkeeper.coordination.letters import create_letter
from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.coordination.models import Level
from chainkeeper.coordination.policy import desk_policy
from chainkeeper.coordination.routing import routing_level, set_routing_level
from chainkeeper.coordination.tick import run_tick
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.reference.pickers import display_names
from chainkeeper.core.caller import Caller

desk_app = typer.Typer(help="The coordination desk: cases, time limits, letters.")
Lang = Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")]
OPERATOR = Principal(user_id=0, username="cli", display_name="cli", roles=frozenset({Role.ministry}))


@desk_app.command("tick")
def tick(no_impact: Annotated[bool, typer.Option("--no-impact", help="Skip the engine's assessments.")] = False,
         no_delivery: Annotated[bool, typer.Option("--no-delivery", help="Leave notifications queued.")] = False,
         lang: Lang = None) -> None:
    """One run of the desk's clock: reminders, overdue flags, escalation, auto-confirmation, impact, delivery."""
    chosen = language(lang)
    report = run_tick(open_engine(), assess=not no_impact, deliver=not no_delivery)
    console.print(translate(_("reminded {reminded}, overdue {overdue}, escalated {escalated}, auto-confirmed "
                              "{confirmed}, assessed {assessed}, notifications sent {delivered}"), chosen,
                            reminded=report.reminded, overdue=report.overdue, escalated=report.escalated,
                            confirmed=report.auto_confirmed, assessed=report.assessed, delivered=report.delivered),
                  highlight=False)
    for problem in report.errors[:20]:
        error_console.print(problem, highlight=False)


LIST_HEADINGS = (_("Ledger no."), _("State"), _("Category"), _("Title"), _("Blocking party"), _("Handled by"),
                 _("Due (Beijing time)"))


@desk_app.command("list")
def list_cases(region: Annotated[str, typer.Option(help="Region code prefix.")] = "",
               open_only: Annotated[bool, typer.Option("--open", help="Open cases only.")] = False,
               query: Annotated[str, typer.Option("--q", help="A ledger number (TZ…) or text in the title.")] = "",
               wide: Annotated[bool, typer.Option("--wide", help="One line per case, however wide.")] = False,
               limit: Annotated[int, typer.Option(min=1, max=1000)] = 50, lang: Lang = None) -> None:
    """The queue, most urgent first; times in Beijing time; long text wraps (or, with --wide, stays on one line)."""
    chosen = language(lang)
    where = queries.CaseFilter(region=region, open_only=open_only, q=query)
    with unit_of_work(open_engine()) as session:
        found = queries.list_cases(session=session, principal=OPERATOR, where=where, page_size=limit)
        regions = display_names(session, (case.handling_region_code for case in found.items))
        table = Table(*(translate(heading, chosen) for heading in LIST_HEADINGS), show_lines=not wide)
        for column in table.columns:
            column.overflow, column.no_wrap = "fold", wide
        for case in found.items:
            table.add_row(case.ledger_no, translate(STATE_LABELS[case.state], chosen),
                          translate(CATEGORY_LABELS[case.category], chosen), case.title, case.blocking_name,
                          f"{translate(LEVEL_LABELS[case.level], chosen)} {regions.get(case.handling_region_code, '')}",
                          case.due_at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M") if case.due_at else "—")
    (Console(width=max(console.width, 240)) if wide else console).print(table)
    console.print(translate(_("{count} case(s)"), chosen, count=found.total), highlight=False)


@desk_app.command("routing")
def routing(province: str, level: Annotated[str | None, typer.Argument(help="county, city or province")] = None,
            lang: Lang = None) -> None:
    """Show or set where a province's new cases go first."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        try:
            if level is not None:
                if level not in Level.__members__:
                    raise refuse(ValidationFailed, _("the level is county, city or province"), field="level")
                set_routing_level(session=session, province_code=province, level=Level(level))
            current = routing_level(session=session, province_code=province)
            console.print(f"{province}: {translate(LEVEL_LABELS[current], chosen)}", highlight=False)
        except ChainkeeperError as error:
            error_console.print(error_text(error, chosen), highlight=False)
            raise typer.Exit(1) from None


@desk_app.command("calendar")
def calendar(year: int, lang: Lang = None) -> None:
    """The working-day calendar of a year: holidays and adjusted working days."""
    chosen, cal = language(lang), desk_policy().calendar
    if not cal.knows(year):
        error_console.print(translate(_("{year} is not in the calendar: Monday to Friday are taken as working days"),
                                      chosen, year=year), highlight=False)
    console.print(f"{year}: {cal.source(year) or translate(_('no notice'), chosen)}", highlight=False)
    day, off, extra = date(year, 1, 1), [], []
    while day.year == year:
        weekend = day.weekday() >= 5
        if cal.is_working_day(day) == weekend:
            (extra if weekend else off).append(day.isoformat())
        day += timedelta(days=1)
    console.print(translate(_("holidays on weekdays: {days}"), chosen, days=", ".join(off)), highlight=False)
    console.print(translate(_("working weekend days: {days}"), chosen, days=", ".join(extra)), highlight=False)


@desk_app.command("import-letter")
def import_letter(file: Path, from_province: Annotated[str, typer.Option("--from")],
                  to_province: Annotated[str, typer.Option("--to")], subject: Annotated[str, typer.Option()],
                  lang: Lang = None) -> None:
    """Draft a letter from one province to another carrying every problem of the spreadsheet (all rows or none)."""
    chosen = language(lang)
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
        error_console.print(error_text(error, chosen), highlight=False)
        for item in getattr(error, "details", [])[:50]:
            error_console.print("  " + translate(_("{file}, row {row}, {column}: {message}"), chosen,
                                                 file=item.get("file", file.name), row=item.get("row"),
                                                 column=item.get("column") or "",
                                                 message=translate(item.get("message", ""), chosen)), highlight=False)
        raise typer.Exit(1) from None
    console.print(translate(_("letter {number}: {count} case(s) filed and accepted; send it from the desk"), chosen,
                            number=number, count=len(ids)), highlight=False)
