"""THE rule of who reads a complaint; the API, the pages, the ledger, statistics and the export all filter with it.

Complaints are never public. National roles read all. An authority reads those in its region (the debtor's, the
creditor's or the handling region). An enterprise reads the complaints it filed, and — as the debtor — those
against it, only once accepted (never a complaint still awaiting acceptance or refused at the door).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.sme.arrears.models import Complaint


def complaint_scope(principal: Principal | None) -> ColumnElement[bool]:
    """The filter for ``principal`` (None, anonymous: nothing)."""
    if principal is None:
        return false()
    if principal.is_national:
        return true()
    clauses = []
    region = principal.region_code or ""
    if principal.roles & AUTHORITY_ROLES and region:
        pattern = f"{region}%"
        clauses += [Complaint.debtor_region_code.like(pattern), Complaint.creditor_region_code.like(pattern),
                    (Complaint.handling_region_code != "") & Complaint.handling_region_code.like(pattern)]
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses += [Complaint.creditor_id == principal.enterprise_id,
                    (Complaint.debtor_enterprise_id == principal.enterprise_id) & Complaint.accepted_at.is_not(None)]
    return or_(*clauses) if clauses else false()


def reads_ledger(principal: Principal) -> bool:
    """Statistics and the ledger export are for authorities and national roles."""
    return principal.is_national or bool(principal.roles & AUTHORITY_ROLES)
