"""A run's result as one viewer may see it: enterprises inside the viewer's scope by name, the rest as totals.

A Jiangsu user reading a national shock sees Jiangsu's hit enterprises with their names, white-list status and the
input that bound them, and every other province only as a count of hit firms and its lowest level. The daily
series (national, per province, per key chain) are aggregates and are shown to everyone who may see the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session

from chainkeeper.analysis.warnings import told
from chainkeeper.analysis.models import AnalysisHit, AnalysisRun, RunState
from chainkeeper.analysis.scenario import ScenarioSpec
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.i18n import translate
from chainkeeper.reference.models import Industry, KeyChain, Region
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.recommend import listed_enterprise_ids

PAGE_LIMIT = 200


@dataclass(frozen=True)
class HitView:
    """A hit enterprise inside the viewer's scope (days from 0, the shock's first day; levels are shares)."""

    enterprise_id: int
    uscc: str
    name: str
    region_code: str
    region_name: str
    listed: bool
    shocked: bool
    first_below_90: int
    first_below_50: int | None
    min_level: float
    limiting_industry: str | None
    limiting_name: str
    lost_days: float


@dataclass(frozen=True)
class OutsideTotal:
    """Hit enterprises of one province outside the viewer's scope, as totals only."""

    province_code: str
    province_name: str
    firms: int
    below_50: int
    lowest: float


@dataclass
class ResultView:
    """What the result page, the API and the exports show of a run to one viewer."""

    run: AnalysisRun
    spec: ScenarioSpec
    hits: list[HitView] = field(default_factory=list)
    outside: list[OutsideTotal] = field(default_factory=list)
    n_hits: int = 0
    n_shocked: int = 0
    province_names: dict[str, str] = field(default_factory=dict)
    chain_names: dict[str, str] = field(default_factory=dict)

    @property
    def series(self) -> dict:
        """The stored daily series (empty until the run is done)."""
        return self.run.series or {}

    def warnings(self, language: str) -> list[str]:
        """The engine's warnings (stability, locked firms) about this run, in ``language``."""
        return [told(warning, language) for warning in self.series.get("warnings") or []]


def _names(session: Session, model, codes) -> dict[str, str]:
    codes = {code for code in codes if code}
    if not codes:
        return {}
    return dict(session.execute(select(model.code, model.name).where(model.code.in_(codes))).all())


def chain_labels(session: Session, language: str) -> dict[str, str]:
    """Key chain names in ``language``."""
    rows = session.execute(select(KeyChain.code, KeyChain.name_zh, KeyChain.name_en).order_by(KeyChain.position))
    return {code: (en if language == "en" else zh) for code, zh, en in rows}


def _inside(session: Session, principal: Principal, run: AnalysisRun, spec: ScenarioSpec) -> list[HitView]:
    query = (select(AnalysisHit, Enterprise.uscc, Enterprise.name)
             .join(Enterprise, Enterprise.id == AnalysisHit.enterprise_id)
             .where(AnalysisHit.run_id == run.id, enterprise_scope(principal))
             .order_by(AnalysisHit.shocked, AnalysisHit.first_below_90, AnalysisHit.min_level, Enterprise.name))
    rows = session.execute(query).all()
    listed = listed_enterprise_ids(session, spec.on or run.created_at.date())
    regions = _names(session, Region, {hit.county_code or hit.city_code for hit, _u, _n in rows})
    industries = _names(session, Industry, {hit.limiting_industry for hit, _u, _n in rows})
    return [HitView(hit.enterprise_id, uscc, name, hit.county_code or hit.city_code,
                    regions.get(hit.county_code or hit.city_code, ""), hit.enterprise_id in listed, hit.shocked,
                    hit.first_below_90, hit.first_below_50, hit.min_level, hit.limiting_industry,
                    industries.get(hit.limiting_industry or "", ""), hit.lost_output) for hit, uscc, name in rows]


def _outside(session: Session, principal: Principal, run: AnalysisRun) -> list[tuple]:
    visible = select(Enterprise.id).where(enterprise_scope(principal))
    return session.execute(
        select(AnalysisHit.province_code, func.count(), func.count(AnalysisHit.first_below_50),
               func.min(AnalysisHit.min_level))
        .where(AnalysisHit.run_id == run.id, not_(AnalysisHit.enterprise_id.in_(visible)))
        .group_by(AnalysisHit.province_code).order_by(AnalysisHit.province_code)).all()


def result_view(*, session: Session, principal: Principal, run: AnalysisRun, language: str = "zh_CN") -> ResultView:
    """The run as ``principal`` may see it (see the module's docstring)."""
    spec = ScenarioSpec.from_json(run.spec)
    view = ResultView(run, spec, chain_names=chain_labels(session, language))
    provinces = set((run.series or {}).get("provinces", {}))
    if run.state is RunState.done:
        view.hits = _inside(session, principal, run, spec)
        outside = _outside(session, principal, run)
        provinces |= {row[0] for row in outside}
        view.province_names = _names(session, Region, provinces)
        view.outside = [OutsideTotal(code, view.province_names.get(code, code), n, n50, round(lowest, 4))
                        for code, n, n50, lowest in outside]
        view.n_shocked = sum(hit.shocked for hit in view.hits)
        view.n_hits = len(view.hits) - view.n_shocked
    else:
        view.province_names = _names(session, Region, provinces)
    return view


def scope_summary(view: ResultView) -> dict:
    """Headline numbers of a run for the viewer."""
    series = view.series
    national = series.get("national") or [1.0]
    below = [day for day, level in enumerate(national) if level < 0.9]
    return {"lowest": round(min(national), 4), "lowest_day": national.index(min(national)),
            "days_below_90": len(below), "hit_inside": view.n_hits, "shocked_inside": view.n_shocked,
            "hit_outside": sum(total.firms for total in view.outside),
            "lost_output_share": series.get("lost_output_share", 0.0)}


def error_text(run: AnalysisRun, language: str) -> str:
    """A failed run's message in ``language``."""
    if not run.error:
        return ""
    return translate(run.error, language, **(run.error_params or {}))


def on_date(view: ResultView) -> date:
    """The calendar day 0 of the scenario."""
    return view.spec.on or view.run.created_at.date()


def compare_rows(a: ResultView, b: ResultView) -> list[dict]:
    """Per province and key chain present in either run: the lowest level in each (for the comparison table)."""
    rows = []
    for kind, names in (("provinces", a.province_names | b.province_names), ("chains", a.chain_names)):
        codes = sorted(set(a.series.get(kind, {})) | set(b.series.get(kind, {})))
        for code in codes:
            low_a = min(a.series.get(kind, {}).get(code) or [1.0])
            low_b = min(b.series.get(kind, {}).get(code) or [1.0])
            if min(low_a, low_b) < 0.999:
                rows.append({"kind": kind, "code": code, "name": names.get(code, code), "a": round(low_a, 4),
                             "b": round(low_b, 4)})
    return sorted(rows, key=lambda row: min(row["a"], row["b"]))


def same_firms(a: ResultView, b: ResultView) -> list[tuple[HitView | None, HitView | None]]:
    """Hit enterprises inside the scope in either run, paired by enterprise (downstream ones only)."""
    left = {hit.enterprise_id: hit for hit in a.hits if not hit.shocked}
    right = {hit.enterprise_id: hit for hit in b.hits if not hit.shocked}
    ids = sorted(set(left) | set(right), key=lambda i: min(
        (h.first_below_90 for h in (left.get(i), right.get(i)) if h), default=10**6))
    return [(left.get(i), right.get(i)) for i in ids[:PAGE_LIMIT]]


__all__ = ["HitView", "OutsideTotal", "ResultView", "chain_labels", "compare_rows", "error_text", "on_date",
           "result_view", "same_firms", "scope_summary"]
