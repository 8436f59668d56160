"""Who hears of a case's change, and what they are told: e-mail to the people concerned and signed webhooks,
queued in the caller's transaction (the outbox), delivered after commit by the scheduled job."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.auth.models import User, UserRole
from chainkeeper.auth.roles import AUTHORITY_ROLES, Role
from chainkeeper.coordination.labels import STATE_LABELS, reason_text
from chainkeeper.coordination.models import Case
from chainkeeper.i18n import _, translate
from chainkeeper.notifications.service import enqueue_email, enqueue_webhooks

SUBJECTS = {
    "submit": _("New case {ledger}: {title}"),
    "accept": _("Case {ledger} was accepted"),
    "reject": _("Case {ledger} was rejected: {reason}"),
    "assign": _("Case {ledger} was assigned to you"),
    "feedback": _("Case {ledger}: the handler reported measures; please confirm"),
    "confirm": _("Case {ledger} was confirmed resolved"),
    "object": _("Case {ledger}: the requester objected: {reason}"),
    "auto_confirm": _("Case {ledger} was confirmed resolved (no objection in time)"),
    "close": _("Case {ledger} was closed"),
    "reopen": _("Case {ledger} was reopened: {reason}"),
    "escalate": _("Case {ledger} was escalated: {reason}"),
    "remind": _("Reminder: case {ledger} is due at {due}"),
    "overdue": _("Overdue: case {ledger} passed its time limit ({due})"),
}
BODY = _("Case {ledger} — {title}\nState: {state}\nBlocking party: {blocking}\nOpen it on the platform: /desk/cases/{id}")


def _authority_users(session: Session, region: str) -> list[User]:
    """Active authority users bound exactly to ``region`` (the ministry's coordinators for '')."""
    roles = [Role.ministry] if region == "" else list(AUTHORITY_ROLES)
    query = (select(User).join(UserRole).where(User.is_active.is_(True), UserRole.role.in_(roles), User.email != ""))
    if region:
        query = query.where(User.region_code == region)
    return list(session.scalars(query.distinct()))


def _enterprise_users(session: Session, enterprise_id: int) -> list[User]:
    query = select(User).where(User.enterprise_id == enterprise_id, User.is_active.is_(True), User.email != "")
    return list(session.scalars(query))


def recipients(session: Session, case: Case, kind: str) -> list[User]:
    """The people concerned: the requester's users, the handling authority, the liaison."""
    people: list[User] = []
    if kind in ("submit", "escalate", "object", "reopen", "overdue") or case.liaison_id is None:
        people += _authority_users(session, case.handling_region_code)
    if kind not in ("submit", "assign", "remind", "overdue"):
        people += _enterprise_users(session, case.requester_id)
    if case.liaison_id is not None and kind not in ("submit",):
        liaison = session.get(User, case.liaison_id)
        if liaison is not None and liaison.is_active and liaison.email:
            people.append(liaison)
    unique = {person.id: person for person in people}
    return list(unique.values())


def _params(case: Case, reason: str, due: str) -> dict:
    blocking = case.blocking_name or case.blocking_region_code
    return {"ledger": case.ledger_no, "title": case.title, "reason": reason, "due": due, "state": case.state.value,
            "blocking": blocking, "id": case.id}


def notify_case(*, session: Session, case: Case, kind: str, reason: str = "", due: str = "") -> None:
    """Queue the e-mails and webhooks for one change of ``case`` (in the caller's transaction)."""
    params = _params(case, reason, due)
    for person in recipients(session, case, kind):
        language = person.language or "zh_CN"
        said = params | {"state": translate(STATE_LABELS[case.state], language),
                         "reason": reason_text(reason, language)}
        enqueue_email(session, to=person.email, subject=translate(SUBJECTS[kind], language, **said),
                      body=translate(BODY, language, **said), event=f"case.{kind}", object_type="case",
                      object_id=str(case.id))
    payload = {"event": f"case.{kind}", "case": {"id": case.id, "ledger": case.ledger_no, "state": case.state.value,
               "category": case.category.value, "handling_region": case.handling_region_code,
               "requester_region": case.requester_region_code}, "reason": reason}
    enqueue_webhooks(session, event=f"case.{kind}", payload=payload, object_type="case", object_id=str(case.id))
