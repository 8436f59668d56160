"""Pages of vehicle passes: the list with the application form, a pass with its review, QR and revocation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import client_address, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.credentials import passes, policies, service
from chainkeeper.credentials.models import PassStatus
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.reference.cache import full_region_names
from chainkeeper.reference.pickers import resolve_region
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(policies.PASS_READ)]
Applicant = Annotated[Principal, guard(policies.PASS_APPLY)]
Reviewer = Annotated[Principal, guard(policies.PASS_REVIEW)]
Revoker = Annotated[Principal, guard(policies.PASS_REVOKE)]
Text = Annotated[str, Form()]
STATUS_LABELS = {PassStatus.pending: _("Pending review"), PassStatus.approved: _("Approved"),
                 PassStatus.rejected: _("Rejected"), PassStatus.revoked: _("Revoked")}
FIELD_LABELS = {
    "goods_category": _("Goods category"), "origin_code": _("Origin county"),
    "destination_code": _("Destination county"),
    "route": _("Route"), "plate": _("Vehicle plate"), "trailer_plate": _("Trailer plate"), "crew": _("Crew"),
    "valid_from": _("Valid from"), "valid_until": _("Valid until"), "reason": _("Reason"), "status": _("Status"),
}
FORM_FIELDS = ("goods_category", "origin_code", "destination_code", "route", "plate", "trailer_plate", "valid_from",
               "valid_until", "crew_name_1", "crew_phone_1", "crew_name_2", "crew_phone_2")


def _messages(error: ValidationFailed, language: str) -> list[str]:
    if not error.details:
        return [translate(str(error), language)]
    return [f"{translate(FIELD_LABELS.get(d.get('field'), d.get('field', '')), language)}: "
            f"{translate(d.get('message', ''), language)}" for d in error.details]


def _names(session, items) -> dict:
    codes = {code for item in items for code in (item.origin_code, item.destination_code)}
    firms = {item.enterprise_id for item in items}
    return {"regions": full_region_names(session, codes),
            "firms": dict(session.query(Enterprise.id, Enterprise.name).filter(Enterprise.id.in_(firms)).all())}


def _list_page(request: Request, session, principal: Principal, *, form: dict | None = None,
               errors: list[str] | None = None, status_code: int = 200, status: PassStatus | None = None) -> Response:
    found = passes.list_passes(session=session, scope=passes.pass_scope(principal), status=status)
    today = service.local_today()
    return render(request, session, "credentials/passes.html", status_code=status_code, passes=found,
                  status_labels=STATUS_LABELS, can_apply=policies.PASS_APPLY.allows(principal)
                  and principal.enterprise_id is not None, errors=errors or [],
                  form=form or {"valid_from": today.isoformat(), "valid_until": passes.default_validity(today)[1]},
                  **_names(session, found))


@router.get("/passes")
def pass_list(request: Request, session: DbSession, principal: Reader, status: str = "") -> Response:
    """The passes the caller may see (``?status=pending`` … filters them) and, for enterprise users, the form."""
    return _list_page(request, session, principal,
                      status=PassStatus(status) if status in PassStatus.__members__ else None)


def _application(form: dict) -> passes.PassApplication:
    try:
        start, end = date.fromisoformat(form["valid_from"]), date.fromisoformat(form["valid_until"])
    except ValueError:
        raise ValidationFailed("dates", [{"field": "valid_from", "message": "not a date"}]) from None
    crew = [(form[f"crew_name_{i}"], form[f"crew_phone_{i}"]) for i in (1, 2)
            if form[f"crew_name_{i}"] or form[f"crew_phone_{i}"]]
    return passes.PassApplication(goods_category=form["goods_category"], origin_code=form["origin_code"],
                                  destination_code=form["destination_code"], route=form["route"],
                                  plate=form["plate"], trailer_plate=form["trailer_plate"] or None,
                                  valid_from=start, valid_until=end, crew=crew)


@router.post("/passes")
async def pass_apply(request: Request, session: DbSession, principal: Applicant) -> Response:
    """Apply for a pass for the caller's enterprise; errors come back on the form."""
    if principal.enterprise_id is None:
        raise HTTPException(403, "your account is not bound to an enterprise")
    submitted = await request.form()
    form = {name: str(submitted.get(name, "")).strip()[:500] for name in FORM_FIELDS}
    for field in ("origin_code", "destination_code"):  # the region pickers' plain fields take a name or a code
        form[field] = resolve_region(session, form[field][:60]) or form[field]
    try:
        created = passes.apply_for_pass(session=session, actor=actor_of(principal, client_address(request)),
                                        enterprise_id=principal.enterprise_id, application=_application(form))
    except ValidationFailed as error:
        return _list_page(request, session, principal, form=form, status_code=422,
                          errors=_messages(error, request_language(request)))
    return RedirectResponse(f"/passes/{created.id}", status_code=303)


def _detail(request: Request, session, principal: Principal, vehicle_pass, *, errors=None, status_code=200):
    return render(request, session, "credentials/pass.html", status_code=status_code, item=vehicle_pass,
                  status_labels=STATUS_LABELS, errors=errors or [],
                  may_review=passes.may_review(session, principal, vehicle_pass),
                  may_revoke=passes.may_revoke(session, principal, vehicle_pass), **_names(session, [vehicle_pass]))


@router.get("/passes/{pass_id}")
def pass_detail(request: Request, session: DbSession, principal: Reader, pass_id: ObjectId) -> Response:
    """One pass: application, review, and once approved its number and QR code."""
    found = passes.get_pass(session=session, pass_id=pass_id, scope=passes.pass_scope(principal))
    return _detail(request, session, principal, found)


def _reviewable(session, principal: Principal, pass_id: int):
    found = passes.get_pass(session=session, pass_id=pass_id, scope=passes.pass_scope(principal))
    if not passes.may_review(session, principal, found):
        raise HTTPException(403, "only the authority of the origin county (or above) reviews this pass")
    return found


@router.post("/passes/{pass_id}/review")
def pass_review(request: Request, session: DbSession, principal: Reviewer, pass_id: ObjectId, decision: Text = "",
                reason: Text = "") -> Response:
    """Approve (number and sign) or reject (with a reason) a pending application."""
    found, actor = _reviewable(session, principal, pass_id), actor_of(principal, client_address(request))
    try:
        if decision == "approve":
            passes.approve_pass(session=session, actor=actor, vehicle_pass=found)
        else:
            passes.reject_pass(session=session, actor=actor, vehicle_pass=found, reason=reason)
    except ValidationFailed as error:
        session.rollback()
        found = passes.get_pass(session=session, pass_id=pass_id)
        return _detail(request, session, principal, found, status_code=422,
                       errors=_messages(error, request_language(request)))
    return RedirectResponse(f"/passes/{pass_id}", status_code=303)


@router.post("/passes/{pass_id}/revoke")
def pass_revoke(request: Request, session: DbSession, principal: Revoker, pass_id: ObjectId, reason: Text = "",
                ) -> Response:
    """Revoke an approved pass (its QR then verifies as revoked): the issuer's authority, ministry or admin."""
    found = passes.get_pass(session=session, pass_id=pass_id, scope=passes.pass_scope(principal))
    actor = actor_of(principal, client_address(request))
    try:
        passes.revoke_as(session=session, principal=principal, actor=actor, vehicle_pass=found, reason=reason)
    except ValidationFailed as error:
        return _detail(request, session, principal, found, status_code=422,
                       errors=_messages(error, request_language(request)))
    return RedirectResponse(f"/passes/{pass_id}", status_code=303)
