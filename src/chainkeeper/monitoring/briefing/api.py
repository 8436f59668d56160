"""REST endpoints of the monthly briefing under ``/api/v1/briefings``: list, generate, read, download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.monitoring.briefing import files, policies, service
from chainkeeper.monitoring.briefing.schemas import BriefingDetail, BriefingIn, BriefingOut
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import json_route

router = APIRouter(prefix="/briefings", tags=["briefings"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(policies.READ)]
Generator = Annotated[Principal, guard(policies.GENERATE)]


@router.get("", response_model=list[BriefingOut])
@json_route
def list_briefings(session: DbSession, principal: Reader) -> list[BriefingOut]:
    """Every kept version the caller may read, newest month first."""
    return [BriefingOut.of(b) for b in service.list_briefings(session=session, principal=principal)]


@router.post("", response_model=BriefingDetail, status_code=201)
def generate(body: BriefingIn, request: Request, session: DbSession, principal: Generator) -> BriefingDetail:
    """Generate the month's briefing for the country or a province (a province: its own) as a new version."""
    briefing = service.generate(session=session, caller=caller_of(principal, request), month=body.month,
                                region_code=body.region_code)
    return BriefingDetail(**BriefingOut.of(briefing).model_dump(), content=briefing.content)


@router.get("/{briefing_id}", response_model=BriefingDetail)
def get_briefing(briefing_id: ObjectId, session: DbSession, principal: Reader) -> BriefingDetail:
    """One kept version with its content."""
    briefing = service.get_briefing(session=session, principal=principal, briefing_id=briefing_id)
    return BriefingDetail(**BriefingOut.of(briefing).model_dump(), content=briefing.content)


@router.get("/{briefing_id}/briefing.pdf", response_class=Response, responses={200: {"content": {files.PDF: {}}}})
def pdf(briefing_id: ObjectId, session: DbSession, principal: Reader) -> Response:
    """The briefing as a PDF (the kept Chinese document; ``Accept-Language``/the account's language: English)."""
    briefing = service.get_briefing(session=session, principal=principal, briefing_id=briefing_id)
    return files.pdf_response(briefing, principal.language)


@router.get("/{briefing_id}/annex.xlsx", response_class=Response, responses={200: {"content": {files.XLSX: {}}}})
def xlsx(briefing_id: ObjectId, session: DbSession, principal: Reader) -> Response:
    """The briefing's XLSX annex: one sheet per section."""
    briefing = service.get_briefing(session=session, principal=principal, briefing_id=briefing_id)
    return files.xlsx_response(briefing, principal.language)
