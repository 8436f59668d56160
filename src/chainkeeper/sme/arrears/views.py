"""What the API and the pages show of a complaint: translated reasons, the interest with its explanation, the
complaint with its timeline and the caller's buttons."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.sme.arrears import service
from chainkeeper.sme.arrears.interest import Interest, overdue_interest
from chainkeeper.sme.arrears.models import Complaint, Kind
from chainkeeper.sme.arrears.regulation import cite
from chainkeeper.sme.arrears.rules import Verdict
from chainkeeper.sme.arrears.schemas import ComplaintOut, EventOut, InterestOut, ReasonOut

BASIS = {
    "statutory": _("no rate agreed: the statutory 0.05% a day ({article})"),
    "agreed": _("the agreed rate of {rate}% a year, not below the 1-year LPR of {lpr}% at signing ({article})"),
    "lpr_floor": _("the agreed rate is below the 1-year LPR at signing: {lpr}% a year applies ({article})"),
}


def reason_text(message: str, params: dict, language: str) -> str:
    """One reason in ``language`` (the size class named in it translated too: "small" is a catalog entry)."""
    if "size" in params:
        params = params | {"size": translate(params["size"], language)}
    return translate(message, language, **params)


def reasons(verdict: Verdict, language: str) -> list[ReasonOut]:
    """Failed reasons first, then the ones met, in ``language``."""
    return ([ReasonOut(text=reason_text(m, p, language), ok=False) for m, p in verdict.failed]
            + [ReasonOut(text=reason_text(m, p, language), ok=True) for m, p in verdict.met])


def stored_reasons(c: Complaint, language: str) -> list[str]:
    """The reasons recorded at filing, in ``language``."""
    return [reason_text(m, p, language) for m, p in json.loads(c.reasons or "[]")]


def interest_out(result: Interest, language: str) -> InterestOut:
    """The calculator's answer with the sentence that explains it."""
    text = translate(BASIS[result.basis], language, rate=result.annual_rate, lpr=result.lpr, article=cite("interest"))
    if result.stale_table:
        text += " " + translate(_("(the LPR table ends before the signing date: add the newer announcements)"),
                                language)
    return InterestOut(amount=result.amount, days=result.days, basis=result.basis, daily_rate=result.daily_rate,
                       annual_rate=result.annual_rate, lpr=result.lpr, stale_table=result.stale_table,
                       explanation=text)


def complaint_interest(session: Session, c: Complaint, until: date) -> Interest | None:
    """The overdue interest owed on an arrears complaint up to ``until`` (None for charges or before the due day)."""
    if c.kind is not Kind.arrears or c.due_on is None or until <= c.due_on:
        return None
    return overdue_interest(Decimal(c.amount), due=c.due_on, until=until, payments=service.payments(session, c),
                            agreed_rate=c.agreed_rate, signed_on=c.signed_on)


def complaint_out(session: Session, c: Complaint, principal: Principal, *, with_events: bool = False) -> ComplaintOut:
    """The complaint as the API returns it."""
    events = [EventOut(at=e.at, actor=e.actor, action=e.action, from_state=e.from_state, to_state=e.to_state,
                       note=e.note, amount=e.amount, paid_on=e.paid_on)
              for e in service.events(session, c)] if with_events else []
    return ComplaintOut(id=c.id, kind=c.kind.value, state=c.state.value, creditor_id=c.creditor_id,
                        creditor_size=c.creditor_size, debtor_name=c.debtor_name, debtor_type=c.debtor_type.value,
                        debtor_level=c.debtor_level.value, debtor_region_code=c.debtor_region_code,
                        handling_region_code=c.handling_region_code, contract_no=c.contract_no, amount=c.amount,
                        paid=c.paid, outstanding=c.outstanding, delivered_on=c.delivered_on, due_on=c.due_on,
                        delivered_what=c.delivered_what, handler=c.handler, answer=c.answer,
                        agreement=c.agreement, reason=c.reason, overdue=c.overdue, time_limit=c.due_at,
                        submitted_at=c.submitted_at, actions=[a.value for a in service.available(c, principal)],
                        events=events)
