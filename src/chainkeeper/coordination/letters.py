"""Coordination letters (函件): a province's authority sends another province a batch of cases about suppliers or
routes in that province; the receiving province routes them to its cities and replies."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.models import OPEN_STATES, Case, Letter, LetterState
from chainkeeper.coordination.notify import notify_case
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.scope import case_scope, letter_scope
from chainkeeper.coordination.service import add_event, get_case, moment
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.core.caller import Caller


class LetterAction(str, enum.Enum):
    """What someone does to a letter."""

    send = "send"
    reply = "reply"
    close = "close"


# the letter's own small table: (state, action) → (target, which side acts)
LETTER_TRANSITIONS = {
    (LetterState.draft, LetterAction.send): (LetterState.sent, "sender"),
    (LetterState.sent, LetterAction.reply): (LetterState.replied, "receiver"),
    (LetterState.replied, LetterAction.close): (LetterState.closed, "sender"),
}


def _province_of(principal: Principal) -> str:
    region = principal.region_code or ""
    if not principal.has(Role.province) or len(region) != 2:
        raise refuse(Forbidden, _("letters are sent and answered by provincial authorities"))
    return region


def _side_allows(principal: Principal, letter: Letter, side: str) -> bool:
    if principal.has(Role.ministry):
        return True
    province = letter.from_region_code if side == "sender" else letter.to_region_code
    return principal.has(Role.province) and principal.region_code == province


def get_letter(*, session: Session, principal: Principal, letter_id: int) -> Letter:
    """The letter if the principal may read it, else :class:`NotFound`."""
    letter = session.scalars(select(Letter).where(Letter.id == letter_id, letter_scope(principal))).first()
    if letter is None:
        raise refuse(NotFound, _("no letter {letter_id}"), letter_id=letter_id)
    return letter


def list_letters(*, session: Session, principal: Principal) -> list[Letter]:
    """The letters from or to the principal's province, newest first."""
    return list(session.scalars(select(Letter).where(letter_scope(principal)).order_by(Letter.id.desc())))


def _next_number(session: Session, from_region: str, year: int) -> str:
    count = session.scalar(select(func.count()).where(Letter.from_region_code == from_region)) or 0
    return f"{from_region}-{year}-{count + 1:04d}"


def create_letter(*, session: Session, caller: Caller, to_region_code: str, subject: str, body: str = "",
                  now: datetime | None = None) -> Letter:
    """A draft letter from the caller's province to another province."""
    from_region = _province_of(caller.principal)
    if len(to_region_code) != 2 or session.get(Region, to_region_code) is None or to_region_code == from_region:
        raise refuse(ValidationFailed, _("send a letter to another province"), field="to_region_code")
    if not subject.strip():
        raise refuse(ValidationFailed, _("the subject is required"), field="subject")
    now = moment(now)
    letter = Letter(number=_next_number(session, from_region, now.year), from_region_code=from_region,
                    to_region_code=to_region_code, subject=subject.strip()[:200], body=body,
                    created_by=caller.actor.user_id, created_at=now)
    session.add(letter)
    session.flush()
    record(session=session, actor=caller.actor, action="letter.create", object_type="letter", object_id=letter.id,
           after={"number": letter.number, "to": to_region_code, "subject": letter.subject})
    return letter


def _fits(case: Case, letter: Letter) -> str | None:
    """Why ``case`` cannot go on ``letter`` (None when it can)."""
    if case.requester_region_code[:2] != letter.from_region_code:
        return _("{ledger_no}: the requester is not in the sending province")
    if case.blocking_region_code[:2] != letter.to_region_code:
        return _("{ledger_no}: the blocking party is not in the receiving province")
    if case.letter_id not in (None, letter.id):
        return _("{ledger_no}: the case is already on another letter")
    if case.state not in OPEN_STATES:
        return _("{ledger_no}: the case is not open")
    return None


def _check_fits(case: Case, letter: Letter) -> None:
    problem = _fits(case, letter)
    if problem:
        raise refuse(ValidationFailed, problem, field="case_ids", ledger_no=case.ledger_no)


def candidates(*, session: Session, principal: Principal, letter: Letter, limit: int = 100) -> list[Case]:
    """Open cases the sender may put on ``letter``: requester in the sending province, blocking party in the
    receiving one, on no other letter, in the caller's view (the letter page offers them as a list)."""
    query = (select(Case).where(case_scope(principal), Case.letter_id.is_(None), Case.state.in_(OPEN_STATES),
                                Case.requester_region_code.startswith(letter.from_region_code),
                                Case.blocking_region_code.startswith(letter.to_region_code))
             .order_by(Case.id.desc()).limit(limit))
    return list(session.scalars(query))


def add_cases(*, session: Session, caller: Caller, letter: Letter, case_ids: list[int]) -> int:
    """Put open cases about the receiving province on a draft letter; returns how many were added."""
    if not _side_allows(caller.principal, letter, "sender") or letter.state is not LetterState.draft:
        raise refuse(Forbidden, _("only the sending province adds cases, and only while the letter is a draft"))
    for case_id in case_ids:
        case = get_case(session=session, principal=caller.principal, case_id=case_id)
        _check_fits(case, letter)
        case.letter_id = letter.id
    session.flush()
    record(session=session, actor=caller.actor, action="letter.add_cases", object_type="letter", object_id=letter.id,
           after={"case_ids": sorted(case_ids)})
    return len(case_ids)


def cases_on(*, session: Session, letter: Letter) -> list[Case]:
    """The cases a letter carries."""
    return list(session.scalars(select(Case).where(Case.letter_id == letter.id).order_by(Case.id)))


def act(*, session: Session, caller: Caller, letter: Letter, action: LetterAction, text: str = "",
        now: datetime | None = None) -> Letter:
    """Send, reply to or close a letter (each side acts in turn)."""
    found = LETTER_TRANSITIONS.get((letter.state, action))
    if found is None:
        raise refuse(ValidationFailed, _("this step is not possible in the letter's current state"))
    target, side = found
    if not _side_allows(caller.principal, letter, side):
        raise refuse(Forbidden, _("only the sending province may do this") if side == "sender"
                     else _("only the receiving province may do this"))
    carried = cases_on(session=session, letter=letter)
    if action is LetterAction.send and not carried:
        raise refuse(ValidationFailed, _("a letter needs at least one case"), field="case_ids")
    if action is LetterAction.reply and not text.strip():
        raise refuse(ValidationFailed, _("the reply is required"), field="reply")
    before, now = letter.state.value, moment(now)
    letter.state = target
    if action is LetterAction.send:
        letter.sent_at = now
        _mark_cases(session, caller, carried, "letter_sent", letter.number, now)
    elif action is LetterAction.reply:
        letter.reply, letter.replied_at = text.strip(), now
        _mark_cases(session, caller, carried, "letter_replied", letter.number, now)
    record(session=session, actor=caller.actor, action=f"letter.{action.value}", object_type="letter",
           object_id=letter.id, before={"state": before}, after={"state": target.value, "reply": letter.reply})
    return letter


def _mark_cases(session: Session, caller: Caller, cases: list[Case], action: str, number: str, now: datetime) -> None:
    for case in cases:
        add_event(session, case, caller.actor, action, case.state, note=number, at=now)
        if action == "letter_sent":
            notify_case(session=session, case=case, kind="submit")
