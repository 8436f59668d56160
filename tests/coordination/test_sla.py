"""Time limits of the desk: defaults from the 2022 practice, config overrides, overdue and reminders."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainkeeper.coordination.calendar import WorkCalendar
from chainkeeper.coordination.sla import (
    CATEGORIES,
    SlaError,
    SlaPolicy,
    TimeLimit,
    is_overdue,
    reminder_due,
    reminder_lead,
)
from chainkeeper.errors import ValidationFailed

CST = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.load()
POLICY = SlaPolicy()


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=CST)


class Category(str, enum.Enum):  # shaped like the desk's CaseCategory
    logistics = "logistics"
    policy = "policy"


# --- defaults ------------------------------------------------------------------------------------------------------

DEFAULT_RESOLVE = {"staff_return": "3h", "parts_supply": "3h", "logistics": "3h", "raw_materials": "3h",
                   "energy": "3h", "funding": "3wd", "policy": "3wd", "other": "3wd"}


@pytest.mark.parametrize("category", CATEGORIES)
def test_default_limits(category):
    limits = POLICY.limits_for(category)
    assert str(limits.accept) == "same_day"
    assert str(limits.resolve) == DEFAULT_RESOLVE[category]


def test_specific_obstruction_gets_three_clock_hours_even_past_close():
    accepted = at(2022, 1, 30, 16, 30)  # the working Sunday before the 2022 Spring Festival
    assert POLICY.resolve_deadline("logistics", accepted, CAL) == at(2022, 1, 30, 19, 30)
    utc = datetime(2022, 4, 15, 23, 0, tzinfo=UTC)
    assert POLICY.resolve_deadline("parts_supply", utc, CAL) == at(2022, 4, 16, 10, 0)


def test_policy_issue_gets_three_working_days_across_the_festival():
    assert POLICY.resolve_deadline("policy", at(2022, 1, 28, 10), CAL) == at(2022, 2, 7, 18)
    assert POLICY.resolve_deadline(Category.policy, at(2025, 9, 30, 10), CAL) == at(2025, 10, 11, 18)  # working Saturday


def test_accept_same_working_day():
    assert POLICY.accept_deadline("staff_return", at(2024, 2, 9, 17), CAL) == at(2024, 2, 9, 18)
    assert POLICY.accept_deadline("staff_return", at(2024, 2, 9, 18, 30), CAL) == at(2024, 2, 18, 18)
    assert POLICY.accept_deadline(Category.logistics, at(2024, 2, 12, 9), CAL) == at(2024, 2, 18, 18)


# --- overrides -----------------------------------------------------------------------------------------------------


def test_from_mapping_overrides_only_what_it_names():
    policy = SlaPolicy.from_mapping({"logistics": {"resolve": "2h"}, "policy": {"resolve": "5wd"},
                                     "other": {"accept": " 1wd "}})
    assert policy.resolve_deadline("logistics", at(2022, 3, 15, 10), CAL) == at(2022, 3, 15, 12)
    assert policy.resolve_deadline("parts_supply", at(2022, 3, 15, 10), CAL) == at(2022, 3, 15, 13)
    assert policy.resolve_deadline("policy", at(2022, 3, 15, 10), CAL) == at(2022, 3, 22, 18)
    assert policy.accept_deadline("other", at(2022, 3, 18, 10), CAL) == at(2022, 3, 21, 18)
    assert str(policy.limits_for("other").resolve) == "3wd"
    assert SlaPolicy.from_mapping(None) == SlaPolicy() == SlaPolicy.from_mapping({})


BAD_OVERRIDES = [
    ({"transport": {"resolve": "2h"}}, ["'transport'", "unknown category"]),
    ({"policy": {"resolve": "3 days"}}, ["'policy'", "'3 days'", "'resolve'"]),
    ({"logistics": {"resolve": "0h"}}, ["'logistics'", "'0h'", ">= 1"]),
    ({"logistics": {"resolve": "2.5h"}}, ["'logistics'", "'2.5h'"]),
    ({"energy": {"resolve": 3}}, ["'energy'", "3"]),
    ({"funding": {"resolv": "2wd"}}, ["'funding'", "'resolv'", "unknown limit"]),
    ({"funding": "2wd"}, ["'funding'", "'2wd'"]),
    (["logistics"], ["overrides must map"]),
]


@pytest.mark.parametrize(("raw", "parts"), BAD_OVERRIDES, ids=[str(raw) for raw, _ in BAD_OVERRIDES])
def test_bad_overrides_name_category_and_value(raw, parts):
    with pytest.raises(SlaError) as caught:
        SlaPolicy.from_mapping(raw)
    assert isinstance(caught.value, ValidationFailed)
    for part in parts:
        assert part in str(caught.value)


def test_unknown_category_in_a_query():
    with pytest.raises(SlaError, match="'trucks'"):
        POLICY.resolve_deadline("trucks", at(2022, 3, 15), CAL)


@given(kind=st.sampled_from(["h", "wd"]), amount=st.integers(1, 10_000))
def test_limit_spelling_round_trips(kind, amount):
    limit = TimeLimit.parse(f"{amount}{kind}")
    assert limit.amount == amount
    assert limit.kind == ("hours" if kind == "h" else "working_days")
    assert TimeLimit.parse(str(limit)) == limit


@pytest.mark.parametrize(("kind", "amount"), [("days", 3), ("hours", 0), ("same_working_day", 2), ("hours", 1.5), ("hours", True)])
def test_invalid_time_limits(kind, amount):
    with pytest.raises((ValueError, TypeError)):
        TimeLimit(kind, amount)


# --- overdue and reminders -----------------------------------------------------------------------------------------


def test_overdue_only_after_the_deadline():
    deadline = at(2022, 3, 15, 18)
    assert not is_overdue(deadline, deadline)
    assert is_overdue(deadline, deadline + timedelta(microseconds=1))
    assert not is_overdue(deadline, datetime(2022, 3, 15, 9, 59, tzinfo=UTC))  # 17:59 in Shanghai
    assert is_overdue(deadline, datetime(2022, 3, 15, 10, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        is_overdue(deadline, datetime(2022, 3, 15, 19))


def test_reminder_lead_is_a_quarter_but_at_least_an_hour():
    start = at(2022, 3, 14, 10)  # Monday
    assert reminder_lead(start, start + timedelta(hours=3)) == timedelta(hours=1)
    assert reminder_lead(start, at(2022, 3, 17, 18)) == timedelta(hours=20)  # 80 h / 4
    assert reminder_lead(start, start + timedelta(minutes=30)) == timedelta(minutes=30)
    assert reminder_lead(start, start - timedelta(hours=1)) == timedelta(0)


def test_reminder_due_window():
    deadline, lead = at(2022, 3, 15, 13), timedelta(hours=1)
    assert not reminder_due(deadline, at(2022, 3, 15, 11, 59), lead)
    assert reminder_due(deadline, at(2022, 3, 15, 12), lead)
    assert reminder_due(deadline, deadline, lead)
    assert not reminder_due(deadline, at(2022, 3, 15, 13, 1), lead)  # overdue instead
