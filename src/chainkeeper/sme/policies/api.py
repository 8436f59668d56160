"""REST endpoints of policy matching under ``/api/v1/sme/policies``: the library (list and search, create, change,
XLSX import), matching an enterprise with reasons and near misses, its profile, and the caller's subscription.
One transaction per request; every write audited by the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import ValidationFailed
from chainkeeper.sme.policies import importing, service
from chainkeeper.sme.policies import policies as pp
from chainkeeper.sme.policies.schemas import (ImportOut, MatchOut, PolicyBody, PolicyOut, ProfileBody, ProfileOut,
                                              SubscriptionBody, SubscriptionOut)
from chainkeeper.sme.policies.service import ProfileIn
from chainkeeper.sme.policies.views import match_out, policy_in, policy_out, profile_out
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/sme/policies", tags=["sme"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(pp.READ)]
Editor = Annotated[Principal, guard(pp.EDIT)]
Matcher = Annotated[Principal, guard(pp.MATCH)]
Subscriber = Annotated[Principal, guard(pp.SUBSCRIBE)]


def _language(principal: Principal) -> str:
    return principal.language or "zh_CN"


def _enterprise(principal: Principal, enterprise_id: int | None) -> int:
    chosen = enterprise_id or principal.enterprise_id
    if chosen is None:
        raise ValidationFailed("enterprise_id is required", [{"field": "enterprise_id",
                                                              "message": "enterprise_id is required"}])
    return chosen


@router.get("", response_model=list[PolicyOut])
def list_policies(session: DbSession, _p: Reader, q: Annotated[str, Query(max_length=100)] = "",
                  region: Annotated[str, Query(max_length=6, pattern=r"^\d*$")] = "") -> list[PolicyOut]:
    """Policies in force or not, searched by Chinese full text (``q``), optionally those applying in ``region``."""
    return [policy_out(p) for p in service.listing(session=session, query=q, region=region or None)]


@router.post("", response_model=PolicyOut, status_code=201)
def create_policy(body: PolicyBody, request: Request, session: DbSession, principal: Editor) -> PolicyOut:
    """Publish a policy (the ministry; a province for its region); matching subscribers are notified."""
    return policy_out(service.save_policy(session=session, caller=caller_of(principal, request),
                                          data=policy_in(body)))


@router.post("/import", response_model=ImportOut)
def import_policies(request: Request, session: DbSession, principal: Editor,
                    file: Annotated[UploadFile, File()]) -> ImportOut:
    """Import policies from an XLSX file: all rows or none; problems named by cell."""
    result = importing.import_policies(session=session, caller=caller_of(principal, request),
                                       filename=file.filename or "policies.xlsx", data=file.file,
                                       language=_language(principal))
    return ImportOut(created=result.created, updated=result.updated)


@router.get("/matches", response_model=MatchOut)
def matches(session: DbSession, principal: Matcher,
            enterprise_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None) -> MatchOut:
    """The policies the enterprise (by default the caller's own) qualifies for, with reasons, and near misses."""
    found = service.match(session=session, principal=principal, enterprise_id=_enterprise(principal, enterprise_id))
    return match_out(found, _language(principal))


@router.get("/profile/{enterprise_id}", response_model=ProfileOut)
def get_profile(enterprise_id: ObjectId, session: DbSession, principal: Matcher) -> ProfileOut:
    """The enterprise's matching profile."""
    service.visible_enterprise(session=session, principal=principal, enterprise_id=enterprise_id)
    return profile_out(enterprise_id, service.stored_profile(session, enterprise_id))


@router.put("/profile/{enterprise_id}", response_model=ProfileOut)
def put_profile(enterprise_id: ObjectId, body: ProfileBody, request: Request, session: DbSession,
                principal: Matcher) -> ProfileOut:
    """Set the enterprise's founding date, facts and extra labels."""
    stored = service.save_profile(session=session, caller=caller_of(principal, request), enterprise_id=enterprise_id,
                                  data=ProfileIn(**body.model_dump()))
    return profile_out(enterprise_id, stored)


@router.get("/subscription", response_model=SubscriptionOut)
def get_subscription(session: DbSession, principal: Subscriber) -> SubscriptionOut:
    """Whether the caller is subscribed, and the policies it was told of."""
    return SubscriptionOut(subscribed=service.subscription_of(session, principal) is not None,
                           notices=[policy_out(p) for _n, p in service.notices(session=session, principal=principal)])


@router.put("/subscription", response_model=SubscriptionOut)
def put_subscription(body: SubscriptionBody, request: Request, session: DbSession,
                     principal: Subscriber) -> SubscriptionOut:
    """Subscribe to (or stop) notices of new policies the caller's enterprise qualifies for."""
    service.subscribe(session=session, caller=caller_of(principal, request), on=body.on)
    return get_subscription(session, principal)


@router.get("/{policy_id}", response_model=PolicyOut)
def get_policy(policy_id: ObjectId, session: DbSession, _p: Reader) -> PolicyOut:
    """One policy."""
    return policy_out(service.get_policy(session=session, policy_id=policy_id))


@router.put("/{policy_id}", response_model=PolicyOut)
def put_policy(policy_id: ObjectId, body: PolicyBody, request: Request, session: DbSession,
               principal: Editor) -> PolicyOut:
    """Change a policy."""
    return policy_out(service.save_policy(session=session, caller=caller_of(principal, request),
                                          data=policy_in(body), policy_id=policy_id))
