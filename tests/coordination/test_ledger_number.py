"""The ledger number carries the filing date as people on the desk read it: the desk's day (Beijing time), not UTC.

Found walking the desk in sprint 7: a case filed at 05:35 on 7 December (Beijing) was numbered TZ20261206-…, the day
before the date its own timeline showed."""

from __future__ import annotations

from datetime import datetime, timezone

from chainkeeper.coordination.models import ledger_number


def test_a_case_filed_early_in_the_morning_in_beijing_carries_that_day():
    filed = datetime(2022, 4, 17, 23, 35, tzinfo=timezone.utc)  # 18 April 2022, 07:35 in Beijing
    assert ledger_number(12, filed) == "TZ20220418-000012"


def test_a_case_filed_in_the_afternoon_keeps_its_day():
    filed = datetime(2022, 4, 18, 6, 0, tzinfo=timezone.utc)  # 18 April 2022, 14:00 in Beijing
    assert ledger_number(3, filed) == "TZ20220418-000003"


def test_a_time_without_zone_from_the_database_is_read_as_utc():
    assert ledger_number(7, datetime(2022, 4, 17, 16, 0)) == "TZ20220418-000007"  # midnight in Beijing
    assert ledger_number(7, datetime(2022, 4, 17, 15, 59)) == "TZ20220417-000007"
