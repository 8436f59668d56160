"""The REST API of daily scheduling: the picture, key groups and their members, a problem → a desk case."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.core.data_epoch import sees_nothing_of
from chainkeeper.credentials.service import local_today
from chainkeeper.monitoring.scheduling import cases, groups, service
from chainkeeper.monitoring.scheduling import policies as rules
from chainkeeper.monitoring.scheduling.figures import Breakdown, MemberDay
from chainkeeper.monitoring.scheduling.models import MonitoredGroup
from chainkeeper.monitoring.scheduling.schemas import CaseIn, CaseOut, ChooseIn, GroupIn, GroupOut, MemberOut
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, exact_json, json_route

router = APIRouter(prefix="/monitoring", tags=["monitoring"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(rules.PICTURE)]
Manager = Annotated[Principal, guard(rules.GROUPS)]
Filer = Annotated[Principal, guard(rules.PROBLEM_CASE)]
RegionCode = Annotated[str, Query(pattern=r"^(\d{2}|\d{4}|\d{6})?$")]


def _part(part: Breakdown) -> dict:
    return {"key": part.key, **part.figures.as_dict(), "children": [_part(child) for child in part.children]}


def _row(row: MemberDay) -> dict:
    return {"enterprise_id": row.enterprise_id, "uscc": row.uscc, "name": row.name, "state": row.state,
            "province_code": row.province_code, "city_code": row.city_code, "chain_code": row.chain_code,
            "group_ids": list(row.group_ids), "baseline_output_units": row.baseline_units,
            "baseline_output_value": row.baseline_value, "baseline_staff": row.baseline_staff,
            "output_units": row.output_units, "output_value": row.output_value,
            "capacity_utilisation": row.capacity_utilisation, "staff_on_site": row.staff_on_site,
            "staff_normal": row.staff_normal, "attainment": row.attainment,
            "min_inventory_days": row.min_inventory_days, "logistics": row.logistics, "problem": row.problem,
            "report_id": row.report_id, "late": row.late}


@router.get("/picture")
@json_route(kept=KEPT_SECONDS, day=local_today, sees=sees_nothing_of)  # desk writes leave it current
def picture(request: Request, session: DbSession, principal: Reader, day: date | None = None,
            region: RegionCode = "", chain: Annotated[str, Query(max_length=32)] = "",
            group: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None) -> dict:
    """The key enterprises' picture of a day: figures, by region (province → city), by chain and by group, each
    group's output index over the last 14 days, and every member's row (the enterprises behind the figures)."""
    caller = caller_of(principal, request)
    when = day or service.latest_day(session=session, principal=principal, up_to=local_today())
    view = service.picture(session=session, caller=caller, day=when, region_code=region, chain_code=chain,
                           group_id=group)
    return {"day": when.isoformat(), "figures": view.figures.as_dict(),
            "by_region": [_part(part) for part in view.by_region], "by_chain": [_part(part) for part in view.by_chain],
            "by_group": [_part(part) | {"name": view.group_names[int(part.key)]} for part in view.by_group],
            "days": [d.isoformat() for d in view.days],
            "series": {str(group_id): values for group_id, values in view.series.items()},
            "total_series": view.total_series, "enterprises": [_row(row) for row in view.rows]}


def _group_out(group: MonitoredGroup) -> GroupOut:
    return GroupOut(id=group.id, name=group.name, region_code=group.region_code, chain_code=group.chain_code,
                    members=[MemberOut(id=m.id, enterprise_id=m.enterprise_id, uscc=m.enterprise.uscc,
                                       name=m.enterprise.name, baseline_output_units=m.baseline_output_units,
                                       baseline_output_value=m.baseline_output_value,
                                       baseline_staff=m.baseline_staff) for m in group.members])


@router.get("/groups", response_model=list[GroupOut])
@json_route(kept=KEPT_SECONDS)  # kept per scope until a write
def list_groups(session: DbSession, principal: Manager) -> list[GroupOut]:
    """The key groups the caller reads (members outside its region are left out of an authority's view)."""
    found = groups.group_rows(session=session, principal=principal)
    return exact_json(found) or found


def _visible(group: MonitoredGroup, principal: Principal) -> GroupOut:
    out = _group_out(group)
    if principal.is_national:
        return out
    region = principal.region_code or "~"
    keep = {m.id for m in group.members if m.enterprise.county_code.startswith(region)}
    return out.model_copy(update={"members": [m for m in out.members if m.id in keep]})


@router.post("/groups", response_model=GroupOut, status_code=201)
def create_group(request: Request, session: DbSession, principal: Manager, data: GroupIn) -> GroupOut:
    """A new key group (an authority's lies in its region)."""
    group = groups.create_group(session=session, caller=caller_of(principal, request), name=data.name,
                                region_code=data.region_code, chain_code=data.chain_code)
    return _group_out(group)


@router.post("/groups/{group_id}/members", response_model=GroupOut)
def choose_members(request: Request, session: DbSession, principal: Manager, group_id: ObjectId,
                   data: ChooseIn) -> GroupOut:
    """Add the enterprises a rule chooses; each is assigned the daily report from ``since`` (default today)."""
    since = date.fromisoformat(data.since) if data.since else local_today()
    service.choose_members(session=session, caller=caller_of(principal, request), group_id=group_id,
                           rule=data.rule, value=data.value, day=since)
    group = groups.get_group(session=session, principal=principal, group_id=group_id)
    session.refresh(group)
    return _visible(group, principal)


@router.post("/scheduling/reports/{report_id}/case", response_model=CaseOut, status_code=201)
def open_case(request: Request, session: DbSession, principal: Filer, report_id: ObjectId,
              data: CaseIn) -> CaseOut:
    """Open a desk case from the report's problem (prefilled from the report; the fields given override)."""
    case = cases.open_case(session=session, caller=caller_of(principal, request), report_id=report_id,
                           **data.model_dump())
    return CaseOut(case_id=case.id, report_id=report_id, url=f"/desk/cases/{case.id}")
