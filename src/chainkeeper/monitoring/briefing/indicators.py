"""The briefing's section of monthly indicators, read through the indicators feature's service (``series``,
``ranking``): the month's key figures of the region beside the national ones, this year's industrial value added
growth month by month, and the provinces ranked by it (where it fell most)."""

from __future__ import annotations

from types import ModuleType

from sqlalchemy.orm import Session

from chainkeeper.i18n import _
from chainkeeper.monitoring.briefing.content import bars, both, figure, section, table
from chainkeeper.monitoring.briefing.models import NATIONAL
from chainkeeper.monitoring.briefing.sections import Period, region_names

KEY_INDICATORS = ("iva_yoy", "iva_cum_yoy", "gio_yoy", "pmi", "output_vehicles", "output_vehicles_yoy", "output_nev",
                  "output_nev_yoy", "output_ic", "output_ic_yoy")
GROWTH = "iva_yoy"
UNITS = {"万辆": both("万辆", "10k vehicles"), "亿元": both("亿元", "100m CNY"), "亿块": both("亿块", "100m units")}


def _value_of(points, month: str) -> float | None:
    return next((point.value for point in points if point.period == month), None)


def _month_label(point) -> str:
    """'2022-04'; Jan–Feb published together as '2022-01/02'."""
    if point.combined_months == 2 and point.period.endswith("-02"):
        return point.period[:5] + "01/02"
    return point.period


def _figures_table(session: Session, service: ModuleType, period: Period, region_code: str) -> dict[str, list]:
    """The month's row of each key indicator with a figure: name, the region's, the national, unit."""
    names = {row.code: row for row in service.indicators(session=session)}
    rows = {}
    for code in KEY_INDICATORS:
        if code not in names:
            continue
        own = _value_of(service.series(session=session, indicator=code, region_code=region_code), period.month)
        national = (own if region_code == NATIONAL else
                    _value_of(service.series(session=session, indicator=code), period.month))
        if own is None and national is None:
            continue
        row = names[code]
        rows[code] = [both(row.name_zh, row.name_en), own, national, UNITS.get(row.unit, row.unit)]
    return rows


def _year_chart(session: Session, service: ModuleType, period: Period, region_code: str) -> dict | None:
    year = period.month[:4]
    own = [p for p in service.series(session=session, indicator=GROWTH, region_code=region_code)
           if p.period[:4] == year and p.period <= period.month]
    national = {p.period: p.value for p in service.series(session=session, indicator=GROWTH)}
    if not own:
        return None
    series = [(_("This region"), [p.value for p in own])]
    if region_code != NATIONAL:
        series.append((_("National"), [national.get(p.period) for p in own]))
    return bars("iva_year", _("Industrial value added growth this year, month by month (%)"),
                [_month_label(p) for p in own], series, integer=False, unit="%")


def _ranking(session: Session, service: ModuleType, period: Period, region_code: str) -> list[list]:
    names = region_names(session, 1)
    rows = [[names.get(r.region_code, r.region_code), r.rank, r.value, r.gap_to_national]
            for r in service.ranking(session=session, indicator=GROWTH, period=period.month)]
    if region_code != NATIONAL:
        rows = [row for row in rows if row[0] == names.get(region_code)]
    return rows


def indicators_section(session: Session, service: ModuleType, period: Period, region_code: str) -> dict:
    """The section (notes say when nothing was published for the month)."""
    figures_rows = _figures_table(session, service, period, region_code)
    ranking_rows = _ranking(session, service, period, region_code)
    charts = [chart for chart in (_year_chart(session, service, period, region_code),) if chart]
    if region_code == NATIONAL and ranking_rows:
        lowest = sorted(ranking_rows, key=lambda row: row[2])[:15]
        charts.append(bars("iva_ranking", _("Provinces where industrial value added fell most (growth, %)"),
                           [row[0] for row in lowest], [(_("Growth (%)"), [row[2] for row in lowest])],
                           horizontal=True, integer=False, unit="%"))
    growth, cumulative = (figures_rows.get(code, [None, None])[1] for code in (GROWTH, "iva_cum_yoy"))
    notes = [] if figures_rows else [_("No indicator was published (imported) for this month and region.")]
    return section(
        "indicators", _("Monthly indicators and rankings"),
        figures=[figure(_("Industrial value added, year on year"), growth, "%"),
                 figure(_("Industrial value added, cumulative year on year"), cumulative, "%")],
        tables=[table("indicators_month", _("Indicators of the month"),
                      [_("Indicator"), _("This region"), _("National"), _("Unit")], list(figures_rows.values())),
                table("indicators_ranking", _("Provinces ranked by industrial value added growth"),
                      [_("Province"), _("Rank"), _("Growth (%)"), _("Gap to the national figure (points)")],
                      ranking_rows)],
        charts=charts,
        notes=[*notes, _("Published statistics as imported; January and February are published together.")])
