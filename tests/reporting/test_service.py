"""The reporting service on both databases: types as data, who reports, submissions, corrections with history,
the day's status, the reads other features use, scope and audit."""

from datetime import date, datetime, timedelta, timezone

import pytest
from reporting.support import DAY, EVENING, GOOD, MORNING, build_world
from sqlalchemy import select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.reporting import service
from chainkeeper.reporting.fields import FieldsInvalid, ReportInvalid
from chainkeeper.reporting.models import ReportRevision

TYPE = "example_daily"


def _submit(world, who, firm, *, day=DAY, now=MORNING, values=GOOD, **extra):
    with unit_of_work(world.engine) as session:
        report = service.submit(session=session, caller=world.caller(who), type_code=TYPE,
                                enterprise_id=world.ids[firm], report_date=day, values=values, channel="web",
                                now=now, **extra)
        return report.id, report.version, report.late


def test_a_type_is_data_and_changing_its_fields_raises_its_version(engine):
    world = build_world(engine)
    with unit_of_work(engine) as session:
        found = service.get_type(session=session, code=TYPE)
        assert (found.version, found.cutoff_local.strftime("%H:%M"), found.owner_region) == (1, "17:00", "")
        assert [field.key for field in service.type_fields(found)] == ["output", "value", "utilisation", "status",
                                                                       "stock", "note"]
        service.define_type(session=session, caller=world.caller("ministry"), code=TYPE, name_zh="示例日报",
                            name_en="Example daily", fields=found.fields[:1], cutoff_local="16:30")
    with unit_of_work(engine) as session:
        changed = service.get_type(session=session, code=TYPE)
        assert (changed.version, len(changed.fields), changed.cutoff_local.strftime("%H:%M")) == (2, 1, "16:30")
        with pytest.raises(NotFound):
            service.get_type(session=session, code="nothing")


def test_who_may_define_types(engine):
    world = build_world(engine)
    fields = [{"key": "n", "label_zh": "数", "label_en": "N", "kind": "integer"}]
    for who in ("analyst", "kunshan_user"):
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            service.define_type(session=session, caller=world.caller(who), code="t_" + who, name_zh="甲",
                                name_en="A", fields=fields, cutoff_local="17:00")
    with unit_of_work(engine) as session:
        own = service.define_type(session=session, caller=world.caller("jiangsu"), code="js_daily", name_zh="江苏日报",
                                  name_en="Jiangsu daily", fields=fields, cutoff_local="17:00")
        assert own.owner_region == "32"
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # Shanghai may not change Jiangsu's type
        service.define_type(session=session, caller=world.caller("shanghai_gov"), code="js_daily", name_zh="改",
                            name_en="Changed", fields=fields, cutoff_local="17:00")
    with unit_of_work(engine) as session, pytest.raises(FieldsInvalid):
        service.define_type(session=session, caller=world.caller("ministry"), code="bad", name_zh="坏",
                            name_en="Bad", fields=[{"key": "x", "kind": "integer"}], cutoff_local="17:00")
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):
        service.define_type(session=session, caller=world.caller("ministry"), code="bad", name_zh="坏",
                            name_en="Bad", fields=fields, cutoff_local="5 pm")


def test_a_submission_on_time_then_a_correction_keeps_history(engine):
    world = build_world(engine)
    report_id, version, late = _submit(world, "kunshan_user", "kunshan")
    assert (version, late) == (1, False)
    with pytest.raises(ReportInvalid) as refused:  # a correction needs its reason
        _submit(world, "kunshan_user", "kunshan", now=EVENING, values=GOOD | {"output": 100})
    assert [e.path for e in refused.value.errors] == ["reason"]
    _rid, version, late = _submit(world, "kunshan_user", "kunshan", now=EVENING, values=GOOD | {"output": 100},
                                  reason="统计口径更正")
    assert (version, late) == (2, False)  # the correction after the cut-off does not make it late
    with unit_of_work(engine) as session:
        revisions = service.history(session=session, caller=world.caller("jiangsu"), report_id=report_id)
        assert [(r.version, r.values["output"], r.reason) for r in revisions] == [(1, 120, ""),
                                                                                 (2, 100, "统计口径更正")]
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "report",
                                                                   AuditEvent.object_id == str(report_id))).all()
        assert actions == ["report.submit", "report.correct"]
    with pytest.raises(Conflict):
        _submit(world, "kunshan_user", "kunshan", values=GOOD, reason="again", seen_version=1)


def test_late_missing_and_not_yet_due(engine):
    world = build_world(engine)
    _submit(world, "kunshan_user", "kunshan", now=MORNING)
    _submit(world, "jiangsu", "suzhou", now=EVENING)  # entered by the province on the firm's behalf, late
    with unit_of_work(engine) as session:
        before = service.day_status(session=session, caller=world.caller("ministry"), type_code=TYPE, day=DAY,
                                    now=MORNING + timedelta(hours=1))
        after = service.day_status(session=session, caller=world.caller("ministry"), type_code=TYPE, day=DAY,
                                   now=EVENING)
        jiangsu = service.day_status(session=session, caller=world.caller("jiangsu"), type_code=TYPE, day=DAY,
                                     now=EVENING)
        own = service.day_status(session=session, caller=world.caller("shanghai_user"), type_code=TYPE, day=DAY,
                                 now=EVENING)
        suzhou = service.find_report(session=session, report_type=service.get_type(session=session, code=TYPE),
                                     enterprise_id=world.ids["suzhou"], report_date=DAY)
        assert suzhou.on_behalf and suzhou.late
    states = lambda rows: {row.enterprise_id: row.state for row in rows}  # noqa: E731
    ids = world.ids
    assert states(before) == {ids["kunshan"]: "on_time", ids["suzhou"]: "late", ids["shanghai"]: "not_yet_due"}
    assert states(after)[ids["shanghai"]] == "missing"
    assert [row.state for row in after] == ["missing", "late", "on_time"]  # the ones to chase first
    assert states(jiangsu) == {ids["kunshan"]: "on_time", ids["suzhou"]: "late"}
    assert states(own) == {ids["shanghai"]: "missing"}


def test_scope_every_writer_refused_outside_its_own(engine):
    world = build_world(engine)
    for who, firm in (("kunshan_user", "shanghai"), ("jiangsu", "shanghai"), ("suzhou_city", "shanghai"),
                      ("analyst", "kunshan"), ("admin", "kunshan"), ("shanghai_gov", "kunshan")):
        with pytest.raises(Forbidden):
            _submit(world, who, firm)
    with pytest.raises(Forbidden) as unknown:  # a made-up id is refused the same way
        with unit_of_work(engine) as session:
            service.submit(session=session, caller=world.caller("kunshan_user"), type_code=TYPE,
                           enterprise_id=999_999, report_date=DAY, values=GOOD, channel="web", now=MORNING)
    assert "999999" in str(unknown.value)
    assert _submit(world, "suzhou_city", "suzhou")[1] == 1  # a city for a firm of its city
    assert _submit(world, "ministry", "shanghai")[1] == 1
    report_id = _submit(world, "kunshan_user", "kunshan")[0]
    with unit_of_work(engine) as session:
        for who in ("shanghai_user", "shanghai_gov"):
            with pytest.raises(NotFound):
                service.history(session=session, caller=world.caller(who), report_id=report_id)
        assert service.history(session=session, caller=world.caller("analyst"), report_id=report_id)


def test_only_assigned_enterprises_report_and_not_ahead_of_time(engine):
    world = build_world(engine)
    with pytest.raises(ValidationFailed, match="does not report"):
        _submit(world, "ministry", "changchun")
    with pytest.raises(ValidationFailed, match="does not report"):
        _submit(world, "kunshan_user", "kunshan", day=date(2022, 3, 31), now=MORNING)  # before `since`
    with pytest.raises(ValidationFailed, match="future"):
        _submit(world, "kunshan_user", "kunshan", day=DAY + timedelta(days=1), now=MORNING)
    with pytest.raises(ReportInvalid) as refused:
        _submit(world, "kunshan_user", "kunshan", values={"output": -1, "stock": [{"item": "芯片"}]})
    assert [e.path for e in refused.value.errors] == ["output", "stock[0].days"]
    with unit_of_work(engine) as session:
        assert session.scalars(select(ReportRevision)).all() == []  # nothing half-written


def test_assign_and_unassign_in_scope(engine):
    world = build_world(engine)
    with unit_of_work(engine) as session:
        with pytest.raises(Forbidden):  # Jiangsu may not assign a Shanghai firm
            service.assign(session=session, caller=world.caller("jiangsu"), type_code=TYPE,
                           enterprise_ids=[world.ids["shanghai"]], since=DAY)
    with unit_of_work(engine) as session, pytest.raises(Forbidden):
        service.assign(session=session, caller=world.caller("kunshan_user"), type_code=TYPE,
                       enterprise_ids=[world.ids["kunshan"]], since=DAY)
    with unit_of_work(engine) as session:
        closed = service.unassign(session=session, caller=world.caller("jiangsu"), type_code=TYPE,
                                  enterprise_ids=[world.ids["kunshan"]], until=DAY)
        assert closed == 1
    with pytest.raises(ValidationFailed, match="does not report"):
        _submit(world, "kunshan_user", "kunshan")
    _submit(world, "kunshan_user", "kunshan", day=DAY - timedelta(days=1))  # the day before still counts
    with unit_of_work(engine) as session:
        again = service.assign(session=session, caller=world.caller("suzhou_city"), type_code=TYPE,
                               enterprise_ids=[world.ids["kunshan"]], group_name="重点组", since=DAY)
        assert again[0].assigned_by_region == "3205"
        rows = service.day_status(session=session, caller=world.caller("jiangsu"), type_code=TYPE, day=DAY,
                                  now=MORNING)
        assert {row.enterprise_id: row.group_name for row in rows}[world.ids["kunshan"]] == "重点组"


def test_latest_reports_and_reports_between(engine):
    world = build_world(engine)
    first, second = DAY - timedelta(days=2), DAY - timedelta(days=1)
    _submit(world, "kunshan_user", "kunshan", day=first, values=GOOD | {"output": 1})
    _submit(world, "kunshan_user", "kunshan", day=second, values=GOOD | {"output": 2})
    _submit(world, "shanghai_user", "shanghai", day=first, values=GOOD | {"output": 3})
    _submit(world, "kunshan_user", "kunshan", day=DAY, values=GOOD | {"output": 4})
    with unit_of_work(engine) as session:
        latest = service.latest_reports(session=session, type_code=TYPE, up_to=second)
        assert {k: v.values["output"] for k, v in latest.items()} == {world.ids["kunshan"]: 2,
                                                                      world.ids["shanghai"]: 3}
        only = service.latest_reports(session=session, type_code=TYPE, up_to=DAY,
                                      enterprise_ids=[world.ids["shanghai"]])
        assert list(only) == [world.ids["shanghai"]]
        between = service.reports_between(session=session, type_code=TYPE, start=first, end=second)
        assert [(r.report_date, r.values["output"]) for r in between] == [(first, 1), (first, 3), (second, 2)]
        mine = service.list_reports(session=session, caller=world.caller("shanghai_user"), type_code=TYPE,
                                    start=first, end=DAY)
        assert [r.values["output"] for r in mine] == [3]


def test_the_cutoff_is_china_time(engine):
    world = build_world(engine)
    just_before = datetime(2022, 4, 18, 8, 59, tzinfo=timezone.utc)  # 16:59 in Shanghai
    assert _submit(world, "kunshan_user", "kunshan", now=just_before)[2] is False
    assert _submit(world, "shanghai_user", "shanghai", now=just_before + timedelta(minutes=2))[2] is True
