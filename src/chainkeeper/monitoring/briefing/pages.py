"""The briefing's pages: the archive with the form that generates a month's briefing, one briefing with its charts
and tables, and its downloads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Form, Request, Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.monitoring.briefing import files, policies, service
from chainkeeper.monitoring.briefing.content import localise, shown
from chainkeeper.monitoring.briefing.models import NATIONAL
from chainkeeper.monitoring.briefing.sections import ZONE, region_names
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back, back_if_refused
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(policies.READ)]
Generator = Annotated[Principal, guard(policies.GENERATE)]
Text = Annotated[str, Form()]


def regions_for(session, principal: Principal) -> dict[str, str]:
    """The regions the caller may generate a briefing for: every one for the ministry, its own for a province."""
    provinces = region_names(session, 1)
    if principal.has(Role.ministry):
        return {NATIONAL: "全国", **dict(sorted(provinces.items()))}
    own = (principal.region_code or "")[:2]
    return {own: provinces.get(own, own)} if principal.has(Role.province) else {}


def previous_month() -> str:
    """Last month in China time (the month the clock's briefing covers)."""
    today = datetime.now(ZONE).date()
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


@router.get("/monitoring/briefings")
def briefings_page(request: Request, session: DbSession, principal: Reader) -> Response:
    """Every kept version the caller may read, and the form to generate one."""
    found = service.list_briefings(session=session, principal=principal)
    return render(request, session, "monitoring/briefing/list.html", briefings=found,
                  regions=regions_for(session, principal), month=request.query_params.get("month") or previous_month(),
                  error=request.query_params.get("error"))


@router.post("/monitoring/briefings")
def generate(request: Request, session: DbSession, principal: Generator, month: Text = "",
             region_code: Text = "") -> Response:
    """Generate the month's briefing and open it."""
    with back_if_refused("/monitoring/briefings", request):
        briefing = service.generate(session=session, caller=caller_of(principal, request), month=month[:7],
                                    region_code=region_code[:2])
    return back(f"/monitoring/briefings/{briefing.id}")


@router.get("/monitoring/briefings/{briefing_id}")
def briefing_page(request: Request, session: DbSession, principal: Reader, briefing_id: ObjectId) -> Response:
    """One briefing: its sections with charts (each with its figures as a table) and tables."""
    briefing = service.get_briefing(session=session, principal=principal, briefing_id=briefing_id)
    versions = [b for b in service.list_briefings(session=session, principal=principal)
                if b.month == briefing.month and b.region_code == briefing.region_code]
    return render(request, session, "monitoring/briefing/detail.html", briefing=briefing, versions=versions,
                  content=localise(briefing.content, request_language(request)), number=shown)


@router.get("/monitoring/briefings/{briefing_id}/briefing.pdf")
def briefing_pdf(request: Request, session: DbSession, principal: Reader, briefing_id: ObjectId) -> Response:
    """The PDF (in the page's language)."""
    briefing = service.get_briefing(session=session, principal=principal, briefing_id=briefing_id)
    return files.pdf_response(briefing, request_language(request))


@router.get("/monitoring/briefings/{briefing_id}/annex.xlsx")
def briefing_xlsx(request: Request, session: DbSession, principal: Reader, briefing_id: ObjectId) -> Response:
    """The XLSX annex (in the page's language)."""
    briefing = service.get_briefing(session=session, principal=principal, briefing_id=briefing_id)
    return files.xlsx_response(briefing, request_language(request))
