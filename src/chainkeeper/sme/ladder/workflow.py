"""The review of a ladder application: ONE pure transition table with guards (the desk's style). An application
goes county → city → province; the province recognises innovative and specialised SMEs and recommends little giants,
which the ministry recognises. Any level may reject with a reason; the applicant may withdraw while it is pending.

>>> from chainkeeper.auth.roles import Principal, Role
>>> kunshan = Principal(1, "kunshan", "昆山", frozenset({Role.county}), region_code="320583")
>>> decide("submitted", "pass", kunshan, Parties(enterprise_id=7, county_code="320583", tier="specialized"))
'county_passed'
"""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.regions import within
from chainkeeper.errors import Conflict, Forbidden, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.sme.ladder.rules import tier_rules

ACTIONS = ("pass", "recommend", "recognise", "reject", "withdraw")
LEVEL_ROLE = {"county": Role.county, "city": Role.city, "province": Role.province, "ministry": Role.ministry}
LEVEL_OF = {"submitted": "county", "county_passed": "city", "city_passed": "province", "recommended": "ministry"}


@dataclass(frozen=True)
class Transition:
    """Where an action leads and who takes it (a review level, or ``applicant``)."""

    target: str
    guard: str


TRANSITIONS: dict[tuple[str, str], Transition] = {
    ("submitted", "pass"): Transition("county_passed", "county"),
    ("county_passed", "pass"): Transition("city_passed", "city"),
    ("city_passed", "recognise"): Transition("recognised", "province"),  # innovative and specialised SMEs
    ("city_passed", "recommend"): Transition("recommended", "province"),  # little giants
    ("recommended", "recognise"): Transition("recognised", "ministry"),
    **{(state, "reject"): Transition("rejected", level) for state, level in LEVEL_OF.items()},
    **{(state, "withdraw"): Transition("withdrawn", "applicant") for state in LEVEL_OF},
}
NEEDS_REASON = frozenset({"reject"})
REFUSALS = {  # who the step belongs to, said in the caller's language
    "county": _("this step belongs to the county authority of the applicant's county"),
    "city": _("this step belongs to the city authority of the applicant's city"),
    "province": _("this step belongs to the provincial authority of the applicant's province"),
    "ministry": _("this step belongs to the ministry"),
    "applicant": _("only the applicant enterprise withdraws its application"),
}


@dataclass(frozen=True)
class Parties:
    """What the guards look at: the applicant enterprise, its county, and the tier applied for."""

    enterprise_id: int
    county_code: str
    tier: str


def allowed(guard: str, principal: Principal, parties: Parties) -> bool:
    """True when ``principal`` passes ``guard``: the applicant's own user, or an authority of that level whose
    region holds the applicant's county (the ministry: everywhere)."""
    if guard == "applicant":
        return principal.has(Role.enterprise) and principal.enterprise_id == parties.enterprise_id
    if guard == "ministry":
        return principal.has(Role.ministry)
    region = principal.region_code or ""
    return principal.has(LEVEL_ROLE[guard]) and region != "" and within(parties.county_code, region)


def _fits_tier(state: str, action: str, tier: str) -> bool:
    """The province recognises the tiers it recognises and recommends the others to the ministry."""
    if state != "city_passed":
        return True
    by_province = tier_rules(tier)["recognised_by"] == "province"
    return (action == "recognise") == by_province if action in ("recognise", "recommend") else True


def decide(state: str, action: str, principal: Principal, parties: Parties, reason: str = "") -> str:
    """The next state, or :class:`Conflict` (not possible now) / :class:`Forbidden` (not yours to take) /
    :class:`ValidationFailed` (a rejection without a reason)."""
    transition = TRANSITIONS.get((state, action))
    if transition is None or not _fits_tier(state, action, parties.tier):
        raise refuse(Conflict, _("this step is not possible in the application's present state"))
    if not allowed(transition.guard, principal, parties):
        raise refuse(Forbidden, REFUSALS[transition.guard])
    if action in NEEDS_REASON and not reason.strip():
        raise refuse(ValidationFailed, _("say why the application is rejected"), field="note")
    return transition.target


def available(state: str, principal: Principal, parties: Parties) -> list[str]:
    """The actions ``principal`` may take now (for the buttons)."""
    return [action for (source, action), t in TRANSITIONS.items()
            if source == state and _fits_tier(state, action, parties.tier) and allowed(t.guard, principal, parties)]
