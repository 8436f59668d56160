"""Daily scheduling's service: the report type, choosing who reports, the picture and the home panel.

The ``daily_scheduling`` type is data (``daily_scheduling.json``: field keys other features read — output_units,
output_value, capacity_utilisation, staff_on_site, staff_normal, inventory[input_industry, supplier_uscc, part,
days], logistics, problem); :func:`ensure_daily_type` defines it through the reporting framework, once, and again
only when the file changes. Reports travel through :mod:`chainkeeper.reporting.service`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

import orjson
from sqlalchemy import (ColumnElement, CompoundSelect, Select, Text, bindparam, case, cast, func, literal, null, select,
                        true, union_all)
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.core.caller import Caller
from chainkeeper.errors import NotFound
from chainkeeper.monitoring.scheduling import figures as fig
from chainkeeper.monitoring.scheduling import groups
from chainkeeper.monitoring.scheduling.figures import Breakdown, Figures, MemberDay
from chainkeeper.monitoring.scheduling.models import MonitoredGroup, MonitoredMember
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import region_clause
from chainkeeper.reporting import service as reporting
from chainkeeper.reporting.models import Report, ReportType

TYPE_CODE = "daily_scheduling"
SERIES_DAYS = 14
SYSTEM_CALLER = Caller(Principal(0, "system", "system", frozenset({Role.ministry})), SYSTEM)
"""The platform itself, defining its own report type (audited as ``system``)."""
DAILY_TYPE_ID = select(ReportType.id).where(ReportType.code == TYPE_CODE)


@lru_cache(maxsize=1)
def definition() -> dict:
    """The type's definition as shipped (code, names, cut-off, reminder, fields)."""
    text = (resources.files("chainkeeper.monitoring.scheduling") / "daily_scheduling.json").read_text("utf-8")
    return json.loads(text)


def ensure_daily_type(session: Session) -> ReportType:
    """The ``daily_scheduling`` report type, defined from the shipped file when missing or when the file changed."""
    spec = definition()
    try:
        found = reporting.get_type(session=session, code=TYPE_CODE)
    except NotFound:
        found = None
    if found is not None and found.fields == spec["fields"] and found.name_zh == spec["name_zh"]:
        return found
    return reporting.define_type(session=session, caller=SYSTEM_CALLER, code=TYPE_CODE, name_zh=spec["name_zh"],
                                 name_en=spec["name_en"], fields=spec["fields"], cutoff_local=spec["cutoff_local"],
                                 remind_before_minutes=spec["remind_before_minutes"], owner_region="")


# --- who reports --------------------------------------------------------------------------------------------------

def choose_members(*, session: Session, caller: Caller, group_id: int, rule: str, value: str = "", day: date,
                   baselines: dict[int, tuple[int, float, int]] | None = None) -> list[MonitoredMember]:
    """Add the enterprises a rule chooses to the group and assign them the daily report from ``day`` on."""
    group = groups.get_group(session=session, principal=caller.principal, group_id=group_id)
    chosen = groups.candidates(session=session, principal=caller.principal, group=group, rule=rule, value=value,
                               day=day)
    added = groups.add_members(session=session, caller=caller, group_id=group_id, enterprises=chosen,
                               baselines=baselines)
    if added:
        ensure_daily_type(session)
        reporting.assign(session=session, caller=caller, type_code=TYPE_CODE, group_name=group.name, since=day,
                         enterprise_ids=[member.enterprise_id for member in added])
    return added


def drop_member(*, session: Session, caller: Caller, group_id: int, member_id: int, day: date) -> None:
    """Take a member out; it stops reporting from ``day`` on unless another group still watches it."""
    enterprise_id = groups.remove_member(session=session, caller=caller, group_id=group_id, member_id=member_id)
    if not groups.still_monitored(session, enterprise_id):
        reporting.unassign(session=session, caller=caller, type_code=TYPE_CODE, enterprise_ids=[enterprise_id],
                           until=day)


# --- the members behind the picture -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Which part of the picture: a region (2/4/6 digits, '' = all the caller sees), a key chain, a group."""

    region_code: str = ""
    chain_code: str = ""
    group_id: int | None = None


def _members(session: Session, principal: Principal, scope: Scope) -> dict[int, MemberDay]:
    """The monitored enterprises in scope with their baselines (summed over their groups), no report yet: Core
    rows of one prebuilt statement (issue 15: ORM entities with their groups' members loaded were most of it)."""
    found: dict[int, MemberDay] = {}
    for (group_id, group_chain, enterprise_id, name, province, city, own_chain, uscc, units, value,
         staff) in session.connection().execute(_members_query(principal, scope)):
        chain = own_chain or group_chain or ""
        if scope.chain_code and chain != scope.chain_code:
            continue
        seen = found.get(enterprise_id)
        if seen is not None:  # one enterprise in two groups: counted once, with the first group's baseline
            found[enterprise_id] = replace(seen, group_ids=seen.group_ids + (group_id,))
            continue
        found[enterprise_id] = MemberDay(enterprise_id, name, province, city, chain, (group_id,), units, value,
                                         staff, uscc=uscc)
    return found


@lru_cache(maxsize=256)
def _members_query(principal: Principal, scope: Scope) -> Select:
    """The members' select of a caller's scope (groups it reads, enterprises it may see, the scope's region and
    group), by member id; built once per combination."""
    query = (select(MonitoredGroup.id, MonitoredGroup.chain_code, Enterprise.id, Enterprise.name,
                    Enterprise.province_code, Enterprise.city_code, Enterprise.chain_code, Enterprise.uscc,
                    MonitoredMember.baseline_output_units, MonitoredMember.baseline_output_value,
                    MonitoredMember.baseline_staff)
             .join(MonitoredGroup, MonitoredGroup.id == MonitoredMember.group_id)
             .join(Enterprise, Enterprise.id == MonitoredMember.enterprise_id)
             .where(*_member_scope(principal, scope)))
    if scope.group_id is not None:
        query = query.where(MonitoredGroup.id == scope.group_id)
    return query.order_by(MonitoredMember.id)


def _member_scope(principal: Principal, scope: Scope) -> tuple:
    """Active groups the principal reads, enterprises it may see, and the scope's region."""
    return (MonitoredGroup.active.is_(True), groups.group_scope(principal), enterprise_scope(principal),
            region_clause(scope.region_code) if scope.region_code else true())


def with_report(row: MemberDay, report: Report | None) -> MemberDay:
    """The member's day with what its report says (the row unchanged without a report)."""
    if report is None:
        return row
    return _reported(row, report.values or {}, report.id, report.late)


def _reported(row: MemberDay, values: dict, report_id: int, late: bool) -> MemberDay:
    """The member's day with a report's ``values``."""
    days = [item.get("days") for item in values.get("inventory") or [] if item.get("days") is not None]
    return MemberDay(row.enterprise_id, row.name, row.province_code, row.city_code, row.chain_code, row.group_ids,
                     row.baseline_units, row.baseline_value, row.baseline_staff, row.uscc, True,
                     values.get("output_units"), values.get("output_value"), values.get("capacity_utilisation"),
                     values.get("staff_on_site"), values.get("staff_normal"), min(days) if days else None,
                     values.get("logistics"), values.get("problem") or "", report_id, late)


REPORT_ROWS = (select(Report.report_date, Report.enterprise_id, Report.id, Report.late, cast(Report.values, Text))
               .where(Report.report_type_id == bindparam("type_id"), Report.report_date >= bindparam("start"),
                      Report.report_date <= bindparam("end"),
                      Report.enterprise_id.in_(bindparam("ids", expanding=True)))
               .order_by(Report.report_date, Report.enterprise_id))
"""The daily reports of some enterprises over some days, as plain columns (the values as their stored text)."""


def member_days(*, session: Session, principal: Principal, start: date, end: date,
                scope: Scope = Scope()) -> dict[date, list[MemberDay]]:
    """Every day from ``start`` to ``end``: the members in scope with that day's report (or none)."""
    members = _members(session, principal, scope)
    by_day: dict[date, dict[int, MemberDay]] = {}
    if members:
        found = session.connection().execute(REPORT_ROWS, {"type_id": _daily_type_id(session), "start": start,
                                                           "end": end, "ids": list(members)})
        for day, enterprise_id, report_id, late, text in found:
            by_day.setdefault(day, {})[enterprise_id] = _reported(members[enterprise_id], json_values(text),
                                                                  report_id, late)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return {day: [by_day.get(day, {}).get(row.enterprise_id, row) for row in members.values()] for day in days}


def _picture_days(session: Session, principal: Principal, scope: Scope, members: dict[int, MemberDay], start: date,
                  day: date) -> tuple[list[MemberDay], dict[date, dict[int, object]]]:
    """The members' rows of ``day`` with their reports, and each day's reported output values from ``start`` to
    ``day`` (by enterprise; a member without a report is absent): one statement that sends the values' text only
    for ``day`` (issue 15: 14 days of report JSON were half a fresh picture) and each earlier day's output values
    as one text (issue 15: 800 rows of one value each were most of what was left)."""
    detail: dict[int, MemberDay] = {}
    outputs: dict[date, dict[int, object]] = {}
    refused: list[tuple[date, int]] = []
    if members:
        found = session.connection().execute(_picture_reports(principal, scope, session.get_bind().dialect.name),
                                             {"start": start, "end": day})
        for when, enterprise_id, report_id, late, text, pairs in found:
            if report_id is None:  # an earlier day: its (enterprise id, output value) pairs, the ids SQLite refused
                _add_outputs(outputs.setdefault(when, {}), pairs, members)
                refused += [(when, int(refused_id)) for refused_id in (text.split(",") if text else ())]
            elif enterprise_id in members:
                values = json_values(text)
                outputs.setdefault(when, {})[enterprise_id] = values.get("output_value")
                detail[enterprise_id] = _reported(members[enterprise_id], values, report_id, late)
        if refused:
            _add_refused(session, outputs, refused, members)
    return [detail.get(enterprise_id, row) for enterprise_id, row in members.items()], outputs


def _add_outputs(outputs: dict[int, object], pairs: str | None, members: dict[int, MemberDay]) -> None:
    """A day's output values by member from its ``id,value,id,value…`` text (each value its report's own JSON
    text, read as :func:`json_value` reads it alone: the same number)."""
    found = iter(_json_array(f"[{pairs}]") if pairs else ())
    for enterprise_id, output in zip(found, found):
        if enterprise_id in members:
            outputs[enterprise_id] = output


def _json_array(text: str) -> list:
    """A JSON array of report values: orjson, or (where it refuses one: an integer past 64 bits) Python's reader
    with each float read by :func:`json_value`, as it reads a value alone."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text, parse_float=json_value)


def _add_refused(session: Session, outputs: dict[date, dict[int, object]], refused: list[tuple[date, int]],
                 members: dict[int, MemberDay]) -> None:
    """The output values of the earlier days' reports whose text SQLite's JSON functions refuse (a stored NaN),
    read from their whole text in Python."""
    wanted = set(refused)
    found = session.connection().execute(REFUSED_ROWS, {"days": sorted({when for when, _ in refused}),
                                                        "ids": sorted({one for _, one in refused})})
    for when, enterprise_id, text in found:
        if (when, enterprise_id) in wanted and enterprise_id in members:
            outputs.setdefault(when, {})[enterprise_id] = json_values(text).get("output_value")


REFUSED_ROWS = (select(Report.report_date, Report.enterprise_id, cast(Report.values, Text))
                .where(Report.report_type_id == DAILY_TYPE_ID.scalar_subquery(),
                       Report.report_date.in_(bindparam("days", expanding=True)),
                       Report.enterprise_id.in_(bindparam("ids", expanding=True))))
"""The daily reports of some days and enterprises with their values' text."""


@lru_cache(maxsize=256)
def _picture_reports(principal: Principal, scope: Scope, dialect: str) -> CompoundSelect:
    """:func:`_picture_days`' statement, built once per caller's scope: the daily reports of the scope's members
    (the members' select inside it, not their ids) from ``start`` to ``end``: for ``end`` each report's values as
    their text; for every earlier day one row with its ``enterprise id,output value`` pairs, each value the JSON
    text the report stored (its own digits), and (SQLite) the ids whose text its JSON functions refuse."""
    if dialect == "sqlite":
        valid = func.json_valid(Report.values) == 1
        output = Report.values.op("->", return_type=Text)(literal("$.output_value"))
        pairs = func.group_concat(case((valid, _pair(output))))
        refused = func.group_concat(case((~valid, cast(Report.enterprise_id, Text))))
    else:
        output = cast(Report.values.op("->", return_type=Text)(literal("output_value")), Text)
        pairs, refused = func.string_agg(_pair(output), literal(",")), null()
    members = _members_query(principal, scope).with_only_columns(Enterprise.id).order_by(None)
    within = (Report.report_type_id == DAILY_TYPE_ID.scalar_subquery(), Report.report_date >= bindparam("start"),
              Report.enterprise_id.in_(members))
    shown = select(Report.report_date, Report.enterprise_id, Report.id, Report.late, cast(Report.values, Text),
                   null()).where(*within, Report.report_date == bindparam("end"))
    earlier = (select(Report.report_date, null(), null(), null(), refused, pairs)
               .where(*within, Report.report_date < bindparam("end")).group_by(Report.report_date))
    return union_all(shown, earlier)


def _pair(output) -> ColumnElement[str]:
    """``enterprise id,output value`` (``null`` without one) as text."""
    return cast(Report.enterprise_id, Text) + literal(",") + func.coalesce(output, literal("null"))


def _daily_type_id(session: Session) -> int:
    """The daily report type's id, read alone (issue 15: the type was loaded with its fields); NotFound without it."""
    found = session.scalar(DAILY_TYPE_ID)
    return found if found is not None else reporting.get_type(session=session, code=TYPE_CODE).id


def json_values(text) -> dict:
    """A report's stored values (JSON text; already a dict where the driver parsed it), as the JSON type reads
    them."""
    if not isinstance(text, (str, bytes)):
        return text or {}
    return json_value(text) or {}


def json_value(text: str | bytes):
    """The value of a JSON text: orjson, and Python's reader for what orjson refuses (NaN, infinities, integers
    past 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


# --- the picture --------------------------------------------------------------------------------------------------

@dataclass
class Picture:
    """The picture of one day in a scope: figures, by region, chain and group, each group's output index over the
    last days, and the members' rows (the enterprises behind every figure)."""

    day: date
    scope: Scope
    figures: Figures
    by_region: list[Breakdown]
    by_chain: list[Breakdown]
    by_group: list[Breakdown]
    group_names: dict[int, str]
    days: list[date]
    series: dict[int, list[float | None]]
    total_series: list[float | None]
    rows: list[MemberDay] = field(default_factory=list)
    choices: list = field(default_factory=list)
    """The groups the caller reads (``id``, ``name``), for the picture's group picker."""

    @property
    def problems(self) -> list[MemberDay]:
        """Members whose report of the day names a problem."""
        return [row for row in self.rows if row.problem]


def picture(*, session: Session, caller: Caller, day: date, region_code: str | None = None,
            chain_code: str | None = None, group_id: int | None = None) -> Picture:
    """The picture of ``day`` for the caller: only the enterprises it may see (its region for an authority). The
    series run over the last 14 days from the first day with a report."""
    principal = caller.principal
    scope = Scope(region_code or "", chain_code or "", group_id)
    if group_id is not None:
        groups.get_group(session=session, principal=principal, group_id=group_id)  # NotFound when not visible
    start = day - timedelta(days=SERIES_DAYS - 1)
    members = _members(session, principal, scope)
    rows, outputs = _picture_days(session, principal, scope, members, start, day)
    visible = groups.group_choices(session=session, principal=principal)
    in_rows = {group for row in rows for group in row.group_ids}
    shown = [group for group in visible if group.id in in_rows]
    group_ids = [group.id for group in shown]
    every_day = [start + timedelta(days=n) for n in range(SERIES_DAYS)]
    reported = [d for d in every_day if outputs.get(d)]
    days = [d for d in every_day if reported and d >= reported[0]] or [day]
    series, total_series = fig.output_series([outputs.get(d, {}) for d in days], [
        (row.enterprise_id, row.group_ids, row.baseline_value) for row in members.values()], group_ids)
    return Picture(day=day, scope=scope, figures=fig.figures(rows), by_region=fig.by_region(rows),
                   by_chain=fig.by_chain(rows), by_group=fig.by_group(rows, group_ids),
                   group_names={group.id: group.name for group in shown}, days=days, series=series,
                   total_series=total_series, rows=rows, choices=visible)


def latest_day(*, session: Session, principal: Principal, up_to: date) -> date:
    """The newest day on or before ``up_to`` with a daily report the principal may read (``up_to`` when none)."""
    newest = session.connection().execute(_latest_day_query(principal), {"up_to": up_to}).scalar()
    return newest or up_to


@lru_cache(maxsize=256)
def _latest_day_query(principal: Principal) -> Select:
    """:func:`latest_day`'s one statement, built once per principal (issue 15: it was three — whether any member is
    in scope, the report type, the newest day; without members or the type it finds no day all the same)."""
    members = _members_query(principal, Scope()).with_only_columns(Enterprise.id).order_by(None)
    return select(func.max(Report.report_date)).where(Report.report_type_id == DAILY_TYPE_ID.scalar_subquery(),
                                                      Report.report_date <= bindparam("up_to"),
                                                      Report.enterprise_id.in_(members))


def home_panel(*, session: Session, caller: Caller, day: date) -> dict:
    """The home pages' panel: the day's figures and each group's output index (plain numbers and links)."""
    # the panel shows one day: read that day's reports only, not the picture's 14-day series (10× the rows)
    principal = caller.principal
    shown = latest_day(session=session, principal=principal, up_to=day)
    rows = member_days(session=session, principal=principal, start=shown, end=shown)[shown]
    in_rows = {group for row in rows for group in row.group_ids}
    names = {group.id: group.name for group in groups.group_choices(session=session, principal=principal)
             if group.id in in_rows}
    return {"day": shown.isoformat(), "url": f"/monitoring/picture?day={shown.isoformat()}",
            "figures": fig.figures(rows).as_dict(), "problems": sum(1 for row in rows if row.problem),
            "groups": [{"id": int(part.key), "name": names[int(part.key)],
                        "output_index": part.figures.output_index,
                        "url": f"/monitoring/picture?day={shown.isoformat()}&group={part.key}"}
                       for part in fig.by_group(rows, list(names))]}
