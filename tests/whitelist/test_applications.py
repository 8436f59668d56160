"""Applications through the service: the whole path, rejection, withdrawal, nominations, audit and notifications."""

from datetime import date

import pytest
from sqlalchemy import func, select
from whitelist.support import D0, caller, draft, make_list, publish

from chainkeeper.audit.models import AuditEvent
from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed
from chainkeeper.whitelist import certificates, notifications, service
from chainkeeper.whitelist.attachments import read, store
from chainkeeper.whitelist.models import AppState, EntryStatus
from chainkeeper.whitelist.workflow import Action, NotAllowed


def _events(session, application_id, after: int) -> list[str]:
    """Actions recorded on the application since audit sequence number ``after`` (the log is never emptied)."""
    query = select(AuditEvent.action).where(AuditEvent.object_type == "wl_application", AuditEvent.seq > after,
                                            AuditEvent.object_id == str(application_id)).order_by(AuditEvent.seq)
    return list(session.scalars(query))


def _last_seq(session) -> int:
    return session.scalar(select(func.max(AuditEvent.seq))) or 0


def test_draft_to_published_is_audited_notified_and_certified(engine, setup):
    with unit_of_work(engine) as session:
        start = _last_seq(session)
        white_list = make_list(session, "32", "江苏省重点企业白名单")
        entry = publish(session, setup, white_list.id)
        application = service.get_application(session=session, application_id=entry.application_id)
        assert application.state is AppState.published and entry.status is EntryStatus.active
        assert entry.listed_on == D0 and entry.batch.number == 1 and entry.scope_code == "32"
        assert _events(session, application.id, start) == [
            "whitelist.application.create", "whitelist.application.update", "whitelist.application.submit", "whitelist.application.pass_local",
            "whitelist.application.approve", "whitelist.application.publish"]
        notes = notifications.for_enterprise(session=session, enterprise_id=setup.ids["kunshan"])
        texts = [notifications.text_of(note, "zh_CN") for note in notes]
        assert len(texts) == 4 and "第 1 批" in texts[0]
        assert entry.credential_id is not None
        issued = certificates.for_entry(session=session, entry=entry)
        assert [c.id for c in issued] == [entry.credential_id] and issued[0].batch == 1


def test_second_batch_numbers_on(engine, setup):
    with unit_of_work(engine) as session:
        white_list = make_list(session, "32")
        publish(session, setup, white_list.id)
        second = publish(session, setup, white_list.id, "wuxi", on=date(2022, 5, 1))
        assert second.batch.number == 2 and [b.number for b in white_list.batches] == [1, 2]


def test_rejection_needs_a_reason_and_tells_the_applicant(engine, setup):
    with unit_of_work(engine) as session:
        application = draft(session, setup, make_list(session, "32").id)
        service.transition(session=session, caller=setup.applicant, application=application, action=Action.submit)
        with pytest.raises(ValidationFailed):
            service.transition(session=session, caller=setup.suzhou, application=application, action=Action.reject)
        service.transition(session=session, caller=setup.suzhou, application=application, action=Action.reject,
                           reason="应急预案不完整")
        assert application.state is AppState.rejected and application.decision_reason == "应急预案不完整"
        latest = notifications.for_enterprise(session=session, enterprise_id=setup.ids["kunshan"])[0]
        assert "应急预案不完整" in notifications.text_of(latest, "zh_CN")


def test_incomplete_application_cannot_be_submitted(engine, setup):
    with unit_of_work(engine) as session:
        application = draft(session, setup, make_list(session, "32").id, pledge_accepted=False)
        with pytest.raises(ValidationFailed) as failure:
            service.transition(session=session, caller=setup.applicant, application=application,
                               action=Action.submit)
        assert {d["field"] for d in failure.value.details} == {"pledge_accepted"}


def test_withdrawal_and_who_may_act(engine, setup):
    with unit_of_work(engine) as session:
        white_list = make_list(session, "32")
        application = draft(session, setup, white_list.id)
        with pytest.raises(NotAllowed):
            service.transition(session=session, caller=setup.kunshan, application=application, action=Action.submit)
        service.transition(session=session, caller=setup.applicant, application=application, action=Action.withdraw)
        assert application.state is AppState.withdrawn
        with pytest.raises(NotAllowed):  # a firm applies for itself only
            service.create_application(session=session, caller=setup.applicant, list_id=white_list.id,
                                       enterprise_id=setup.ids["wuxi"], category="strategic")
        with pytest.raises(ValidationFailed):  # a category the list does not take
            draft(session, setup, white_list.id, category="necessities")


def test_applicant_outside_the_lists_region_is_refused(engine, setup):
    with unit_of_work(engine) as session:
        with pytest.raises(ValidationFailed):
            draft(session, setup, make_list(session, "31").id)


def test_publishing_only_by_the_manager_of_the_list(engine, setup):
    with unit_of_work(engine) as session:
        white_list = make_list(session, "32")
        application = draft(session, setup, white_list.id)
        with pytest.raises(NotAllowed):
            service.publish_batch(session=session, caller=caller(Role.province, region="33"), list_id=white_list.id,
                                  application_ids=[application.id], published_on=D0)
        with pytest.raises(ValidationFailed):  # still a draft
            service.publish_batch(session=session, caller=setup.jiangsu, list_id=white_list.id,
                                  application_ids=[application.id], published_on=D0)


def test_national_lists_come_from_provincial_nominations(engine, setup):
    with unit_of_work(engine) as session:
        national = make_list(session, "", "全国重点企业白名单")
        with pytest.raises(ValidationFailed):
            draft(session, setup, national.id)
        entry = publish(session, setup, make_list(session, "32").id)
        with pytest.raises(NotAllowed):
            service.nominate(session=session, caller=caller(Role.province, region="33"), national_list_id=national.id,
                             entry=entry)
        nomination = service.nominate(session=session, caller=setup.jiangsu, national_list_id=national.id,
                                      entry=entry)
        assert nomination.state is AppState.nominated and nomination.nominated_by == "32"
        service.transition(session=session, caller=setup.ministry, application=nomination, action=Action.approve)
        batch = service.publish_batch(session=session, caller=setup.ministry, list_id=national.id,
                                      application_ids=[nomination.id], published_on=D0)
        assert batch.number == 1 and nomination.state is AppState.published


def test_attachments_are_stored_by_hash_with_limits(engine, setup, data_dir):
    with unit_of_work(engine) as session:
        first = store(session=session, filename="../../预案.pdf", content_type="application/pdf", data=b"%PDF plan")
        again = store(session=session, filename="b.pdf", content_type="application/pdf", data=b"%PDF plan")
        assert first.sha256 == again.sha256 and first.filename == "预案.pdf"
        assert (data_dir / "attachments" / first.sha256).exists() and read(first) == b"%PDF plan"
        with pytest.raises(ValidationFailed):
            store(session=session, filename="x.exe", content_type="application/x-msdownload", data=b"MZ")
        with pytest.raises(ValidationFailed):
            store(session=session, filename="big.pdf", content_type="application/pdf", data=b"x" * (10 * 2**20 + 1))
