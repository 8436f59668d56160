"""A fresh picture's statements (issue 15, sprint 14): the members, their reports (the day shown's rows and one row
per earlier day, the members' select inside it, the report type as a subquery) and the group picker (and, on SQLite, the reports whose text its JSON
functions refuse); the picture
still equals the one built from full member days (``test_picture_outputs``), a stored NaN included."""

import re

from monitoring.scheduling.support import DAY
from monitoring.scheduling.test_picture_outputs import old_picture, world  # noqa: F401 (the fixture)
from sqlalchemy import event

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import groups, service


def statements_of(engine, run) -> list[str]:
    seen = []

    def note(*args):
        seen.append(" ".join(args[2].split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return [statement for statement in seen if statement.upper().startswith(("SELECT", "WITH"))]


def test_a_fresh_picture_reads_members_reports_and_groups_only(world, engine):  # noqa: F811
    for who, scope in (("ministry", {}), ("jiangsu", {"region_code": "3205"}), ("ministry", {"chain_code": "auto"})):
        caller = world.caller(who)
        views = []
        with unit_of_work(engine) as session:
            seen = statements_of(engine, lambda: views.append(service.picture(session=session, caller=caller, day=DAY,
                                                                              **scope)))
        nan = engine.dialect.name == "sqlite" and world.ids["changchun"] in {row.enterprise_id for row in views[0].rows}
        tables = [re.findall(r"FROM (\w+)", statement)[0] for statement in seen]
        refused = ["report"] if nan else []  # the stored NaN's report, read whole (SQLite's JSON functions refuse it)
        assert tables == ["monitored_member", "report", *refused, "monitored_group"], seen  # main: the report type
        assert "UNION ALL" in seen[1] and "IN (SELECT enterprise.id" in seen[1]  # main: the members' ids sent


def test_the_reports_come_as_the_days_rows_and_one_row_per_earlier_day(world, engine):  # noqa: F811
    caller = world.caller("ministry")
    with unit_of_work(engine) as session:
        view = service.picture(session=session, caller=caller, day=DAY)
        members = service._members(session, caller.principal, service.Scope())
        statement = service._picture_reports(caller.principal, service.Scope(), engine.dialect.name)
        rows = session.connection().execute(statement, {"start": view.days[0], "end": DAY}).all()
        _, day_rows, _, _ = old_picture(session, caller.principal, service.Scope())
    assert len(members) > 1
    assert len(rows) == sum(row.reported for row in day_rows) + len(view.days) - 1  # main: a row per report


def test_the_group_picker_is_a_core_statement_built_once_per_principal(world, engine):  # noqa: F811
    principal = world.caller("jiangsu").principal
    through_orm = []
    with unit_of_work(engine) as session:
        event.listen(session, "do_orm_execute", through_orm.append)
        listed = groups.list_groups(session=session, principal=principal)
        before = len(through_orm)
        first = groups.group_choices(session=session, principal=principal)
        again = groups.group_choices(session=session, principal=principal)
    assert [(row.id, row.name) for row in first] == [(row.id, row.name) for row in again] == [
        (group.id, group.name) for group in listed] and first
    assert len(through_orm) == before  # main: each picker's statement built and run through the ORM
