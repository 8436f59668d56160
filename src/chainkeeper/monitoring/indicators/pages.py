"""The monthly indicators page: a chosen series as a line chart with its table beside it, the month's ranking of
the provinces with the gaps, and (for the ministry and the provinces) the import of a published file and targets.

Route names: ``/monitoring/indicators`` (read), ``…/import`` (upload), ``…/targets`` (a region's yearly target)."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.indicators import service, views
from chainkeeper.monitoring.indicators.catalogue import BY_CODE
from chainkeeper.monitoring.indicators.importing import import_indicator_file
from chainkeeper.monitoring.indicators.models import NATIONAL
from chainkeeper.monitoring.indicators.periods import parse_number
from chainkeeper.monitoring.indicators.policies import INDICATORS_READ, INDICATORS_WRITE
from chainkeeper.registry.importing.limits import MB, web_limits
from chainkeeper.web.deps import DbSession, own_transaction
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(INDICATORS_READ)]
Writer = Annotated[Principal, guard(INDICATORS_WRITE)]
PAGE = "/monitoring/indicators"
SHOWN_ISSUES = 200


def _choice(value: str | None, allowed: list[str], default: str) -> str:
    return value if value in allowed else default


def _first_shown(session, codes: list[str], region: str) -> str:
    """The indicator a page opens on: value added, or else the first one with figures of ``region``."""
    held = service.codes_with_figures(session=session, region_code=region)
    return next((code for code in ["iva_yoy", *codes] if code in held), "iva_yoy")


def _page(request: Request, session, principal: Principal, *, indicator: str | None = None, region: str | None = None,
          industry: str | None = None, period: str | None = None, status_code: int = 200, **extra) -> Response:
    language = request_language(request)
    rows = service.indicators(session=session)
    codes = [row.code for row in rows]
    regions = views.region_choices(session, language)
    default_region = principal.region_code[:2] if principal.region_code else NATIONAL
    region = _choice(region, [code for code, _name in regions], default_region)
    chosen = next(row for row in rows if row.code == _choice(indicator, codes, _first_shown(session, codes, region)))
    industries = service.industries(session=session, indicator=chosen.code)
    industry = _choice(industry, industries, "")
    months = service.periods(session=session, indicator=chosen.code)
    regional = service.periods(session=session, indicator=chosen.code, regional=True)
    period = _choice(period, months, (regional or months or [""])[0])  # by default the newest month ranked
    limits = web_limits()
    return render(request, session, "monitoring/indicators/index.html", status_code=status_code,
                  indicators=rows, chosen=chosen, name_of=views.indicator_name, regions=regions, region=region,
                  industries=industries, industry=industry, months=months, period=period,
                  rows=views.series_rows(session, chosen.code, region, industry, language),
                  chart=views.chart(session, chosen, region, industry, language),
                  ranking=views.ranking_rows(session, chosen.code, period, industry, language),
                  national=NATIONAL, writer=INDICATORS_WRITE.allows(principal), shown=SHOWN_ISSUES,
                  import_regions=[(code, name) for code, name in regions
                                  if service.may_write(caller_of(principal, request), code)],
                  max_mb=limits.file_bytes // MB, max_rows=f"{limits.rows:,}", language=language, **extra)


@router.get(PAGE)
def indicators_page(request: Request, session: DbSession, principal: Reader,
                    indicator: Annotated[str | None, Query(max_length=40)] = None,
                    region: Annotated[str | None, Query(max_length=6)] = None,
                    industry: Annotated[str | None, Query(max_length=4)] = None,
                    period: Annotated[str | None, Query(max_length=7)] = None) -> Response:
    """The chosen series, its chart and table, and the month's ranking."""
    return _page(request, session, principal, indicator=indicator, region=region, industry=industry, period=period)


@router.post(f"{PAGE}/import")
@own_transaction
async def import_page(request: Request, session: DbSession, principal: Writer,
                      file: Annotated[UploadFile | None, File()] = None,
                      indicator: Annotated[str, Form(max_length=40)] = "",
                      region: Annotated[str, Form(max_length=40)] = "",
                      dry_run: Annotated[bool, Form()] = False) -> Response:
    """Import a published file (all figures or none); the page shows what was stored or every problem."""
    language = request_language(request)
    if file is None or not file.filename:
        problem = translate(_("Choose a CSV or XLSX file (at most {size} MB)."), language,
                            size=web_limits().file_bytes // MB)
        return _page(request, session, principal, indicator=indicator, status_code=422, problem=problem)
    report = await run_in_threadpool(
        import_indicator_file, request.app.state.engine, file.filename, data=file.file, indicator=indicator,
        region=region or None, caller=caller_of(principal, request), language=language, limits=web_limits(),
        dry_run=dry_run)
    session.expire_all()
    return _page(request, session, principal, indicator=indicator, region=region if len(region) in (2, 4, 6) else None,
                 status_code=200 if report.ok else 422, report=report)


@router.post(f"{PAGE}/targets")
def target_page(request: Request, session: DbSession, principal: Writer,
                indicator: Annotated[str, Form(max_length=40)] = "", region: Annotated[str, Form(max_length=6)] = "",
                year: Annotated[str, Form(max_length=4)] = "", value: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Set a region's target for a year (a province for its own region); back to the page showing that region."""
    language = request_language(request)
    caller = caller_of(principal, request)
    number = parse_number(value)
    if indicator not in BY_CODE or not year.isdigit() or not 2000 <= int(year) <= 2100 or number is None \
            or not -100 <= number <= 1000:
        problem = translate(_("Give the indicator, a year (2000–2100) and a target between −100 and 1000."), language)
        return _page(request, session, principal, indicator=indicator, region=region, status_code=422,
                     problem=problem)
    if not service.may_write(caller, region):
        problem = translate(_("You may set targets only for your own region."), language)
        return _page(request, session, principal, indicator=indicator, status_code=403, problem=problem)
    service.set_target(session=session, caller=caller, indicator=indicator, region_code=region, year=int(year),
                       value=number)
    return RedirectResponse(f"{PAGE}?indicator={indicator}&region={region}", status_code=303)
