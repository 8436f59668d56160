"""What other features call: the catalogue, a series, a ranking, the latest period, targets and gaps.

Reading is national for every signed-in user (the figures are published statistics); writing (imports, targets) is
checked in :mod:`.importing` and :func:`set_target` against the caller's region.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.core.regions import within
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.monitoring.indicators import compute
from chainkeeper.monitoring.indicators.catalogue import BY_CODE, CATALOGUE
from chainkeeper.monitoring.indicators.compute import Point
from chainkeeper.monitoring.indicators.models import NATIONAL, Indicator, IndicatorTarget, IndicatorValue

__all__ = ["Point", "RankRow", "ensure_catalogue", "get_indicator", "indicators", "industries", "latest_period", "may_write",
           "periods", "ranking", "series", "set_target", "target_for"]

LEVEL_LENGTH = {"province": 2, "city": 4, "county": 6}


@dataclass(frozen=True)
class RankRow:
    """A region's place for one indicator and month: value, gap to the national figure and to its target."""

    rank: int
    region_code: str
    value: float
    combined_months: int
    national: float | None
    gap_to_national: float | None
    target: float | None
    gap_to_target: float | None


def ensure_catalogue(session: Session) -> dict[str, Indicator]:
    """Create the catalogue's indicators that are missing (idempotent); all indicators by code."""
    existing = {row.code: row for row in session.scalars(select(Indicator))}
    for position, spec in enumerate(CATALOGUE):
        if spec.code not in existing:
            row = Indicator(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en, unit=spec.unit,
                            kind=spec.kind, cumulative=spec.cumulative, position=position)
            session.add(row)
            existing[spec.code] = row
    session.flush()
    return existing


def indicators(*, session: Session) -> list[Indicator]:
    """Every indicator, in catalogue order."""
    ensure_catalogue(session)
    return list(session.scalars(select(Indicator).order_by(Indicator.position, Indicator.code)))


def get_indicator(*, session: Session, indicator: str) -> Indicator:
    """The indicator of ``indicator`` (a code); :class:`NotFound` when there is none."""
    row = session.scalar(select(Indicator).where(Indicator.code == indicator))
    if row is None and indicator in BY_CODE:
        row = ensure_catalogue(session)[indicator]
    if row is None:
        raise NotFound(f"no indicator {indicator}")
    return row


def series(*, session: Session, indicator: str, region_code: str = NATIONAL, industry_code: str = "") -> list[Point]:
    """The monthly figures of ``indicator`` for a region and industry, oldest first ([] when none)."""
    row = session.scalar(select(Indicator).where(Indicator.code == indicator))
    if row is None:
        return []
    found = session.execute(
        select(IndicatorValue.period, IndicatorValue.value, IndicatorValue.combined_months)
        .where(IndicatorValue.indicator_id == row.id, IndicatorValue.region_code == region_code,
               IndicatorValue.industry_code == industry_code)
        .order_by(IndicatorValue.period)).all()
    return [Point(period, value, combined) for period, value, combined in found]


def latest_period(*, session: Session, indicator: str, region_code: str | None = None) -> str | None:
    """The newest month with a figure of ``indicator`` (of ``region_code`` if given); None when there is none."""
    query = (select(func.max(IndicatorValue.period)).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
             .where(Indicator.code == indicator))
    if region_code is not None:
        query = query.where(IndicatorValue.region_code == region_code)
    return session.scalar(query)


def codes_with_figures(*, session: Session, region_code: str) -> set[str]:
    """The codes of the indicators that hold at least one figure of ``region_code``."""
    query = (select(Indicator.code).join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
             .where(IndicatorValue.region_code == region_code).distinct())
    return set(session.scalars(query))


def periods(*, session: Session, indicator: str, regional: bool = False) -> list[str]:
    """The months with any figure of ``indicator`` (with ``regional``: a figure of a region, not the nation),
    newest first."""
    query = (select(IndicatorValue.period).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
             .where(Indicator.code == indicator))
    if regional:
        query = query.where(IndicatorValue.region_code != NATIONAL)
    return list(session.scalars(query.distinct().order_by(IndicatorValue.period.desc())))


def _values(session: Session, indicator_id: int, period: str, industry_code: str) -> dict[str, tuple[float, int]]:
    rows = session.execute(
        select(IndicatorValue.region_code, IndicatorValue.value, IndicatorValue.combined_months)
        .where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period,
               IndicatorValue.industry_code == industry_code)).all()
    return {code: (value, combined) for code, value, combined in rows}


def _targets(session: Session, indicator_id: int, year: int, industry_code: str) -> dict[str, float]:
    return dict(session.execute(
        select(IndicatorTarget.region_code, IndicatorTarget.value)
        .where(IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year,
               IndicatorTarget.industry_code == industry_code)).all())


def ranking(*, session: Session, indicator: str, period: str, level: str = "province",
            industry_code: str = "") -> list[RankRow]:
    """The regions of ``level`` ranked by their figure for ``period`` (highest first, ties share a rank), each with
    the gap to the national figure and to its target for the year (targets are compared with the figure as
    published, so set them for the cumulative indicator)."""
    if level not in LEVEL_LENGTH:
        raise ValidationFailed(f"unknown level {level!r}; use province, city or county")
    row = session.scalar(select(Indicator).where(Indicator.code == indicator))
    if row is None:
        return []
    values = _values(session, row.id, period, industry_code)
    national = values.get(NATIONAL, (None, 1))[0]
    targets = _targets(session, row.id, int(period[:4]), industry_code)
    regional = {code: value for code, (value, _c) in values.items()
                if len(code) == LEVEL_LENGTH[level] and code != NATIONAL}
    return [RankRow(place.rank, place.key, place.value, values[place.key][1], national,
                    compute.gap(place.value, national), targets.get(place.key),
                    compute.gap(place.value, targets.get(place.key)))
            for place in compute.rank(regional)]


def target_for(*, session: Session, indicator: str, region_code: str, year: int,
               industry_code: str = "") -> float | None:
    """A region's target for ``indicator`` in ``year`` (None when none is set)."""
    return session.scalar(
        select(IndicatorTarget.value).join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
        .where(Indicator.code == indicator, IndicatorTarget.region_code == region_code,
               IndicatorTarget.year == year, IndicatorTarget.industry_code == industry_code))


def may_write(caller: Caller | None, region_code: str) -> bool:
    """True when ``caller`` may import or set figures of ``region_code``: the operator (None) and the ministry
    everywhere; a provincial, city or county authority within its own region (not the nation)."""
    if caller is None:
        return True
    principal = caller.principal
    from chainkeeper.auth.roles import Role

    if principal.has(Role.ministry):
        return True
    if not principal.has(Role.province, Role.city, Role.county) or not principal.region_code:
        return False
    return region_code != NATIONAL and within(region_code, principal.region_code)


def set_target(*, session: Session, caller: Caller | None, indicator: str, region_code: str, year: int,
               value: float, industry_code: str = "") -> IndicatorTarget:
    """Set (or change) a region's target for a year; audited. :class:`Forbidden` outside the caller's
    region."""
    if not may_write(caller, region_code):
        raise Forbidden("targets may be set only for the caller's own region")
    row = get_indicator(session=session, indicator=indicator)
    target = session.scalar(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == row.id, IndicatorTarget.region_code == region_code,
        IndicatorTarget.year == year, IndicatorTarget.industry_code == industry_code))
    before = None if target is None else {"value": target.value}
    if target is None:
        target = IndicatorTarget(indicator_id=row.id, region_code=region_code, industry_code=industry_code,
                                 year=year, value=value)
        session.add(target)
    target.value = value
    target.set_by = caller.actor.name if caller else "cli"
    session.flush()
    if caller is not None:
        from chainkeeper.audit.service import record

        record(session=session, actor=caller.actor, action="indicator.target", object_type="indicator_target",
               object_id=f"{indicator}/{region_code}/{year}", before=before, after={"value": value})
    return target


def industries(*, session: Session, indicator: str) -> list[str]:
    """The industry codes with figures of ``indicator`` ('' = all industry first)."""
    found = set(session.scalars(
        select(IndicatorValue.industry_code).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.code == indicator).distinct()))
    return [""] + sorted(found - {""})
