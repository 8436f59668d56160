"""The desk's working-day calendar: shipped notices, deadlines around holidays and 18:00, override and bad files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkeeper.coordination.calendar import CalendarError, WorkCalendar
from chainkeeper.errors import ValidationFailed

CST = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.load()


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, s, tzinfo=CST)


def close(y: int, m: int, d: int) -> datetime:
    return at(y, m, d, 18)


# --- the shipped notices -------------------------------------------------------------------------------------------

# (day, working?) read off the notices, with the weekday noted where it is the point.
NOTICE_DAYS = [
    (date(2020, 1, 19), True),  # Sunday worked before the 2020 Spring Festival
    (date(2020, 1, 31), False),  # Friday, added by the extension notice
    (date(2020, 2, 1), False),  # Saturday: was a working day until the extension
    (date(2020, 2, 3), True),
    (date(2021, 2, 7), True),  # Sunday
    (date(2021, 2, 20), True),  # Saturday
    (date(2022, 1, 3), False),  # Monday, New Year
    (date(2022, 1, 29), True),  # Saturday
    (date(2022, 1, 30), True),  # Sunday
    (date(2022, 1, 31), False),
    (date(2022, 2, 4), False),  # Friday
    (date(2022, 2, 7), True),
    (date(2022, 4, 2), True),  # Saturday before Qingming
    (date(2022, 10, 7), False),
    (date(2022, 10, 8), True),
    (date(2022, 10, 9), True),
    (date(2022, 12, 31), False),  # Saturday, but listed in the 2023 notice as a holiday
    (date(2023, 1, 2), False),  # Monday
    (date(2023, 1, 28), True),
    (date(2023, 10, 7), True),
    (date(2024, 2, 4), True),  # Sunday
    (date(2024, 2, 9), True),  # lunar New Year's Eve: only "encouraged" off
    (date(2024, 2, 16), False),  # Friday
    (date(2024, 2, 18), True),  # Sunday
    (date(2024, 2, 19), True),
    (date(2025, 1, 26), True),  # Sunday
    (date(2025, 1, 28), False),  # New Year's Eve, a holiday from 2025 on
    (date(2025, 2, 4), False),  # Tuesday
    (date(2025, 2, 8), True),  # Saturday
    (date(2025, 4, 27), True),  # Sunday before Labour Day
    (date(2025, 5, 5), False),  # Monday
    (date(2026, 1, 4), True),  # Sunday
    (date(2026, 2, 14), True),  # Saturday
    (date(2026, 2, 23), False),  # Monday, last day of the nine
    (date(2026, 2, 24), True),
    (date(2026, 2, 28), True),  # Saturday
    (date(2026, 10, 10), True),  # Saturday
]


@pytest.mark.parametrize(("day", "working"), NOTICE_DAYS, ids=[d.isoformat() for d, _ in NOTICE_DAYS])
def test_notice_days(day, working):
    assert CAL.is_working_day(day) is working


# Net weekdays lost per year = statutory holiday days: 11 until 2024, 13 from 2025 (revised 放假办法);
# 2020 loses 2 more through the epidemic extension (Friday 31 January worked off, Saturday 1 February no longer worked).
STATUTORY = {2020: 13, 2021: 11, 2022: 11, 2023: 11, 2024: 11, 2025: 13, 2026: 13}


@pytest.mark.parametrize(("year", "days"), STATUTORY.items())
def test_each_year_loses_its_statutory_days(year, days):
    day, lost = date(year, 1, 1), 0
    while day.year == year:
        lost += (day.weekday() < 5) - CAL.is_working_day(day)
        day += timedelta(days=1)
    assert lost == days


def test_years_covered_and_sources():
    assert CAL.years == tuple(range(2020, 2027))
    assert all(CAL.knows(y) for y in range(2020, 2027))
    assert not CAL.knows(2019) and not CAL.knows(2027)
    assert "2022年部分节假日安排" in CAL.source(2022)
    assert "延长2020年春节假期" in CAL.source(2020)
    assert CAL.source(2019) is None


def test_year_outside_the_data_is_monday_to_friday():
    assert CAL.is_working_day(date(2019, 2, 5))  # real Spring Festival, but 2019 is not in the data
    assert not CAL.is_working_day(date(2019, 2, 2))  # real adjusted Saturday, unknown here
    assert CAL.is_working_day(date(2027, 1, 1))  # a Friday
    assert CAL.add_working_days(at(2027, 1, 1), 1) == close(2027, 1, 4)


# --- Spring Festivals ----------------------------------------------------------------------------------------------


def test_2022_filed_on_the_working_sunday_before_the_festival():
    filed = at(2022, 1, 30, 10)
    assert CAL.end_of_working_day(filed) == close(2022, 1, 30)
    assert CAL.add_working_days(filed, 1) == close(2022, 2, 7)
    assert CAL.add_working_days(filed, 3) == close(2022, 2, 9)


def test_2022_filed_after_close_on_the_last_day_waits_out_the_festival():
    assert CAL.end_of_working_day(at(2022, 1, 30, 19)) == close(2022, 2, 7)


def test_2022_filed_on_a_holiday():
    filed = at(2022, 2, 2, 9)
    assert CAL.end_of_working_day(filed) == close(2022, 2, 7)
    assert CAL.add_working_days(filed, 3) == close(2022, 2, 9)


def test_2022_friday_counts_the_working_weekend():
    assert CAL.add_working_days(at(2022, 1, 28, 17), 3) == close(2022, 2, 7)
    assert CAL.working_days_between(date(2022, 1, 28), date(2022, 2, 7)) == 3
    assert CAL.working_days_between(date(2022, 2, 7), date(2022, 1, 28)) == -3
    assert CAL.working_days_between(date(2022, 2, 1), date(2022, 2, 1)) == 0


def test_2024_eve_is_worked_and_the_festival_ends_on_a_working_sunday():
    filed = at(2024, 2, 9, 16)
    assert CAL.end_of_working_day(filed) == close(2024, 2, 9)
    assert CAL.add_working_days(filed, 1) == close(2024, 2, 18)
    assert CAL.add_working_days(filed, 3) == close(2024, 2, 20)
    assert CAL.next_working_day(date(2024, 2, 9)) == date(2024, 2, 18)


def test_2024_filed_on_the_adjusted_working_sunday():
    assert CAL.end_of_working_day(at(2024, 2, 4, 9)) == close(2024, 2, 4)
    assert CAL.add_working_days(at(2024, 2, 3, 9), 1) == close(2024, 2, 4)


def test_2025_last_working_day_before_the_festival():
    assert CAL.end_of_working_day(at(2025, 1, 27, 17, 59, 59)) == close(2025, 1, 27)
    assert CAL.end_of_working_day(at(2025, 1, 27, 18)) == close(2025, 2, 5)
    assert CAL.add_working_days(at(2025, 1, 27), 3) == close(2025, 2, 7)
    assert CAL.add_working_days(at(2025, 1, 27), 4) == close(2025, 2, 8)  # the working Saturday
    assert CAL.end_of_working_day(at(2025, 2, 1, 12)) == close(2025, 2, 5)


def test_2026_nine_day_festival():
    assert CAL.add_working_days(at(2026, 2, 13, 11), 1) == close(2026, 2, 14)
    assert CAL.add_working_days(at(2026, 2, 14, 11), 1) == close(2026, 2, 24)


# --- National Day --------------------------------------------------------------------------------------------------


def test_national_day_weeks():
    assert CAL.add_working_days(at(2022, 9, 30, 15), 3) == close(2022, 10, 10)
    assert CAL.add_working_days(at(2023, 9, 28, 15), 1) == close(2023, 10, 7)  # a working Saturday
    assert CAL.add_working_days(at(2025, 9, 30, 15), 1) == close(2025, 10, 9)
    assert CAL.working_days_between(date(2024, 9, 30), date(2024, 10, 12)) == 5  # 10/8–10/11 and Saturday 10/12


# --- 18:00, zones, parameters --------------------------------------------------------------------------------------


def test_close_of_business_boundary():
    assert CAL.end_of_working_day(at(2022, 3, 15, 17, 59, 59)) == close(2022, 3, 15)
    assert CAL.end_of_working_day(at(2022, 3, 15, 18)) == close(2022, 3, 16)
    assert CAL.end_of_working_day(at(2022, 3, 18, 18, 30)) == close(2022, 3, 21)  # Friday evening
    # the n-th working day counts from the start's day, whatever the hour
    assert CAL.add_working_days(at(2022, 3, 15, 23, 59), 1) == close(2022, 3, 16)


def test_times_are_read_in_shanghai():
    utc_friday_evening = datetime(2022, 1, 28, 17, 30, tzinfo=UTC)  # Saturday 01:30 in Shanghai
    deadline = CAL.end_of_working_day(utc_friday_evening)
    assert deadline == close(2022, 1, 29)
    assert deadline.utcoffset() == timedelta(hours=8)
    assert CAL.is_working_day(utc_friday_evening)  # the working Saturday, not the Friday


def test_naive_datetimes_and_negative_counts_are_rejected():
    with pytest.raises(ValueError, match="naive"):
        CAL.end_of_working_day(datetime(2022, 3, 15, 10))
    with pytest.raises(ValueError):
        CAL.add_working_days(at(2022, 3, 15), -1)


def test_close_of_business_is_configurable():
    early = WorkCalendar.load(close_of_business=time(17, 30))
    assert early.end_of_working_day(at(2022, 3, 15, 17, 45)) == at(2022, 3, 16, 17, 30)
    assert early.add_working_days(at(2022, 3, 15), 2) == at(2022, 3, 17, 17, 30)


# --- override file -------------------------------------------------------------------------------------------------


def write(tmp_path, content) -> str:
    path = tmp_path / "calendar.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), "utf-8")
    return path


def test_override_replaces_a_year_and_adds_another(tmp_path):
    path = write(tmp_path, {
        "2022": {"source": "local test notice", "holidays": ["2022-03-01"], "working_days": ["2022-03-05"]},
        "2027": {"source": "local 2027", "holidays": ["2027-02-08"], "working_days": []},
    })
    cal = WorkCalendar.load(path)
    assert cal.is_working_day(date(2022, 2, 1))  # the shipped 2022 festival is gone
    assert not cal.is_working_day(date(2022, 1, 29))
    assert not cal.is_working_day(date(2022, 3, 1)) and cal.is_working_day(date(2022, 3, 5))
    assert cal.source(2022) == "local test notice"
    assert not cal.is_working_day(date(2024, 2, 12))  # other years stay shipped
    assert cal.knows(2027) and not cal.is_working_day(date(2027, 2, 8))


def good_2022(**change) -> dict:
    entry = {"source": "test", "holidays": ["2022-01-31"], "working_days": ["2022-01-29"]}
    return {"2022": entry | change}


BAD_FILES = [
    ("{not json", None, None, None, "not valid JSON"),
    ("[]", None, None, None, "top level"),
    ({"22": good_2022()["2022"]}, "22", None, None, "four-digit"),
    ({"2022": []}, "2022", None, None, "object"),
    ({"2022": {"source": "x", "holidays": []}}, "2022", "working_days", None, "missing"),
    (good_2022(workdays=[]), "2022", "workdays", None, "unknown field"),
    (good_2022(source=" "), "2022", "source", None, "notice"),
    (good_2022(holidays="2022-01-31"), "2022", "holidays", "2022-01-31", "list"),
    (good_2022(holidays=["2022-02-30"]), "2022", "holidays", "2022-02-30", "date"),
    (good_2022(holidays=["20220131"]), "2022", "holidays", "20220131", "date"),
    (good_2022(holidays=[20220131]), "2022", "holidays", "20220131", "date"),
    (good_2022(holidays=["2021-06-01"]), "2022", "holidays", "2021-06-01", "outside"),
    (good_2022(holidays=["2022-01-31", "2022-01-31"]), "2022", "holidays", "2022-01-31", "twice"),
    (good_2022(holidays=["2022-01-29"]), "2022", "working_days", "2022-01-29", "both"),
    (good_2022(working_days=["2022-02-07"]), "2022", "working_days", "2022-02-07", "Saturday or Sunday"),
    # Saturday 2022-12-31 is a holiday in the shipped 2023 notice; a 2022 override cannot make it a working day
    (good_2022(working_days=["2022-12-31"]), "2022", "working_days", "2022-12-31", "year 2023"),
]


@pytest.mark.parametrize(("content", "year", "field", "value", "problem"), BAD_FILES,
                         ids=[case[-1] + f"-{i}" for i, case in enumerate(BAD_FILES)])
def test_malformed_file_errors_name_file_year_field_value(tmp_path, content, year, field, value, problem):
    path = write(tmp_path, content)
    with pytest.raises(CalendarError) as caught:
        WorkCalendar.load(path)
    message = str(caught.value)
    assert problem in message
    assert str(path) in message
    for part in (f"year {year}" if year else None, f"field '{field}'" if field else None, value):
        assert part is None or part in message
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.details[0]["file"] == str(path)
    assert caught.value.details[0]["year"] == year


def test_missing_override_file_is_an_error(tmp_path):
    with pytest.raises(CalendarError, match="cannot be read"):
        WorkCalendar.load(tmp_path / "nope.json")


# --- properties ----------------------------------------------------------------------------------------------------

ZONES = st.sampled_from([CST, UTC, ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")])
STARTS = st.datetimes(min_value=datetime(2019, 6, 1), max_value=datetime(2027, 6, 1), timezones=ZONES)
DAYS = st.dates(min_value=date(2019, 6, 1), max_value=date(2027, 6, 1))


@settings(max_examples=300, deadline=None)
@given(start=STARTS, n=st.integers(0, 40))
def test_deadline_is_close_of_a_working_day_after_start(start, n):
    deadline = CAL.add_working_days(start, n)
    assert deadline.tzinfo == CST
    assert deadline.timetz().replace(tzinfo=None) == time(18)
    assert CAL.is_working_day(deadline.date())
    assert deadline > start


@settings(max_examples=300, deadline=None)
@given(start=STARTS, n=st.integers(1, 40))
def test_deadline_is_monotone_and_counts_n_working_days(start, n):
    deadline = CAL.add_working_days(start, n)
    assert CAL.add_working_days(start, n - 1) <= deadline < CAL.add_working_days(start, n + 1)
    assert CAL.working_days_between(start.astimezone(CST).date(), deadline.date()) == n


@settings(max_examples=300, deadline=None)
@given(day=DAYS)
def test_next_working_day_skips_only_non_working_days(day):
    following = CAL.next_working_day(day)
    assert following > day and CAL.is_working_day(following)
    assert all(not CAL.is_working_day(day + timedelta(days=i)) for i in range(1, (following - day).days))


@settings(max_examples=300, deadline=None)
@given(start=STARTS)
def test_end_of_working_day_is_the_first_close_after_start(start):
    end = CAL.end_of_working_day(start)
    assert end > start and CAL.is_working_day(end.date())
    day = start.astimezone(CST).date()
    while day < end.date():  # no working day closes between start and end
        assert not (CAL.is_working_day(day) and CAL.close_of(day) > start)
        day += timedelta(days=1)
