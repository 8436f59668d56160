"""The day's allocation as the daily report: every plan of a day in the caller's scope with what was needed and
served per priority class, what was shipped and received, what was cancelled or failed (with the reasons) and what
carries to tomorrow — one row per plan on the page, and a workbook (summary, lines, shortfalls) for the day."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.docking import plans, producers
from chainkeeper.docking.access import coordinator_region
from chainkeeper.docking.explain import priority_text, reason_text, state_text
from chainkeeper.docking.models import Plan
from chainkeeper.docking.views import goods_map, plan_out
from chainkeeper.exporting import safe_row
from chainkeeper.i18n import _, translate
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting.models import Report, ReportType

ROW_KEYS = ("good", "scope", "state", "status", "needed", "served", "allocated", "shipped", "received", "cancelled",
            "failed", "unmet")
SUMMARY_HEADERS = (_("Good"), _("Scope"), _("State"), _("Result"), _("Needed"), _("Served"), _("Allocated"),
                   _("Shipped"), _("Received"), _("Cancelled"), _("Failed"), _("Carried to tomorrow"))
LINE_HEADERS = (_("Good"), _("Producer"), _("Demander"), _("Priority class"), _("Quantity"), _("State"),
                _("Shipped"), _("Received"), _("Note"))


def recent_days(*, session: Session, caller: Caller, limit: int = 10) -> list[date]:
    """The latest days with a plan the caller coordinates or reads (newest first)."""
    query = _readable(select(Plan.day).distinct().order_by(Plan.day.desc()).limit(limit), caller)
    return [] if query is None else list(session.scalars(query))


def shown_day(*, session: Session, caller: Caller, asked: str | None, today: date) -> date:
    """The day a docking page shows: the one asked for, else the newest day up to ``today`` with a plan the caller
    reads (the demo's week of February 2020 rather than an empty today), else ``today``."""
    try:
        return date.fromisoformat(asked) if asked else _newest_day(session, caller, today)
    except ValueError:
        return _newest_day(session, caller, today)


def _newest_day(session: Session, caller: Caller, today: date) -> date:
    """The newest day up to ``today`` with a plan the caller reads or a producer's report in the region it
    coordinates (the stocks a plan of that day would allocate)."""
    plans = _readable(select(func.max(Plan.day)).where(Plan.day <= today), caller)
    own = coordinator_region(caller.principal)
    reports = None if own is None else (
        select(func.max(Report.report_date)).join(ReportType, ReportType.id == Report.report_type_id)
        .join(Enterprise, Enterprise.id == Report.enterprise_id)
        .where(ReportType.code == producers.TYPE_CODE, Report.report_date <= today,
               Enterprise.county_code.startswith(own)))
    days = [session.scalar(query) for query in (plans, reports) if query is not None]
    return max((day for day in days if day is not None), default=today)


def _readable(query, caller: Caller):
    """``query`` narrowed to the plans the caller coordinates or reads; None when it reads none."""
    own = coordinator_region(caller.principal)
    if own is None and not caller.principal.is_national:
        return None
    return query.where(Plan.scope_region.startswith(own)) if own else query


def _total(lines, attribute: str, states: tuple[str, ...] | None = None) -> float:
    return sum(float(getattr(line, attribute) or 0) for line in lines if states is None or line.state in states)


def _row(plan: Plan, names: dict, language: str) -> dict:
    summary = plan.summary or {}
    lines = [line for line in plan.lines if line.quantity > 0]
    carried = sum(item["unmet"] for item in summary.get("shortfalls", [])) + \
        _total(lines, "quantity", ("cancelled",)) + \
        sum(line.quantity - float(line.received_quantity or 0) for line in lines if line.state == "failed")
    return {"plan_id": plan.id, "good": names.get(plan.good.code, {}).get("name", plan.good.code),
            "unit": names.get(plan.good.code, {}).get("unit", ""),
            "scope": plan.scope_region or translate(_("national"), language),
            "state": state_text(plan.state, language), "status": reason_text(summary.get("message"), language),
            "optimal": summary.get("status") == "optimal",
            "needed": sum(summary.get("need_by_class", {}).values()),
            "served": sum(summary.get("served_by_class", {}).values()),
            "allocated": _total(lines, "quantity"), "shipped": _total(lines, "shipped_quantity"),
            "received": _total(lines, "received_quantity"), "cancelled": _total(lines, "quantity", ("cancelled",)),
            "failed": len([line for line in lines if line.state == "failed"]), "unmet": carried,
            "by_class": {int(k): (v, summary.get("served_by_class", {}).get(k, 0))
                         for k, v in summary.get("need_by_class", {}).items()}}


def day_rows(*, session: Session, caller: Caller, day: date, language: str) -> list[dict]:
    """One row per plan of ``day`` the caller may read (see :data:`ROW_KEYS`)."""
    names = goods_map(session, language)
    return [_row(plan, names, language) for plan in _day_plans(session, caller, day)]


def _day_plans(session: Session, caller: Caller, day: date) -> list[Plan]:
    if caller.principal.is_national and coordinator_region(caller.principal) is None:
        return list(session.scalars(select(Plan).where(Plan.day == day).order_by(Plan.good_id, Plan.scope_region)))
    return plans.plans_of_day(session=session, caller=caller, day=day)


def day_xlsx(*, session: Session, caller: Caller, day: date, language: str) -> bytes:
    """The day's report as a workbook: a summary per plan, every line with its progress, the shortfalls."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    book = Workbook(write_only=True)
    summary = book.create_sheet(translate(_("Daily allocation report"), language))
    summary.append(safe_row([translate(_("Allocation of {day}"), language, day=day.isoformat())]))
    summary.append(safe_row(translate(h, language) for h in SUMMARY_HEADERS))
    names = goods_map(session, language)
    day_plans = _day_plans(session, caller, day)
    for plan in day_plans:
        row = _row(plan, names, language)
        summary.append(safe_row([row[key] for key in ROW_KEYS]))
    detail = book.create_sheet(translate(_("Lines"), language))
    detail.append(safe_row(translate(h, language) for h in LINE_HEADERS))
    short = book.create_sheet(translate(_("Shortfalls"), language))
    short.append(safe_row(translate(h, language) for h in (_("Good"), _("Demander"), _("Priority class"), _("Unmet"),
                                                           _("Reason"))))
    for plan in day_plans:
        _plan_sheets(session, plan, names, language, detail, short)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plan_sheets(session: Session, plan: Plan, names: dict, language: str, detail, short) -> None:
    good = names.get(plan.good.code, {}).get("name", plan.good.code)
    view = plan_out(session, plan, language)
    priorities = {line.id: line.need.priority for line in plan.lines}
    notes = {line.id: line.note for line in plan.lines}
    for line in view.lines:
        detail.append(safe_row([good, line.producer, line.demander, priority_text(priorities[line.id], language),
                                line.quantity, state_text(line.state, language), line.shipped_quantity,
                                line.received_quantity, notes[line.id]]))
    for item in view.shortfalls:
        short.append(safe_row([good, item["demander"], priority_text(item["priority"], language)
                               if item["priority"] else "", item["unmet"], item["reason"]]))
