"""The matching rules of :mod:`rules` over many enterprises at once (numpy), for subscriptions and the ministry's
figures: which enterprises a policy reaches, and per enterprise how many policies it qualifies for or nearly does.

The answers equal :func:`rules.evaluate` applied pair by pair (``tests/sme/test_policy_engine.py`` checks it on
random libraries); the reasons in words come from :func:`rules.evaluate` for the one enterprise a page shows.

>>> from datetime import date
>>> from chainkeeper.sme.policies.rules import PolicyRule, Profile
>>> firms = Enterprises.build([Profile(1, "320583", "3670", "small"), Profile(2, "330206", "3670", "large")])
>>> qualifying(firms, PolicyRule(9, region_scope="32", size_classes=("small",)), date(2026, 12, 6)).tolist()
[1]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from chainkeeper.registry.models import SizeClass
from chainkeeper.sme.policies.rules import FACTS, LABELS, NEAR_MISS, PolicyRule, Profile
from chainkeeper.sme.size.standard import section_of

_SIZE_INDEX = {s.value: i for i, s in enumerate(SizeClass)}
_LABEL_BIT = {name: 1 << i for i, name in enumerate(LABELS)}
_FACT_COLUMN = {name: i for i, name in enumerate(FACTS)}
_EPOCH = date(1970, 1, 1)


def _code_int(code: str, digits: int) -> int:
    part = code[:digits]
    return int(part) if len(part) == digits and part.isdigit() else -1


@dataclass(frozen=True)
class Enterprises:
    """Enterprises as columns: region prefixes, industry levels, size, labels, founding day and facts."""

    ids: np.ndarray
    region: dict[int, np.ndarray]  # prefix length (2, 4, 6) → the code's prefix as an integer
    section: np.ndarray  # the section letter's code point (0 unknown)
    industry: dict[int, np.ndarray]  # digits (2, 3, 4) → the code's prefix as an integer (-1 when shorter)
    size: np.ndarray  # index in SizeClass, -1 unknown
    labels: np.ndarray  # bit mask over LABELS
    founded: np.ndarray  # days since 1970-01-01, NaN unknown
    facts: np.ndarray  # (n, len(FACTS)), NaN unknown

    @classmethod
    def build(cls, profiles: list[Profile]) -> Enterprises:
        """Columns from profiles (one pass)."""
        n = len(profiles)
        facts = np.full((n, len(FACTS)), np.nan)
        for row, profile in enumerate(profiles):
            for name, value in profile.facts.items():
                if name in _FACT_COLUMN and value is not None:
                    facts[row, _FACT_COLUMN[name]] = value
        return cls(
            ids=np.array([p.enterprise_id for p in profiles], dtype=np.int64),
            region={k: np.array([_code_int(p.county_code, k) for p in profiles], dtype=np.int64) for k in (2, 4, 6)},
            section=np.array([ord(section_of(p.industry_code) or "\0") for p in profiles], dtype=np.int32),
            industry={k: np.array([_code_int(p.industry_code, k) for p in profiles], dtype=np.int64)
                      for k in (2, 3, 4)},
            size=np.array([_SIZE_INDEX.get(p.size or "", -1) for p in profiles], dtype=np.int8),
            labels=np.array([sum(_LABEL_BIT.get(x, 0) for x in p.labels) for p in profiles], dtype=np.int64),
            founded=np.array([np.nan if p.founded_on is None else (p.founded_on - _EPOCH).days for p in profiles]),
            facts=facts,
        )


def _in_region(firms: Enterprises, scope: str) -> np.ndarray:
    """Row numbers of the enterprises inside ``scope``."""
    if not scope:
        return np.arange(len(firms.ids))
    return np.flatnonzero(firms.region[len(scope)] == int(scope))


def _industry_ok(firms: Enterprises, rows: np.ndarray, prefixes: tuple[str, ...]) -> np.ndarray:
    ok = np.zeros(len(rows), dtype=bool)
    for prefix in prefixes:
        if prefix.isalpha():
            ok |= firms.section[rows] == ord(prefix)
        else:
            ok |= firms.industry[min(len(prefix), 4)][rows] == int(prefix[:4])
    return ok


def failures(firms: Enterprises, rule: PolicyRule, day: date) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, failed)``: the rows of the enterprises in the policy's scope and how many conditions each fails
    (empty when the policy is not in force on ``day``)."""
    if not rule.valid_on(day):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int8)
    rows = _in_region(firms, rule.region_scope)
    failed = np.zeros(len(rows), dtype=np.int8)
    if rule.industries:
        failed += ~_industry_ok(firms, rows, rule.industries)
    if rule.size_classes:
        wanted = np.array([_SIZE_INDEX[s] for s in rule.size_classes if s in _SIZE_INDEX])
        failed += ~np.isin(firms.size[rows], wanted)
    if rule.labels_any:
        mask = sum(_LABEL_BIT.get(x, 0) for x in set(rule.labels_any))  # a label named twice counts once
        failed += (firms.labels[rows] & mask) == 0
    if rule.min_age_years is not None or rule.max_age_years is not None:
        age = ((day - _EPOCH).days - firms.founded[rows]) / 365.25
        with np.errstate(invalid="ignore"):
            if rule.min_age_years is not None:
                failed += ~(age >= rule.min_age_years)  # NaN (unknown) fails
            if rule.max_age_years is not None:
                failed += ~(age <= rule.max_age_years)
    with np.errstate(invalid="ignore"):
        for item in rule.rules:
            values = firms.facts[rows, _FACT_COLUMN[item.fact]]
            failed += ~_compare(values, item.op, item.value)
    return rows, failed


def _compare(values: np.ndarray, op: str, bound: float) -> np.ndarray:
    return {">=": values >= bound, "<=": values <= bound, ">": values > bound, "<": values < bound,
            "=": values == bound}[op]


def qualifying(firms: Enterprises, rule: PolicyRule, day: date) -> np.ndarray:
    """The ids of the enterprises that qualify for ``rule`` on ``day``."""
    rows, failed = failures(firms, rule, day)
    return firms.ids[rows[failed == 0]]


def match_counts(firms: Enterprises, rules: list[PolicyRule], day: date) -> tuple[np.ndarray, np.ndarray]:
    """Per enterprise (in ``firms`` order): how many of ``rules`` it qualifies for, and how many it nearly does."""
    qualified = np.zeros(len(firms.ids), dtype=np.int32)
    near = np.zeros(len(firms.ids), dtype=np.int32)
    for rule in rules:
        rows, failed = failures(firms, rule, day)
        qualified[rows[failed == 0]] += 1
        near[rows[(failed > 0) & (failed <= NEAR_MISS)]] += 1
    return qualified, near
