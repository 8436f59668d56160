"""The home pages' key-group panel: the picture's figures of the newest report day, read without the 14-day series
(issue 15: the panel cost ~160 ms of server CPU per home page, most of it loading two weeks of reports)."""

from datetime import timedelta

import pytest
from monitoring.scheduling.support import DAY, ON_TIME, build_world, report
from sqlalchemy import event

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import service


@pytest.fixture
def world(engine):
    desk, group_id, ids = build_world(engine)
    with unit_of_work(engine) as session:  # the day before: the picture's series reads it, the panel need not
        for key in ("changchun", "kunshan", "ningbo"):
            service.reporting.submit(session=session, caller=desk.caller("ministry"), type_code=service.TYPE_CODE,
                                     enterprise_id=desk.ids[key], report_date=DAY - timedelta(days=1),
                                     values=report(50, 50.0, 50), channel="web", now=ON_TIME - timedelta(days=1))
    return desk, group_id, ids


def _from_the_picture(session, caller) -> dict:
    view = service.picture(session=session, caller=caller, day=DAY)
    return {"figures": view.figures.as_dict(), "problems": len(view.problems),
            "groups": [(int(p.key), view.group_names[int(p.key)], p.figures.output_index) for p in view.by_group]}


@pytest.mark.parametrize("who", ["ministry", "jiangsu", "jilin", "oem"])
def test_the_panel_shows_the_pictures_figures_of_the_day(world, engine, who):
    desk, _group, _ids = world
    with unit_of_work(engine) as session:
        caller = desk.caller(who)
        panel = service.home_panel(session=session, caller=caller, day=DAY)
        expected = _from_the_picture(session, caller)
    assert panel["day"] == DAY.isoformat()
    assert panel["figures"] == expected["figures"] and panel["problems"] == expected["problems"]
    assert [(g["id"], g["name"], g["output_index"]) for g in panel["groups"]] == expected["groups"]


def test_the_panel_reads_only_the_days_reports(world, engine):
    desk, _group, _ids = world
    ranges = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM report" in statement and "report.report_date >=" in statement:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            ranges.append({str(value) for value in values if str(value).startswith("2022-")})

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with unit_of_work(engine) as session:
            panel = service.home_panel(session=session, caller=desk.caller("ministry"), day=DAY)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert panel["figures"]["members"] == 3
    assert ranges == [{DAY.isoformat()}], "the panel read the reports of other days"
