"""Raising, deduplicating, notifying, scoping and acknowledging warnings, on both databases."""

from datetime import date, datetime, timezone

import pytest
from coordination.desk_support import build_desk, parts_case
from sqlalchemy import select
from monitoring.warnings.support import add_rule, source

from chainkeeper.audit.service import history
from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.monitoring.warnings.evaluation import evaluate_indicator_rules, evaluate_inventory_rules
from chainkeeper.monitoring.warnings.models import EarlyWarning, LinkKind
from chainkeeper.monitoring.warnings.service import (
    RuleData, WarningFilter, acknowledge, create_rule, get_warning, home_panel, list_warnings, update_rule,
)
from chainkeeper.monitoring.warnings.sources import InventoryRow
from chainkeeper.notifications.models import Notification

NOW = datetime(2022, 5, 16, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def desk(engine, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")  # e-mail on: notifications are queued
    monkeypatch.setenv("CHAINKEEPER_WEBHOOK_URLS", '["http://127.0.0.1:9/hook"]')
    from chainkeeper.config import get_settings

    get_settings.cache_clear()
    login_throttle.reset()
    yield build_desk(engine)
    get_settings.cache_clear()


def _warnings(engine):
    with unit_of_work(engine) as session:
        return [(w.region_code, w.period, w.level.value, w.kind) for w in
                session.scalars(select(EarlyWarning).order_by(EarlyWarning.region_code, EarlyWarning.period))]


def test_a_national_rule_with_its_provinces_raises_each_warning_once(desk):
    add_rule(desk, subregions=True)  # growth below 0: red, nationally and in every province
    report = evaluate_indicator_rules(desk.engine, periods="all", source=source, now=NOW)
    assert _warnings(desk.engine) == [("", "2022-04", "red", "below"), ("31", "2022-03", "red", "below"),
                                      ("31", "2022-04", "red", "below"), ("31", "2022-05", "red", "below"),
                                      ("32", "2022-04", "red", "below")]
    assert len(report.raised) == 5 and report.errors == []
    again = evaluate_indicator_rules(desk.engine, periods="all", source=source, now=NOW)
    assert again.raised == [] and len(_warnings(desk.engine)) == 5  # no duplicate for the same subject and period
    with unit_of_work(desk.engine) as session:
        mails = session.scalars(select(Notification).where(Notification.event == "warning.raised",
                                                           Notification.channel == "email")).all()
        hooks = session.scalars(select(Notification).where(Notification.event == "warning.raised",
                                                           Notification.channel == "webhook")).all()
        assert sorted(m.recipient for m in mails) == ["jiangsu@example.gov.cn", "ministry@example.gov.cn"]
        assert "红色预警" in next(m.subject for m in mails if m.recipient.startswith("jiangsu"))
        assert len(hooks) == 5 and {h.payload["warning"]["level"] for h in hooks} == {"red"}
        raised = history(session=session, object_type="early_warning", object_id=report.raised[0])[-1]
        assert (raised.action, raised.actor_name) == ("raise", "system")  # (the trail outlives the test's rows)


def test_by_default_only_the_latest_month_is_judged(desk):
    add_rule(desk, subregions=True)
    evaluate_indicator_rules(desk.engine, source=source, now=NOW)  # June: nobody below 0
    assert _warnings(desk.engine) == []
    evaluate_indicator_rules(desk.engine, periods=["2022-04"], source=source, now=NOW)
    assert [w[:2] for w in _warnings(desk.engine)] == [("", "2022-04"), ("31", "2022-04"), ("32", "2022-04")]


def test_below_national_and_not_enough_data(desk):
    add_rule(desk, kind="below_national", params={"gap": 5}, level="yellow", region_code="31")
    add_rule(desk, kind="robust_z", params={"k": 3, "min_history": 8}, level="yellow", region_code="31")
    report = evaluate_indicator_rules(desk.engine, periods="all", source=source, now=NOW)
    assert _warnings(desk.engine) == [("31", "2022-03", "yellow", "below_national"),
                                      ("31", "2022-04", "yellow", "below_national"),
                                      ("31", "2022-05", "yellow", "below_national")]
    assert len(report.not_enough_data) == 5  # five months are not eight of history: said, not warned
    with unit_of_work(desk.engine) as session:
        april = session.scalars(select(EarlyWarning).where(EarlyWarning.period == "2022-04")).one()
        assert april.explanation["figures"]["behind"] == 58.6
        assert april.explanation["reference"][2] == ["2022-04", -2.9]
        assert april.explanation["subject"].startswith("上海市")


def test_rules_are_set_by_the_ministry_anywhere_and_by_a_province_for_itself(desk):
    add_rule(desk, "jiangsu", region_code="32")
    add_rule(desk, "jiangsu", region_code="3205")
    for username, region in (("jiangsu", "31"), ("jiangsu", ""), ("suzhou", "3205"), ("analyst", "")):
        with pytest.raises(Forbidden):
            add_rule(desk, username, region_code=region)
    with pytest.raises(ValidationFailed) as refused:
        add_rule(desk, params={"threshold": "low"})
    assert refused.value.details[0]["field"] == "params.threshold"
    with pytest.raises(ValidationFailed):
        add_rule(desk, kind="inventory_levels", params={"red": 3})  # inventory rules read inventory_days only
    rule_id = add_rule(desk, "ministry", region_code="31")
    with unit_of_work(desk.engine) as session, pytest.raises(NotFound):
        update_rule(session=session, caller=desk.caller("jiangsu"), rule_id=rule_id,
                    data=RuleData(indicator="iva_yoy", kind="below", params={"threshold": 1}, region_code="32"))


def test_scope_and_acknowledgement(desk):
    add_rule(desk, subregions=True)
    evaluate_indicator_rules(desk.engine, periods=["2022-04"], source=source, now=NOW)
    with unit_of_work(desk.engine) as session:
        mine = list_warnings(session=session, principal=desk.caller("jiangsu").principal)
        assert sorted(w.region_code for w in mine) == ["", "32"]  # its own and the national one
        assert [w.region_code for w in list_warnings(session=session, principal=desk.caller("zhejiang").principal)] \
            == [""]
        assert len(list_warnings(session=session, principal=desk.caller("analyst").principal)) == 3
        assert list_warnings(session=session, principal=desk.caller("oem").principal) == []
        ids = {w.region_code: w.id for w in mine}
    with unit_of_work(desk.engine) as session:
        with pytest.raises(NotFound):
            get_warning(session=session, principal=desk.caller("zhejiang").principal, warning_id=ids["32"])
        with pytest.raises(NotFound):  # a city does not read its province's own warnings
            acknowledge(session=session, caller=desk.caller("suzhou"), warning_id=ids["32"], note="看过")
        for username, region in (("analyst", "32"), ("jiangsu", ""), ("suzhou", "")):
            with pytest.raises(Forbidden):
                acknowledge(session=session, caller=desk.caller(username), warning_id=ids[region], note="看过")
    with unit_of_work(desk.engine) as session:
        acknowledge(session=session, caller=desk.caller("jiangsu"), warning_id=ids["32"], note="已约谈重点企业", now=NOW)
    with unit_of_work(desk.engine) as session:
        warning = session.get(EarlyWarning, ids["32"])
        assert (warning.acknowledged_by_name, warning.note) == ("jiangsu", "已约谈重点企业")
        event = history(session=session, object_type="early_warning", object_id=ids["32"])[-1]
        assert (event.action, event.actor_name) == ("acknowledge", "jiangsu")
        with pytest.raises(Conflict):
            acknowledge(session=session, caller=desk.caller("ministry"), warning_id=ids["32"], note="")
        open_ones = list_warnings(session=session, principal=desk.caller("ministry").principal,
                                  where=WarningFilter(acknowledged=False))
        assert sorted(w.region_code for w in open_ones) == ["", "31"]
        assert home_panel(session=session, principal=desk.caller("jiangsu").principal)["open"] == \
            {"red": 1, "yellow": 0, "blue": 0}  # the national one; its own is acknowledged


def _row(desk, day, days, firm="changchun", industry="3670", supplier="kunshan"):
    return InventoryRow(desk.ids[firm], day, industry, desk.usccs[supplier] if supplier else "", "", days)


def test_the_parts_red_light_from_the_daily_inventory(desk):
    add_rule(desk, indicator="inventory_days", kind="inventory_levels", params={"red": 3, "inputs": ["36"]},
             level="red")
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session).id
    days = [(date(2022, 4, d), v) for d, v in ((11, 8.0), (12, 5.0), (13, 2.5), (14, 1.5))]
    history = [_row(desk, day, value) for day, value in days]
    with unit_of_work(desk.engine) as session:
        report = evaluate_inventory_rules(session, day=date(2022, 4, 13), rows=[history[2]], history=history[:3],
                                          now=NOW)
        # a seat maker's raw steel (3130) is not a part: the rule's inputs leave it out
        evaluate_inventory_rules(session, day=date(2022, 4, 13), rows=[_row(desk, date(2022, 4, 13), 1.0,
                                 industry="3130", supplier=None)], history=[], now=NOW)
    assert len(report.raised) == 1
    with unit_of_work(desk.engine) as session:
        warning = session.get(EarlyWarning, report.raised[0])
        assert (warning.period, warning.level.value, warning.value, warning.region_code) == \
            ("2022-04-13", "red", 2.5, "220104")
        assert warning.explanation["series"] == [["2022-04-11", 8.0], ["2022-04-12", 5.0], ["2022-04-13", 2.5]]
        links = {(link.target_kind, link.target_id) for link in warning.links}
        assert links == {(LinkKind.enterprise, desk.ids["changchun"]), (LinkKind.enterprise, desk.ids["kunshan"]),
                         (LinkKind.case, case_id)}
    with unit_of_work(desk.engine) as session:  # the next day the light is still on: no second warning
        again = evaluate_inventory_rules(session, day=date(2022, 4, 14), rows=[history[3]], history=history, now=NOW)
    assert again.raised == []
    assert [w[:3] for w in _warnings(desk.engine)] == [("220104", "2022-04-13", "red")]
