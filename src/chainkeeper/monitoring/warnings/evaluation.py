"""Evaluating the active rules: on the monthly indicators (after an import, on the clock) and on the daily reports'
inventory rows (after reports, on the clock). The verdicts come from :mod:`.rules`; the warnings are raised by
:mod:`.raising`.

``run_warnings_tick(engine)`` is the clock's job (the desk's tick calls it): every indicator rule on the latest
month of its series and every inventory rule on the newest reports, one transaction per rule.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from chainkeeper.core.regions import within
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound
from chainkeeper.monitoring.warnings import sources
from chainkeeper.monitoring.warnings.models import INVENTORY, RAW_MATERIAL_PRICE, SubjectKind, WarningRule
from chainkeeper.monitoring.warnings.raising import Subject, raise_warning
from chainkeeper.monitoring.warnings.rules import NotEnoughData, RuleError, evaluate
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 14
"""Days of reports drawn in an inventory warning's chart."""


@dataclass
class EvaluationReport:
    """What one evaluation did: warnings raised (ids), periods that could not be judged, rules that failed."""

    raised: list[int] = field(default_factory=list)
    not_enough_data: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: EvaluationReport) -> EvaluationReport:
        self.raised += other.raised
        self.not_enough_data += other.not_enough_data
        self.errors += other.errors
        return self


def _active(session: Session, *, inventory: bool, rule_ids: Collection[int] | None = None) -> list[WarningRule]:
    query = select(WarningRule).where(WarningRule.active.is_(True)).order_by(WarningRule.id)
    query = query.where(WarningRule.indicator == INVENTORY if inventory else WarningRule.indicator != INVENTORY)
    if rule_ids is not None:
        query = query.where(WarningRule.id.in_(list(rule_ids)))
    return list(session.scalars(query))


# ------------------------------------------------------------------------------------------------- indicators
def _regions(session: Session, rule: WarningRule) -> list[tuple[str, str]]:
    """(code, name) of the regions a rule watches: its own, and with ``subregions`` the next level inside it."""
    own = rule.region_code
    name = session.scalar(select(Region.name).where(Region.code == own)) if own else ""
    regions = [(own, name or own)]
    if rule.subregions:
        level = {0: 1, 2: 2, 4: 3}.get(len(own))
        if level is not None:
            query = select(Region.code, Region.name).where(Region.level == level).order_by(Region.code)
            regions += [(code, title) for code, title in session.execute(query) if within(code, own)]
    return regions


def _series_code(rule: WarningRule) -> str:
    """The indicator whose series the rule reads (a raw-material price rule names it in its parameters)."""
    if rule.indicator == RAW_MATERIAL_PRICE:
        return str(rule.params.get("series") or "")
    return rule.indicator


PRODUCT_INDUSTRY = {"output_vehicles": "36", "output_vehicles_yoy": "36", "output_nev": "36",
                    "output_nev_yoy": "36", "output_ic": "3973", "output_ic_yoy": "3973"}
"""The GB/T 4754 industry that makes each key product of the indicators (汽车制造业 36, 集成电路制造 3973): a
product's warning is about that industry, and the engine's view cuts its firms."""


def _indicator_subject(rule: WarningRule, code: str, region: str, name: str) -> Subject:
    industry = rule.industry_code or PRODUCT_INDUSTRY.get(code, "")
    if rule.indicator == RAW_MATERIAL_PRICE:
        kind = SubjectKind.input
    else:
        kind = SubjectKind.indicator if industry else SubjectKind.region
    label = " · ".join(part for part in (name, code, rule.industry_code) if part)  # national: no region name
    return Subject(kind, f"region:{region}|{code}|{rule.industry_code}", region, label, indicator=code,
                   industry_code=industry, input_industry=industry if kind is SubjectKind.input else "")


def _periods(series, periods) -> list[str]:
    known = [period for period, value in series if value is not None]
    if not known:
        return []
    if periods == "all":
        return sorted(known)
    if periods is None:
        return [max(known)]
    return sorted(set(periods) & set(known))


def evaluate_indicator_rule(session: Session, rule: WarningRule, *, periods=None, source=None,
                            now: datetime | None = None, notify: bool = True) -> EvaluationReport:
    """Run one indicator rule on each region it watches, for ``periods`` (None = each series' latest month,
    ``"all"`` = every month, or a collection of 'YYYY-MM')."""
    source = source or sources.indicator_series
    report, code = EvaluationReport(), _series_code(rule)
    params = {key: value for key, value in rule.params.items() if key not in ("series", "inputs")}
    national = source(session, code, "", rule.industry_code) if rule.kind == "below_national" else None
    for region, name in _regions(session, rule):
        series = source(session, code, region, rule.industry_code)
        subject = _indicator_subject(rule, code, region, name)
        for period in _periods(series, periods):
            try:
                findings = evaluate(rule.kind, series, params, national=national, at=period)
            except NotEnoughData as refused:
                report.not_enough_data.append(f"rule {rule.id} {subject.label} {period}: {refused}")
                continue
            for finding in findings:
                warning = raise_warning(session, rule=rule, subject=subject, finding=finding, now=now, notify=notify)
                if warning is not None:
                    report.raised.append(warning.id)
    return report


def evaluate_indicator_rules(engine: Engine, *, periods=None, indicators: Collection[str] | None = None,
                             source=None, now: datetime | None = None, notify: bool = True) -> EvaluationReport:
    """Every active indicator rule (of ``indicators`` when given), one transaction per rule; a rule that fails is
    reported and the others still run. The hook to call after an indicator import."""
    with unit_of_work(engine) as session:
        rules = [(rule.id, _series_code(rule)) for rule in _active(session, inventory=False)]
    report = EvaluationReport()
    for rule_id, code in rules:
        if indicators is not None and code not in indicators:
            continue
        try:
            with unit_of_work(engine) as session:
                rule = session.get(WarningRule, rule_id)
                report.merge(evaluate_indicator_rule(session, rule, periods=periods, source=source, now=now,
                                                     notify=notify))
        except (RuleError, LookupError, ValueError) as error:
            report.errors.append(f"rule {rule_id}: {error}")
        except Exception as error:  # noqa: BLE001 - one broken rule must not stop the others
            log.exception("warning rule %s failed", rule_id)
            report.errors.append(f"rule {rule_id}: {type(error).__name__}")
    return report


# -------------------------------------------------------------------------------------------------- inventory
def _applies(rule: WarningRule, county_code: str, input_industry: str) -> bool:
    inputs = [str(prefix) for prefix in rule.params.get("inputs") or []]
    return within(county_code, rule.region_code) and (not inputs or any(input_industry.startswith(p) for p in inputs))


def _inventory_subject(row: sources.InventoryRow, county_code: str, name: str, supplier_id: int | None) -> Subject:
    detail = row.supplier_uscc or row.part
    key = f"enterprise:{row.enterprise_id}|input:{row.input_industry}|{detail}"[:200]
    label = " · ".join(part for part in (name, row.input_industry, row.part or row.supplier_uscc) if part)
    return Subject(SubjectKind.enterprise, key, county_code, label, enterprise_id=row.enterprise_id,
                   input_industry=row.input_industry, enterprises=(supplier_id,) if supplier_id else ())


def _firms(session: Session, ids, usccs) -> tuple[dict[int, tuple[str, str]], dict[str, int]]:
    found = {i: (county, name) for i, county, name in session.execute(
        select(Enterprise.id, Enterprise.county_code, Enterprise.name).where(Enterprise.id.in_(sorted(ids))))}
    query = select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.in_(sorted(usccs)))
    suppliers = {uscc: i for uscc, i in session.execute(query)}
    return found, suppliers


def evaluate_inventory_rules(session: Session, *, day: date, rows=None, history=None, now: datetime | None = None,
                             notify: bool = True, rule_ids: Collection[int] | None = None) -> EvaluationReport:
    """Every active inventory rule on the newest daily report of each enterprise on or before ``day``.

    ``rows`` / ``history``: the inventory rows to judge and the rows of the days before (for the chart); by default
    read from the daily reports (:mod:`.sources`).
    """
    report = EvaluationReport()
    rules = _active(session, inventory=True, rule_ids=rule_ids)
    if not rules:
        return report
    try:
        rows = sources.latest_inventory(session, day) if rows is None else rows
    except NotFound:  # no daily report type defined yet: nothing reported, nothing to judge
        return report
    firms, suppliers = _firms(session, {row.enterprise_id for row in rows},
                              {row.supplier_uscc for row in rows if row.supplier_uscc})
    if history is None:
        history = sources.inventory_history(session, day - timedelta(days=HISTORY_DAYS - 1), day,
                                            {row.enterprise_id for row in rows})
    for rule in rules:
        limits = {key: rule.params.get(key) for key in ("red", "yellow", "blue")}
        for row in rows:
            county, name = firms.get(row.enterprise_id, ("", ""))
            if not county or not _applies(rule, county, row.input_industry):
                continue
            past = {h.day.isoformat(): h.days for h in history if (h.enterprise_id, h.input_industry,
                    h.supplier_uscc, h.part) == (row.enterprise_id, row.input_industry, row.supplier_uscc, row.part)}
            past[row.day.isoformat()] = row.days
            findings = evaluate("inventory_levels", sorted(past.items()), limits, at=row.day.isoformat())
            subject = _inventory_subject(row, county, name, suppliers.get(row.supplier_uscc))
            for finding in findings:
                warning = raise_warning(session, rule=rule, subject=subject, finding=finding, now=now, notify=notify)
                if warning is not None:
                    report.raised.append(warning.id)
    return report


def on_indicators_imported(engine: Engine, *, indicator: str, periods: Collection[str]) -> EvaluationReport:
    """The hook after an indicator import: the rules on ``indicator`` judge the imported months (after the import's
    commit, one transaction per rule; a failing rule is logged and never undoes the import)."""
    report = evaluate_indicator_rules(engine, periods=sorted(periods), indicators={indicator})
    for problem in report.errors:
        log.warning("early warning after the import of %s: %s", indicator, problem)
    return report


def china_today(now: datetime | None = None) -> date:
    """Today's date in China (reports are dated in China time)."""
    return (now or datetime.now(timezone.utc)).astimezone(CHINA).date()


def run_warnings_tick(engine: Engine, *, now: datetime | None = None) -> EvaluationReport:
    """The clock's job: indicator rules on the latest month, inventory rules on today's newest reports."""
    report = evaluate_indicator_rules(engine, now=now)
    try:
        with unit_of_work(engine) as session:
            report.merge(evaluate_inventory_rules(session, day=china_today(now), now=now))
    except Exception as error:  # noqa: BLE001 - the clock keeps ticking
        log.exception("inventory warnings failed")
        report.errors.append(f"inventory: {type(error).__name__}")
    return report
