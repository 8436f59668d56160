"""Many reports of one day at once (``submit_many``, the bulk uploads' path) on both databases: the same reports
as one ``submit`` per enterprise, all or none with every problem named, the same scope, corrections with reasons,
one audit event per batch."""

import json
from datetime import timedelta

import pytest
from reporting.support import DAY, EVENING, GOOD, MORNING, build_world
from sqlalchemy import func, select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.reporting import service
from chainkeeper.reporting.models import Report, ReportRevision

TYPE = "example_daily"
FIRMS = ("kunshan", "suzhou", "shanghai")
OTHER = {"output": 0, "status": "stopped", "stock": [{"item": "线束", "days": 0}, {"item": "芯片", "days": "2.5"}]}


@pytest.fixture
def world(engine):
    return build_world(engine)


def _many(world, who, values, *, day=DAY, now=MORNING, reasons=None):
    with unit_of_work(world.engine) as session:
        batch = service.submit_many(session=session, caller=world.caller(who), type_code=TYPE, report_date=day,
                                    reports={world.ids[k]: v for k, v in values.items()}, channel="xlsx", now=now,
                                    reasons={world.ids[k]: r for k, r in (reasons or {}).items()})
        return batch


def _stored(world, day):
    """Each firm's report of the day and its revisions, as comparable tuples."""
    with unit_of_work(world.engine) as session:
        out = {}
        for report in session.scalars(select(Report).where(Report.report_date == day)):
            revisions = session.scalars(select(ReportRevision).where(ReportRevision.report_id == report.id)
                                        .order_by(ReportRevision.version))
            out[report.enterprise_id] = (
                report.values, report.version, report.late, report.on_behalf, report.submitted_by,
                report.submitted_at, report.type_version,
                [(r.version, r.values, r.reason, r.submitted_by, r.submitted_by_name) for r in revisions])
        return out


def _count(world, model):
    with unit_of_work(world.engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def _events(world, since):
    with unit_of_work(world.engine) as session:
        return [(e.action, e.after) for e in session.scalars(select(AuditEvent).where(AuditEvent.id > since)
                                                              .order_by(AuditEvent.id))]


def _last_event(world):
    with unit_of_work(world.engine) as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def test_a_batch_stores_what_one_submit_per_enterprise_stores(world):
    values = {"kunshan": GOOD, "suzhou": OTHER, "shanghai": GOOD}
    one_by_one = DAY - timedelta(days=1)
    for key, found in values.items():  # after the cut-off: late, entered on behalf by the ministry
        with unit_of_work(world.engine) as session:
            service.submit(session=session, caller=world.caller("ministry"), type_code=TYPE,
                           enterprise_id=world.ids[key], report_date=one_by_one, values=found, channel="xlsx",
                           now=EVENING)
    since = _last_event(world)
    batch = _many(world, "ministry", values, now=EVENING)
    assert (batch.created, batch.corrected, len(batch.report_ids)) == (3, 0, 3)
    assert _stored(world, DAY) == _stored(world, one_by_one)
    assert all(row[2] and row[3] for row in _stored(world, DAY).values())  # late, on behalf
    [(action, after)] = _events(world, since)
    assert action == "report.submit_many"
    after = json.loads(after)
    assert (after["count"], after["report_ids"], after["type"]) == (3, batch.report_ids, TYPE)


def test_corrections_in_a_batch_need_a_reason_and_keep_the_old_values(world):
    _many(world, "jiangsu", {"kunshan": GOOD, "suzhou": GOOD})
    with pytest.raises(service.BatchInvalid) as refused:
        _many(world, "jiangsu", {"kunshan": OTHER, "suzhou": OTHER}, reasons={"suzhou": "盘点后更正"})
    assert {key: [e.path for e in found] for key, found in refused.value.errors.items()} == {
        world.ids["kunshan"]: ["reason"]}
    batch = _many(world, "jiangsu", {"kunshan": OTHER, "suzhou": OTHER},
                  reasons={"kunshan": "盘点后更正", "suzhou": "盘点后更正"})
    assert (batch.created, batch.corrected) == (0, 2)
    stored = _stored(world, DAY)[world.ids["kunshan"]]
    assert stored[1] == 2 and stored[0]["status"] == "stopped"
    assert [(version, values["status"], reason) for version, values, reason, *_ in stored[7]] == [
        (1, "normal", ""), (2, "stopped", "盘点后更正")]


def test_one_bad_report_stores_nothing_and_every_problem_is_named(world):
    reports, revisions = _count(world, Report), _count(world, ReportRevision)
    bad = {"output": -1, "status": "unknown", "stock": [{"days": 3}]}
    with pytest.raises(service.BatchInvalid) as refused:
        _many(world, "ministry", {"kunshan": GOOD, "suzhou": bad, "shanghai": GOOD})
    assert {key: sorted(e.path for e in found) for key, found in refused.value.errors.items()} == {
        world.ids["suzhou"]: ["output", "status", "stock[0].item"]}
    assert (_count(world, Report), _count(world, ReportRevision)) == (reports, revisions)


def test_a_batch_keeps_the_scope_of_submit(world):
    with pytest.raises(service.BatchInvalid) as refused:  # Jiangsu may not report for a Shanghai firm
        _many(world, "jiangsu", {"kunshan": GOOD, "shanghai": GOOD, "suzhou": GOOD})
    assert {key: [(e.path, e.message) for e in found] for key, found in refused.value.errors.items()} == {
        world.ids["shanghai"]: [("enterprise_id", service.FORBIDDEN)]}
    with pytest.raises(service.BatchInvalid) as refused:  # an enterprise user only for its own firm
        _many(world, "kunshan_user", {"kunshan": GOOD, "suzhou": GOOD})
    assert list(refused.value.errors) == [world.ids["suzhou"]]
    with pytest.raises(service.BatchInvalid) as refused:  # a firm without the assignment does not report it
        _many(world, "ministry", {"changchun": GOOD})
    assert [e.path for e in refused.value.errors[world.ids["changchun"]]] == ["enterprise_id"]
    assert _count(world, Report) == 0
    batch = _many(world, "kunshan_user", {"kunshan": GOOD})  # its own report: not on behalf
    assert batch.created == 1 and _stored(world, DAY)[world.ids["kunshan"]][3] is False


def test_a_workbook_upload_is_one_batch_with_one_audit_event(world):
    from reporting.web_support import workbook

    from chainkeeper.registry.models import Enterprise
    from chainkeeper.reporting import xlsx

    with unit_of_work(world.engine) as session:
        usccs = {key: session.get(Enterprise, world.ids[key]).uscc for key in ("kunshan", "suzhou")}
    data = workbook({"报表": [["统一社会信用代码", "产量 (件)"], [usccs["kunshan"], 10], [usccs["suzhou"], 0]],
                     "stock": [["统一社会信用代码", "物料", "可用天数"], [usccs["kunshan"], "芯片", 3]]})
    since = _last_event(world)
    with unit_of_work(world.engine) as session:
        result = xlsx.upload(session=session, caller=world.caller("jiangsu"), type_code=TYPE, report_date=DAY,
                             data=data, now=MORNING, language="en")
    assert (result.created, result.corrected, len(result.report_ids)) == (2, 0, 2)
    assert [(action, json.loads(after)["count"]) for action, after in _events(world, since)] == [
        ("report.submit_many", 2)]
    stored = _stored(world, DAY)
    assert stored[world.ids["kunshan"]][0]["stock"] == [{"item": "芯片", "days": 3}]
