"""Who may do what in docking: coordinators (the ministry everywhere, a province in its region) review needs,
requisition output and run the day's allocation; enterprises post their own needs, report their own output and see
their own lines. One place for the rules, so every door (pages, API, CLI) refuses the same way."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.docking.models import Need
from chainkeeper.errors import Forbidden
from chainkeeper.i18n import _


def coordinator_region(principal: Principal) -> str | None:
    """The region the principal coordinates ('' = the whole country for the ministry, a province's code for a
    provincial authority), or None when it coordinates nothing."""
    if principal.has(Role.ministry):
        return ""
    if principal.has(Role.province) and principal.region_code:
        return principal.region_code
    return None


def require_coordinator(principal: Principal, region: str = "") -> str:
    """The principal's coordinated region when it covers ``region`` (a county, city or province code, '' = the
    country), else :class:`Forbidden`."""
    own = coordinator_region(principal)
    if own is None or not region.startswith(own):
        raise refuse(Forbidden, _("only the ministry, or a province for its own region, coordinates critical goods "
                                  "(region {region})"), region=region or "—")
    return own


def need_scope(principal: Principal) -> ColumnElement[bool]:
    """Needs the principal may read: all (national roles), those placed in its region (authorities), those of its
    enterprise (enterprise users) — and those it posted."""
    if principal.is_national:
        return true()
    clauses = [Need.posted_by == principal.user_id]
    if principal.roles & AUTHORITY_ROLES and principal.region_code:
        clauses.append(Need.county_code.startswith(principal.region_code))
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(Need.enterprise_id == principal.enterprise_id)
    return or_(*clauses)
