"""The scenario form of the workspace: its choices, the spec read from it, and a scenario described in words.

Regions and enterprises come from the shared pickers (``templates/_pickers.html``): a region as a code or a name
(:func:`chainkeeper.reference.pickers.resolve_region`), an enterprise as a USCC (the page resolves a typed name).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.analysis.models import RunState
from chainkeeper.analysis.results import chain_labels
from chainkeeper.analysis.scenario import ScenarioRejected, ScenarioSpec
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.reference.loader import industry_name
from chainkeeper.reference.models import Industry, Region
from chainkeeper.reference.pickers import resolve_region
from chainkeeper.registry.models import Enterprise

STATE_LABELS = {RunState.queued: _("Queued"), RunState.running: _("Running"), RunState.done: _("Done"),
                RunState.failed: _("Failed")}
RECOVERY_LABELS = {"step": _("Immediate, at the end"), "linear": _("Linear over the duration"),
                   "exponential": _("Exponential over the duration")}
RATIONING_LABELS = {"proportional": _("Proportional (equal shares)"),
                    "priority": _("Priority (Inoue–Todo)")}


REGION_FIELDS = ("region_1", "region_2")
FIRM_FIELDS = ("firm_1", "firm_2")


def choices(session: Session, principal: Principal, language: str) -> dict:
    """Industry divisions and key chains for the form's selects; the caller's own region as the default."""
    divisions = session.execute(select(Industry.code, Industry.name).where(Industry.level == 2)
                                .order_by(Industry.code)).all()
    own = (principal.region_code or "") if not principal.is_national else ""
    return {"industries": [(code, f"{code} {industry_name(code, name, language)}") for code, name in divisions],
            "chains": list(chain_labels(session, language).items()), "own_region": own}


def _number(text: str, field: str, kind=float):
    try:
        return kind(text.strip())
    except ValueError:
        raise ScenarioRejected(_("{field}: not a number: {value}."), field, field=field, value=text) from None


def _region(session: Session, text: str) -> str:
    """The code of a region typed in a region picker (a code, a name or a path of names); refused when unknown."""
    code = resolve_region(session, text)
    if code is None:
        raise ScenarioRejected(_("No such region: {value}."), "regions", value=text.strip())
    return code


def spec_from_form(session: Session, *, regions, industries, chains, firms, cut: str, duration: str, recovery: str,
                   horizon: str, rationing: str, on: str) -> ScenarioSpec:
    """The scenario typed into the form (percentages and days as text; ``firms`` as USCCs, or the text typed when
    no enterprise matched, which the scenario check refuses by name); bad values refused by name."""
    codes = [_region(session, text) for text in regions if text and text.strip()]
    try:
        day = date.fromisoformat(on) if on.strip() else None
    except ValueError:
        raise ScenarioRejected(_("{field}: not a date: {value}."), "on", field="on", value=on) from None
    return ScenarioSpec(
        cut=_number(cut or "90", "cut") / 100, duration=_number(duration, "duration", int) if duration.strip() else None,
        horizon_days=_number(horizon or "60", "horizon", int), recovery=recovery, rationing=rationing,
        regions=tuple(dict.fromkeys(codes)), industries=tuple(i for i in industries if i),
        chains=tuple(c for c in chains if c), firms=tuple(dict.fromkeys(f for f in firms if f)), on=day)


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
        "industries": [f"{code} {industry_name(code, industries.get(code, ''), language)}".strip()
                       for code in spec.industries],
        "chains": [chains.get(code, code) for code in spec.chains],
        "firms": [firms.get(code, code) for code in spec.firms],
        "cut": round(spec.cut * 100), "duration": spec.duration, "horizon": spec.horizon_days,
        "recovery": translate(RECOVERY_LABELS.get(spec.recovery, spec.recovery), language),
        "rationing": translate(RATIONING_LABELS.get(spec.rationing, spec.rationing), language),
    }


__all__ = ["FIRM_FIELDS", "RATIONING_LABELS", "RECOVERY_LABELS", "REGION_FIELDS", "STATE_LABELS", "choices", "describe",
           "spec_from_form"]
