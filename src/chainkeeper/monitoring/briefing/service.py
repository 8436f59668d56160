"""Generating, listing and reading briefings, inside the caller's region.

Who: the ministry generates and reads every region's briefing (and the national one); an analyst and an
administrator read them all; a provincial authority generates and reads its own province's only. Re-generating a
month keeps the earlier versions: the list shows them all.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.monitoring.briefing import lanes, sections
from chainkeeper.monitoring.briefing.annex import annex_xlsx
from chainkeeper.monitoring.briefing.content import SCHEMA_VERSION, both
from chainkeeper.monitoring.briefing.models import NATIONAL, Briefing
from chainkeeper.reference.models import Region

log = logging.getLogger(__name__)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
OWN_SECTIONS = (sections.desk_section, sections.resumption_section)
DOCUMENT_LANGUAGE = "zh_CN"
"""The kept PDF and annex are the official document: in Chinese (the page shows either language)."""


def check_month(month: str) -> str:
    """``month`` as 'YYYY-MM', not after the current month in China time, else :class:`ValidationFailed`."""
    month = (month or "").strip()
    if not MONTH.match(month):
        raise refuse(ValidationFailed, _("the month must be written YYYY-MM, e.g. 2022-04"), field="month")
    if month > datetime.now(sections.ZONE).strftime("%Y-%m") or month < "2000-01":
        raise refuse(ValidationFailed, _("no briefing for a month that has not begun"), field="month")
    return month


def check_region(session: Session, region_code: str) -> str:
    """'00' (national) or the code of a province, else :class:`ValidationFailed`."""
    region_code = (region_code or "").strip()
    if region_code == NATIONAL:
        return region_code
    found = session.scalar(select(Region.code).where(Region.code == region_code, Region.level == 1))
    if found is None:
        raise refuse(ValidationFailed, _("choose the whole country or a province"), field="region_code")
    return region_code


def may_read(principal: Principal, region_code: str) -> bool:
    """National roles read every briefing; a provincial authority its own province's."""
    if principal.is_national:
        return True
    return principal.has(Role.province) and (principal.region_code or "")[:2] == region_code


def may_generate(principal: Principal, region_code: str) -> bool:
    """The ministry generates any briefing; a provincial authority its own province's."""
    if principal.has(Role.ministry):
        return True
    return principal.has(Role.province) and (principal.region_code or "") == region_code


def region_name(session: Session, region_code: str) -> str:
    """The region's name as data ('全国' for the country)."""
    if region_code == NATIONAL:
        return "全国"
    return session.scalar(select(Region.name).where(Region.code == region_code)) or region_code


def build_content(session: Session, month: str, region_code: str) -> dict:
    """The content of the briefing: the platform's own sections, then each feature's (or its name as pending)."""
    period = sections.period_of(month)
    built = [make(session, period, region_code) for make in OWN_SECTIONS]
    pending = []
    for title, hook in lanes.HOOKS:
        try:
            found = hook(session, period, region_code)
        except Exception:  # noqa: BLE001 - one feature's failure leaves its section pending, not the briefing
            log.exception("briefing section %s failed", hook.__name__)
            found = None
        if found is None:
            pending.append(title)
        else:
            built.append(found)
    return {"schema": SCHEMA_VERSION, "month": month, "region_code": region_code,
            "region_name": region_name(session, region_code), "first_day": period.first.isoformat(),
            "last_day": period.last.isoformat(), "title": _("Monthly briefing {month}: {region}"),
            "title_params": {"month": month, "region": both("全国", "National") if region_code == NATIONAL
                             else region_name(session, region_code)},
            "sections": built, "pending": pending}


def generate(*, session: Session, caller: Caller | None, month: str, region_code: str,
             now: datetime | None = None) -> Briefing:
    """Build the month's briefing for the region, draw its PDF and XLSX annex, and keep it as the next version.

    ``caller`` None: the clock (the scheduled generation). Raises :class:`ValidationFailed` for a bad month or
    region and :class:`Forbidden` for a region outside the caller's.
    """
    from chainkeeper.monitoring.briefing.pdf import briefing_pdf  # reportlab on first use, not at start-up
    month, region_code = check_month(month), check_region(session, region_code)
    if caller is not None and not may_generate(caller.principal, region_code):
        raise refuse(Forbidden, _("your role or region does not allow this briefing"))
    content = build_content(session, month, region_code)
    now = now or datetime.now(timezone.utc)
    content["generated_at"] = now.isoformat()
    version = (session.scalar(select(func.max(Briefing.version)).where(
        Briefing.month == month, Briefing.region_code == region_code)) or 0) + 1
    briefing = Briefing(month=month, region_code=region_code, version=version, generated_at=now,
                        generated_by=(caller.principal.user_id or None) if caller else None,
                        generated_by_name=caller.actor.name if caller else "system", scheduled=caller is None,
                        content=content, pdf=briefing_pdf(content, DOCUMENT_LANGUAGE),
                        xlsx=annex_xlsx(content, DOCUMENT_LANGUAGE))
    session.add(briefing)
    session.flush()
    if caller is not None:
        record(session=session, actor=caller.actor, action="briefing.generate", object_type="briefing",
               object_id=briefing.id, after={"month": month, "region_code": region_code, "version": version})
    return briefing


def list_briefings(*, session: Session, principal: Principal, limit: int = 500) -> list[Briefing]:
    """Every version the principal may read, newest month first, then region, then newest version."""
    query = select(Briefing).order_by(Briefing.month.desc(), Briefing.region_code, Briefing.version.desc())
    if not principal.is_national:
        if not principal.has(Role.province):
            return []
        query = query.where(Briefing.region_code == (principal.region_code or "")[:2])
    return list(session.scalars(query.limit(limit)))


def get_briefing(*, session: Session, principal: Principal, briefing_id: int) -> Briefing:
    """The briefing, or :class:`NotFound` (also when it lies outside the principal's region)."""
    briefing = session.get(Briefing, briefing_id)
    if briefing is None or not may_read(principal, briefing.region_code):
        raise refuse(NotFound, _("no briefing {id}"), id=briefing_id)
    return briefing


def latest(*, session: Session, month: str, region_code: str, scheduled: bool | None = None) -> Briefing | None:
    """The newest version of the month's briefing of the region (only scheduled ones when ``scheduled``)."""
    query = select(Briefing).where(Briefing.month == month, Briefing.region_code == region_code)
    if scheduled is not None:
        query = query.where(Briefing.scheduled.is_(scheduled))
    return session.scalar(query.order_by(Briefing.version.desc()).limit(1))
