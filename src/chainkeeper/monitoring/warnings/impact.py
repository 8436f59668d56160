"""The engine's view of a warning: which downstream enterprises are at risk if the warned subject produces less.

It reuses the desk's impact assessment (:mod:`chainkeeper.coordination.impact`, the engine's day-by-day model on
the cached registry network): a region's warning cuts the capacity of the region's registered firms (an industry's
warning only those of that industry), an enterprise's stock warning stops that enterprise. The cut follows the
warned figure: a year-on-year fall of 30% cuts 30% (at least 5%, at most 100%); stock running out stops the plant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.impact import AffectedFirm, Blocking, Impact, assess_firms, assess_impact
from chainkeeper.monitoring.warnings.models import EarlyWarning, SubjectKind
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import region_clause

HORIZON = 30
SHOWN = 50
MIN_CUT, DEFAULT_CUT = 0.05, 0.3


@dataclass(frozen=True)
class EngineView:
    """The impact and the firms of it the principal may open (``hidden``: affected firms outside its scope)."""

    impact: Impact
    cut: float
    on: date
    firms: tuple[AffectedFirm, ...]
    hidden: int


def start_day(period: str) -> date:
    """The first day of a period 'YYYY-MM' or the day 'YYYY-MM-DD'."""
    return date.fromisoformat(period if len(period) == 10 else f"{period}-01")


def default_cut(warning: EarlyWarning) -> float:
    """The capacity cut the warned figure suggests (see the module's docstring)."""
    if warning.subject_kind is SubjectKind.enterprise:
        return 1.0
    if warning.value < 0:
        return min(1.0, max(MIN_CUT, -warning.value / 100.0))
    return DEFAULT_CUT


def has_view(warning: EarlyWarning) -> bool:
    """A region's, an industry's or an enterprise's warning has downstream firms; a national total has none."""
    if warning.subject_kind is SubjectKind.enterprise:
        return warning.enterprise_id is not None
    return bool(warning.region_code or warning.industry_code)


def _assess(session: Session, warning: EarlyWarning, cut: float, on: date) -> Impact:
    if warning.subject_kind is SubjectKind.enterprise:
        return assess_impact(session=session, enterprise_id=warning.enterprise_id, on=on, horizon_days=HORIZON,
                             cut=cut, limit=SHOWN * 4)
    if not warning.industry_code:
        return assess_impact(session=session, region_code=warning.region_code, on=on, horizon_days=HORIZON, cut=cut,
                             limit=SHOWN * 4)
    query = select(Enterprise.id).where(Enterprise.industry_code.startswith(warning.industry_code))
    if warning.region_code:
        query = query.where(region_clause(warning.region_code))
    code = f"{warning.region_code}:{warning.industry_code}"
    return assess_firms(session=session, enterprise_ids=list(session.scalars(query)),
                        blocking=Blocking("industry", code, code), on=on, horizon_days=HORIZON, cut=cut,
                        limit=SHOWN * 4)


def engine_view(*, session: Session, principal: Principal, warning: EarlyWarning,
                cut: float | None = None) -> EngineView | None:
    """The downstream enterprises at risk (None when the warning has no downstream, e.g. a national total)."""
    if not has_view(warning):
        return None
    cut = default_cut(warning) if cut is None else min(1.0, max(MIN_CUT, float(cut)))
    on = start_day(warning.period)
    impact = _assess(session, warning, cut, on)
    ids = [firm.enterprise_id for firm in impact.affected]
    visible = set(session.scalars(select(Enterprise.id).where(Enterprise.id.in_(ids), enterprise_scope(principal))))
    firms = tuple(firm for firm in impact.affected if firm.enterprise_id in visible)
    return EngineView(impact, cut, on, firms[:SHOWN], impact.n_affected - len(firms))
