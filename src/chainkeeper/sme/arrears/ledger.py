"""The ledger (台账) and statistics — by region, debtor type and sector: complaints, owed, cleared, overdue —
for arrears and for irregular charges/fines/levies separately; the ledger's export; typical cases published with
the creditor's consent and personal data removed. Everything is filtered by :func:`.scope.complaint_scope`."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Forbidden, ValidationFailed
from chainkeeper.exporting import safe_row
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.arrears import service
from chainkeeper.sme.arrears.models import Complaint, Kind, State
from chainkeeper.sme.arrears.scope import complaint_scope, reads_ledger
from chainkeeper.sme.arrears.workflow import GUARDS, Guard

DIMENSIONS = {"region": func.substr(Complaint.debtor_region_code, 1, 2), "debtor_type": Complaint.debtor_type,
              "sector": Complaint.creditor_sector, "kind": Complaint.kind}
CLOSED = (State.cleared, State.rejected)


@dataclass(frozen=True)
class Row:
    """One line of the statistics."""

    key: str
    complaints: int
    owed: Decimal  # still owed on open complaints
    cleared: Decimal  # paid, over all complaints
    cleared_count: int
    overdue: int  # open complaints past a time limit


def _require(principal: Principal) -> None:
    if not reads_ledger(principal):
        raise refuse(Forbidden, _("the ledger and statistics are for authorities"))


def statistics(*, session: Session, principal: Principal, by: str, charges: bool = False) -> list[Row]:
    """Totals by ``by`` (a key of :data:`DIMENSIONS`) over arrears, or over charges/fines/levies."""
    _require(principal)
    if by not in DIMENSIONS:
        raise refuse(ValidationFailed, _("group by one of: {choices}"), field="by", choices=", ".join(DIMENSIONS))
    key = DIMENSIONS[by]
    open_ = Complaint.state.not_in(CLOSED)
    kinds = [Kind.charge, Kind.fine, Kind.levy] if charges else [Kind.arrears]
    query = (select(key, func.count(), func.sum(case((open_, Complaint.amount - Complaint.paid), else_=0)),
                    func.sum(Complaint.paid), func.sum(case((Complaint.state == State.cleared, 1), else_=0)),
                    func.sum(case((open_ & Complaint.overdue, 1), else_=0)))
             .where(complaint_scope(principal), Complaint.kind.in_(kinds)).group_by(key).order_by(key))
    return [Row(getattr(k, "value", k) or "", n, _yuan(owed), _yuan(paid), int(cleared or 0), int(late or 0))
            for k, n, owed, paid, cleared, late in session.execute(query)]


def _yuan(value) -> Decimal:
    """A sum as yuan to the fen (SQLite sums Numeric columns as floats or ints)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


LEDGER_COLUMNS = ("id", "kind", "state", "creditor", "creditor_size", "debtor", "debtor_type", "debtor_region",
                  "handling_region", "amount", "paid", "due_on", "submitted_at", "overdue")


def ledger_csv(*, session: Session, principal: Principal) -> str:
    """The ledger as CSV (cells neutralised against formula injection), scoped like everything else."""
    _require(principal)
    complaints = service.listing(session=session, principal=principal, limit=100_000)
    creditors = {c.creditor_id for c in complaints}  # only these names, not the whole registry's
    names = dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(creditors))).all())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LEDGER_COLUMNS)
    for c in complaints:
        writer.writerow(safe_row([c.id, c.kind.value, c.state.value, names.get(c.creditor_id, ""), c.creditor_size,
                                  c.debtor_name, c.debtor_type.value, c.debtor_region_code,
                                  c.handling_region_code or "ministry", c.amount, c.paid, c.due_on or "",
                                  c.submitted_at.isoformat(), c.overdue]))
    return out.getvalue()


PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


def redact(text: str, names: list[str]) -> str:
    """``text`` without the parties' names, contact persons, phone numbers and credit codes."""
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, "某企业")
    return USCC.sub("［统一社会信用代码已隐去］", PHONE.sub("［电话已隐去］", text))


def publish(*, session: Session, caller: Caller, complaint_id: int, summary: str) -> Complaint:
    """Publish a closed complaint as a typical case: only with the creditor's consent, personal data removed."""
    c = service.get(session=session, principal=caller.principal, complaint_id=complaint_id)
    if not GUARDS[Guard.receiver](caller.principal, service.parties_of(c)):
        raise refuse(Forbidden, _("only the accepting department publishes a typical case"))
    if not c.consent_publish:
        raise refuse(ValidationFailed, _("the creditor did not consent to publication"), field="summary")
    if c.state not in CLOSED or not summary.strip():
        raise refuse(ValidationFailed, _("publish a closed complaint, with a summary"), field="summary")
    creditor = session.get(Enterprise, c.creditor_id)
    debtor = session.get(Enterprise, c.debtor_enterprise_id) if c.debtor_enterprise_id else None
    names = [creditor.name, creditor.contact_person, c.debtor_name]
    names += [debtor.name, debtor.contact_person] if debtor else []
    before = service.snapshot(c)
    c.published_summary = redact(summary.strip(), names)
    record(session=session, actor=caller.actor, action="arrears.publish", object_type="arrears_complaint",
           object_id=c.id, before=before, after=service.snapshot(c))
    return c


def typical_cases(session: Session, limit: int = 50) -> list[Complaint]:
    """The published typical cases (only their summary, kind, debtor type and outcome are ever shown)."""
    return list(session.scalars(select(Complaint).where(Complaint.published_summary != "")
                                .order_by(Complaint.closed_at.desc()).limit(limit)))
