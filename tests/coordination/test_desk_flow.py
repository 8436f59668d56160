"""The desk's service layer on a real database: filing, routing, the whole workflow, letters, duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from coordination.desk_support import MONDAY, build_desk, parts_case
from sqlalchemy import select

from chainkeeper.audit.service import verify_chain
from chainkeeper.coordination import letters
from chainkeeper.coordination.models import Case, CaseCategory, CaseEvent, CaseState, Level
from chainkeeper.coordination.routing import set_routing_level
from chainkeeper.coordination.service import NewCase, file_case, get_case, open_duplicates
from chainkeeper.coordination.transitions import Step, apply
from chainkeeper.coordination.workflow import Action, InvalidTransition
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.notifications.models import Notification


@pytest.fixture
def desk(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")  # e-mail on: notifications are queued
    from chainkeeper.config import get_settings

    get_settings.cache_clear()
    yield build_desk(engine)
    get_settings.cache_clear()


def act(desk, session, case, username, action, **step):
    caller = desk.caller(username)
    return apply(session=session, case=case, step=Step(action, **step), principal=caller.principal,
                 actor=caller.actor, now=MONDAY + timedelta(hours=1))


def test_a_case_is_routed_to_the_blocking_partys_city_with_a_same_day_deadline(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        assert (case.level, case.handling_region_code, case.state) == (Level.city, "3205", CaseState.submitted)
        assert case.requester_region_code == "220104" and case.cross_province
        assert case.accept_due_at.astimezone().date() == MONDAY.date()  # 18:00 Shanghai, the same working day
        mails = session.scalars(select(Notification).where(Notification.channel == "email")).all()
        assert {m.recipient for m in mails} == {"suzhou@example.gov.cn"}


def test_the_due_time_follows_the_state(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        session.flush()
        assert case.due_at == case.accept_due_at
        act(desk, session, case, "suzhou", Action.accept)
        act(desk, session, case, "suzhou", Action.assign, liaison_id=desk.user_ids["suzhou"])
        session.flush()
        assert case.due_at == case.resolve_due_at and case.due_at != case.accept_due_at
        act(desk, session, case, "suzhou", Action.feedback, text="done")
        session.flush()
        assert case.due_at is None  # waiting for the requester, not for the authority


def test_routing_level_is_configured_per_province(desk):
    with unit_of_work(desk.engine) as session:
        set_routing_level(session=session, province_code="32", level=Level.county)
        case = parts_case(desk, session)
        assert (case.level, case.handling_region_code) == (Level.county, "320583")


def test_the_whole_workflow_with_audit_and_timeline(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        act(desk, session, case, "suzhou", Action.accept)
        act(desk, session, case, "suzhou", Action.assign, liaison_id=desk.user_ids["suzhou"])
        act(desk, session, case, "suzhou", Action.feedback, text="已协调复产，明日发货")
        act(desk, session, case, "oem", Action.confirm)
        act(desk, session, case, "jiangsu", Action.close)
        assert case.state is CaseState.closed and case.measures == "已协调复产，明日发货"
        steps = session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.id)).all()
        assert steps == ["submit", "accept", "assign", "feedback", "confirm", "close"]
    with unit_of_work(desk.engine) as session:
        assert verify_chain(session=session).ok


@pytest.mark.parametrize("username, action", [
    ("zhejiang", Action.accept), ("oem", Action.accept), ("analyst", Action.accept), ("supplier", Action.accept),
])
def test_only_the_right_authority_accepts(desk, username, action):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        with pytest.raises(Forbidden):
            act(desk, session, case, username, action)


def test_the_requesting_province_may_accept_a_cross_province_case(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        assert act(desk, session, case, "jilin", Action.accept).state is CaseState.accepted
        with pytest.raises(Forbidden):  # but assigning belongs to the blocking party's authority
            act(desk, session, case, "jilin", Action.assign, liaison_id=desk.user_ids["suzhou"])


def test_invalid_transitions_and_missing_reasons(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        with pytest.raises(InvalidTransition):
            act(desk, session, case, "suzhou", Action.close)
        with pytest.raises(InvalidTransition):
            act(desk, session, case, "suzhou", Action.reject)
        act(desk, session, case, "suzhou", Action.accept)
        with pytest.raises(ValidationFailed):  # a liaison outside the handling region
            act(desk, session, case, "suzhou", Action.assign, liaison_id=desk.user_ids["zhejiang"])


def test_escalation_climbs_to_the_ministry_and_stops(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        act(desk, session, case, "oem", Action.escalate, reason="no answer")
        assert (case.level, case.handling_region_code) == (Level.province, "32")
        act(desk, session, case, "jiangsu", Action.escalate, reason="needs the ministry")
        assert (case.level, case.handling_region_code) == (Level.ministry, "")
        with pytest.raises(InvalidTransition):
            act(desk, session, case, "ministry", Action.escalate, reason="again")
        with pytest.raises(Forbidden):  # the city no longer handles it
            act(desk, session, case, "suzhou", Action.accept)
        assert act(desk, session, case, "ministry", Action.accept).state is CaseState.accepted


def test_only_senior_authorities_reopen_a_closed_case(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        for username, action, extra in [("suzhou", Action.accept, {}),
                                        ("suzhou", Action.assign, {"liaison_id": desk.user_ids["suzhou"]}),
                                        ("suzhou", Action.feedback, {"text": "done"}), ("oem", Action.confirm, {}),
                                        ("suzhou", Action.close, {})]:
            act(desk, session, case, username, action, **extra)
        for username in ("oem", "suzhou", "kunshan"):
            with pytest.raises(Forbidden):
                act(desk, session, case, username, Action.reopen, reason="supply stopped again")
        assert act(desk, session, case, "jiangsu", Action.reopen, reason="again").state is CaseState.assigned


def test_duplicates_are_offered_and_merged(desk):
    with unit_of_work(desk.engine) as session:
        first = parts_case(desk, session)
        second = parts_case(desk, session, by="jilin")
        other = parts_case(desk, session, category=CaseCategory.logistics)
        assert [c.id for c in open_duplicates(session=session, case=second)] == [first.id]
        assert open_duplicates(session=session, case=other) == []
        with pytest.raises(ValidationFailed):  # not a duplicate of the logistics case
            act(desk, session, second, "suzhou", Action.reject, reason="duplicate", merged_into_id=other.id)
        act(desk, session, second, "suzhou", Action.reject, reason="duplicate", merged_into_id=first.id)
        assert second.merged_into_id == first.id and open_duplicates(session=session, case=first) == []


def test_enterprises_and_other_regions_cannot_read_the_case(desk):
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session).id
    with unit_of_work(desk.engine) as session:
        for username in ("oem", "jilin", "jiangsu", "suzhou", "kunshan", "ministry", "analyst"):
            assert get_case(session=session, principal=desk.caller(username).principal, case_id=case_id)
        for username in ("supplier", "zhejiang"):
            with pytest.raises(NotFound):
                get_case(session=session, principal=desk.caller(username).principal, case_id=case_id)


def test_an_enterprise_cannot_file_for_another_and_names_a_real_blocking_party(desk):
    with unit_of_work(desk.engine) as session:
        with pytest.raises(Forbidden):
            parts_case(desk, session, by="zhejiang")  # Changchun is not in Zhejiang
        bad = NewCase(category=CaseCategory.logistics, title="高速出口关闭", blocking_name="G2京沪高速昆山出口",
                      blocking_region_code="999999")
        with pytest.raises(ValidationFailed) as error:
            file_case(session=session, caller=desk.caller("oem"), data=bad)
        assert error.value.details[0]["field"] == "blocking_region_code"
        place = NewCase(category=CaseCategory.logistics, title="高速出口关闭", blocking_name="G2京沪高速昆山出口",
                        blocking_region_code="320583")
        case = file_case(session=session, caller=desk.caller("oem"), data=place)
        assert case.requester_id == desk.ids["changchun"] and case.blocking_enterprise_id is None


def test_a_letter_carries_cases_to_the_other_province_and_gets_a_reply(desk):
    with unit_of_work(desk.engine) as session:
        case = parts_case(desk, session)
        act(desk, session, case, "jilin", Action.accept)
        jilin = desk.caller("jilin")
        letter = letters.create_letter(session=session, caller=jilin, to_region_code="32", subject="请协调线束供应商复产")
        assert letters.add_cases(session=session, caller=jilin, letter=letter, case_ids=[case.id]) == 1
        with pytest.raises(Forbidden):
            letters.act(session=session, caller=desk.caller("jiangsu"), letter=letter, action=letters.LetterAction.send)
        letters.act(session=session, caller=jilin, letter=letter, action=letters.LetterAction.send)
        letters.act(session=session, caller=desk.caller("jiangsu"), letter=letter,
                    action=letters.LetterAction.reply, text="已交办苏州市")
        assert letter.state.value == "replied" and case.letter_id == letter.id
        with pytest.raises(NotFound):
            letters.get_letter(session=session, principal=desk.caller("zhejiang").principal, letter_id=letter.id)


def test_concurrent_changes_of_one_case_conflict(desk):
    """PostgreSQL: the version column turns the second of two concurrent changes into an error. SQLite: writing
    requests take the write lock when they begin, so the second sees the first's result and the table refuses."""
    from sqlalchemy.orm.exc import StaleDataError

    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session).id
    if desk.engine.dialect.name == "sqlite":
        with unit_of_work(desk.engine, immediate=True) as first:
            act(desk, first, first.get(Case, case_id), "suzhou", Action.accept)
        expected = InvalidTransition
        with pytest.raises(expected), unit_of_work(desk.engine, immediate=True) as second:
            act(desk, second, second.get(Case, case_id), "jiangsu", Action.reject, reason="invalid")
    else:
        with pytest.raises(StaleDataError), unit_of_work(desk.engine) as first:
            stale = first.get(Case, case_id)
            with unit_of_work(desk.engine) as second:
                act(desk, second, second.get(Case, case_id), "suzhou", Action.accept)
            act(desk, first, stale, "jiangsu", Action.reject, reason="invalid")
    with unit_of_work(desk.engine) as session:
        assert session.get(Case, case_id).state is CaseState.accepted
