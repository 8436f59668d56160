"""Arrears pages under ``/sme/arrears``: the complaints the caller may read, the three-part form (eligibility shown
before filing), a complaint with its timeline, interest and the caller's steps, statistics with the ledger export,
and typical cases. Forms post and redirect back; a refused form rolls back and shows the message."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from fastapi import Request, Response
from pydantic import ValidationError

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.sme.arrears import ledger, service
from chainkeeper.sme.arrears import policies as ap
from chainkeeper.sme.arrears.api import complaint_in
from chainkeeper.sme.arrears.models import Kind
from chainkeeper.sme.arrears.regulation import DECREE, cite
from chainkeeper.sme.arrears.rules import DebtorLevel, DebtorType
from chainkeeper.sme.arrears.schemas import ComplaintBody, StepBody
from chainkeeper.sme.arrears.service import today
from chainkeeper.reference.cache import full_region_names, reference_names
from chainkeeper.reference.models import Region
from chainkeeper.sme.size.standard import standard
from chainkeeper.sme.arrears.views import complaint_interest, interest_out, reasons, stored_reasons
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back, back_if_refused
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(ap.READ)]
Filer = Annotated[Principal, guard(ap.FILE)]
LABELS = {  # choice labels, translated in the templates
    "kind": {Kind.arrears: _("Arrears owed to an SME"), Kind.charge: _("Irregular charge (乱收费)"),
             Kind.fine: _("Irregular fine (乱罚款)"), Kind.levy: _("Irregular levy (乱摊派)")},
    "debtor_type": {DebtorType.government: _("Government body"), DebtorType.institution: _("Public institution"),
                    DebtorType.state_owned: _("State-owned large enterprise"),
                    DebtorType.large_private: _("Private large enterprise")},
    "debtor_level": {DebtorLevel.local: _("Local"), DebtorLevel.central: _("Central")},
    "state": {"submitted": _("Awaiting acceptance"), "accepted": _("Accepted"), "transferred": _("Transferred"),
              "answered": _("Debtor answered"), "agreed": _("Repayment agreed"), "cleared": _("Cleared"),
              "rejected": _("Rejected")},
    "action": {"accept": _("Accept"), "reject": _("Reject"), "transfer": _("Transfer"), "answer": _("Answer"),
               "agree": _("Record the repayment agreement"), "pay": _("Record a payment"),
               "clear": _("Confirm cleared"), "file": _("Filed"), "overdue": _("Time limit passed")},
}


FIELD_LABELS = {  # the complaint form's fields as its labels read, for a refusal that names one
    "kind": _("Kind"), "employees": _("Employees"), "revenue_wan": _("Revenue (10,000 yuan)"),
    "assets_wan": _("Total assets (10,000 yuan)"), "debtor_name": _("Debtor's name"), "debtor_type": _("Debtor type"),
    "debtor_level": _("Central or local"), "debtor_region_code": _("Debtor's place (county code)"),
    "debtor_enterprise_id": _("Debtor's registry id (if registered)"), "contract_no": _("Contract no."),
    "signed_on": _("Signed on"), "amount": _("Amount owed (yuan)"), "delivered_on": _("Delivered on"),
    "agreed_due_on": _("Agreed payment date (if any)"),
    "agreed_rate": _("Agreed overdue interest rate (per cent a year, if any)"),
    "delivered_what": _("What was delivered (or what was charged)"), "evidence": _("Evidence (one document a line)"),
}


def _page(request: Request, session, name: str, **context) -> Response:
    principal = request.state.principal
    context = {"may_file": ap.FILE.allows(principal), "may_ledger": ap.LEDGER.allows(principal),
               "error": request.query_params.get("error")} | context
    return render(request, session, name, labels=LABELS,
                  decree=DECREE, **context)


def _form_body(form, model, language: str = "zh_CN"):
    """The form as ``model``; a bad field is refused by its label on the form, in ``language``."""
    values = {k: v for k, v in form.items() if k != "csrf_token" and str(v).strip() != ""}
    for flag in ("disputed", "before_court", "consent_publish"):
        values[flag] = flag in form
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        name = translate(FIELD_LABELS[field], language) if field in FIELD_LABELS else field
        raise refuse(ValidationFailed, _("check the field {name}"), field=field, name=name) from None


@router.get("/sme/arrears")
def index(request: Request, session: DbSession, principal: Reader) -> Response:
    """The complaints the caller may read."""
    state = request.query_params.get("state")
    state = state if state in LABELS["state"] else None
    return _page(request, session, "sme/arrears/index.html",
                 complaints=service.listing(session=session, principal=principal, state=state))


def _new_page(request: Request, session, form: dict | None = None, error: str | None = None) -> Response:
    """The three-part registration form, with what was typed in it and the reason when it was refused (422)."""
    context = {"error": error} if error else {}
    return _page(request, session, "sme/arrears/new.html", status_code=422 if form is not None else 200,
                 articles={k: cite(k) for k in ("sme", "deadline")}, typed=form or {}, **context)


@router.get("/sme/arrears/new")
def new(request: Request, session: DbSession, principal: Filer) -> Response:
    """The three-part registration form."""
    return _new_page(request, session)


@router.post("/sme/arrears/new")
async def file(request: Request, session: DbSession, principal: Filer) -> Response:
    """Check and file; a refused or ineligible complaint comes back with everything typed in it and every reason."""
    form = await request.form()
    typed = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    language = request_language(request)
    try:
        data = complaint_in(_form_body(form, ComplaintBody, language))
        verdict, _c, _size = service.check(session=session, caller=caller_of(principal, request), data=data)
        if not verdict.eligible:
            session.rollback()
            why = "; ".join(r.text for r in reasons(verdict, language) if not r.ok)
            return _new_page(request, session, typed, why)
        c = service.file(session=session, caller=caller_of(principal, request), data=data)
    except ChainkeeperError as error:
        session.rollback()  # nothing of the refused complaint stays; the page below only reads
        return _new_page(request, session, typed, error_text(error, language))
    return back(f"/sme/arrears/{c.id}")


@router.get("/sme/arrears/statistics")
def statistics(request: Request, session: DbSession,
               principal: Annotated[Principal, guard(ap.LEDGER)]) -> Response:
    """Statistics by region, debtor type and sector, for arrears and for irregular charges."""
    tables = {(by, charges): ledger.statistics(session=session, principal=principal, by=by, charges=charges)
              for by in ("region", "debtor_type", "sector") for charges in (False, True)}
    english = request_language(request) == "en"
    names = {s.key: s.name_en if english else s.name_zh for s in standard().sectors}
    names |= reference_names(session, Region) or {}
    return _page(request, session, "sme/arrears/statistics.html", tables=tables, names=names)


@router.get("/sme/arrears/ledger.csv")
def ledger_export(session: DbSession, principal: Annotated[Principal, guard(ap.LEDGER)]) -> Response:
    """The ledger export (the same door as the API's)."""
    return Response(ledger.ledger_csv(session=session, principal=principal), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="arrears-ledger.csv"'})


@router.get("/sme/arrears/cases")
def cases(request: Request, session: DbSession, principal: Reader) -> Response:
    """Typical cases, published with consent, personal data removed."""
    return _page(request, session, "sme/arrears/cases.html", cases=ledger.typical_cases(session))


@router.get("/sme/arrears/{complaint_id}")
def detail(request: Request, session: DbSession, principal: Reader, complaint_id: ObjectId) -> Response:
    """A complaint: the three parts, the reasons, the time limit, the interest, the timeline and the steps."""
    c = service.get(session=session, principal=principal, complaint_id=complaint_id)
    language = request_language(request)
    owed = complaint_interest(session, c, today(datetime.now(timezone.utc)))
    may_publish = (ap.PUBLISH.allows(principal) and c.consent_publish and not c.published_summary
                   and c.state.value in ("cleared", "rejected"))
    return _page(request, session, "sme/arrears/detail.html", c=c, events=service.events(session, c),
                 reasons=stored_reasons(c, language), actions=[a.value for a in service.available(c, principal)],
                 interest=interest_out(owed, language) if owed else None, may_publish=may_publish,
                 handling_region=full_region_names(session, [c.handling_region_code]).get(c.handling_region_code))


@router.post("/sme/arrears/{complaint_id}/steps")
async def take_step(request: Request, session: DbSession, principal: Annotated[Principal, guard(ap.STEP)],
                    complaint_id: ObjectId) -> Response:
    """One step from the complaint's page."""
    url = f"/sme/arrears/{complaint_id}"
    form = await request.form()
    with back_if_refused(url, request):
        body = _form_body(form, StepBody, request_language(request))
        service.act(session=session, caller=caller_of(principal, request), complaint_id=complaint_id,
                    step=service.StepIn(**body.model_dump()))
    return back(url)


@router.post("/sme/arrears/{complaint_id}/publish")
async def publish(request: Request, session: DbSession, principal: Annotated[Principal, guard(ap.PUBLISH)],
                  complaint_id: ObjectId) -> Response:
    """Publish as a typical case."""
    url = f"/sme/arrears/{complaint_id}"
    form = await request.form()
    with back_if_refused(url, request):
        ledger.publish(session=session, caller=caller_of(principal, request), complaint_id=complaint_id,
                       summary=str(form.get("summary", ""))[:4000])
    return back("/sme/arrears/cases")
