"""Which cases and letters a principal may read, enforced in the query layer."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.models import Case, Letter


def case_scope(principal: Principal) -> ColumnElement[bool]:
    """National roles: every case; an authority: cases whose requester, blocking party or handler lies in its
    region; an enterprise: its own cases."""
    if principal.is_national:
        return true()
    clauses = []
    region = principal.region_code or ""
    if principal.roles & AUTHORITY_ROLES and region:
        pattern = f"{region}%"
        clauses += [Case.requester_region_code.like(pattern), Case.blocking_region_code.like(pattern),
                    Case.handling_region_code.like(pattern)]
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(Case.requester_id == principal.enterprise_id)
    return or_(*clauses) if clauses else false()


def letter_scope(principal: Principal) -> ColumnElement[bool]:
    """National roles: every letter; a provincial (or lower) authority: letters from or to its province."""
    if principal.is_national:
        return true()
    region = principal.region_code or ""
    if principal.roles & AUTHORITY_ROLES and region:
        return or_(Letter.from_region_code == region[:2], Letter.to_region_code == region[:2])
    return false()


def sees_internal(principal: Principal) -> bool:
    """Authorities and national roles read internal comments; enterprises do not."""
    return principal.is_national or bool(principal.roles & AUTHORITY_ROLES)
