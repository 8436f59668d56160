"""Time limits of the coordination desk: how soon a case must be accepted and resolved.

Defaults follow the 2022 practice: every case is accepted the same working day; specific obstructions (staff
return, parts supply, logistics, raw materials, energy) are resolved within 3 hours of acceptance, local-policy
issues (funding, policy, other) within 3 working days.

Limit spellings (config and :meth:`TimeLimit.parse`): ``"same_day"`` (close of the same working day), ``"3h"``
(3 elapsed clock hours, nights and holidays included: the desk is staffed round the clock in a crisis) and
``"5wd"`` (close of business of the 5th working day after the start's day).

Reminders: :func:`reminder_lead` gives how long before a deadline to remind, a quarter of the time allowed but at
least one hour (never more than the whole span); :func:`reminder_due` says whether that moment has come.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from chainkeeper.coordination.calendar import WorkCalendar
from chainkeeper.errors import ValidationFailed

CATEGORIES = ("staff_return", "parts_supply", "logistics", "raw_materials", "energy", "funding", "policy", "other")
SPECIFIC_OBSTRUCTIONS = ("staff_return", "parts_supply", "logistics", "raw_materials", "energy")
KINDS = ("same_working_day", "hours", "working_days")
STAGES = ("accept", "resolve")
_SPELLING = re.compile(r"^\s*(?:(?P<same>same_day)|(?P<n>\d+)\s*(?P<unit>h|wd))\s*$")


class SlaError(ValidationFailed):
    """A time-limit configuration is invalid; the message names the category and value."""

    code = "sla_invalid"

    def __init__(self, problem: str, *, category: str | None = None, stage: str | None = None,
                 value: object = None):
        where = [f"category {category!r}" if category is not None else "SLA policy"]
        if stage is not None:
            where.append(f"limit {stage!r}")
        if value is not None:
            where.append(f"value {value!r}")
        super().__init__(f"{': '.join(where)}: {problem}",
                         [{"category": category, "stage": stage, "value": None if value is None else str(value),
                           "problem": problem}])


@dataclass(frozen=True)
class TimeLimit:
    """A time limit: ``kind`` in :data:`KINDS`; ``amount`` hours or working days (0 for the same working day)."""

    kind: str
    amount: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(f"amount must be an integer, got {self.amount!r}")
        if self.kind == "same_working_day" and self.amount != 0:
            raise ValueError("a same-working-day limit has no amount")
        if self.kind != "same_working_day" and self.amount < 1:
            raise ValueError(f"{self.kind} limit needs an amount >= 1, got {self.amount}")

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Read ``"same_day"``, ``"3h"`` or ``"5wd"``; ValueError otherwise."""
        match = _SPELLING.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"expected 'same_day', '<n>h' or '<n>wd', got {text!r}")
        if match["same"]:
            return cls("same_working_day")
        return cls("hours" if match["unit"] == "h" else "working_days", int(match["n"]))

    def __str__(self) -> str:
        if self.kind == "same_working_day":
            return "same_day"
        return f"{self.amount}{'h' if self.kind == 'hours' else 'wd'}"

    def deadline(self, start: datetime, calendar: WorkCalendar) -> datetime:
        """The deadline for something started at ``start`` (aware), in the desk's zone."""
        if self.kind == "same_working_day":
            return calendar.end_of_working_day(start)
        if self.kind == "hours":
            return calendar.local(start) + timedelta(hours=self.amount)
        return calendar.add_working_days(start, self.amount)


SAME_DAY = TimeLimit("same_working_day")


@dataclass(frozen=True)
class CategoryLimits:
    """The two limits of one case category."""

    accept: TimeLimit = SAME_DAY
    resolve: TimeLimit = SAME_DAY


def _default_limits() -> dict[str, CategoryLimits]:
    specific, local = TimeLimit("hours", 3), TimeLimit("working_days", 3)
    return {c: CategoryLimits(SAME_DAY, specific if c in SPECIFIC_OBSTRUCTIONS else local) for c in CATEGORIES}


def _category_name(category: object) -> str:
    name = category.value if isinstance(category, Enum) else category
    if name not in CATEGORIES:
        raise SlaError(f"unknown category (expected one of {', '.join(CATEGORIES)})", category=str(name))
    return name


def _override(category: str, base: CategoryLimits, raw: object) -> CategoryLimits:
    if not isinstance(raw, Mapping):
        raise SlaError("must map 'accept' and/or 'resolve' to a limit", category=category, value=raw)
    changes: dict[str, TimeLimit] = {}
    for stage, value in raw.items():
        if stage not in STAGES:
            raise SlaError("unknown limit (expected 'accept' or 'resolve')", category=category, stage=str(stage))
        try:
            changes[stage] = value if isinstance(value, TimeLimit) else TimeLimit.parse(value)
        except (ValueError, TypeError) as exc:  # never let a config value escape as a TypeError
            raise SlaError(str(exc), category=category, stage=stage, value=value) from exc
    return CategoryLimits(changes.get("accept", base.accept), changes.get("resolve", base.resolve))


@dataclass(frozen=True)
class SlaPolicy:
    """Accept and resolve limits per case category; :meth:`from_mapping` overrides the defaults."""

    limits: Mapping[str, CategoryLimits] = field(default_factory=_default_limits)

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, object] | None) -> SlaPolicy:
        """Defaults, with ``{"logistics": {"resolve": "2h"}, "policy": {"resolve": "5wd"}}``-style overrides."""
        limits = _default_limits()
        if overrides is None:
            return cls(limits)
        if not isinstance(overrides, Mapping):
            raise SlaError("overrides must map categories to limits", value=overrides)
        for category, raw in overrides.items():
            name = _category_name(category)
            limits[name] = _override(name, limits[name], raw)
        return cls(limits)

    def limits_for(self, category: object) -> CategoryLimits:
        """The limits of ``category`` (a name or a ``CaseCategory``)."""
        return self.limits[_category_name(category)]

    def accept_deadline(self, category: object, submitted_at: datetime, calendar: WorkCalendar) -> datetime:
        """When a case of ``category`` submitted at ``submitted_at`` must be accepted."""
        return self.limits_for(category).accept.deadline(submitted_at, calendar)

    def resolve_deadline(self, category: object, accepted_at: datetime, calendar: WorkCalendar) -> datetime:
        """When a case of ``category`` accepted at ``accepted_at`` must be resolved."""
        return self.limits_for(category).resolve.deadline(accepted_at, calendar)


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")
    return moment


def is_overdue(deadline: datetime, now: datetime) -> bool:
    """Whether ``now`` is past ``deadline`` (a case answered exactly at the deadline is on time)."""
    return _aware(now, "now") > _aware(deadline, "deadline")


def reminder_lead(start: datetime, deadline: datetime) -> timedelta:
    """How long before ``deadline`` to remind: a quarter of the time allowed, at least 1 hour, at most all of it."""
    span = _aware(deadline, "deadline") - _aware(start, "start")
    return min(max(span / 4, timedelta(hours=1)), max(span, timedelta(0)))


def reminder_due(deadline: datetime, now: datetime, lead: timedelta) -> bool:
    """Whether a reminder is due: ``now`` is within ``lead`` of ``deadline`` and the deadline has not passed."""
    return _aware(deadline, "deadline") - lead <= _aware(now, "now") <= deadline
