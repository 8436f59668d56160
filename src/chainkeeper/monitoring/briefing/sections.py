"""The sections built from the platform's own records: the desk's statistics of the month and the white lists'
resumption at the month's end. Each is one small function of (session, period, region)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from chainkeeper.coordination.labels import CATEGORY_LABELS
from chainkeeper.coordination.models import Case, CaseCategory, CaseEvent, CaseState
from chainkeeper.i18n import _
from chainkeeper.monitoring.briefing.content import bars, figure, section, table
from chainkeeper.monitoring.briefing.models import NATIONAL
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.entries import active_on
from chainkeeper.whitelist.models import Entry, EntryPeriod, Resumption, WhiteList

ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Period:
    """A calendar month in China time: its first day, the first day of the next month, and both as UTC instants."""

    month: str
    first: date
    next_first: date

    @property
    def last(self) -> date:
        """The month's last day."""
        return self.next_first - timedelta(days=1)

    @property
    def start(self) -> datetime:
        """The month's first instant (Shanghai midnight) as an aware datetime."""
        return datetime.combine(self.first, time(0), ZONE)

    @property
    def end(self) -> datetime:
        """The first instant of the next month."""
        return datetime.combine(self.next_first, time(0), ZONE)

    def within(self, column) -> ColumnElement[bool]:
        """``column`` falls in the month."""
        return (column >= self.start) & (column < self.end)


def period_of(month: str) -> Period:
    """The period of 'YYYY-MM' (the caller has checked the format)."""
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    return Period(month, first, date(year + number // 12, number % 12 + 1, 1))


def region_names(session: Session, level: int, prefix: str = "") -> dict[str, str]:
    """Names of the regions of ``level`` (1 province, 2 prefecture) under ``prefix``."""
    query = select(Region.code, Region.name).where(Region.level == level)
    if prefix:
        query = query.where(Region.code.like(f"{prefix}%"))
    return dict(session.execute(query).all())


def case_region(region_code: str) -> ColumnElement[bool]:
    """Cases of a region: its requesters, blocking parties or handlers lie in it (the whole country for '00')."""
    if region_code == NATIONAL:
        return true()
    pattern = f"{region_code}%"
    return or_(Case.requester_region_code.like(pattern), Case.blocking_region_code.like(pattern),
               Case.handling_region_code.like(pattern))


def _counts(session: Session, key, condition, region: ColumnElement[bool]) -> dict[str, int]:
    query = select(key, func.count(func.distinct(Case.id))).where(region, condition).group_by(key)
    return {str(getattr(k, "value", k) or ""): n for k, n in session.execute(query)}


def _overdue_condition(period: Period) -> ColumnElement[bool]:
    """The case became overdue during the month (the desk's clock wrote its "overdue" event then)."""
    became = select(CaseEvent.case_id).where(CaseEvent.action == "overdue", period.within(CaseEvent.at))
    return Case.id.in_(became)


def _open_at_end(period: Period) -> ColumnElement[bool]:
    """Filed before the month ended, not resolved, closed or rejected by then."""
    ended = or_(Case.resolved_at < period.end, Case.closed_at < period.end)
    return (Case.submitted_at < period.end) & ~func.coalesce(ended, False) & (Case.state != CaseState.rejected)


def _measures(period: Period) -> dict[str, ColumnElement[bool]]:
    return {"opened": period.within(Case.submitted_at), "resolved": period.within(Case.resolved_at),
            "overdue": _overdue_condition(period), "open_at_end": _open_at_end(period)}


def _resolution_days(session: Session, period: Period, region: ColumnElement[bool]) -> float | None:
    rows = session.execute(select(Case.submitted_at, Case.resolved_at).where(region, period.within(Case.resolved_at)))
    days = [(resolved - submitted).total_seconds() / 86400 for submitted, resolved in rows if resolved and submitted]
    return round(statistics.median(days), 1) if days else None


def desk_section(session: Session, period: Period, region_code: str) -> dict:
    """Cases opened, resolved, become overdue in the month and open at its end: totals, by region (province, or a
    province's prefectures) and by category; the median days from filing to resolution."""
    region = case_region(region_code)
    measures = _measures(period)
    totals = {name: session.scalar(select(func.count(func.distinct(Case.id))).where(region, condition)) or 0
              for name, condition in measures.items()}
    width = 2 if region_code == NATIONAL else 4
    names = region_names(session, 1 if region_code == NATIONAL else 2,
                         "" if region_code == NATIONAL else region_code)
    area = func.substr(Case.blocking_region_code, 1, width)
    by_area = {name: _counts(session, area, condition, region) for name, condition in measures.items()}
    codes = sorted(set().union(*by_area.values()), key=lambda code: (-by_area["opened"].get(code, 0), code))
    area_rows = [[names.get(code, code), *(by_area[m].get(code, 0) for m in measures)] for code in codes]
    by_category = {name: _counts(session, Case.category, condition, region) for name, condition in measures.items()}
    categories = [c for c in CaseCategory if any(by_category[m].get(c.value) for m in measures)]
    category_rows = [[CATEGORY_LABELS[c], *(by_category[m].get(c.value, 0) for m in measures)] for c in categories]
    columns = [_("Opened"), _("Resolved"), _("Became overdue"), _("Open at the month's end")]
    area_title = _("Cases by province of the blocking party") if region_code == NATIONAL else _(
        "Cases by city of the blocking party")
    return section(
        "desk", _("Blocking points at the desk"),
        figures=[figure(_("Cases opened"), totals["opened"]), figure(_("Cases resolved"), totals["resolved"]),
                 figure(_("Cases that became overdue"), totals["overdue"]),
                 figure(_("Cases open at the month's end"), totals["open_at_end"]),
                 figure(_("Median days from filing to resolution"), _resolution_days(session, period, region),
                        _("days"))],
        tables=[table("desk_by_region", area_title, [_("Region"), *columns], area_rows),
                table("desk_by_category", _("Cases by category"), [_("Category"), *columns], category_rows,
                      label_kind="message")],
        charts=[bars("desk_by_region", area_title, [row[0] for row in area_rows[:15]],
                     [(_("Opened"), [row[1] for row in area_rows[:15]]),
                      (_("Resolved"), [row[2] for row in area_rows[:15]]),
                      (_("Became overdue"), [row[3] for row in area_rows[:15]])]),
                bars("desk_by_category", _("Cases by category"), [row[0] for row in category_rows],
                     [(_("Opened"), [row[1] for row in category_rows]),
                      (_("Resolved"), [row[2] for row in category_rows])],
                     categories_kind="message", horizontal=True)],
        notes=[_("A case counts for a region when its requester, its blocking party or its handler lies in it.")])


def _resumption_counts(session: Session, day: date, region_code: str, key) -> dict[str, dict[str, int]]:
    query = (select(key, Entry.resumption, func.count(func.distinct(Entry.enterprise_id)))
             .join(EntryPeriod, EntryPeriod.entry_id == Entry.id).join(Enterprise, Enterprise.id == Entry.enterprise_id)
             .where(active_on(day)).group_by(key, Entry.resumption))
    if region_code != NATIONAL:
        query = query.where(Enterprise.province_code == region_code)
    found: dict[str, dict[str, int]] = {}
    for group, status, count in session.execute(query):
        found.setdefault(str(group), {})[status.value] = count
    return found


def _rate_row(name: str, counts: dict[str, int]) -> list:
    total = sum(counts.values())
    resumed = counts.get(Resumption.partly.value, 0) + counts.get(Resumption.fully.value, 0)
    return [name, total, resumed, counts.get(Resumption.fully.value, 0),
            round(100 * resumed / total, 1) if total else None]


def resumption_section(session: Session, period: Period, region_code: str) -> dict:
    """Listed enterprises active on the month's last day and the share resumed (partly or fully): overall, by list
    and by province (nationally) — enterprises located in the region for a province."""
    day = min(period.last, datetime.now(ZONE).date())
    by_list = _resumption_counts(session, day, region_code, Entry.list_id)
    list_names = {str(i): n for i, n in session.execute(select(WhiteList.id, WhiteList.name))}
    list_rows = sorted((_rate_row(list_names.get(code, code), counts) for code, counts in by_list.items()),
                       key=lambda row: (-row[1], row[0]))
    overall: dict[str, int] = {}
    for counts in _resumption_counts(session, day, region_code, Enterprise.province_code).values():
        for status, count in counts.items():
            overall[status] = overall.get(status, 0) + count
    total_row = _rate_row("", overall)
    columns = [_("Active entries"), _("Resumed enterprises"), _("Fully resumed"), _("Resumption rate (%)")]
    tables = [table("resumption_by_list", _("Resumption by white list"), [_("List"), *columns], list_rows)]
    charts = [bars("resumption_by_list", _("Resumption rate by white list (%)"), [r[0] for r in list_rows[:15]],
                   [(_("Resumption rate (%)"), [r[4] for r in list_rows[:15]])], integer=False, unit="%")]
    if region_code == NATIONAL:
        names = region_names(session, 1)
        by_province = _resumption_counts(session, day, region_code, Enterprise.province_code)
        rows = sorted((_rate_row(names.get(code, code), counts) for code, counts in by_province.items()),
                      key=lambda row: (-(row[4] or 0), row[0]))
        tables.append(table("resumption_by_province", _("Resumption by province of the enterprise"),
                            [_("Province"), *columns], rows))
        charts.append(bars("resumption_by_province", _("Resumption rate by province (%)"), [r[0] for r in rows[:20]],
                           [(_("Resumption rate (%)"), [r[4] for r in rows[:20]])], integer=False, unit="%"))
    return section(
        "resumption", _("Resumption of listed enterprises"),
        figures=[figure(_("Listed enterprises"), total_row[1]), figure(_("Resumed enterprises"), total_row[2]),
                 figure(_("Resumption rate"), total_row[4], "%")],
        tables=tables, charts=charts,
        notes=[_("Entries active on the month's last day (or today, for the current month); an enterprise on "
                 "several lists counts once per list.")])
