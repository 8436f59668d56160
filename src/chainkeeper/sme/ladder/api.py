"""REST endpoints of the 专精特新 ladder under ``/api/v1/sme/ladder``: the rules, self-assessment, applications and
their review, recognitions (revocation), the dashboards and the key-chain nodes held by ladder SMEs. One transaction
per request; answers in the caller's language."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.sme.ladder import dashboard, service
from chainkeeper.sme.ladder import policies as lp
from chainkeeper.sme.ladder.rules import assess as score
from chainkeeper.sme.ladder.rules import rulebook
from chainkeeper.sme.ladder.views import (application_out, assessment_out, recognition_out, rules_out,
                                          self_assessment_out)
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, json_route

router = APIRouter(prefix="/sme/ladder", tags=["sme-ladder"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(lp.READ)]
Tier = Literal["innovative", "specialized", "little_giant"]


class AssessBody(BaseModel):
    tier: Tier
    facts: dict = Field(default_factory=dict, description="figures keyed as in GET /rules (facts, choices, "
                                                          "achievements: the codes held)")
    enterprise_id: int | None = Field(None, ge=1, le=2_147_483_647, description="an enterprise in the caller's scope (default: its own)")


class ApplyBody(BaseModel):
    tier: Tier
    facts: dict = Field(default_factory=dict)


class ReviewBody(BaseModel):
    action: Literal["pass", "recommend", "recognise", "reject", "withdraw"]
    note: str = Field("", max_length=500)


class RevokeBody(BaseModel):
    reason: str = Field(..., max_length=500)


def _language(principal: Principal) -> str:
    return principal.language or "zh_CN"


@router.get("/rules")
def rules(principal: Reader, full: bool = False) -> dict:
    """The rulebook: document, source, tiers, the figures asked for; ``full=1`` adds the scoring tables as stored."""
    out = rules_out(_language(principal))
    return out | {"data": rulebook()} if full else out


@router.post("/assess")
def assess(body: AssessBody, request: Request, session: DbSession,
           principal: Annotated[Principal, guard(lp.ASSESS)]) -> dict:
    """Self-assess against a tier, every line explained; stores nothing."""
    found = service.self_assess(session=session, caller=caller_of(principal, request), tier=body.tier,
                                facts=body.facts, enterprise_id=body.enterprise_id)
    return self_assessment_out(found, _language(principal))


@router.post("/applications", status_code=201)
def apply(body: ApplyBody, request: Request, session: DbSession,
          principal: Annotated[Principal, guard(lp.APPLY)]) -> dict:
    """Apply for a tier (the caller's own enterprise); refused with the reasons unless the self-assessment is met."""
    app = service.apply(session=session, caller=caller_of(principal, request), tier=body.tier, facts=body.facts)
    return application_out(app, _language(principal))


@router.get("/applications")
def applications(request: Request, session: DbSession, principal: Reader,
                 state: Annotated[str | None, Query(max_length=16)] = None,
                 tier: Annotated[Tier | None, Query()] = None) -> list[dict]:
    """The applications the caller may see, newest first."""
    found = service.listing(session=session, caller=caller_of(principal, request), state=state, tier=tier)
    return [application_out(app, _language(principal)) for app in found]


@router.get("/applications/{application_id}")
def application(application_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> dict:
    """One application with its assessment re-explained from the figures it was submitted with."""
    app = service.get(session=session, caller=caller_of(principal, request), application_id=application_id)
    return application_out(app, _language(principal)) | {
        "assessment": assessment_out(score(app.tier, app.facts), _language(principal))}


@router.post("/applications/{application_id}/review")
def review(application_id: ObjectId, body: ReviewBody, request: Request, session: DbSession,
           principal: Annotated[Principal, guard(lp.REVIEW)]) -> dict:
    """One review step by the level the application waits at (or the applicant's withdrawal)."""
    app = service.review(session=session, caller=caller_of(principal, request), application_id=application_id,
                         action=body.action, note=body.note)
    return application_out(app, _language(principal))


@router.get("/recognitions")
def recognitions(request: Request, session: DbSession, principal: Reader,
                 tier: Annotated[Tier | None, Query()] = None, active: bool = False) -> list[dict]:
    """Recognitions the caller may see (``active=1``: valid today), with validity and re-review dates."""
    found = service.recognitions(session=session, caller=caller_of(principal, request), tier=tier,
                                 active_on=service.today() if active else None)
    return [recognition_out(rec, _language(principal)) for rec in found]


@router.post("/recognitions/{recognition_id}/revoke")
def revoke(recognition_id: ObjectId, body: RevokeBody, request: Request, session: DbSession,
           principal: Annotated[Principal, guard(lp.REVOKE)]) -> dict:
    """Revoke a recognition with a reason (the level that recognised it); the registry labels follow."""
    rec = service.revoke(session=session, caller=caller_of(principal, request), recognition_id=recognition_id,
                         reason=body.reason)
    return recognition_out(rec, _language(principal))


@router.get("/dashboard")
def overview(request: Request, session: DbSession, principal: Reader) -> dict:
    """Recognised enterprises per tier by region and by key chain, applications waiting, re-reviews due."""
    caller, language = caller_of(principal, request), _language(principal)
    rows = lambda found: [{"code": r.code, "name": r.name, "counts": r.counts, "total": r.total} for r in found]  # noqa: E731
    return {"by_region": rows(dashboard.by_region(session=session, caller=caller)),
            "by_chain": rows(dashboard.by_chain(session=session, caller=caller, language=language)),
            "waiting": dashboard.waiting(session=session, caller=caller),
            "re_review_due": [recognition_out(r, language) for r in service.re_review_due(session=session,
                                                                                            caller=caller)]}


@router.get("/key-nodes")
@json_route(kept=KEPT_SECONDS, day=service.today)
def key_nodes(request: Request, session: DbSession, principal: Reader,
              chain: Annotated[str | None, Query(max_length=32)] = None,
              region: Annotated[str | None, Query(max_length=2)] = None) -> list[dict]:
    """The chain's key nodes by ESRI and the ladder tier each holds."""
    found = dashboard.key_nodes(session=session, caller=caller_of(principal, request), chain=chain, region=region)
    return [{"uscc": n.uscc, "name": n.name, "esri": n.esri, "tier": n.tier, "key_node_label": n.key_node_label}
            for n in found]
