"""After publishing (lane dockflow): a coordinator cancels a line that will not ship (with a reason, audited; the
need's quantity is open again and comes back in tomorrow's run), and reopens a need after a failed shipment (what
did not arrive is open again). SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from docking.support import DAY, build_world, need, report
from sqlalchemy import func, select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.docking import lines, needs, plans
from chainkeeper.errors import Conflict, Forbidden, ValidationFailed


def _published_day(world, quantity=100):
    """Hubei's day: the Wuhan maker's 150 against one class-1 need of ``quantity``, published."""
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 150, 0, 0, 100))
    with unit_of_work(world.engine) as session:
        posted = needs.post(session=session, caller=world.caller("hospital_user"), data=need(quantity=quantity))
        needs.review(session=session, caller=world.caller("hubei"), need_id=posted.id, approve=True)
        plan = plans.run(session=session, caller=world.caller("hubei"), day=DAY, good_code="med_n95")
        plans.publish(session=session, caller=world.caller("hubei"), plan_id=plan.id)
        return posted.id, plan.lines[0].id


def _audit_mark(engine) -> int:
    """The last audit event's id now: the audit log is append-only and never cleared between tests (other modules,
    e.g. test_followup_web.py, cancel and reopen lines too, and line ids are reused after a clear)."""
    with unit_of_work(engine) as session:
        return session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def _audit(engine, action, since):
    """The ``action`` events recorded after the mark ``since`` (this test's own)."""
    with unit_of_work(engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.id > since)))


def test_a_cancelled_line_is_audited_and_its_quantity_carries_to_tomorrow(engine):
    mark = _audit_mark(engine)
    world = build_world(engine)
    need_id, line_id = _published_day(world)
    with unit_of_work(engine) as session:
        assert plans.open_quantities(session, [need_id]) == {need_id: 0}
    for who in ("hunan", "maker_user", "hospital_user"):  # only a coordinator of the plan's scope cancels
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            lines.cancel(session=session, caller=world.caller(who), line_id=line_id, reason="车辆被扣")
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):  # a reason is required
        lines.cancel(session=session, caller=world.caller("hubei"), line_id=line_id, reason="  ")
    with unit_of_work(engine) as session:
        line = lines.cancel(session=session, caller=world.caller("hubei"), line_id=line_id, reason="车辆被扣")
        assert (line.state, line.note) == ("cancelled", "车辆被扣")
    [event] = _audit(engine, "docking.line.cancel", mark)
    assert event.before_values["state"] == "published" and event.after_values["state"] == "cancelled"
    assert event.after_values["reason"] == "车辆被扣"
    with unit_of_work(engine) as session, pytest.raises(Conflict):  # a cancelled line is not shipped
        plans.confirm_shipment(session=session, caller=world.caller("maker_user"), line_id=line_id)
    with unit_of_work(engine) as session:
        assert plans.open_quantities(session, [need_id]) == {need_id: 100}
    report(world, "wuhan_maker", DAY + timedelta(days=1), ("med_n95", 1000, 150, 0, 0, 100))
    with unit_of_work(engine) as session:
        tomorrow = plans.run(session=session, caller=world.caller("hubei"), day=DAY + timedelta(days=1),
                             good_code="med_n95")
        assert [(l.need_id, l.quantity) for l in tomorrow.lines] == [(need_id, 100)]


def test_a_shipped_line_cannot_be_cancelled_but_a_failed_shipment_reopens_the_need(engine):
    mark = _audit_mark(engine)
    world = build_world(engine)
    need_id, line_id = _published_day(world)
    with unit_of_work(engine) as session:
        plans.confirm_shipment(session=session, caller=world.caller("maker_user"), line_id=line_id)
    with unit_of_work(engine) as session, pytest.raises(Conflict):
        lines.cancel(session=session, caller=world.caller("hubei"), line_id=line_id, reason="晚了")
    with unit_of_work(engine) as session:
        plans.confirm_receipt(session=session, caller=world.caller("hospital_user"), line_id=line_id, quantity=40)
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # the demander reports, the province reopens
        lines.reopen(session=session, caller=world.caller("hospital_user"), line_id=line_id, reason="途中损毁")
    with unit_of_work(engine) as session:
        line = lines.reopen(session=session, caller=world.caller("hubei"), line_id=line_id, reason="途中损毁 60")
        assert line.state == "failed"
    with unit_of_work(engine) as session:  # 40 arrived: the other 60 are open again
        assert plans.open_quantities(session, [need_id]) == {need_id: 60}
    with unit_of_work(engine) as session, pytest.raises(Conflict):  # once
        lines.reopen(session=session, caller=world.caller("hubei"), line_id=line_id, reason="再次")
    [event] = _audit(engine, "docking.line.reopen", mark)
    assert event.after_values == {"state": "failed", "reason": "途中损毁 60", "delivered": 40, "reopened": 60}


def test_a_line_received_in_full_is_not_reopened(engine):
    world = build_world(engine)
    _need_id, line_id = _published_day(world)
    with unit_of_work(engine) as session:
        plans.confirm_shipment(session=session, caller=world.caller("maker_user"), line_id=line_id)
        plans.confirm_receipt(session=session, caller=world.caller("hospital_user"), line_id=line_id)
    with unit_of_work(engine) as session, pytest.raises(Conflict):
        lines.reopen(session=session, caller=world.caller("hubei"), line_id=line_id, reason="无")
