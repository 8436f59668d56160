"""The scenario form of the workspace: its choices, the spec read from it, and a scenario described in words.

Regions are picked as provinces and prefecture cities (server-rendered selects) plus county codes; enterprises are
named by USCC or by name (a name must match exactly one enterprise the caller may see).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.analysis.models import RunState
from chainkeeper.analysis.results import chain_labels
from chainkeeper.analysis.scenario import ScenarioRejected, ScenarioSpec
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.i18n import _, translate
from chainkeeper.reference.models import Industry, Region
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.name_search import name_contains
from chainkeeper.registry.names import normalize_name

STATE_LABELS = {RunState.queued: _("Queued"), RunState.running: _("Running"), RunState.done: _("Done"),
                RunState.failed: _("Failed")}
RECOVERY_LABELS = {"step": _("Immediate, at the end"), "linear": _("Linear over the duration"),
                   "exponential": _("Exponential over the duration")}
RATIONING_LABELS = {"proportional": _("Proportional (equal shares)"),
                    "priority": _("Priority (Inoue–Todo)")}


def choices(session: Session, principal: Principal, language: str) -> dict:
    """Provinces, cities grouped by province, industry divisions and key chains for the form's selects."""
    regions = session.execute(select(Region.code, Region.name, Region.level, Region.province_code)
                              .where(Region.level < 3).order_by(Region.code)).all()
    provinces = [(code, name) for code, name, level, _p in regions if level == 1]
    cities: dict[str, list] = {}
    for code, name, level, province in regions:
        if level == 2:
            cities.setdefault(province, []).append((code, name))
    divisions = session.execute(select(Industry.code, Industry.name).where(Industry.level == 2)
                                .order_by(Industry.code)).all()
    own = (principal.region_code or "") if not principal.is_national else ""
    return {"provinces": provinces, "cities": [(p, dict(provinces).get(p, p), c) for p, c in cities.items()],
            "industries": [(code, f"{code} {name}") for code, name in divisions],
            "chains": list(chain_labels(session, language).items()), "own_region": own}


def _number(text: str, field: str, kind=float):
    try:
        return kind(text.strip())
    except ValueError:
        raise ScenarioRejected(_("{field}: not a number: {value}."), field, field=field, value=text) from None


def _firm(session: Session, principal: Principal, text: str) -> str:
    """A USCC for one line of the firms field: a USCC as typed, or the one visible enterprise of that name."""
    code = uscc_codes.normalize(text)
    if uscc_codes.is_valid(code):
        return code
    needle = normalize_name(text)
    query = select(Enterprise.uscc).where(enterprise_scope(principal))
    exact = list(session.scalars(query.where(Enterprise.normalized_name == needle).limit(2)))
    found = exact or list(session.scalars(query.where(name_contains(session, needle)).limit(2)))
    if len(found) != 1:
        template = _("No such enterprise: {value}.") if not found else \
            _("More than one enterprise matches {value}: give its USCC.")
        raise ScenarioRejected(template, "firms", value=text)
    return found[0]


def spec_from_form(session: Session, principal: Principal, *, provinces, cities, counties: str, industries, chains,
                   firms: str, cut: str, duration: str, recovery: str, horizon: str, rationing: str,
                   on: str) -> ScenarioSpec:
    """The scenario typed into the form (percentages and days as text); bad values refused by name."""
    regions = [code for code in list(provinces) + list(cities) if code] + \
        [code for code in counties.replace(",", " ").replace("，", " ").split() if code]
    named = [_firm(session, principal, line.strip()) for line in firms.splitlines() if line.strip()]
    try:
        day = date.fromisoformat(on) if on.strip() else None
    except ValueError:
        raise ScenarioRejected(_("{field}: not a date: {value}."), "on", field="on", value=on) from None
    return ScenarioSpec(
        cut=_number(cut or "90", "cut") / 100, duration=_number(duration, "duration", int) if duration.strip() else None,
        horizon_days=_number(horizon or "60", "horizon", int), recovery=recovery, rationing=rationing,
        regions=tuple(dict.fromkeys(regions)), industries=tuple(i for i in industries if i),
        chains=tuple(c for c in chains if c), firms=tuple(named), on=day)


def describe(session: Session, spec: ScenarioSpec, language: str) -> dict:
    """The scenario in words: region, industry, chain and enterprise names; the cut and its path."""
    regions = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(spec.regions))).all())
    industries = dict(session.execute(select(Industry.code, Industry.name)
                                      .where(Industry.code.in_(spec.industries))).all())
    firms = dict(session.execute(select(Enterprise.uscc, Enterprise.name)
                                 .where(Enterprise.uscc.in_(spec.firms))).all()) if spec.firms else {}
    chains = chain_labels(session, language)
    return {
        "regions": [regions.get(code, code) for code in spec.regions],
        "industries": [f"{code} {industries.get(code, '')}".strip() for code in spec.industries],
        "chains": [chains.get(code, code) for code in spec.chains],
        "firms": [firms.get(code, code) for code in spec.firms],
        "cut": round(spec.cut * 100), "duration": spec.duration, "horizon": spec.horizon_days,
        "recovery": translate(RECOVERY_LABELS.get(spec.recovery, spec.recovery), language),
        "rationing": translate(RATIONING_LABELS.get(spec.rationing, spec.rationing), language),
    }


__all__ = ["RATIONING_LABELS", "RECOVERY_LABELS", "STATE_LABELS", "choices", "describe", "spec_from_form"]
