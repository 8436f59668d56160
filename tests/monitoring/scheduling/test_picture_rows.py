"""The picture's members and reports are read as Core rows (issue 15: ORM entities — members with their groups'
members and enterprises, reports with their values — were ~80% of a fresh picture); the rows are those the entities
gave."""

from datetime import timedelta

import pytest
from monitoring.scheduling.support import DAY, ON_TIME, build_world, report
from sqlalchemy import event, select

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import service
from chainkeeper.monitoring.scheduling.models import MonitoredGroup, MonitoredMember
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting.models import Report

CALLERS = ["ministry", "jiangsu", "jilin", "oem"]


@pytest.fixture
def world(engine):
    desk, group_id, ids = build_world(engine)
    ministry = desk.caller("ministry")
    stock = {"input_industry": "3670", "supplier_uscc": desk.usccs["kunshan"], "part": "线束"}
    with unit_of_work(engine) as session:  # earlier days with varied values: stocks, stops, odd floats, problems
        for back, key, values in ((1, "changchun", report(7, 3.25, 1, inventory=[{**stock, "days": 0.5},
                                                                                   {**stock, "days": 3}])),
                                  (1, "kunshan", report(0, 0.0, 0)),
                                  (3, "ningbo", report(5, 123.456, 9, normal=11, problem="")),
                                  (6, "kunshan", report(1, 0.1, 1, logistics="blocked", problem="停电")),
                                  (7, "ningbo", report(2, 2.0, 2))):
            service.reporting.submit(session=session, caller=ministry, type_code=service.TYPE_CODE,
                                     enterprise_id=desk.ids[key], report_date=DAY - timedelta(days=back),
                                     values=values, channel="web", now=ON_TIME - timedelta(days=back))
        second = service.groups.create_group(session=session, caller=ministry, name="二组", region_code="",
                                             chain_code=None)
        service.choose_members(session=session, caller=ministry, group_id=second.id, rule="picked",
                               value=f"{desk.usccs['kunshan']} {desk.usccs['changchun']}", day=DAY,
                               baselines={desk.ids["kunshan"]: (5, 7.5, 3)})
    return desk, group_id, ids


def _from_entities(session, principal, start, end, scope) -> dict:
    """The members' days as main built them: ORM members, groups and enterprises, ORM reports."""
    query = (select(MonitoredMember, MonitoredGroup, Enterprise)
             .join(MonitoredGroup, MonitoredGroup.id == MonitoredMember.group_id)
             .join(Enterprise, Enterprise.id == MonitoredMember.enterprise_id)
             .where(*service._member_scope(principal, scope)))
    if scope.group_id is not None:
        query = query.where(MonitoredGroup.id == scope.group_id)
    found = {}
    for member, group, firm in session.execute(query.order_by(MonitoredMember.id)):
        chain = firm.chain_code or group.chain_code or ""
        if scope.chain_code and chain != scope.chain_code:
            continue
        if firm.id in found:
            found[firm.id] = (found[firm.id][0] + (group.id,), *found[firm.id][1:])
            continue
        found[firm.id] = ((group.id,), firm.name, firm.province_code, firm.city_code, chain, firm.uscc,
                          member.baseline_output_units, member.baseline_output_value, member.baseline_staff)
    reports = service.reporting.reports_between(session=session, type_code=service.TYPE_CODE, start=start, end=end,
                                                enterprise_ids=list(found)) if found else []
    by_day = {(r.report_date, r.enterprise_id): r for r in reports}
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    expected = {}
    for day in days:
        rows = []
        for firm_id, (group_ids, name, province, city, chain, uscc, units, value, staff) in found.items():
            row = service.MemberDay(firm_id, name, province, city, chain, group_ids, units, value, staff, uscc=uscc)
            rows.append(service.with_report(row, by_day.get((day, firm_id))))
        expected[day] = rows
    return expected


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("scope", [service.Scope(), service.Scope("32"), service.Scope("3205"),
                                   service.Scope(chain_code="auto"), service.Scope(chain_code="none")])
def test_the_members_days_are_those_the_entities_gave(world, engine, who, scope):
    desk, _group, _ids = world
    principal = desk.caller(who).principal
    start, end = DAY - timedelta(days=service.SERIES_DAYS - 1), DAY
    with unit_of_work(engine) as session:
        found = service.member_days(session=session, principal=principal, start=start, end=end, scope=scope)
        expected = _from_entities(session, principal, start, end, scope)
    assert found == expected
    if who == "ministry" and scope == service.Scope():
        assert sum(row.reported for rows in found.values() for row in rows) == 8 and len(found[DAY]) == 3


def test_a_group_scope_keeps_to_its_group(world, engine):
    desk, group_id, _ids = world
    principal = desk.caller("ministry").principal
    with unit_of_work(engine) as session:
        found = service.member_days(session=session, principal=principal, start=DAY, end=DAY,
                                    scope=service.Scope(group_id=group_id))
        expected = _from_entities(session, principal, DAY, DAY, service.Scope(group_id=group_id))
    assert found == expected and len(found[DAY]) == 3


def test_a_fresh_picture_loads_no_entity_and_reads_few_statements(world, engine):
    desk, _group, _ids = world
    caller = desk.caller("ministry")
    loaded, statements = [], []
    listeners = [(model, "load", lambda target, _context: loaded.append(type(target).__name__))
                 for model in (MonitoredGroup, MonitoredMember, Enterprise, Report)]
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        with unit_of_work(engine) as session:
            day = service.latest_day(session=session, principal=caller.principal, up_to=DAY + timedelta(days=3))
            view = service.picture(session=session, caller=caller, day=day)
            panel = service.home_panel(session=session, caller=caller, day=DAY)
    finally:
        for target, name, listener in listeners:
            event.remove(target, name, listener)
    assert day == DAY and view.figures.members == 3 and panel["figures"]["members"] == 3
    assert loaded == [], "ORM entities loaded"
    # latest day 3 (members exist? the type, the newest day), picture 4 (members, type, reports, groups),
    # panel 7; main sent 20 (the groups' members and their enterprises, newest report per member)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 14, statements
