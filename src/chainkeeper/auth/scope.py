"""Row-level scoping in the query layer: which enterprises and links a principal may read."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.registry.service import region_clause


def enterprise_scope(principal: Principal) -> ColumnElement[bool]:
    """Enterprises the principal may read: all (national), its region (authorities), or itself (enterprise)."""
    if principal.is_national:
        return true()
    clauses = []
    if principal.has(Role.county, Role.city, Role.province) and principal.region_code:
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
