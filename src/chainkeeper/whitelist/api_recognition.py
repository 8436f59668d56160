"""REST endpoints of recognition under ``/api/v1/whitelist``: checks, exports, agreements, categories,
recommendations, resumption figures and the applicant's notifications."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import ValidationFailed
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.whitelist import agreements, entries, notifications
from chainkeeper.whitelist import policies as wl
from chainkeeper.whitelist.export import recognized_in_region, to_csv, to_xlsx
from chainkeeper.whitelist.recognition import is_recognized
from chainkeeper.whitelist.recommend import recommend
from chainkeeper.whitelist.schemas import (
    AgreementIn, AgreementOut, CategoryIn, CategoryOut, NotificationOut, RecognitionOut, RecommendationOut,
)

router = APIRouter(prefix="/whitelist", tags=["whitelist"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(wl.READ)]
Ministry = Annotated[Principal, guard(wl.AGREEMENTS)]
Region = Annotated[str, Query(pattern=r"^\d{2}(\d{2}(\d{2})?)?$", description="Province, city or county code.")]
Day = Annotated[date | None, Query(alias="date", description="The day (default today).")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/recognition", response_model=RecognitionOut)
def recognition(session: DbSession, _p: Reader, uscc: Annotated[str, Query(min_length=1, max_length=18)],
                region: Region, day: Day = None) -> RecognitionOut:
    """Is the enterprise recognised in the region on the day — and on what basis (list, batch, agreement)."""
    answer = is_recognized(session=session, uscc=uscc, region_code=region, day=day or date.today())
    return RecognitionOut(**answer.__dict__)


EXPORT_CONTENT = {200: {"description": "The recognised enterprises.", "content": {
    "text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": {"type": "string", "format": "binary"}},
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}}


@router.get("/recognized", response_class=Response, responses=EXPORT_CONTENT)
def recognized(session: DbSession, request: Request, _p: Annotated[Principal, guard(wl.EXPORT)], region: Region,
               day: Day = None, format: Literal["csv", "xlsx", "json"] = "csv") -> Response:
    """Everything recognised in the region on the day, for checkpoints (CSV, XLSX or JSON)."""
    from chainkeeper.web.pages.rendering import request_language

    when = day or date.today()
    rows = recognized_in_region(session=session, region_code=region, day=when)
    if format == "json":
        import json

        return Response(json.dumps([row.__dict__ for row in rows], ensure_ascii=False), media_type="application/json")
    language = request_language(request)
    body, media = (to_csv(rows, language), "text/csv; charset=utf-8") if format == "csv" else (
        to_xlsx(rows, language), XLSX)
    name = f"whitelist-{region}-{when.isoformat()}.{format}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/agreements", response_model=list[AgreementOut])
def list_agreements(session: DbSession, _p: Reader) -> list[AgreementOut]:
    """Every mutual-recognition agreement."""
    return [AgreementOut.of(item) for item in agreements.list_agreements(session=session)]


@router.post("/agreements", response_model=AgreementOut, status_code=201)
def create_agreement(body: AgreementIn, request: Request, session: DbSession, principal: Ministry) -> AgreementOut:
    """A new agreement between provinces or cities (ministry coordinators)."""
    created = agreements.create_agreement(session=session, actor=wl.caller_of(principal, request).actor,
                                          **body.model_dump())
    return AgreementOut.of(created)


@router.post("/agreements/{agreement_id}/end", response_model=AgreementOut)
def end_agreement(agreement_id: ObjectId, request: Request, session: DbSession, principal: Ministry,
                  valid_until: Annotated[date, Query()]) -> AgreementOut:
    """Set the last day an agreement is in force."""
    agreement = agreements.get_agreement(session=session, agreement_id=agreement_id)
    agreements.end_agreement(session=session, actor=wl.caller_of(principal, request).actor, agreement=agreement,
                             valid_until=valid_until)
    return AgreementOut.of(agreement)


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(session: DbSession, _p: Reader) -> list[CategoryOut]:
    """The white-list categories."""
    return [CategoryOut(code=c.code, name_zh=c.name_zh, name_en=c.name_en, position=c.position)
            for c in agreements.list_categories(session=session)]


@router.put("/categories/{code}", response_model=CategoryOut)
def save_category(code: str, body: CategoryIn, request: Request, session: DbSession,
                  principal: Annotated[Principal, guard(wl.CATEGORIES)]) -> CategoryOut:
    """Create or rename a category (administrators)."""
    saved = agreements.save_category(session=session, actor=wl.caller_of(principal, request).actor, code=code,
                                     **body.model_dump())
    return CategoryOut(code=saved.code, name_zh=saved.name_zh, name_en=saved.name_en, position=saved.position)


@router.get("/recommendations", response_model=list[RecommendationOut])
def recommendations(session: DbSession, request: Request, principal: Annotated[Principal, guard(wl.REVIEW)],
                    region: Region, chain: Annotated[str | None, Query(max_length=32)] = None,
                    day: Day = None) -> list[RecommendationOut]:
    """Unlisted enterprises worth reviewing in a chain and region, with the reasons in words."""
    from chainkeeper.web.pages.rendering import request_language

    language = request_language(request)
    try:
        found = recommend(session=session, region=region, chain=chain, day=day or date.today(), principal=principal)
    except ValidationFailed:  # an empty registry
        found = []
    return [RecommendationOut(uscc=r.uscc, name=r.name, esri=r.esri, sole_supplier_to=r.sole_supplier_to,
                              reasons=r.explain(language)) for r in found]


@router.get("/resumption")
def resumption(session: DbSession, _p: Reader, list_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
               day: Day = None) -> dict:
    """Listed enterprises by resumption status and the resumption rate (the figure the ministry watches)."""
    return entries.resumption_rate(session=session, list_id=list_id, as_of=day or date.today())


@router.get("/notifications", response_model=list[NotificationOut])
def my_notifications(session: DbSession, request: Request,
                     principal: Annotated[Principal, guard(wl.APPLY)]) -> list[NotificationOut]:
    """The newest notifications of the caller's enterprise."""
    from chainkeeper.web.pages.rendering import request_language

    if principal.enterprise_id is None:
        return []
    language = request_language(request)
    found = notifications.for_enterprise(session=session, enterprise_id=principal.enterprise_id)
    return [NotificationOut(id=n.id, application_id=n.application_id, text=notifications.text_of(n, language),
                            created_at=n.created_at.isoformat(), read=n.read_at is not None) for n in found]
