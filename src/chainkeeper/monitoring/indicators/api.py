"""REST endpoints of the monthly indicators under ``/api/v1/monitoring/indicators``: the catalogue, a series, the
ranking of a month, imports of published files and regions' targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import Forbidden
from chainkeeper.monitoring.indicators import service, views
from chainkeeper.monitoring.indicators.importing import import_indicator_file
from chainkeeper.monitoring.indicators.models import NATIONAL
from chainkeeper.monitoring.indicators.policies import INDICATORS_READ, INDICATORS_WRITE
from chainkeeper.monitoring.indicators.schemas import (
    ImportIssueOut, ImportOut, IndicatorOut, PointOut, RankRowOut, TargetIn, TargetOut,
)
from chainkeeper.registry.importing.issues import ImportReport
from chainkeeper.registry.importing.limits import web_limits
from chainkeeper.web.deps import DbSession, own_transaction
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import json_route

router = APIRouter(prefix="/monitoring/indicators", tags=["monitoring"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(INDICATORS_READ)]
Writer = Annotated[Principal, guard(INDICATORS_WRITE)]
Code = Annotated[str, Query(min_length=2, max_length=40, pattern=r"^[a-z0-9_]+$")]
RegionCode = Annotated[str, Query(pattern=r"^\d{2}(\d{2}){0,2}$")]
IndustryCode = Annotated[str, Query(max_length=4, pattern=r"^[A-Z0-9]*$")]
Period = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def import_out(report: ImportReport) -> ImportOut:
    """The report as the API returns it."""
    return ImportOut(ok=report.ok, file=report.file, rows=report.rows, created=report.created,
                     updated=report.updated, dry_run=report.dry_run,
                     issues=[ImportIssueOut(**issue.as_dict()) for issue in report.issues],
                     warnings=[ImportIssueOut(**issue.as_dict()) for issue in report.warnings])


@router.get("", response_model=list[IndicatorOut])
@json_route
def list_indicators(session: DbSession, principal: Reader) -> list[IndicatorOut]:
    """The indicators and the newest month of each."""
    return [IndicatorOut(code=row.code, name_zh=row.name_zh, name_en=row.name_en, unit=row.unit, kind=row.kind,
                         cumulative=row.cumulative,
                         latest_period=service.latest_period(session=session, indicator=row.code))
            for row in service.indicators(session=session)]


@router.get("/{code}/series", response_model=list[PointOut])
def get_series(code: str, session: DbSession, principal: Reader, region: RegionCode = NATIONAL,
               industry: IndustryCode = "") -> list[PointOut]:
    """The monthly figures of an indicator for a region and industry, oldest first."""
    service.get_indicator(session=session, indicator=code)
    return [PointOut(**p.__dict__) for p in service.series(session=session, indicator=code, region_code=region,
                                                             industry_code=industry)]


@router.get("/{code}/ranking", response_model=list[RankRowOut])
def get_ranking(code: str, session: DbSession, principal: Reader, period: Period | None = None,
                industry: IndustryCode = "") -> list[RankRowOut]:
    """The provinces ranked by their figure for ``period`` (default: the newest), with the gaps to the national
    figure and to their targets."""
    service.get_indicator(session=session, indicator=code)
    period = period or service.latest_period(session=session, indicator=code)
    return [RankRowOut(**row) for row in views.ranking_rows(session, code, period, industry, principal.language)]


@router.post("/{code}/import", response_model=ImportOut, responses={422: {"model": ImportOut}})
@own_transaction
async def import_series(code: str, request: Request, principal: Writer, file: Annotated[UploadFile, File()],
                        region: Annotated[str | None, Form(max_length=40)] = None,
                        industry: Annotated[str, Form(max_length=4)] = "",
                        dry_run: Annotated[bool, Form()] = False):
    """Import a published file of the indicator (CSV/XLSX as the statistics bureau or a data vendor publishes it;
    all figures or none; a province only its own region's). 422 with every problem named by row and column."""
    report = await run_in_threadpool(
        import_indicator_file, request.app.state.engine, file.filename or "upload.csv", data=file.file,
        indicator=code, region=region or None, industry=industry, caller=caller_of(principal, request),
        language=principal.language, limits=web_limits(), dry_run=dry_run)
    out = import_out(report)
    return out if report.ok else JSONResponse(out.model_dump(), status_code=422)


@router.put("/{code}/targets", response_model=TargetOut)
def set_target(code: str, body: TargetIn, request: Request, session: DbSession, principal: Writer) -> TargetOut:
    """Set a region's target for a year (a province for its own region only)."""
    service.get_indicator(session=session, indicator=code)
    caller = caller_of(principal, request)
    if not service.may_write(caller, body.region_code):
        raise Forbidden("targets may be set only for your own region")
    service.set_target(session=session, caller=caller, indicator=code, region_code=body.region_code,
                       year=body.year, value=body.value, industry_code=body.industry_code)
    return TargetOut(indicator=code, **body.model_dump())
