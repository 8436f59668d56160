"""Policy pages: ``/sme/policies`` (search the library; an enterprise sees the policies it qualifies for with the
reasons, its near misses with what is missing, and its subscription), a policy's page (its conditions and, for an
enterprise, how it fares; an editor's form), the enterprise's profile, and the editors' new-policy form and XLSX
import. Refused forms roll back and show the problems named by field or cell."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import translate
from chainkeeper.sme.policies import importing, service
from chainkeeper.sme.policies import policies as pp
from chainkeeper.sme.policies.fields import FIELDS, from_text
from chainkeeper.sme.policies.rules import EXTRA_LABELS, FACTS, LABELS, SIZES, evaluate
from chainkeeper.sme.policies.service import ProfileIn
from chainkeeper.sme.policies.views import policy_text
from chainkeeper.sme.reasons import render_all
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(pp.READ)]
Editor = Annotated[Principal, guard(pp.EDIT)]
Matcher = Annotated[Principal, guard(pp.MATCH)]
Text = Annotated[str, Form(max_length=4000)]


def _page(request: Request, session, name: str, status_code: int = 200, **context) -> Response:
    return render(request, session, name, status_code=status_code, language=request_language(request),
                  error=request.query_params.get("error"), sizes=SIZES, labels=LABELS, facts=FACTS,
                  extra_labels=EXTRA_LABELS, **context)


@router.get("/sme/policies")
def library(request: Request, session: DbSession, principal: Reader,
            q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """Search; the enterprise's matches, near misses and notices; the editors' tools."""
    language = request_language(request)
    found = None
    if principal.enterprise_id and pp.MATCH.allows(principal):
        found = service.match(session=session, principal=principal, enterprise_id=principal.enterprise_id)
    subscribed = service.subscription_of(session, principal) is not None if principal.enterprise_id else False
    notices = service.notices(session=session, principal=principal, limit=10) if principal.enterprise_id else []
    results = service.listing(session=session, query=q, limit=50)
    return _page(request, session, "sme/policies.html", q=q, results=results, found=found,
                 qualified=[(p, render_all(e.met, language)) for p, e in found.qualified] if found else [],
                 near=[(p, render_all(e.missing, language)) for p, e in found.near] if found else [],
                 subscribed=subscribed, notices=notices, may_edit=service.editable_region(principal) is not None,
                 may_subscribe=pp.SUBSCRIBE.allows(principal) and principal.enterprise_id is not None)


@router.post("/sme/policies")
def create(request: Request, session: DbSession, principal: Editor, code: Text = "", title: Text = "",
           issuer: Text = "", document_number: Text = "", source_url: Text = "", region_scope: Text = "",
           industries: Text = "", size_classes: Text = "", labels_any: Text = "", min_age_years: Text = "",
           max_age_years: Text = "", rules: Text = "", valid_from: Text = "", valid_to: Text = "", benefit: Text = "",
           how_to_apply: Text = "", illustrative: Text = "", policy_id: Annotated[int, Form(ge=0)] = 0) -> Response:
    """Save the editor's form: a new policy (``policy_id`` 0) or a change."""
    cells = {name: value for name, value in locals().items() if name in FIELDS}
    url = f"/sme/policies/{policy_id}" if policy_id else "/sme/policies/new"
    data, problems = from_text(cells)
    try:
        if problems:
            raise service.invalid(problems)
        saved = service.save_policy(session=session, caller=caller_of(principal, request), data=data,
                                    policy_id=policy_id or None)
    except ValidationFailed as error:
        session.rollback()
        return _form(request, session, cells, policy_id, error, status_code=422)
    except ChainkeeperError as error:
        return back(url, error_text(error, request_language(request)))
    return back(f"/sme/policies/{saved.id}")


def _form(request: Request, session, cells: dict, policy_id: int, error: ValidationFailed | None = None,
          status_code: int = 200) -> Response:
    language = request_language(request)
    problems = {}
    if error is not None:
        for item in error.details:
            problems.setdefault(item["field"], translate(item["message"], language))
    return _page(request, session, "sme/policy_form.html", status_code=status_code, cells=cells,
                 policy_id=policy_id, problems=problems,
                 summary=error_text(error, language) if error is not None else None)


@router.get("/sme/policies/new")
def new_form(request: Request, session: DbSession, principal: Editor) -> Response:
    """An empty form (a province's region filled in)."""
    cells = {name: "" for name in FIELDS}
    cells["region_scope"] = service.editable_region(principal) or ""
    return _form(request, session, cells, 0)


@router.post("/sme/policies/import")
async def upload(request: Request, session: DbSession, principal: Editor, file: UploadFile) -> Response:
    """Import an XLSX file: every row or none; each problem named by its cell."""
    caller, language = caller_of(principal, request), request_language(request)

    def work():
        return importing.import_policies(session=session, caller=caller, filename=file.filename or "policies.xlsx",
                                         data=file.file, language=language)

    try:
        result = await run_in_threadpool(work)
    except ValidationFailed as refused:
        session.rollback()
        return _page(request, session, "sme/policy_import.html", status_code=422, summary=str(refused),
                     problems=[item["message"] for item in refused.details], result=None)
    message = translate("{created} policies added, {updated} changed", language, created=result.created,
                        updated=result.updated)
    return _page(request, session, "sme/policy_import.html", summary=None, problems=[], result=message)


@router.get("/sme/policies/import")
def import_form(request: Request, session: DbSession, principal: Editor) -> Response:
    """The import form with the expected columns."""
    return _page(request, session, "sme/policy_import.html", summary=None, problems=[], result=None)


@router.get("/sme/policies/profile")
def profile_form(request: Request, session: DbSession, principal: Matcher,
                 enterprise_id: Annotated[int, Query(ge=0, le=2_147_483_647)] = 0) -> Response:
    """The enterprise's profile for matching (its own; an authority's for one of its region)."""
    chosen = enterprise_id or principal.enterprise_id or 0
    enterprise = service.visible_enterprise(session=session, principal=principal, enterprise_id=chosen)
    stored = service.stored_profile(session, enterprise.id)
    return _page(request, session, "sme/policy_profile.html", enterprise=enterprise, stored=stored,
                 profile=service.profile_of(enterprise, stored))


@router.post("/sme/policies/profile")
async def profile_save(request: Request, session: DbSession, principal: Matcher) -> Response:
    """Save the profile form."""
    form = await request.form()
    chosen = int(str(form.get("enterprise_id") or principal.enterprise_id or 0) or 0)
    url = f"/sme/policies/profile?enterprise_id={chosen}"
    language = request_language(request)
    try:
        facts = {name: _float(str(form.get(name, ""))) for name in FACTS}
        founded = str(form.get("founded_on", "")).strip()
        data = ProfileIn(founded_on=date.fromisoformat(founded) if founded else None, facts=facts,
                         extra_labels=[str(x) for x in form.getlist("extra_labels")])
        service.save_profile(session=session, caller=caller_of(principal, request), enterprise_id=chosen, data=data)
    except ValueError:
        return back(url, translate("enter a number", language))
    except ChainkeeperError as error:
        return back(url, error_text(error, language))
    return back("/sme/policies" if chosen == principal.enterprise_id else url)


def _float(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if text else None


@router.post("/sme/policies/subscription")
def subscription(request: Request, session: DbSession, principal: Annotated[Principal, guard(pp.SUBSCRIBE)],
                 on: Annotated[str, Form(max_length=1)] = "1") -> Response:
    """Subscribe to (or stop) notices of new matching policies."""
    try:
        service.subscribe(session=session, caller=caller_of(principal, request), on=on == "1")
    except ChainkeeperError as error:
        return back("/sme/policies", error_text(error, request_language(request)))
    return back("/sme/policies")


@router.get("/sme/policies/{policy_id}")
def policy_page(request: Request, session: DbSession, principal: Reader, policy_id: ObjectId) -> Response:
    """A policy: its conditions, how the caller's enterprise fares, and (for its editors) the form."""
    policy = service.get_policy(session=session, policy_id=policy_id)
    language = request_language(request)
    fares = None
    if principal.enterprise_id:
        enterprise = service.visible_enterprise(session=session, principal=principal,
                                                enterprise_id=principal.enterprise_id)
        profile = service.profile_of(enterprise, service.stored_profile(session, enterprise.id))
        found = evaluate(service.policy_rule(policy), profile, service.local_today())
        fares = {"in_scope": found.in_scope, "qualifies": found.qualifies,
                 "met": render_all(found.met, language), "missing": render_all(found.missing, language)}
    own = service.editable_region(principal)
    may_edit = own is not None and policy.region_scope.startswith(own) and (not own or bool(policy.region_scope))
    return _page(request, session, "sme/policy.html", policy=policy, fares=fares, may_edit=may_edit,
                 cells=policy_text(policy), policy_id=policy.id, problems={}, summary=None)
