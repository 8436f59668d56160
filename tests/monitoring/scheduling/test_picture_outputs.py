"""A fresh picture (issue 15, sprint 12): the days before the one shown bring only their reports' output values (the
values' JSON text comes for the day shown alone, and for text SQLite's JSON functions refuse: a stored NaN), the
series summed in one pass per day; the picture equals the one built from every day's full member days, for each
caller and scope (an authority sees only its region's figures); its page reads the group picker once; a case filed
on the desk (a narrow write: the picture reads no case) leaves the kept picture, its pages and API answer current."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from coordination.desk_support import parts_case
from monitoring.scheduling.support import DAY, report, world_with_earlier_days
from monitoring.scheduling.test_picture_reuse import signed_in
from sqlalchemy import event, update

from chainkeeper.auth.api import login_throttle
from chainkeeper.core import data_epoch
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import figures as fig
from chainkeeper.monitoring.scheduling import groups, service
from chainkeeper.reporting.models import Report
from chainkeeper.web.app import create_app
from chainkeeper.web.json_api import KEPT_ANSWERS
from chainkeeper.web.pages import scoped_cache

CALLERS = ["ministry", "jiangsu", "jilin", "oem"]
SCOPES = [service.Scope(), service.Scope(region_code="32"), service.Scope(region_code="3205"),
          service.Scope(chain_code="auto"), service.Scope(chain_code="none")]
EARLIER = (  # earlier days: stops, odd floats, an integer value
    (1, "changchun", report(7, 3.25, 1)), (1, "kunshan", report(0, 0.0, 0)),
    (2, "changchun", report(3, 0.1 + 0.2, 2)), (2, "ningbo", report(5, 1.0, 9)),
    (3, "ningbo", report(5, 123.456, 9, normal=11)), (4, "kunshan", report(1, 1.0, 1)),
    (4, "changchun", report(1, 1.0, 1)), (5, "kunshan", report(2, 7, 1)), (6, "kunshan", report(1, 1e-3, 1)),
    (7, "ningbo", report(0, 2.0, 2))
)
STORED = {  # values stored past the report form: an integer past 64 bits, a null and a missing output value
    (2, "ningbo"): report(5, 10**20, 9), (4, "kunshan"): report(1, 1.0, 1) | {"output_value": None},
    (4, "changchun"): {key: value for key, value in report(1, 1.0, 1).items() if key != "output_value"},
}


@pytest.fixture
def world(engine):
    login_throttle.reset()
    desk = world_with_earlier_days(engine, EARLIER)
    stored = dict(STORED)
    if engine.dialect.name == "sqlite":  # a NaN as Python's JSON writer stores it: SQLite's JSON functions refuse it
        stored[1, "changchun"] = report(7, 3.25, 1) | {"capacity_utilisation": float("nan")}
    with unit_of_work(engine) as session:
        for (back, key), values in stored.items():
            session.execute(update(Report).where(Report.enterprise_id == desk.ids[key],
                                                 Report.report_date == DAY - timedelta(days=back))
                            .values(values=values))
    return desk


def old_picture(session, principal, scope: service.Scope) -> tuple:
    """The days, the day's rows, the series and the total series as main built them: 14 days of full member days."""
    days = service.member_days(session=session, principal=principal, start=DAY - timedelta(days=13), end=DAY,
                               scope=scope)
    reported = [day for day, rows in days.items() if any(row.reported for row in rows)]
    days = {day: rows for day, rows in days.items() if reported and day >= reported[0]} or {DAY: days[DAY]}
    shown = [group.id for group in groups.group_choices(session=session, principal=principal)]
    series = {group: [fig.by_group(rows, [group])[0].figures.output_index for rows in days.values()]
              for group in shown if any(group in row.group_ids for row in days[DAY])}
    return list(days), days[DAY], series, [fig.figures(rows).output_index for rows in days.values()]


@pytest.mark.parametrize("who", CALLERS)
def test_the_picture_equals_the_one_of_full_member_days(world, engine, who):
    caller = world.caller(who)
    with unit_of_work(engine) as session:
        for scope in SCOPES:
            view = service.picture(session=session, caller=caller, day=DAY, region_code=scope.region_code,
                                   chain_code=scope.chain_code)
            days, rows, series, total = old_picture(session, caller.principal, scope)
            assert (view.days, view.rows) == (days, rows)
            assert repr((view.series, view.total_series)) == repr((series, total))  # the same floats, bit for bit
            region = caller.principal.region_code or ""
            assert all(row.city_code.startswith(region) for row in view.rows)
            if scope == service.Scope() and who in ("ministry", "jiangsu"):  # the whole picture has reports
                assert len(days) >= 7 and {row.province_code for row in rows} >= {"32"}
                assert series and any(value is not None for value in total)
            if scope == service.Scope() and who == "jiangsu":  # only its region's enterprises and figures
                assert {row.province_code for row in view.rows} == {"32"}


def test_only_the_day_shown_brings_its_values_text(world, engine, monkeypatch):
    read = []
    full = service.json_values
    monkeypatch.setattr(service, "json_values", lambda text: read.append(text) or full(text))
    with unit_of_work(engine) as session:
        view = service.picture(session=session, caller=world.caller("ministry"), day=DAY)
    refused = 1 if engine.dialect.name == "sqlite" else 0  # the NaN's report comes as text
    assert len(read) == sum(row.reported for row in view.rows) + refused  # main: every report of the 14 days


def test_the_picture_page_reads_the_group_picker_once(world, monkeypatch):
    app = create_app(engine=world.engine)
    ministry = signed_in(app, "ministry")
    calls = []
    found = groups.group_choices
    monkeypatch.setattr(groups, "group_choices", lambda **kwargs: calls.append(kwargs) or found(**kwargs))
    page = ministry.get(f"/monitoring/picture?day={DAY}")
    assert page.status_code == 200 and "重点汽车集团" in page.text
    assert len(calls) == 1  # main: the picture's groups, then the page's picker again


def test_a_case_filed_on_the_desk_leaves_the_kept_picture_a_report_ends_it(world, monkeypatch):
    monkeypatch.setattr(scoped_cache, "time", SimpleNamespace(monotonic=lambda: 1000.0))  # only writes end them
    KEPT_ANSWERS.clear()
    app = create_app(engine=world.engine)
    ministry = signed_in(app, "ministry")
    computed = []
    made = service.picture
    monkeypatch.setattr(service, "picture", lambda **kwargs: computed.append(kwargs) or made(**kwargs))
    views = (f"/monitoring/picture?day={DAY}", f"/monitoring/picture/enterprises?day={DAY}&figure=reported",
             f"/api/v1/monitoring/picture?day={DAY}")
    before = [ministry.get(view).content for view in views]
    assert len(computed) == 2  # the pages share one picture
    with unit_of_work(world.engine) as session:  # a narrow write: the desk's case tables only
        parts_case(world, session)
    assert [ministry.get(view).content for view in views] == before
    assert len(computed) == 2  # main: every view computed again
    with unit_of_work(world.engine) as session:  # a report's correction ends them
        session.execute(update(Report).where(Report.enterprise_id == world.ids["kunshan"], Report.report_date == DAY)
                        .values(values=report(5, 50.0, 20)))
    after = [ministry.get(view).content for view in views]
    assert len(computed) == 4 and after[2] != before[2] and after[0] != before[0]


def test_the_picture_reads_no_narrow_table(world, engine):
    seen = []

    def note(*args):
        seen.append(args[2].lower())

    event.listen(engine, "before_cursor_execute", note)
    try:
        with unit_of_work(engine) as session:
            group = groups.group_choices(session=session, principal=world.caller("jiangsu").principal)[0]
            service.picture(session=session, caller=world.caller("jiangsu"), day=DAY, group_id=group.id)
            service.latest_day(session=session, principal=world.caller("jiangsu").principal, up_to=DAY)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    read = {name for statement in seen for name in re.findall(r"(?:from|join)\s+\"?(\w+)", statement)}
    assert read and not read & set(data_epoch._NARROW)  # else the kept picture must see those writes' touches
