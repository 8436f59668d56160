"""Stoppage forecasts: seed the engine with the latest daily-scheduling reports and keep the lines it finds.

:func:`forecast` loads the registry network (the desk's cached loader), reads the newest ``daily_scheduling``
report of every enterprise on or before ``made_on`` (:func:`chainkeeper.reporting.service.latest_reports`; field
keys of lane B: ``capacity_utilisation`` in %, ``inventory`` rows ``input_industry`` / ``supplier_uscc`` /
``days``), runs :mod:`.compute` and keeps a :class:`ForecastRun` with one :class:`ForecastLine` per key enterprise
(monitored members, white-listed, leading firms) that falls below 90% within the horizon.  Reading is scoped by
region (:func:`chainkeeper.auth.scope.enterprise_scope`); a line becomes a desk case in one call
(:func:`open_case`, a prefilled :func:`chainkeeper.coordination.service.file_case`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.analysis.loader import RegistryNetwork
from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination import service as desk
from chainkeeper.coordination.impact import cached_registry_network
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.models import Case, CaseCategory, Urgency
from chainkeeper.core.caller import Caller
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label
from chainkeeper.registry.service import region_clause
from chainkeeper.reporting.service import latest_reports
from chainkeeper.whitelist.recommend import listed_enterprise_ids

from . import compute
from .models import ForecastBacktest, ForecastLine, ForecastRun

DAILY_TYPE = "daily_scheduling"
MAX_HORIZON = 60


# ------------------------------------------------------------------------------------------------ inputs
def key_enterprise_ids(session: Session, day: date) -> set[int]:
    """Key enterprises on ``day``: members of monitored groups, white-listed (active entry) and leading firms."""
    leading = set(session.scalars(select(EnterpriseLabel.enterprise_id).where(EnterpriseLabel.label == Label.leading)))
    return leading | listed_enterprise_ids(session, day) | _monitored_members(session)


def _monitored_members(session: Session) -> set[int]:
    """Members of the daily-scheduling key groups."""
    from chainkeeper.monitoring.scheduling.models import MonitoredMember

    return set(session.scalars(select(MonitoredMember.enterprise_id)))


def report_values(session: Session, made_on: date) -> dict[int, dict]:
    """The values of each enterprise's newest ``daily_scheduling`` report on or before ``made_on``."""
    try:
        reports = latest_reports(session=session, type_code=DAILY_TYPE, up_to=made_on)
    except NotFound:  # the report type is not defined yet: nobody reports
        return {}
    return {eid: dict(report.values or {}) for eid, report in reports.items()}


def reported_state(session: Session, made_on: date) -> compute.ReportedState:
    """The :class:`~.compute.ReportedState` of ``made_on`` from the reports."""
    return compute.state_from_values(report_values(session, made_on))


# ------------------------------------------------------------------------------------------------ forecast
def forecast(*, session: Session, caller: Caller, made_on: date, horizon: int = 30,
             state: compute.ReportedState | None = None, loaded: RegistryNetwork | None = None) -> ForecastRun:
    """Forecast the key enterprises' stoppages from the reports of ``made_on`` and keep the run (audited).

    ``state`` replaces the reports (tests, the backtest); ``loaded`` the registry network.
    """
    if not 1 <= int(horizon) <= MAX_HORIZON:
        raise refuse(ValidationFailed, _("the horizon must be between 1 and {most} days"), field="horizon",
                     most=MAX_HORIZON)
    started = time.perf_counter()
    loaded = loaded or cached_registry_network(session)
    state = reported_state(session, made_on) if state is None else state
    firm_of = {int(eid): i for i, eid in enumerate(loaded.enterprise_ids)}
    usccs = {str(u): i for i, u in enumerate(loaded.usccs)}
    capacity, stock = compute.seed_arrays(loaded.network, firm_of, usccs, loaded.industries, state)
    result = compute.forecast_network(loaded.network, capacity, stock, int(horizon))
    keys = sorted(firm_of[e] for e in key_enterprise_ids(session, made_on) if e in firm_of)
    lines = compute.lines_for(loaded.network, result, keys, capacity)
    run = ForecastRun(made_on=made_on, horizon=int(horizon), created_by=caller.actor.user_id,
                      n_reports=state.n_reporting, n_key=len(keys))
    session.add(run)
    session.flush()
    session.add_all([_line_row(run.id, line, loaded, result) for line in lines])
    run.seconds = round(time.perf_counter() - started, 3)
    record(session=session, actor=caller.actor, action="forecast.run", object_type="forecast_run", object_id=run.id,
           after={"made_on": made_on.isoformat(), "horizon": int(horizon), "lines": len(lines),
                  "reports": state.n_reporting})
    return run


def _line_row(run_id: int, line: compute.Line, loaded: RegistryNetwork, result) -> ForecastLine:
    eid = int(loaded.enterprise_ids[line.firm])
    chain = [{"id": int(loaded.enterprise_ids[f]), "uscc": str(loaded.usccs[f]), "name": loaded.names[f],
              "industry": loaded.industries[loaded.network.industry[f]],
              "min_level": round(float(result.min_level[f]), 4)} for f in line.chain]
    city = int(loaded.city[line.firm])
    return ForecastLine(run_id=run_id, enterprise_id=eid, province_code=f"{int(loaded.province[line.firm]):02d}",
                        city_code=f"{city:04d}", day_below_90=line.day_below_90,
                        day_below_50=line.day_below_50, min_level=max(0.0, line.min_level), level=line.level,
                        capacity=round(line.capacity, 4),
                        binding_industry=loaded.industries[line.binding_industry] if line.binding_industry >= 0
                        else "", chain=chain)


# ------------------------------------------------------------------------------------------------ reading
@dataclass(frozen=True)
class LineView:
    """A forecast line as the page and the API show it."""

    line: ForecastLine
    enterprise: Enterprise

    @property
    def within_14(self) -> bool:
        return self.line.day_below_90 <= 14


def latest_run(*, session: Session, made_on: date | None = None) -> ForecastRun | None:
    """The newest run made on ``made_on`` (or on any day when None), the last created first."""
    query = select(ForecastRun).order_by(ForecastRun.made_on.desc(), ForecastRun.id.desc()).limit(1)
    if made_on is not None:
        query = query.where(ForecastRun.made_on == made_on)
    return session.scalars(query).first()


def recent_runs(*, session: Session, limit: int = 20) -> list[ForecastRun]:
    """The newest runs, by report date then creation."""
    query = select(ForecastRun).order_by(ForecastRun.made_on.desc(), ForecastRun.id.desc()).limit(limit)
    return list(session.scalars(query))


def latest_backtest(*, session: Session) -> ForecastBacktest | None:
    """The newest kept backtest."""
    return session.scalars(select(ForecastBacktest).order_by(ForecastBacktest.id.desc()).limit(1)).first()


def get_run(*, session: Session, run_id: int) -> ForecastRun:
    run = session.get(ForecastRun, run_id)
    if run is None:
        raise refuse(NotFound, _("no forecast {run_id}"), run_id=run_id)
    return run


def list_lines(*, session: Session, principal: Principal, run_id: int, region_code: str | None = None,
               levels: tuple[str, ...] | None = None) -> list[LineView]:
    """The run's lines the principal may see (its region's enterprises), soonest stop first."""
    query = (select(ForecastLine, Enterprise).join(Enterprise, Enterprise.id == ForecastLine.enterprise_id)
             .where(ForecastLine.run_id == run_id, enterprise_scope(principal)))
    if region_code:
        query = query.where(region_clause(region_code))
    if levels:
        query = query.where(ForecastLine.level.in_(levels))
    rows = [LineView(line, firm) for line, firm in session.execute(query)]
    rows.sort(key=lambda v: (v.line.day_below_50 or 10**6, v.line.day_below_90, v.enterprise.name))
    return rows


def get_line(*, session: Session, principal: Principal, line_id: int) -> LineView:
    """One line the principal may see (NotFound otherwise, so that other regions' lines do not leak)."""
    row = session.execute(select(ForecastLine, Enterprise).join(Enterprise, Enterprise.id == ForecastLine.enterprise_id)
                          .where(ForecastLine.id == line_id, enterprise_scope(principal))).first()
    if row is None:
        raise refuse(NotFound, _("no forecast line {line_id}"), line_id=line_id)
    return LineView(*row)


@dataclass(frozen=True)
class LightView:
    """An inventory light from a report: the row and its enterprise."""

    row: compute.InventoryRow
    enterprise: Enterprise


def inventory_lights(*, session: Session, principal: Principal, made_on: date,
                     region_code: str | None = None) -> list[LightView]:
    """Red (< 3 days) and yellow (< 7 days) inventory rows of the latest reports the principal may see."""
    state = reported_state(session, made_on)
    lit = [row for row in state.inventory if row.light]
    if not lit:
        return []
    query = select(Enterprise).where(Enterprise.id.in_({row.enterprise_id for row in lit}),
                                     enterprise_scope(principal))
    if region_code:
        query = query.where(region_clause(region_code))
    firms = {firm.id: firm for firm in session.scalars(query)}
    out = [LightView(row, firms[row.enterprise_id]) for row in lit if row.enterprise_id in firms]
    out.sort(key=lambda v: (v.row.days, v.enterprise.name))
    return out


# ------------------------------------------------------------------------------------------------ desk case
def open_case(*, session: Session, caller: Caller, line_id: int, language: str = "zh_CN") -> Case:
    """File a desk case for a forecast line: the key enterprise requests, the root of its supplier chain blocks.

    The case is prefilled (category parts supply, urgency from the line's level, the chain in the description)
    and routed by :func:`chainkeeper.coordination.service.file_case`; the line keeps the case's id.
    """
    view = get_line(session=session, principal=caller.principal, line_id=line_id)
    line = view.line
    if line.case_id is not None:
        raise refuse(ValidationFailed, _("a desk case is already open for this forecast line: case {case_id}"),
                     field="line", case_id=line.case_id)
    if not line.chain:
        raise refuse(ValidationFailed, _("this forecast names no supplier to block: the enterprise's own capacity "
                                         "or stock holds it"), field="line")
    run = session.get(ForecastRun, line.run_id)
    root = line.chain[-1]
    names = " → ".join(step["name"] for step in line.chain)
    when = line.day_below_50 or line.day_below_90
    title = translate("Forecast: {name} falls below normal output in {days} days", language,
                      name=view.enterprise.name, days=when)
    blocked = translate("Stoppage forecast made on {made_on}: below 90% on day {d90}, below 50% on day {d50}; "
                        "binding input industry {industry}; supplier chain: {chain}.", language,
                        made_on=run.made_on.isoformat(), d90=line.day_below_90, d50=line.day_below_50 or "—",
                        industry=line.binding_industry or "—", chain=names)
    data = desk.NewCase(category=CaseCategory.parts_supply, title=title[:200], blocked=blocked[:5000],
                        help_wanted=translate("Restart the supply of the chain's first supplier.", language),
                        requester_id=view.enterprise.id, blocking_uscc=root["uscc"],
                        urgency=Urgency.urgent if line.level == "red" else Urgency.normal)
    case = desk.file_case(session=session, caller=caller, data=data)
    line.case_id = case.id
    record(session=session, actor=caller.actor, action="forecast.open_case", object_type="forecast_line",
           object_id=line.id, after={"case_id": case.id})
    return case


def level_totals(*, session: Session, principal: Principal, run_id: int) -> tuple[dict[str, int], int]:
    """:func:`level_counts` of the run's lines the principal may see, and how many there are, counted in one
    statement instead of loading the lines (the home page's forecast panel)."""
    query = (select(ForecastLine.level, func.count()).join(Enterprise, Enterprise.id == ForecastLine.enterprise_id)
             .where(ForecastLine.run_id == run_id, enterprise_scope(principal)).group_by(ForecastLine.level))
    found = dict(session.execute(query).all())
    return {"red": found.get("red", 0), "yellow": found.get("yellow", 0)}, sum(found.values())


def level_counts(lines: list[LineView]) -> dict[str, int]:
    """How many red and yellow lines."""
    levels = np.array([v.line.level for v in lines], dtype=object)
    return {"red": int((levels == "red").sum()), "yellow": int((levels == "yellow").sum())}


def home_panel(*, session: Session, principal: Principal, day: date | None = None, top: int = 5) -> dict:
    """The forecast's part of a home page or a briefing: the newest run (on ``day`` when given), its red and yellow
    counts in the principal's region and the soonest lines (``{}`` when no forecast exists)."""
    run = latest_run(session=session, made_on=day)
    if run is None:
        return {}
    lines = list_lines(session=session, principal=principal, run_id=run.id)
    alerts = [v for v in lines if v.line.level]
    return {"run_id": run.id, "made_on": run.made_on.isoformat(), "horizon": run.horizon,
            **level_counts(lines), "falling": len(lines),
            "lines": [{"enterprise_id": v.enterprise.id, "name": v.enterprise.name, "level": v.line.level,
                       "day_below_50": v.line.day_below_50, "day_below_90": v.line.day_below_90,
                       "chain": [step["name"] for step in v.line.chain]} for v in alerts[:top]]}
