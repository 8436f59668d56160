"""The conditions of a policy and the reference evaluator (pure: no database, no web).

A policy applies inside its region (``region_scope``, a region-code prefix; '' = national) while it is valid
(``valid_from`` … ``valid_to``, China dates). Inside that scope its *conditions* decide: the industries (GB/T
4754-2017 prefixes), the size classes, the labels (any one of them), the enterprise's age in years and the rules on
its facts (e.g. ``rd_ratio_pct >= 3``). An enterprise *qualifies* when it meets every condition and is a *near
miss* when it fails at most :data:`NEAR_MISS` of them; a fact it has not given counts as failed ("unknown").

>>> from datetime import date
>>> rule = PolicyRule(policy_id=1, region_scope="32", industries=("C",), size_classes=("small", "micro"),
...                   rules=(Rule("rd_ratio_pct", ">=", 3.0),))
>>> profile = Profile(enterprise_id=7, county_code="320583", industry_code="3670", size="small",
...                   facts={"rd_ratio_pct": 2.5})
>>> found = evaluate(rule, profile, date(2026, 12, 6))
>>> found.in_scope, found.qualifies, [m.render("en") for m in found.missing]
(True, False, ['R&D spending 2.5 % of revenue, needs ≥ 3'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from chainkeeper.i18n import _
from chainkeeper.registry.models import Label, SizeClass
from chainkeeper.sme.reasons import Reason
from chainkeeper.sme.size import SIZE_LABELS
from chainkeeper.sme.size.standard import section_of

NEAR_MISS = 2
"""A policy whose conditions the enterprise fails at most this many of (and at least one) is a near miss."""

FACTS = {  # fact → (its label with a {value} and {op} {bound} in words; unit)
    "employees": _("Employees (persons)"),
    "revenue_wan": _("Revenue (10,000 yuan)"),
    "assets_wan": _("Total assets (10,000 yuan)"),
    "rd_ratio_pct": _("R&D spending (percent of revenue)"),
    "revenue_growth_pct": _("Revenue growth over the last year (percent)"),
    "invention_patents": _("Invention patents held"),
}
_FACT_TEXT = {
    "employees": _("Employees {value}, needs {op} {bound}"),
    "revenue_wan": _("Revenue {value} (10,000 yuan), needs {op} {bound}"),
    "assets_wan": _("Total assets {value} (10,000 yuan), needs {op} {bound}"),
    "rd_ratio_pct": _("R&D spending {value} % of revenue, needs {op} {bound}"),
    "revenue_growth_pct": _("Revenue growth {value} %, needs {op} {bound}"),
    "invention_patents": _("Invention patents {value}, needs {op} {bound}"),
}
_FACT_UNKNOWN = _("Not given yet: {fact} (needs {op} {bound}); add it to your profile")
OPS = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
       "=": lambda a, b: a == b}
OP_TEXT = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
EXTRA_LABELS = {  # labels the registry does not keep; an enterprise states them in its profile
    "high_tech": _("high-tech enterprise"),
    "tech_sme": _("technology-based SME"),
    "innovative_sme": _("innovative SME"),
}
LABELS = {  # every label a policy may ask for
    Label.leading.value: _("leading enterprise"), Label.key_node.value: _("key node enterprise"),
    Label.specialized.value: _("specialised and innovative SME"), Label.little_giant.value: _("little giant"),
    Label.single_champion.value: _("single champion"), Label.foreign_invested.value: _("foreign-invested"),
    **EXTRA_LABELS,
}
SIZES = {s.value: SIZE_LABELS[s] for s in SizeClass}
_RULE_TEXT = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|=|>|<|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Rule:
    """A condition on one fact of the enterprise: ``fact op value`` (e.g. ``rd_ratio_pct >= 3``)."""

    fact: str
    op: str
    value: float

    def as_dict(self) -> dict:
        """The rule as stored (JSON)."""
        return {"fact": self.fact, "op": self.op, "value": self.value}

    def text(self) -> str:
        """The rule as typed: ``rd_ratio_pct>=3``."""
        return f"{self.fact}{self.op}{_number(self.value)}"


def parse_rule(text: str) -> Rule:
    """A rule from its text (``rd_ratio_pct>=3``, ``≥``/``≤`` accepted); ValueError with a msgid when invalid."""
    found = _RULE_TEXT.match(text)
    if not found:
        raise ValueError(_("a rule reads fact, comparison, number, e.g. rd_ratio_pct>=3"))
    fact, op, value = found.groups()
    if fact not in FACTS:
        raise ValueError(_("unknown fact in a rule; use one of employees, revenue_wan, assets_wan, rd_ratio_pct, "
                           "revenue_growth_pct, invention_patents"))
    return Rule(fact, {"≥": ">=", "≤": "<="}.get(op, op), float(value))


def rule_from_dict(raw: dict) -> Rule:
    """A stored rule."""
    return Rule(raw["fact"], raw["op"], float(raw["value"]))


@dataclass(frozen=True)
class PolicyRule:
    """What matching reads of a policy."""

    policy_id: int
    region_scope: str = ""
    industries: tuple[str, ...] = ()
    size_classes: tuple[str, ...] = ()
    labels_any: tuple[str, ...] = ()
    min_age_years: float | None = None
    max_age_years: float | None = None
    rules: tuple[Rule, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = True

    def valid_on(self, day: date) -> bool:
        """In force on ``day``."""
        return self.active and (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_to is None or day <= self.valid_to)

    @property
    def condition_count(self) -> int:
        """How many conditions the policy sets (0 = open to every enterprise in its region)."""
        return sum(bool(x) for x in (self.industries, self.size_classes, self.labels_any)) + \
            (self.min_age_years is not None) + (self.max_age_years is not None) + len(self.rules)


@dataclass(frozen=True)
class Profile:
    """What matching reads of an enterprise: the registry's region, industry, size and labels, and its profile."""

    enterprise_id: int
    county_code: str
    industry_code: str
    size: str | None
    labels: frozenset[str] = frozenset()
    founded_on: date | None = None
    facts: dict = field(default_factory=dict)

    def age_years(self, day: date) -> float | None:
        """Whole and part years since founding on ``day`` (None when the founding date is not given)."""
        return None if self.founded_on is None else (day - self.founded_on).days / 365.25


@dataclass(frozen=True)
class Evaluation:
    """One policy against one enterprise: in scope (region, validity), the conditions met and those missing."""

    policy_id: int
    in_scope: bool
    met: tuple[Reason, ...]
    missing: tuple[Reason, ...]

    @property
    def qualifies(self) -> bool:
        """In scope and every condition met."""
        return self.in_scope and not self.missing

    @property
    def near_miss(self) -> bool:
        """In scope and at most :data:`NEAR_MISS` conditions missing."""
        return self.in_scope and 0 < len(self.missing) <= NEAR_MISS


def evaluate(rule: PolicyRule, profile: Profile, day: date) -> Evaluation:
    """Check ``profile`` against ``rule`` on ``day``, with a reason for every condition met or missing."""
    in_scope = profile.county_code.startswith(rule.region_scope) and rule.valid_on(day)
    met: list[Reason] = []
    missing: list[Reason] = []
    for ok, reason in _checks(rule, profile, day):
        (met if ok else missing).append(reason)
    return Evaluation(rule.policy_id, in_scope, tuple(met), tuple(missing))


def _checks(rule: PolicyRule, profile: Profile, day: date):
    """(met?, reason) for each condition of ``rule``."""
    if rule.industries:
        ok = any(profile.industry_code.startswith(p) or section_of(profile.industry_code) == p
                 for p in rule.industries)
        yield ok, Reason(_("Industry {code} is among {allowed}") if ok else _("Industry {code} is not among "
                                                                               "{allowed}"),
                         code=profile.industry_code, allowed="、".join(rule.industries))
    if rule.size_classes:
        ok = profile.size in rule.size_classes
        yield ok, Reason(_("Size {size} is among those the policy supports") if ok else
                         _("Size {size} is not among those the policy supports ({allowed})"),
                         size=Reason(SIZES.get(profile.size or "", _("unknown"))),
                         allowed=_Joined(tuple(SIZES[s] for s in rule.size_classes if s in SIZES)))
    if rule.labels_any:
        held = [x for x in rule.labels_any if x in profile.labels]
        yield bool(held), (Reason(_("Holds the label {label}"), label=Reason(LABELS.get(held[0], held[0])))
                           if held else Reason(_("Needs one of these labels: {labels}"),
                                               labels=_Joined(tuple(LABELS.get(x, x) for x in rule.labels_any))))
    age = profile.age_years(day)
    for bound, op in ((rule.min_age_years, ">="), (rule.max_age_years, "<=")):
        if bound is None:
            continue
        if age is None:
            yield False, Reason(_("Not given yet: the founding date (the policy needs an age {op} {bound} years)"),
                                op=OP_TEXT[op], bound=_number(bound))
        else:
            yield OPS[op](age, bound), Reason(_("Age {value} years, needs {op} {bound}"), value=f"{age:.1f}",
                                              op=OP_TEXT[op], bound=_number(bound))
    for item in rule.rules:
        value = profile.facts.get(item.fact)
        if value is None:
            yield False, Reason(_FACT_UNKNOWN, fact=Reason(FACTS[item.fact]), op=OP_TEXT[item.op],
                                bound=_number(item.value))
        else:
            yield OPS[item.op](float(value), item.value), Reason(_FACT_TEXT[item.fact], value=_number(float(value)),
                                                                 op=OP_TEXT[item.op], bound=_number(item.value))


class _Joined(tuple):
    """Several msgids shown as one value, each in the reader's language."""

    def render(self, language: str | None) -> str:
        return "、".join(Reason(x).render(language) for x in self)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
