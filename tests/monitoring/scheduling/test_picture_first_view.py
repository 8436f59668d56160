"""A fresh picture (issue 15, sprint 11): each group's output index series equal to the per-group figures it was read
from before; the newest day with reports in one statement."""

from datetime import timedelta

import pytest
from monitoring.scheduling.support import DAY, report, world_with_earlier_days
from sqlalchemy import event

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import figures as fig
from chainkeeper.monitoring.scheduling import service

CALLERS = ["ministry", "jiangsu", "jilin", "oem"]


EARLIER = (  # earlier days: a stop, odd floats, a missing staff figure
    (1, "changchun", report(7, 3.25, 1)), (1, "kunshan", report(0, 0.0, 0)),
    (3, "ningbo", report(5, 123.456, 9, normal=11)), (2, "kunshan", report(1, 0.1, 1)),
    (2, "changchun", report(3, 1e-3, 2)), (7, "ningbo", report(0, 2.0, 2))
)


@pytest.fixture
def world(engine):
    return world_with_earlier_days(engine, EARLIER)


def old_index_series(days, group_ids):
    """The series as it was computed: each group's figures of each day."""
    series = {group: [] for group in group_ids}
    for rows in days.values():
        for part in fig.by_group(rows, series):
            series[int(part.key)].append(part.figures.output_index)
    return series


@pytest.mark.parametrize("who", CALLERS)
def test_the_series_is_the_per_group_figures(world, engine, who):
    with unit_of_work(engine) as session:
        view = service.picture(session=session, caller=world.caller(who), day=DAY)
        days = service.member_days(session=session, principal=world.caller(who).principal, start=view.days[0],
                                   end=DAY)
    expected = old_index_series(days, list(view.series))
    assert view.series == expected
    if who == "ministry":
        assert len(view.days) > 2 and any(value is not None for values in expected.values() for value in values)


@pytest.mark.parametrize("who", CALLERS)
def test_the_newest_day_with_reports_is_one_statement(world, engine, who):
    seen = []

    def note(*args):
        if args[2].lstrip().upper().startswith("SELECT"):  # not the transaction's BEGIN
            seen.append(args[2])

    with unit_of_work(engine) as session:
        principal = world.caller(who).principal
        event.listen(engine, "before_cursor_execute", note)
        try:
            newest = service.latest_day(session=session, principal=principal, up_to=DAY + timedelta(days=3))
        finally:
            event.remove(engine, "before_cursor_execute", note)
        rows = service.member_days(session=session, principal=principal, start=DAY - timedelta(days=9),
                                   end=DAY + timedelta(days=3))
    reported = [day for day, found in rows.items() if any(row.reported for row in found)]
    assert newest == (reported[-1] if reported else DAY + timedelta(days=3))
    assert len(seen) == 1, seen  # before: whether any member is in scope, the report type, the newest day
