"""What the indicators page shows, prepared from the service (no web imports): the chosen series beside the
national one with gaps, the chart's data, and the ranking of the month."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.indicators import compute, service
from chainkeeper.monitoring.indicators.models import NATIONAL, Indicator
from chainkeeper.reference.cache import province_names


@dataclass(frozen=True)
class SeriesRow:
    """A month of the chosen series: its value, the national figure and the gaps."""

    label: str
    value: float
    national: float | None
    gap_to_national: float | None
    gap_to_target: float | None


def month_label(period: str, combined_months: int, language: str) -> str:
    """'2022-04', or '2022 Jan–Feb' for a combined figure (in ``language``)."""
    if combined_months == 2:
        return translate(_("{year} Jan–Feb"), language, year=period[:4])
    return period


def indicator_name(row: Indicator, language: str) -> str:
    """The indicator's name in ``language``."""
    return row.name_zh if language == "zh_CN" else row.name_en


def region_name(code: str, names: dict[str, str], language: str) -> str:
    """A region's name ('00' = national)."""
    return translate(_("National"), language) if code == NATIONAL else names.get(code, code)


def series_rows(session: Session, indicator: str, region: str, industry: str, language: str) -> list[SeriesRow]:
    """The chosen region's months, newest first, with the national figure and the gaps."""
    points = service.series(session=session, indicator=indicator, region_code=region, industry_code=industry)
    national = {p.period: p.value for p in service.series(session=session, indicator=indicator,
                                                         industry_code=industry)}
    rows = []
    for point in reversed(points):
        target = service.target_for(session=session, indicator=indicator, region_code=region,
                                    year=int(point.period[:4]), industry_code=industry)
        reference = national.get(point.period)
        rows.append(SeriesRow(month_label(point.period, point.combined_months, language), point.value, reference,
                              None if region == NATIONAL else compute.gap(point.value, reference),
                              compute.gap(point.value, target)))
    return rows


def chart(session: Session, row: Indicator, region: str, industry: str, language: str) -> dict:
    """The line chart's data: the chosen region's series and, for a region, the national one."""
    names = province_names(session)
    wanted = [region] if region == NATIONAL else [region, NATIONAL]
    by_region = {code: service.series(session=session, indicator=row.code, region_code=code,
                                      industry_code=industry) for code in wanted}
    periods = sorted({p.period for points in by_region.values() for p in points})
    combined = {p.period: p.combined_months for points in by_region.values() for p in points}
    series = []
    for code, points in by_region.items():
        values = {p.period: p.value for p in points}
        series.append({"name": region_name(code, names, language), "data": [values.get(p) for p in periods]})
    reference = 50 if row.kind == "index" else (0 if row.kind == "yoy_pct" else None)
    return {"kind": "monthly", "title": translate(_("{indicator}, {region}, by month ({unit})"), language,
                                                  indicator=indicator_name(row, language),
                                                  region=region_name(region, names, language), unit=row.unit),
            "categories": [month_label(p, combined[p], language) for p in periods], "series": series,
            "unit": row.unit, "reference": reference}


def ranking_rows(session: Session, indicator: str, period: str | None, industry: str, language: str) -> list[dict]:
    """The provinces ranked for ``period`` with their names."""
    if not period:
        return []
    names = province_names(session)
    return [{**row.__dict__, "region_name": region_name(row.region_code, names, language)}
            for row in service.ranking(session=session, indicator=indicator, period=period,
                                       industry_code=industry)]


def region_choices(session: Session, language: str) -> list[tuple[str, str]]:
    """National, then every province."""
    return [(NATIONAL, translate(_("National"), language)), *province_names(session).items()]
