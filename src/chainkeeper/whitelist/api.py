"""REST endpoints of the white lists under ``/api/v1/whitelist``: lists, batches, applications, entries, pool."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import bindparam, select

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.core.rows import dicts
from chainkeeper.errors import NotFound
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import get_enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, exact_json, json_route
from chainkeeper.whitelist import attachments
from chainkeeper.whitelist import entries, service
from chainkeeper.whitelist import policies as wl
from chainkeeper.whitelist.models import AppState, PoolMember, WhiteList
from chainkeeper.whitelist.queries import MAX_PAGE_SIZE, ApplicationFilter, find_applications
from chainkeeper.whitelist.schemas import (
    ActionIn, ApplicationIn, ApplicationOut, ApplicationPatch, BatchIn, BatchOut, EntryOut, ListIn, ListOut,
    NominationIn, PeriodOut, PoolIn, ResumptionIn, StatusIn,
)

router = APIRouter(prefix="/whitelist", tags=["whitelist"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(wl.READ)]
Applicant = Annotated[Principal, guard(wl.APPLY)]
Participant = Annotated[Principal, guard(wl.WORKFLOW)]
Manager = Annotated[Principal, guard(wl.MANAGE)]
AsOf = Annotated[date | None, Query(description="The day the answer is for (default today).")]
LIST_EXISTS = select(WhiteList.id).where(WhiteList.id == bindparam("list_id"))


@router.get("/lists", response_model=list[ListOut])
@json_route
def list_lists(session: DbSession, _p: Reader) -> list[ListOut]:
    """Every white list with its batches."""
    return [ListOut.of(item) for item in service.list_lists(session=session)]


@router.post("/lists", response_model=ListOut, status_code=201)
def create_list(body: ListIn, request: Request, session: DbSession, principal: Manager) -> ListOut:
    """A new list (the ministry: national; provincial or city authorities: inside their region)."""
    with wl.refusals():
        created = service.create_list(session=session, caller=wl.caller_of(principal, request), name=body.name,
                                      scope_code=body.scope_code, categories=body.categories)
    return ListOut.of(created)


def entry_out(session, entry, day: date, with_history: bool = False) -> EntryOut:
    """An entry as of ``day``."""
    firm = session.get(Enterprise, entry.enterprise_id)
    periods = entries.history(session=session, entry=entry) if with_history else []
    return EntryOut(id=entry.id, list_id=entry.list_id, list_name=entry.white_list.name, batch=entry.batch.number,
                    uscc=firm.uscc, enterprise=firm.name, category=entry.category, chain_code=entry.chain_code,
                    nominated_by=entry.nominated_by, on_site_staff=entry.on_site_staff, listed_on=entry.listed_on,
                    status_as_of=entries.status_on(session=session, entry=entry, day=day),
                    resumption=entry.resumption, resumption_on=entry.resumption_on, credential_id=entry.credential_id,
                    history=[PeriodOut(status=p.status, valid_from=p.valid_from, valid_until=p.valid_until,
                                       reason=p.reason) for p in periods])


@router.get("/lists/{list_id}/entries", response_model=list[EntryOut])
@json_route(kept=KEPT_SECONDS)  # kept per scope and query until a write
def list_entries(list_id: ObjectId, session: DbSession, _p: Reader, as_of: AsOf = None,
                 all_statuses: bool = False) -> list[EntryOut]:
    """The list's entries active on a day (or, with ``all_statuses``, every entry listed by then)."""
    if not dicts(session, LIST_EXISTS, {"list_id": list_id}):  # no need to load the list
        raise NotFound(f"no white list {list_id}")
    found = entries.entry_rows(session=session, list_id=list_id, as_of=as_of or date.today(),
                               active_only=not all_statuses)
    for entry in found:
        entry["history"] = []  # EntryOut's last field: the history is shown for one entry only
    return exact_json(found) or found


@router.post("/lists/{list_id}/batches", response_model=BatchOut, status_code=201)
def publish_batch(list_id: ObjectId, body: BatchIn, request: Request, session: DbSession,
                  principal: Manager) -> BatchOut:
    """Publish approved applications as the list's next batch (entries and certificates)."""
    service.get_list(session=session, list_id=list_id)
    with wl.refusals():
        batch = service.publish_batch(session=session, caller=wl.caller_of(principal, request), list_id=list_id,
                                      application_ids=body.application_ids, published_on=body.published_on)
    return BatchOut(id=batch.id, number=batch.number, published_on=batch.published_on)


@router.get("/applications", response_model=list[ApplicationOut])
def list_applications(response: Response, session: DbSession, principal: Reader, state: AppState | None = None,
                      list_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
                      batch_id: Annotated[int | None, Query(ge=1, le=2_147_483_647,
                                                            description="The batch that published it.")] = None,
                      region: Annotated[str, Query(pattern=r"^(\d{2}|\d{4}|\d{6})?$",
                                                   description="The applicant's region code.")] = "",
                      q: Annotated[str, Query(max_length=100, description="Part of the applicant's name, or its "
                                                                          "USCC.")] = "",
                      page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                      page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = MAX_PAGE_SIZE,
                      ) -> list[ApplicationOut]:
    """Applications the caller may see (own, in or to its region, or all), newest first, one page of them; the
    ``X-Total-Count`` header gives how many match."""
    where = ApplicationFilter(state=state, list_id=list_id, batch_id=batch_id, region=region, q=q)
    found = find_applications(session=session, principal=principal, where=where, page=page, page_size=page_size)
    response.headers["X-Total-Count"] = str(found.total)
    return [ApplicationOut.of(item) for item in found.items]


@router.post("/applications", response_model=ApplicationOut, status_code=201)
def create_application(body: ApplicationIn, request: Request, session: DbSession,
                       principal: Applicant) -> ApplicationOut:
    """A draft application of the caller's enterprise."""
    with wl.refusals():
        created = service.create_application(session=session, caller=wl.caller_of(principal, request),
                                             enterprise_id=principal.enterprise_id or 0,
                                             **body.model_dump())
    return ApplicationOut.of(created)


@router.get("/applications/{application_id}", response_model=ApplicationOut)
def get_application(application_id: ObjectId, session: DbSession, principal: Reader) -> ApplicationOut:
    """One application."""
    return ApplicationOut.of(service.get_application(session=session, application_id=application_id,
                                                     principal=principal))


@router.patch("/applications/{application_id}", response_model=ApplicationOut)
def update_application(application_id: ObjectId, body: ApplicationPatch, request: Request, session: DbSession,
                       principal: Applicant) -> ApplicationOut:
    """Change a draft."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    with wl.refusals():
        service.update_draft(session=session, caller=wl.caller_of(principal, request), application=application,
                             **body.model_dump(exclude_none=True))
    return ApplicationOut.of(application)


@router.post("/applications/{application_id}/plan", response_model=ApplicationOut)
async def upload_plan(application_id: ObjectId, file: UploadFile, request: Request, session: DbSession,
                      principal: Applicant) -> ApplicationOut:
    """Attach the contingency plan (one enterprise, one plan): PDF, Word, text or image, at most 10 MB."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    data = await file.read(attachments.MAX_BYTES + 1)
    stored = attachments.store(session=session, filename=file.filename or "plan", data=data,
                               content_type=file.content_type or "")
    with wl.refusals():
        service.update_draft(session=session, caller=wl.caller_of(principal, request), application=application,
                             plan_id=stored.id)
    return ApplicationOut.of(application)


PLAN_CONTENT = {200: {"description": "The plan file.", "content": {
    media: {"schema": {"type": "string", "format": "binary"}} for media in attachments.ALLOWED_TYPES}}}


@router.get("/applications/{application_id}/plan", response_class=Response, responses=PLAN_CONTENT)
def download_plan(application_id: ObjectId, session: DbSession, principal: Reader) -> Response:
    """The contingency plan, to those who may see the application."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    if application.plan is None:
        raise NotFound("the application has no plan attached")
    return plan_response(application.plan)


def plan_response(plan) -> Response:
    """A download of an attachment (never rendered inline)."""
    from urllib.parse import quote

    return Response(attachments.read(plan), media_type=plan.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(plan.filename)}",
        "X-Content-Type-Options": "nosniff"})


@router.post("/applications/{application_id}/actions", response_model=ApplicationOut)
def act(application_id: ObjectId, body: ActionIn, request: Request, session: DbSession,
        principal: Participant) -> ApplicationOut:
    """Submit, withdraw, pass local review, approve or reject (publishing goes by batch)."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    with wl.refusals():
        service.transition(session=session, caller=wl.caller_of(principal, request), application=application,
                           action=body.action, reason=body.reason)
    return ApplicationOut.of(application)


@router.get("/entries/{entry_id}", response_model=EntryOut)
@json_route
def get_entry(entry_id: ObjectId, session: DbSession, _p: Reader, as_of: AsOf = None) -> EntryOut:
    """One entry, its status on a day and its whole history."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    return entry_out(session, entry, as_of or date.today(), with_history=True)


@router.post("/entries/{entry_id}/status", response_model=EntryOut)
def change_status(entry_id: ObjectId, body: StatusIn, request: Request, session: DbSession,
                  principal: Manager) -> EntryOut:
    """Suspend, remove or reinstate an entry from an effective date (certificates follow)."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    with wl.refusals():
        entries.change_status(session=session, principal=principal, actor=wl.caller_of(principal, request).actor,
                              entry=entry, status=body.status, effective=body.effective, reason=body.reason)
    return entry_out(session, entry, body.effective, with_history=True)


@router.put("/entries/{entry_id}/resumption", response_model=EntryOut)
def set_resumption(entry_id: ObjectId, body: ResumptionIn, request: Request, session: DbSession,
                   principal: Annotated[Principal, guard(wl.RESUMPTION)]) -> EntryOut:
    """Report resumption (not resumed, partly, fully) and its date."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    with wl.refusals():
        entries.set_resumption(session=session, principal=principal, actor=wl.caller_of(principal, request).actor,
                               entry=entry, resumption=body.resumption, on=body.on)
    return entry_out(session, entry, body.on)


@router.post("/entries/{entry_id}/pool", status_code=201)
def add_to_pool(entry_id: ObjectId, body: PoolIn, request: Request, session: DbSession, principal: Manager) -> dict:
    """Attach a key supplier to the entry's pool (recognised with it)."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    firm = get_enterprise(session=session, uscc=body.uscc)
    with wl.refusals():
        member = entries.add_to_pool(session=session, principal=principal,
                                     actor=wl.caller_of(principal, request).actor, entry=entry,
                                     enterprise_id=firm.id, added_on=body.added_on, reason=body.reason)
    return {"id": member.id, "entry_id": entry.id, "uscc": firm.uscc, "added_on": member.added_on.isoformat()}


@router.delete("/pool/{member_id}", status_code=204)
def remove_from_pool(member_id: ObjectId, request: Request, session: DbSession, principal: Manager,
                     removed_on: Annotated[date, Query()]) -> None:
    """Detach a supplier from a pool from a date."""
    member = session.get(PoolMember, member_id)
    if member is None:
        raise NotFound(f"no pool member {member_id}")
    with wl.refusals():
        entries.remove_from_pool(session=session, principal=principal, actor=wl.caller_of(principal, request).actor,
                                 member=member, removed_on=removed_on)


@router.post("/entries/{entry_id}/nominations", response_model=ApplicationOut, status_code=201)
def nominate(entry_id: ObjectId, body: NominationIn, request: Request, session: DbSession,
             principal: Annotated[Principal, guard(wl.NOMINATE)]) -> ApplicationOut:
    """Nominate a provincial entry to a national list (provincial authorities)."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    with wl.refusals():
        created = service.nominate(session=session, caller=wl.caller_of(principal, request),
                                   national_list_id=body.national_list_id, entry=entry, reason=body.reason)
    return ApplicationOut.of(created)
