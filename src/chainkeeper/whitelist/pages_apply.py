"""White-list application pages: apply (with the pledge, staff list and contingency plan), review queues and
actions, the plan download, notifications, recommendations and the checkpoint export."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import File, Form, Query, Request, Response, UploadFile
from sqlalchemy import select

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.reference.models import Region
from chainkeeper.i18n import _, translate
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.rendering import is_htmx, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.tables import Listing
from chainkeeper.whitelist import attachments
from chainkeeper.whitelist import notifications, service
from chainkeeper.whitelist import policies as wl
from chainkeeper.whitelist.api import plan_response
from chainkeeper.whitelist.api_recognition import XLSX
from chainkeeper.whitelist.labels import LABELS
from chainkeeper.whitelist.models import AppState
from chainkeeper.whitelist.queries import ApplicationFilter, find_applications
from chainkeeper.whitelist.export import recognized_in_region, to_csv, to_xlsx
from chainkeeper.web.pages.redirects import back
from chainkeeper.whitelist.pages import category_names, page
from chainkeeper.whitelist.recommend import recommend
from chainkeeper.whitelist.workflow import Action, available

router = page_router()
Reader = Annotated[Principal, guard(wl.READ)]
Applicant = Annotated[Principal, guard(wl.APPLY)]
Text = Annotated[str, Form()]
REGION = r"^\d{2}(\d{2}(\d{2})?)?$"


def _firm_names(session, items) -> dict[int, str]:
    return queries.enterprise_names(session, (item.enterprise_id for item in items))


FILTERS = ("state", "list", "batch", "region", "q")


def application_filter(listing: Listing) -> ApplicationFilter:
    """The list's filters from the query string (unknown values do not filter)."""
    state, region = listing.value("state") or "", listing.value("region") or ""
    return ApplicationFilter(state=AppState(state) if state in AppState.__members__ else None,
                             list_id=_number(listing.value("list")), batch_id=_number(listing.value("batch")),
                             region=region if region.isdigit() and len(region) in (2, 4, 6) else "",
                             q=(listing.value("q") or "")[:100])


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and 0 < int(text) < 2_147_483_648 else None


def region_choices(session, principal: Principal) -> dict[str, str]:
    """Regions one level below the caller's (provinces for national roles); none for a county or an enterprise."""
    region = principal.region_code or ""
    if principal.is_national:
        return queries.provinces(session)
    if not region or len(region) == 6:
        return {}
    rows = session.execute(select(Region.code, Region.name).where(Region.parent_code == region)
                           .order_by(Region.code))
    return dict(rows.all())


def filter_options(lists, language: str) -> dict[str, list[tuple[str, str]]]:
    """The choices of the state, list and batch filters, as (value, text) in ``language``."""
    batch_text = _("{list} · batch {number}")
    return {"state_options": [(state.value, translate(LABELS[state.value], language)) for state in AppState],
            "list_options": [(str(item.id), item.name) for item in lists],
            "batch_options": [(str(batch.id), translate(batch_text, language, list=item.name, number=batch.number))
                              for item in lists for batch in item.batches]}


@router.get("/whitelists/applications")
def applications(request: Request, session: DbSession, principal: Reader) -> Response:
    """The applications the caller may see (own, or in or to its region), filtered and paged; the form to apply."""
    listing = Listing(request, filters=FILTERS, target="application-table")
    found = find_applications(session=session, principal=principal, where=application_filter(listing),
                              page=listing.page, page_size=listing.page_size)
    language = request_language(request)
    own = principal.enterprise_id
    all_lists = service.list_lists(session=session)
    open_lists = [item for item in all_lists if not item.is_national] if own else []
    notes = notifications.for_enterprise(session=session, enterprise_id=own) if own else []
    template = "whitelist/_application_table.html" if is_htmx(request) else "whitelist/applications.html"
    return page(request, session, template, applications=found.items, listing=listing,
                pager=listing.pager(found.total), regions=region_choices(session, principal),
                **filter_options(all_lists, language),
                firms=_firm_names(session, found.items), may_apply=wl.APPLY.allows(principal) and own is not None,
                lists=open_lists, categories=category_names(session, language),
                chains=queries.chain_names(session, language),
                notes=[(n, notifications.text_of(n, language)) for n in notes],
                error=request.query_params.get("error"))


def _staff(text: str) -> int:
    try:
        return max(int(text or 0), 0)
    except ValueError as error:
        raise ValidationFailed("the staff count is not a number") from error


@router.post("/whitelists/applications")
async def apply(request: Request, session: DbSession, principal: Applicant, list_id: Annotated[int, Form()],
                category: Text = "", chain_code: Text = "", reason: Text = "", on_site_staff: Text = "0",
                staff_list: Text = "", pledge: Text = "", plan: Annotated[UploadFile | None, File()] = None) -> Response:
    """Save a draft application of the caller's enterprise, with its contingency plan."""
    try:
        created = service.create_application(
            session=session, caller=wl.caller_of(principal, request), list_id=list_id,
            enterprise_id=principal.enterprise_id or 0, category=category, chain_code=chain_code or None,
            reason=reason, on_site_staff=_staff(on_site_staff), staff_list=staff_list,
            pledge_accepted=pledge == "yes")
        if plan is not None and plan.filename:
            stored = attachments.store(session=session, filename=plan.filename, content_type=plan.content_type,
                                       data=await plan.read(attachments.MAX_BYTES + 1))
            created.plan_id = stored.id
    except ChainkeeperError as error:
        session.rollback()
        return back("/whitelists/applications", error)
    return back(f"/whitelists/applications/{created.id}")


@router.get("/whitelists/applications/{application_id}")
def application_page(request: Request, session: DbSession, principal: Reader, application_id: ObjectId) -> Response:
    """One application, with the actions the caller may take now."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    actions = available(application.state, principal, service.parties(session, application))
    language = request_language(request)
    return page(request, session, "whitelist/application.html", application=application,
                  firm=session.get(Enterprise, application.enterprise_id), actions=[a.value for a in actions],
                  categories=category_names(session, language), chains=queries.chain_names(session, language),
                  error=request.query_params.get("error"))


@router.post("/whitelists/applications/{application_id}/action")
def act(request: Request, session: DbSession, principal: Annotated[Principal, guard(wl.WORKFLOW)],
        application_id: ObjectId, action: Text = "", reason: Text = "") -> Response:
    """Take a workflow action."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    url = f"/whitelists/applications/{application_id}"
    try:
        service.transition(session=session, caller=wl.caller_of(principal, request), application=application,
                           action=Action(action), reason=reason)
    except (ChainkeeperError, ValueError) as error:
        return back(url, error)
    return back(url)


@router.get("/whitelists/applications/{application_id}/plan")
def plan(session: DbSession, principal: Reader, application_id: ObjectId) -> Response:
    """The contingency plan (a download), to those who may see the application."""
    application = service.get_application(session=session, application_id=application_id, principal=principal)
    if application.plan is None:
        from chainkeeper.errors import NotFound

        raise NotFound("no plan")
    return plan_response(application.plan)


@router.get("/whitelists/recommendations")
def recommendations(request: Request, session: DbSession, principal: Annotated[Principal, guard(wl.REVIEW)],
                    region: Annotated[str | None, Query(pattern=REGION)] = None, chain: str = "auto") -> Response:
    """Unlisted enterprises worth reviewing in the caller's region (by default its own), with reasons."""
    language = request_language(request)
    region = region or principal.region_code or "31"
    try:
        found = recommend(session=session, region=region, chain=chain or None, day=date.today(),
                          principal=principal)
    except ValidationFailed:
        found = []
    return page(request, session, "whitelist/recommendations.html", region=region, chain=chain,
                  chains=queries.chain_names(session, language),
                  found=[(item, item.explain(language)) for item in found])


@router.get("/whitelists/export")
def export(request: Request, session: DbSession, _p: Annotated[Principal, guard(wl.EXPORT)],
           region: Annotated[str, Query(pattern=REGION)], day: Annotated[date | None, Query(alias="date")] = None,
           format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv") -> Response:
    """Download everything recognised in a region on a day."""
    when = day or date.today()
    rows = recognized_in_region(session=session, region_code=region, day=when)
    language = request_language(request)
    body, media = (to_csv(rows, language), "text/csv; charset=utf-8") if format == "csv" else (
        to_xlsx(rows, language), XLSX)
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="whitelist-{region}-{when.isoformat()}.{format}"'})


@router.post("/whitelists/notifications/read")
def read_notifications(session: DbSession, principal: Applicant) -> Response:
    """Mark the enterprise's notifications read."""
    if principal.enterprise_id is not None:
        notifications.mark_read(session=session, enterprise_id=principal.enterprise_id)
    return back("/whitelists/applications")

