"""Who may read and write reports, and China time for report dates and cut-offs.

Reads: the ministry, analysts and administrators everything; an authority the enterprises of its region; an
enterprise user its own enterprise (:func:`chainkeeper.auth.scope.enterprise_scope`, the platform's one rule).
Writes (submit, correct): the enterprise's own users, an authority of its region or the ministry on its behalf.
Every door (pages, API, XLSX, CLI) goes through :func:`writable_enterprise`, so each refuses the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.messages import refuse
from chainkeeper.errors import Forbidden
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting.models import Report, ReportType

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China time (no daylight saving): report dates and cut-offs are read in it."""
FORBIDDEN = _("you may report only for your own enterprise or for enterprises in your region "
              "(enterprise {enterprise_id})")
"""The refusal of a report for an enterprise outside the caller's scope (one text for every door)."""


def local_date(moment: datetime) -> date:
    """The China date of a UTC moment."""
    return moment.astimezone(CHINA).date()


def cutoff_utc(report_type: ReportType, day: date) -> datetime:
    """The UTC moment of the type's cut-off on ``day`` (China time)."""
    cutoff = report_type.cutoff_local if isinstance(report_type.cutoff_local, time) else time(17, 0)
    return datetime.combine(day, cutoff, CHINA).astimezone(timezone.utc)


def report_scope(principal: Principal) -> ColumnElement[bool]:
    """Reports the principal may read: those of the enterprises it may read."""
    return Report.enterprise_id.in_(select(Enterprise.id).where(enterprise_scope(principal)))


def enters_on_behalf(principal: Principal) -> bool:
    """True when the principal may enter reports for enterprises other than its own (ministry, authorities)."""
    return principal.has(Role.ministry) or bool(principal.roles & AUTHORITY_ROLES)


def writable_enterprise(session: Session, principal: Principal, enterprise_id: int) -> Enterprise:
    """The enterprise if the principal may report for it: its own (enterprise user), one of its region (authority),
    any (ministry). Otherwise :class:`Forbidden`, the same refusal whether the id exists or not."""
    enterprise = session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
    if enterprise is not None and may_write(principal, enterprise):
        return enterprise
    raise refuse(Forbidden, FORBIDDEN, enterprise_id=enterprise_id)


def may_write(principal: Principal, enterprise: Enterprise) -> bool:
    if principal.has(Role.ministry):
        return True
    if principal.has(Role.enterprise) and principal.enterprise_id == enterprise.id:
        return True
    region = principal.region_code or ""
    return bool(principal.roles & AUTHORITY_ROLES) and bool(region) and enterprise.county_code.startswith(region)


def manages_region(principal: Principal, region: str) -> bool:
    """True when the principal may manage types and assignments owned by ``region`` ('' = national): the ministry
    and administrators everywhere, an authority its region and the regions below it."""
    if principal.has(Role.ministry, Role.admin):
        return True
    own = principal.region_code or ""
    return bool(principal.roles & AUTHORITY_ROLES) and bool(own) and region.startswith(own)


def uses_type(principal: Principal, report_type: ReportType) -> bool:
    """True when the principal may assign enterprises to the type: national types for every authority, a
    region's type for the authorities above, in or below that region."""
    if principal.has(Role.ministry, Role.admin):
        return True
    own, owner = principal.region_code or "", report_type.owner_region
    return bool(principal.roles & AUTHORITY_ROLES) and bool(own) and (
        owner == "" or own.startswith(owner) or owner.startswith(own))
