"""Row-level scoping: which enterprises and links a principal may read, and which it may change."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.registry.service import region_clause


WRITE_ALL_ROLES = frozenset({Role.ministry, Role.admin})
"""Roles that may change any enterprise (an analyst reads everything but changes nothing)."""


def enterprise_scope(principal: Principal) -> ColumnElement[bool]:
    """Enterprises the principal may read: all (national), its region (authorities), or itself (enterprise)."""
    if principal.is_national:
        return true()
    return _bound_scope(principal)


def enterprise_write_scope(principal: Principal) -> ColumnElement[bool]:
    """Enterprises the principal may change: all (ministry, administrator), its region (authorities), itself
    (enterprise); none for an analyst."""
    if principal.has(*WRITE_ALL_ROLES):
        return true()
    return _bound_scope(principal)


def writes_everywhere(principal: Principal) -> bool:
    """True when the principal may change any enterprise."""
    return principal.has(*WRITE_ALL_ROLES)


def writes_county(principal: Principal, county_code: str) -> bool:
    """True when an enterprise may be placed in ``county_code`` by the principal: its region's counties for an
    authority, any for the ministry or an administrator, none for an enterprise user or an analyst."""
    if principal.has(*WRITE_ALL_ROLES):
        return True
    region = principal.region_code
    return bool(region) and principal.has(*AUTHORITY_ROLES) and county_code.startswith(region)


def _bound_scope(principal: Principal) -> ColumnElement[bool]:
    """The enterprises of the principal's region binding and enterprise binding."""
    clauses = []
    if principal.has(*AUTHORITY_ROLES) and principal.region_code:
        clauses.append(region_clause(principal.region_code))
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(Enterprise.id == principal.enterprise_id)
    return or_(*clauses) if clauses else false()


def link_scope(principal: Principal) -> ColumnElement[bool]:
    """Links the principal may read: those with at least one end it may read."""
    if principal.is_national:
        return true()
    visible = select(Enterprise.id).where(enterprise_scope(principal))
    return or_(SupplyLink.supplier_id.in_(visible), SupplyLink.customer_id.in_(visible))
