"""The picture's series days before the day shown are built as light :class:`service.SeriesRow` tuples, not full
member days (issue 15, sprint 10: a frozen 21-field ``MemberDay`` per report was most of a fresh picture); the
picture is equal to the one built from full member days."""

from datetime import timedelta

import pytest
from monitoring.scheduling.support import DAY, report, world_with_earlier_days

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import service
from chainkeeper.monitoring.scheduling.figures import MemberDay

CALLERS = ["ministry", "jiangsu", "jilin", "oem"]


EARLIER = (  # earlier days: a stop, odd floats, a missing staff figure
    (1, "changchun", report(7, 3.25, 1)), (1, "kunshan", report(0, 0.0, 0)),
    (3, "ningbo", report(5, 123.456, 9, normal=11)), (6, "kunshan", report(1, 0.1, 1)),
    (7, "ningbo", report(0, 2.0, 2))
)


@pytest.fixture
def world(engine):
    return world_with_earlier_days(engine, EARLIER)


def test_days_before_the_detail_day_are_series_rows(world, engine):
    with unit_of_work(engine) as session:
        days = service.member_days(session=session, principal=world.caller("ministry").principal,
                                   start=DAY - timedelta(days=7), end=DAY, detail_from=DAY)
    earlier = [row for day, rows in days.items() if day < DAY for row in rows if row.reported]
    assert earlier and all(isinstance(row, service.SeriesRow) for row in earlier)
    assert days[DAY] and all(isinstance(row, MemberDay) for row in days[DAY])


@pytest.mark.parametrize("who", CALLERS)
def test_the_picture_equals_the_one_of_full_member_days(world, engine, monkeypatch, who):
    with unit_of_work(engine) as session:
        caller = world.caller(who)
        light = service.picture(session=session, caller=caller, day=DAY)
        full_days = service.member_days
        monkeypatch.setattr(service, "member_days", lambda detail_from=None, **kwargs: full_days(**kwargs))
        full = service.picture(session=session, caller=caller, day=DAY)
    assert light == full
    assert light.series == full.series and light.total_series == full.total_series
