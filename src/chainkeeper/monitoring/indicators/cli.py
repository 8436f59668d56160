"""``chainkeeper monitoring indicators import FILE --indicator CODE [--region R] [--industry I] [--as USER]`` and
``chainkeeper monitoring indicators list|series``.

Without ``--as`` the operator imports with full rights (audited as ``cli:<os user>``); with ``--as USER`` the
account's region limits what it may import (a province only its own region's figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainkeeper.cli.common import console, language, open_engine, print_report
from chainkeeper.cli.imports import AsUser, DryRun, Lang, _acting
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import translate
from chainkeeper.monitoring.indicators import service
from chainkeeper.monitoring.indicators.catalogue import BY_CODE
from chainkeeper.monitoring.indicators.importing import import_indicator_file
from chainkeeper.monitoring.indicators.models import NATIONAL
from chainkeeper.registry.importing.limits import cli_limits

indicators_app = typer.Typer(help="Monthly regional indicators: import the published series, list, show.",
                             no_args_is_help=True)

IndicatorOption = Annotated[str, typer.Option("--indicator", help=f"Indicator code: {', '.join(BY_CODE)}.")]
RegionOption = Annotated[str | None, typer.Option(
    "--region", help="Region of a single series when the file does not say: 00 = national, a province code or name.")]
IndustryOption = Annotated[str, typer.Option("--industry", help="GB/T 4754 division code ('' = all industry).")]


@indicators_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A .csv (UTF-8 or GBK) or .xlsx file, as published.")],
    indicator: IndicatorOption, region: RegionOption = None, industry: IndustryOption = "", dry_run: DryRun = False,
    lang: Lang = None, as_user: AsUser = None,
) -> None:
    """Import a published monthly series (statistics bureau export or data-vendor sheet; all figures or none)."""
    chosen = language(lang)
    engine = open_engine()
    principal, actor = _acting(engine, as_user, chosen)
    caller = Caller(principal, actor) if principal is not None else None
    report = import_indicator_file(engine, file, indicator=indicator, region=region, industry=industry,
                                   caller=caller, actor=actor, language=chosen, limits=cli_limits(), dry_run=dry_run)
    print_report(report, chosen)
    if not report.ok:
        raise typer.Exit(code=1)


@indicators_app.command("list")
def list_command(lang: Lang = None) -> None:
    """The indicators and the newest month of each."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        for row in service.indicators(session=session):
            latest = service.latest_period(session=session, indicator=row.code) or "—"
            name = row.name_zh if chosen == "zh_CN" else row.name_en
            console.print(f"{row.code}  {name} ({row.unit})  {latest}", highlight=False)


@indicators_app.command("series")
def series_command(indicator: IndicatorOption, region: Annotated[str, typer.Option("--region")] = NATIONAL,
                   industry: IndustryOption = "", lang: Lang = None) -> None:
    """The monthly figures of an indicator for a region (Jan–Feb together marked 1-2)."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        points = service.series(session=session, indicator=indicator, region_code=region, industry_code=industry)
    if not points:
        console.print(translate("no figures", chosen))
    for point in points:
        months = f"{point.period[:5]}01..{point.period[5:]}" if point.combined_months == 2 else point.period
        console.print(f"{months}  {point.value:g}", highlight=False)
