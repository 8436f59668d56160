"""The ladder's pages under ``/sme/ladder``: the hub (an enterprise's own standing; an authority's dashboards and
queue), the self-assessment form with its result explained line by line (and the application), the applications
and their review, recognitions (revocation) and the key-chain nodes. Forms post and redirect back; a refused form
rolls back and shows the message."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Form, Request, Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text
from chainkeeper.errors import ChainkeeperError
from chainkeeper.reference.models import KeyChain
from chainkeeper.sme.ladder import dashboard, service, workflow
from chainkeeper.sme.ladder import policies as lp
from chainkeeper.sme.ladder.labels import ACTION_LABELS, KIND_LABELS, STATE_LABELS, STATUS_LABELS
from chainkeeper.sme.ladder.rules import TIERS, asked
from chainkeeper.sme.ladder.rules import assess as score
from chainkeeper.sme.ladder.views import (application_fields, application_out, assessment_out,
                                          recognition_fields, rules_out, self_assessment_out)
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key

router = page_router()
Reader = Annotated[Principal, guard(lp.READ)]
Note = Annotated[str, Form(max_length=500)]


def _page(request: Request, session, name: str, **context) -> Response:
    return render(request, session, name, **_page_context(request, request.query_params.get("error"), **context))


def _page_context(request: Request, error: str | None, **context) -> dict:
    """What every ladder page shows besides its own: the rules and the labels, in the request's language."""
    language = request_language(request)
    return dict(language=language, error=error, rules=rules_out(language), states=STATE_LABELS,
                actions=ACTION_LABELS, statuses=STATUS_LABELS, kinds=KIND_LABELS, **context)


def _tier(value: str | None) -> str:
    return value if value in TIERS else TIERS[0]


def _form(request: Request, session, tier: str, facts: dict, **context) -> Response:
    """The self-assessment page: the tier's questions (only those its rules look at), the figures kept."""
    figures, achievements = asked(tier)
    return _page(request, session, "sme/ladder/assess.html", tier=tier, facts=facts, asked_facts=figures,
                 asked_achievements=achievements, **context)


DASHBOARDS_TTL = 10.0
"""Seconds an authority's dashboards (counts by region, by chain, applications waiting) are reused by readers of
the same scope; any committed write ends them at once (:mod:`chainkeeper.web.pages.scoped_cache`)."""


def _dashboards(request: Request, session, principal: Principal, caller, language: str) -> dict:
    """The authority's counts, computed once per data epoch for readers of the same scope, day and language."""
    def compute() -> dict:
        return {"by_region": dashboard.by_region(session=session, caller=caller),
                "by_chain": dashboard.by_chain(session=session, caller=caller, language=language),
                "waiting": dashboard.waiting(session=session, caller=caller)}
    key = ("sme.ladder.dashboards", scope_key(principal), service.today(), language)
    return page_cache(request.app).get(session, key, DASHBOARDS_TTL, compute)


@router.get("/sme/ladder")
def hub(request: Request, session: DbSession, principal: Reader) -> Response:
    """An enterprise: its recognitions, applications and re-reviews due. An authority: its dashboards and queue."""
    caller, language = caller_of(principal, request), request_language(request)
    mine, error = principal.enterprise_id is not None, request.query_params.get("error")

    def context() -> dict:
        return _page_context(request, error, mine=mine, **{
            "recognitions": [recognition_fields(r, r, language) for r in service.recognition_rows(
                session=session, caller=caller, limit=20)] if mine else [],
            "applications": [application_fields(a, a, language) for a in service.listing_rows(
                session=session, caller=caller, limit=20)],
            "due": [recognition_fields(r, r, language) for r in service.re_review_due_rows(session=session,
                                                                                           caller=caller)],
            **({"by_region": [], "by_chain": [], "waiting": {}} if mine else
               _dashboards(request, session, principal, caller, language))})

    key = None if error else (scope_key(principal), service.today())
    return render_kept(request, session, "sme/ladder/hub.html", key, DASHBOARDS_TTL, context)


@router.get("/sme/ladder/assess")
def assess_form(request: Request, session: DbSession, principal: Annotated[Principal, guard(lp.ASSESS)]) -> Response:
    """The self-assessment form for a tier (prefilled from the enterprise's latest application)."""
    caller = caller_of(principal, request)
    last = service.listing(session=session, caller=caller, limit=1) if principal.enterprise_id else []
    facts = last[0].facts if last else {"achievements": ["clean_record"]}
    return _form(request, session, _tier(request.query_params.get("tier")), facts, result=None,
                 may_apply=lp.APPLY.allows(principal))


@router.post("/sme/ladder/assess")
async def assess(request: Request, session: DbSession, principal: Annotated[Principal, guard(lp.ASSESS)]) -> Response:
    """Score the figures and show every line; an enterprise that meets the tier may apply from here."""
    form = await request.form()
    tier = _tier(str(form.get("tier")))
    facts = {key: value for key, value in form.items() if key not in ("tier", "csrf_token", "achievements")}
    facts["achievements"] = [str(item) for item in form.getlist("achievements")]
    language = request_language(request)
    try:
        found = service.self_assess(session=session, caller=caller_of(principal, request), tier=tier, facts=facts)
    except ChainkeeperError as error:
        return _form(request, session, tier, facts, result=None, may_apply=False,
                     form_error=error_text(error, language))
    pending = service.pending_application_id(session=session, enterprise_id=principal.enterprise_id, tier=tier) \
        if principal.enterprise_id else None
    return _form(request, session, tier, facts, result=self_assessment_out(found, language), pending=pending,
                 may_apply=lp.APPLY.allows(principal), facts_json=json.dumps(facts, ensure_ascii=False))


@router.post("/sme/ladder/apply")
def apply(request: Request, session: DbSession, principal: Annotated[Principal, guard(lp.APPLY)],
          tier: Annotated[str, Form(max_length=16)], facts_json: Annotated[str, Form(max_length=20000)]) -> Response:
    """Apply with the figures just assessed."""
    try:
        facts = json.loads(facts_json)
        app = service.apply(session=session, caller=caller_of(principal, request), tier=tier, facts=facts)
    except (ValueError, ChainkeeperError) as error:
        return back(f"/sme/ladder/assess?tier={_tier(tier)}", error_text(error, request_language(request)))
    return back(f"/sme/ladder/applications/{app.id}")


@router.get("/sme/ladder/applications")
def applications(request: Request, session: DbSession, principal: Reader) -> Response:
    """The applications the caller sees; ``state`` filters (the review queue: the states waiting at its level)."""
    caller, language = caller_of(principal, request), request_language(request)
    state = request.query_params.get("state") or None
    found = service.listing_rows(session=session, caller=caller, state=state if state in STATE_LABELS else None)
    return _page(request, session, "sme/ladder/applications.html", state=state,
                 applications=[application_fields(a, a, language) for a in found])


@router.get("/sme/ladder/applications/{application_id}")
def application(request: Request, session: DbSession, principal: Reader, application_id: ObjectId) -> Response:
    """One application: the score explained, the review trail, the steps the caller may take."""
    app = service.get(session=session, caller=caller_of(principal, request), application_id=application_id)
    language = request_language(request)
    return _page(request, session, "sme/ladder/application.html", app=application_out(app, language),
                 result=assessment_out(score(app.tier, app.facts), language),
                 steps=workflow.available(app.state, principal, service.parties(app)))


@router.post("/sme/ladder/applications/{application_id}/review")
def review(request: Request, session: DbSession, principal: Annotated[Principal, guard(lp.REVIEW)],
           application_id: ObjectId, action: Annotated[str, Form(max_length=16)], note: Note = "") -> Response:
    """Take a review step."""
    url = f"/sme/ladder/applications/{application_id}"
    try:
        service.review(session=session, caller=caller_of(principal, request), application_id=application_id,
                       action=action, note=note)
    except ChainkeeperError as error:
        return back(url, error_text(error, request_language(request)))
    return back(url)


@router.get("/sme/ladder/recognitions")
def recognitions(request: Request, session: DbSession, principal: Reader) -> Response:
    """Recognitions with their validity, re-review date and status; revocation for the level that recognised."""
    caller, language = caller_of(principal, request), request_language(request)
    tier = request.query_params.get("tier")
    found = service.recognition_rows(session=session, caller=caller, tier=tier if tier in TIERS else None)
    return _page(request, session, "sme/ladder/recognitions.html", tier=tier,
                 recognitions=[recognition_fields(r, r, language) for r in found],
                 may_revoke=lp.REVOKE.allows(principal))


@router.post("/sme/ladder/recognitions/{recognition_id}/revoke")
def revoke(request: Request, session: DbSession, principal: Annotated[Principal, guard(lp.REVOKE)],
           recognition_id: ObjectId, reason: Note = "") -> Response:
    """Revoke a recognition with a reason."""
    try:
        service.revoke(session=session, caller=caller_of(principal, request), recognition_id=recognition_id,
                       reason=reason)
    except ChainkeeperError as error:
        return back("/sme/ladder/recognitions", error_text(error, request_language(request)))
    return back("/sme/ladder/recognitions")


@router.get("/sme/ladder/key-nodes")
def key_nodes(request: Request, session: DbSession, principal: Reader) -> Response:
    """A chain's key nodes (by ESRI) and which are held by SMEs on the ladder."""
    language = request_language(request)
    chains = session.query(KeyChain).order_by(KeyChain.position).all()
    chain = request.query_params.get("chain") or (chains[0].code if chains else None)
    try:
        nodes = dashboard.key_nodes(session=session, caller=caller_of(principal, request), chain=chain)
        failure = None
    except ChainkeeperError as error:
        nodes, failure = [], error_text(error, language)
    return _page(request, session, "sme/ladder/key_nodes.html", chains=chains, chain=chain, nodes=nodes,
                 form_error=failure)
