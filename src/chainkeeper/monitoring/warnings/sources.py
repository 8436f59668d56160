"""Where the rules read their figures: the monthly indicators (``monitoring.indicators``) and the daily reports'
``inventory`` rows (``reporting`` with the ``daily_scheduling`` type of ``monitoring.scheduling``).

Only these functions know the other features' interfaces; the evaluation takes them as plain data. Region codes:
the platform's '' (the whole country) is the indicators' '00'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

DAILY_TYPE = "daily_scheduling"
"""The daily report type whose ``inventory`` table gives the days of inventory (lane B's field keys)."""
NATIONAL = "00"

SeriesSource = Callable[..., list[tuple[str, float | None]]]
"""``source(session, indicator, region_code, industry_code) -> [(period, value)]`` (region '' = national)."""


def indicator_series(session: Session, indicator: str, region_code: str = "",
                     industry_code: str = "") -> list[tuple[str, float | None]]:
    """The monthly series of ``indicator`` for a region ('' = national) and industry ('' = all industry)."""
    from chainkeeper.monitoring.indicators.service import series

    points = series(session=session, indicator=indicator, region_code=region_code or NATIONAL,
                    industry_code=industry_code)
    return [(point.period, point.value) for point in points]


@dataclass(frozen=True)
class InventoryRow:
    """One row of a daily report's ``inventory`` table: days of inventory of one input on one day."""

    enterprise_id: int
    day: date
    input_industry: str
    supplier_uscc: str
    part: str
    days: float


def _rows(report) -> list[InventoryRow]:
    rows = []
    for item in (report.values or {}).get("inventory") or []:
        try:
            days = float(item.get("days"))
        except (TypeError, ValueError):
            continue  # the report framework validated it; a row without days says nothing about stock
        rows.append(InventoryRow(int(report.enterprise_id), report.report_date, str(item.get("input_industry") or ""),
                                 str(item.get("supplier_uscc") or ""), str(item.get("part") or ""), days))
    return rows


def latest_inventory(session: Session, day: date) -> list[InventoryRow]:
    """The inventory rows of every enterprise's newest daily report on or before ``day``."""
    from chainkeeper.reporting.service import latest_reports

    reports = latest_reports(session=session, type_code=DAILY_TYPE, up_to=day)
    return [row for report in reports.values() for row in _rows(report)]


def inventory_history(session: Session, start: date, end: date,
                      enterprise_ids: Iterable[int]) -> list[InventoryRow]:
    """The inventory rows of the given enterprises' daily reports from ``start`` to ``end`` (the chart's days)."""
    from chainkeeper.reporting.service import reports_between

    ids = sorted(set(enterprise_ids))
    if not ids:
        return []
    reports = reports_between(session=session, type_code=DAILY_TYPE, start=start, end=end, enterprise_ids=ids)
    return [row for report in reports for row in _rows(report)]
