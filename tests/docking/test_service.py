"""Docking services on both databases: catalogue, producers' reports (reporting framework), needs and their review,
requisitions, the day's allocation (run, fix, publish, ship, receive, carry-over), scope and audit."""

from datetime import timedelta

import pytest
from docking.support import DAY, build_world, need, report
from sqlalchemy import func, select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.docking import catalogue, needs, plans, producers, requisitions
from chainkeeper.docking.catalogue import GoodIn
from chainkeeper.docking.models import Good, GoodCategory
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.reporting.fields import ReportInvalid


def _events(engine, prefix):
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like(prefix + "%")))


def test_the_catalogue_is_seeded_once_and_only_the_ministry_edits_it(engine):
    world = build_world(engine)
    before = _events(engine, "docking.good.create")
    with unit_of_work(engine) as session:
        assert catalogue.ensure_catalogue(session) == 0  # idempotent
        tree = catalogue.categories(session)
        med = next(c for c in tree if c.code == "med")
        top = [c for c in tree if c.parent_id == med.id]
        assert len(top) == 7
        assert len([c for c in tree if c.parent_id in {t.id for t in top}]) == 21
        assert all(c.source for c in tree)
    data = GoodIn(code="med_suit_b", category_code="med.protect.suit", name_zh="隔离衣", name_en="Isolation gown",
                  unit_zh="件", unit_en="pc", authority_region="42")
    for who in ("hubei", "maker_user", "analyst"):
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            catalogue.save_good(session=session, caller=world.caller(who), data=data)
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):
        catalogue.save_good(session=session, caller=world.caller("ministry"),
                            data=GoodIn(**{**data.__dict__, "product_code": "NO-SUCH"}))
    with unit_of_work(engine) as session:
        catalogue.save_good(session=session, caller=world.caller("ministry"), data=data)
    with unit_of_work(engine) as session:
        assert catalogue.get_good(session, "med_suit_b").authority_region == "42"
    assert _events(engine, "docking.good.create") - before == 1


def test_the_producers_report_is_a_reporting_type_with_a_table_per_good(engine):
    world = build_world(engine)
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 800, 300, 100, 1200), who="maker_user")
    with unit_of_work(engine) as session:
        [stock] = producers.stocks(session=session, good_code="med_n95", day=DAY)
        assert (stock.available, stock.capacity_tomorrow) == (1000, 1200)  # 800 + 300 − 100
        assert producers.stocks(session=session, good_code="med_n95", day=DAY + timedelta(days=3)) == []  # stale
    with pytest.raises(ReportInvalid) as raised:
        report(world, "wuhan_maker", DAY, ("no_such_good", 1, 1, 1, 1, 1), who="maker_user")
    assert raised.value.errors[0].path == "goods[0].good"
    with pytest.raises(Forbidden):  # Changsha's user may not report for the Wuhan maker
        report(world, "wuhan_maker", DAY, ("med_n95", 1, 1, 1, 1, 1), who="changsha_user")


def test_needs_are_posted_and_reviewed_by_their_authority(engine):
    world = build_world(engine)
    before = _events(engine, "docking.need.")  # the audit trail is append-only: count what this test adds
    with unit_of_work(engine) as session:
        own = needs.post(session=session, caller=world.caller("hospital_user"), data=need())
        assert (own.demander_name, own.state, own.on_behalf_region) == ("武汉示例传染病医院", "submitted", "")
        behalf = needs.post(session=session, caller=world.caller("hubei"),
                            data=need(county="420902", demander_name="孝感市第一人民医院", priority=2))
        assert behalf.on_behalf_region == "42"
        ids = own.id, behalf.id
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # Hunan posts nothing in Hubei
        needs.post(session=session, caller=world.caller("hunan"), data=need(demander_name="某医院"))
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):
        needs.post(session=session, caller=world.caller("hospital_user"), data=need(priority=4))
    with unit_of_work(engine) as session, pytest.raises(NotFound):  # outside Hunan's region: not even seen
        needs.review(session=session, caller=world.caller("hunan"), need_id=ids[0], approve=True)
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # a city reads but does not review
        needs.review(session=session, caller=world.caller("wuhan_city"), need_id=ids[0], approve=True)
    with unit_of_work(engine) as session:
        needs.review(session=session, caller=world.caller("hubei"), need_id=ids[0], approve=True)
        needs.review(session=session, caller=world.caller("ministry"), need_id=ids[1], approve=False, note="重复")
    with unit_of_work(engine) as session, pytest.raises(Conflict):
        needs.review(session=session, caller=world.caller("hubei"), need_id=ids[0], approve=True)
    with unit_of_work(engine) as session:
        assert [n.id for n in needs.listing(session=session, caller=world.caller("hospital_user"))] == [ids[0]]
        assert len(needs.listing(session=session, caller=world.caller("hubei"))) == 2
    assert _events(engine, "docking.need.") - before == 4


def _approved(world, **kwargs):
    with unit_of_work(world.engine) as session:
        posted = needs.post(session=session, caller=world.caller("hubei"), data=need(demander_name="医院", **kwargs))
        needs.review(session=session, caller=world.caller("hubei"), need_id=posted.id, approve=True)
        return posted.id


def test_the_day_runs_fixes_publishes_ships_receives_and_carries_over(engine):
    world = build_world(engine)
    plans_before, lines_before = _events(engine, "docking.plan."), _events(engine, "docking.line.")
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 100, 50, 0, 100))
    report(world, "changsha_maker", DAY, ("med_n95", 1000, 60, 0, 0, 100))
    front = _approved(world, quantity=120, priority=1, county="420105", enterprise_id=world.ids["jinyintan"])
    other = _approved(world, quantity=100, priority=3, county="420902")
    with unit_of_work(engine) as session:
        plan = plans.run(session=session, caller=world.caller("ministry"), day=DAY, good_code="med_n95")
        lines = {(l.producer_id, l.need_id): l.quantity for l in plan.lines}
        # 210 available, class 1 first: the front-line hospital gets its 120, the class-3 need the other 90
        assert sum(q for (p, n), q in lines.items() if n == front) == 120
        assert sum(q for (p, n), q in lines.items() if n == other) == 90
        assert plan.summary["shortfalls"][0]["need_id"] == other and plan.summary["shortfalls"][0]["unmet"] == 10
        assert plan.summary["gap"] == 0  # kept with the day's allocation: > 0 only where HiGHS's MIP was cut short
        plan_id = plan.id
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # Hunan does not coordinate the national plan
        plans.publish(session=session, caller=world.caller("hunan"), plan_id=plan_id)
    with unit_of_work(engine) as session:  # the ministry sends Changsha's 60 all to the class-3 need
        plan = plans.fix_line(session=session, caller=world.caller("ministry"), plan_id=plan_id,
                              producer_id=world.ids["changsha_maker"], need_id=other, quantity=60)
        lines = {(l.producer_id, l.need_id): (l.quantity, l.fixed) for l in plan.lines}
        assert lines[world.ids["changsha_maker"], other] == (60, True)
        assert lines[world.ids["wuhan_maker"], front] == (120, False)  # re-optimised around the fixed line
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):
        plans.fix_line(session=session, caller=world.caller("ministry"), plan_id=plan_id,
                       producer_id=world.ids["changsha_maker"], need_id=other, quantity=61)
    with unit_of_work(engine) as session:
        plans.publish(session=session, caller=world.caller("ministry"), plan_id=plan_id)
    with unit_of_work(engine) as session, pytest.raises(Conflict):
        plans.run(session=session, caller=world.caller("ministry"), day=DAY, good_code="med_n95")
    with unit_of_work(engine) as session:
        mine = plans.my_lines(session=session, caller=world.caller("maker_user"))
        assert {l.need_id for l in mine} == {front, other}
        theirs = plans.my_lines(session=session, caller=world.caller("hospital_user"))
        assert [l.need_id for l in theirs] == [front]
        line_id = theirs[0].id
    with unit_of_work(engine) as session, pytest.raises(Conflict):  # not shipped yet
        plans.confirm_receipt(session=session, caller=world.caller("hospital_user"), line_id=line_id)
    with unit_of_work(engine) as session, pytest.raises(Forbidden):
        plans.confirm_shipment(session=session, caller=world.caller("changsha_user"), line_id=line_id)
    with unit_of_work(engine) as session:
        plans.confirm_shipment(session=session, caller=world.caller("maker_user"), line_id=line_id)
        plans.confirm_receipt(session=session, caller=world.caller("hospital_user"), line_id=line_id, quantity=118)
    # the next day: the class-3 need's 10 carry over; a new report gives the Wuhan maker 30 more
    report(world, "wuhan_maker", DAY + timedelta(days=1), ("med_n95", 1000, 30, 0, 0, 100))
    with unit_of_work(engine) as session:
        assert plans.open_quantities(session, [front, other]) == {front: 0, other: 10}
        tomorrow = plans.run(session=session, caller=world.caller("ministry"), day=DAY + timedelta(days=1),
                             good_code="med_n95")
        assert [(l.need_id, l.quantity) for l in tomorrow.lines] == [(other, 10)]
    assert _events(engine, "docking.plan.") - plans_before == 4
    assert _events(engine, "docking.line.") - lines_before == 2


def test_a_requisitioned_producer_serves_only_its_authority(engine):
    world = build_world(engine)
    report(world, "changsha_maker", DAY, ("med_n95", 100, 50, 0, 0, 50))
    hubei_need = _approved(world, quantity=50, priority=1)
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # Hubei may not requisition a Hunan producer
        requisitions.requisition(session=session, caller=world.caller("hubei"),
                                 enterprise_id=world.ids["changsha_maker"], good_code="med_n95", since=DAY,
                                 reason="支援")
    with unit_of_work(engine) as session:
        requisitions.requisition(session=session, caller=world.caller("hunan"),
                                 enterprise_id=world.ids["changsha_maker"], good_code="med_n95", since=DAY,
                                 reason="省内统一调拨")
    with unit_of_work(engine) as session:  # the ministry's plan may not send Hunan's requisitioned output to Hubei
        plan = plans.run(session=session, caller=world.caller("ministry"), day=DAY, good_code="med_n95")
        assert plan.lines == [] and plan.summary["shortfalls"][0]["reason"]["code"] == "no_eligible_producer"
    with unit_of_work(engine) as session:  # the ministry requisitions and directs 30 to the Hubei need
        requisitions.requisition(session=session, caller=world.caller("ministry"),
                                 enterprise_id=world.ids["changsha_maker"], good_code="med_n95", since=DAY,
                                 directions={str(hubei_need): 30}, reason="国家统一调拨")
    with unit_of_work(engine) as session:
        plan = plans.run(session=session, caller=world.caller("ministry"), day=DAY, good_code="med_n95")
        [line] = plan.lines
        assert (line.need_id, line.quantity, line.reasons["directed"]) == (hubei_need, 50, True)  # 30 directed + 20


def test_degenerate_days_are_answered_not_crashed(engine):
    world = build_world(engine)
    with unit_of_work(engine) as session:
        plan = plans.run(session=session, caller=world.caller("hubei"), day=DAY, good_code="med_n95")
        assert (plan.scope_region, plan.summary["status"], plan.lines) == ("42", "no_needs", [])
    _approved(world, quantity=10)
    with unit_of_work(engine) as session:
        plan = plans.run(session=session, caller=world.caller("hubei"), day=DAY, good_code="med_n95")
        assert plan.summary["status"] == "no_stock"
    with unit_of_work(engine) as session, pytest.raises(Forbidden):
        plans.run(session=session, caller=world.caller("maker_user"), day=DAY, good_code="med_n95")
