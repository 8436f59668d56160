"""``chainkeeper whitelist``: recognition checks, exports for checkpoints, lists and agreements from the shell."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound
from chainkeeper.i18n import _, translate
from chainkeeper.whitelist import agreements, entries, service
from chainkeeper.whitelist.export import recognized_in_region, to_csv, to_xlsx
from chainkeeper.whitelist.recognition import is_recognized

whitelist_app = typer.Typer(help="Key-enterprise white lists and mutual recognition.")
Lang = Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")]
Day = Annotated[str | None, typer.Option("--date", help="The day (YYYY-MM-DD); default today.")]


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date") from None


@whitelist_app.command("check")
def check(uscc: str, region: str, day: Day = None, lang: Lang = None) -> None:
    """Is the enterprise recognised in the region on the day, and on what basis (exit code 1 when not)."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        try:
            answer = is_recognized(session=session, uscc=uscc, region_code=region, day=_day(day))
        except NotFound as error:
            error_console.print(str(error))
            raise typer.Exit(2) from None
    verdict = _("recognised") if answer.recognized else _("not recognised")
    console.print(translate("{uscc} in {region} on {day}: {verdict}", chosen, uscc=answer.uscc, region=region,
                            day=answer.day.isoformat(), verdict=translate(verdict, chosen)))
    for basis in answer.bases:
        console.print(translate("  list “{list}”, batch {batch}, category {category}", chosen, list=basis.list_name,
                                batch=basis.batch, category=basis.category), markup=False)
        if basis.via_pool_of:
            console.print(translate("  through the supplier pool of {uscc}", chosen, uscc=basis.via_pool_of))
        if basis.agreement_name:
            console.print(translate("  under the agreement “{name}”", chosen, name=basis.agreement_name),
                          markup=False)
    for note in answer.notes:
        console.print(f"  {note}", markup=False)
    if not answer.recognized:
        raise typer.Exit(1)


@whitelist_app.command("export")
def export(region: str, output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
           day: Day = None, lang: Lang = None) -> None:
    """Write everything recognised in the region on the day to a CSV or XLSX file (by the file's suffix)."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        rows = recognized_in_region(session=session, region_code=region, day=_day(day))
    output.write_bytes(to_xlsx(rows, chosen) if output.suffix.lower() == ".xlsx" else to_csv(rows, chosen))
    console.print(translate("{count} recognised enterprises written to {file}", chosen, count=len(rows),
                            file=str(output)))


@whitelist_app.command("lists")
def lists(day: Day = None, lang: Lang = None) -> None:
    """Every list with its batches, listed enterprises and resumption rate on the day."""
    chosen, when = language(lang), _day(day)
    table = Table(title=translate("white lists on {day}", chosen, day=when.isoformat()))
    for heading in (_("id"), _("name"), _("scope"), _("batches"), _("listed"), _("resumed")):
        table.add_column(translate(heading, chosen))
    with unit_of_work(open_engine()) as session:
        for item in service.list_lists(session=session):
            rate = entries.resumption_rate(session=session, list_id=item.id, as_of=when)
            table.add_row(str(item.id), item.name, item.scope_code or "—", str(len(item.batches)),
                          str(rate["total"]), f"{100 * rate['rate']:.1f}%")
    console.print(table)


@whitelist_app.command("agreements")
def agreements_command(lang: Lang = None) -> None:
    """The mutual-recognition agreements."""
    chosen = language(lang)
    table = Table(title=translate("mutual-recognition agreements", chosen))
    for heading in (_("name"), _("parties"), _("categories"), _("in force")):
        table.add_column(translate(heading, chosen))
    with unit_of_work(open_engine()) as session:
        for item in agreements.list_agreements(session=session):
            table.add_row(item.name, " ".join(item.region_codes), " ".join(item.category_codes),
                          f"{item.valid_from} – {item.valid_until or ''}")
    console.print(table)
