"""Who sees what on the ladder: an enterprise its own applications and recognitions, an authority those of its
region, national roles all. One place, so every door (API, pages) scopes the same way."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.ladder.models import LadderApplication, LadderRecognition


def application_scope(principal: Principal) -> ColumnElement[bool]:
    """Applications the principal may read."""
    if principal.is_national:
        return true()
    clauses = []
    if principal.roles & AUTHORITY_ROLES and principal.region_code:
        clauses.append(LadderApplication.county_code.startswith(principal.region_code))
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(LadderApplication.enterprise_id == principal.enterprise_id)
    return or_(*clauses) if clauses else false()


def recognition_scope(principal: Principal) -> ColumnElement[bool]:
    """Recognitions the principal may read: those of the enterprises it may read."""
    if principal.is_national:
        return true()
    return LadderRecognition.enterprise_id.in_(select(Enterprise.id).where(enterprise_scope(principal)))


def region_of(principal: Principal) -> str:
    """The region a dashboard covers: '' (the country) for national roles, else the principal's region binding
    (an enterprise user: its own enterprise only, handled by the scopes)."""
    return "" if principal.is_national else (principal.region_code or "")
