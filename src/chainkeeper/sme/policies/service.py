"""Policies in the database: the library (save, read, search), enterprise profiles, matching with reasons, and
subscriptions that notify (in the app and by e-mail through the outbox) when a new policy matches.

Who may do what (the routes' policies say which roles may call; these functions check the rest):
the ministry edits any policy, a province those scoped to its region; an enterprise matches, profiles and subscribes
for itself; an authority matches and profiles enterprises of its region; the ministry any enterprise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.audit.snapshot import snapshot
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.notifications.service import enqueue_email
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.policies.fields import PolicyIn, check
from chainkeeper.sme.policies.models import EnterpriseProfile, Policy, PolicyNotice, PolicySubscription
from chainkeeper.sme.policies.rules import EXTRA_LABELS, FACTS, Evaluation, PolicyRule, Profile, evaluate, \
    rule_from_dict
from chainkeeper.sme.policies.search import normalize_text, score, search_condition, words
from chainkeeper.sme.size import SizeTestError, classify

MAX_LISTED = 200
NOTICE_SUBJECT = _("A new policy matches your enterprise: {title}")
NOTICE_BODY = _("The policy “{title}” ({issuer}) has been published and your enterprise meets its conditions.\n"
                "Benefit: {benefit}\nSee it on the platform: /sme/policies/{policy_id}")


def invalid(problems: list[tuple[str, str, dict]]) -> ValidationFailed:
    """One :class:`ValidationFailed` listing every field at fault (the first one's message as the message)."""
    field, message, params = problems[0]
    error = refuse(ValidationFailed, message, field=field, **params)
    error.details = [{"field": f, "message": m.format(**p) if p else m} for f, m, p in problems]
    return error


# --- the library ------------------------------------------------------------------------------------------------

def editable_region(principal: Principal) -> str | None:
    """The region whose policies the principal edits ('' = all for the ministry), None when it edits none."""
    if principal.has(Role.ministry):
        return ""
    if principal.has(Role.province) and principal.region_code:
        return principal.region_code
    return None


def _require_editor(principal: Principal, region_scope: str) -> None:
    own = editable_region(principal)
    if own is None or not region_scope.startswith(own) or (own and not region_scope):
        raise refuse(Forbidden, _("only the ministry, or a province for policies of its own region, edits policies "
                                  "(region {region})"), region=region_scope or "—")


def _apply(policy: Policy, data: PolicyIn) -> None:
    values = asdict(data)
    values["rules"] = [r.as_dict() for r in data.rules]
    for name, value in values.items():
        setattr(policy, name, value)
    policy.search_text = normalize_text(" ".join((data.title, data.issuer, data.document_number, data.benefit,
                                                  data.how_to_apply)))


def save_policy(*, session: Session, caller: Caller, data: PolicyIn, policy_id: int | None = None,
                today: date | None = None) -> Policy:
    """Create (``policy_id`` None) or change a policy; audited; a new policy notifies matching subscribers."""
    problems = check(data)
    if problems:
        raise invalid(problems)
    _require_editor(caller.principal, data.region_scope)
    if policy_id is None:
        if session.scalar(select(Policy.id).where(Policy.code == data.code)) is not None:
            raise invalid([("code", _("a policy with code {code} exists already"), {"code": data.code})])
        policy, before = Policy(created_by=caller.actor.name), None
        session.add(policy)
    else:
        policy = get_policy(session=session, policy_id=policy_id)
        _require_editor(caller.principal, policy.region_scope)
        before = snapshot(policy)
    _apply(policy, data)
    session.flush()
    record(session=session, actor=caller.actor, action="sme.policy.create" if before is None else "sme.policy.update",
           object_type="sme_policy", object_id=policy.id, before=before, after=snapshot(policy))
    if before is None:
        notify_subscribers(session=session, policy=policy, today=today or local_today())
    return policy


def get_policy(*, session: Session, policy_id: int) -> Policy:
    """A policy (policies are public documents: every signed-in user reads every one)."""
    policy = session.get(Policy, policy_id)
    if policy is None:
        raise refuse(NotFound, _("policy {policy_id} not found"), policy_id=policy_id)
    return policy


def listing(*, session: Session, query: str = "", region: str | None = None, limit: int = MAX_LISTED) -> list[Policy]:
    """Policies whose text contains every word of ``query`` (Chinese full text), optionally those that apply in
    ``region`` (a region code: national ones and those of its province, city, county), newest first."""
    statement = select(Policy).where(Policy.active.is_(True))
    if region:
        statement = statement.where(Policy.region_scope.in_({"", region[:2], region[:4], region[:6]}))
    if not words(query):
        return list(session.scalars(statement.order_by(Policy.id.desc()).limit(limit)))
    found = [(score(query, p.search_text), p) for p in session.scalars(statement.where(search_condition(query)))]
    found = [(s, p) for s, p in found if s > 0]
    found.sort(key=lambda item: (-item[0], -item[1].id))
    return [p for _s, p in found[:limit]]


def policy_rule(policy: Policy) -> PolicyRule:
    """What matching reads of a stored policy."""
    return PolicyRule(policy_id=policy.id, region_scope=policy.region_scope, industries=tuple(policy.industries),
                      size_classes=tuple(policy.size_classes), labels_any=tuple(policy.labels_any),
                      min_age_years=policy.min_age_years, max_age_years=policy.max_age_years,
                      rules=tuple(rule_from_dict(r) for r in policy.rules), valid_from=policy.valid_from,
                      valid_to=policy.valid_to, active=policy.active)


def local_today() -> date:
    """Today in China."""
    from datetime import datetime, timezone

    from chainkeeper.reporting.scope import local_date

    return local_date(datetime.now(timezone.utc))


# --- profiles ---------------------------------------------------------------------------------------------------

def visible_enterprise(*, session: Session, principal: Principal, enterprise_id: int) -> Enterprise:
    """The enterprise when the principal may match or profile it: its own, its region's, or any (ministry)."""
    enterprise = session.get(Enterprise, enterprise_id)
    allowed = enterprise is not None and (
        principal.enterprise_id == enterprise.id or principal.has(Role.ministry)
        or (bool(principal.roles & AUTHORITY_ROLES) and bool(principal.region_code)
            and enterprise.county_code.startswith(principal.region_code)))
    if not allowed:
        raise refuse(NotFound, _("enterprise {enterprise_id} not found"), enterprise_id=enterprise_id)
    return enterprise


def stored_profile(session: Session, enterprise_id: int) -> EnterpriseProfile | None:
    """The enterprise's own profile row, if it has one."""
    return session.get(EnterpriseProfile, enterprise_id)


def profile_of(enterprise: Enterprise, stored: EnterpriseProfile | None) -> Profile:
    """The matching profile: the registry's region, industry and labels; the size from the size test when the
    profile gives the indicators, else the registry's size class."""
    facts = dict(stored.facts) if stored else {}
    size = enterprise.size.value
    try:
        size = classify(industry_code=enterprise.industry_code, employees=facts.get("employees"),
                        revenue_wan=facts.get("revenue_wan"), assets_wan=facts.get("assets_wan")).size.value
    except SizeTestError:
        pass  # indicators not given (or industry outside the standard): the registry's class stands
    labels = frozenset(enterprise.label_codes) | frozenset(stored.extra_labels if stored else ())
    return Profile(enterprise_id=enterprise.id, county_code=enterprise.county_code,
                   industry_code=enterprise.industry_code, size=size, labels=labels,
                   founded_on=stored.founded_on if stored else None, facts=facts)


@dataclass
class ProfileIn:
    """A profile as given."""

    founded_on: date | None
    facts: dict
    extra_labels: list[str]


def save_profile(*, session: Session, caller: Caller, enterprise_id: int, data: ProfileIn) -> EnterpriseProfile:
    """Set the enterprise's profile (its own user, or an authority of its region); audited."""
    visible_enterprise(session=session, principal=caller.principal, enterprise_id=enterprise_id)
    problems = [("facts", _("unknown fact {fact}"), {"fact": k}) for k in data.facts if k not in FACTS]
    problems += [(k, _("must be zero or more"), {}) for k, v in data.facts.items() if v is not None and v < 0
                 and k != "revenue_growth_pct"]
    problems += [("extra_labels", _("unknown label: {values}"), {"values": x}) for x in data.extra_labels
                 if x not in EXTRA_LABELS]
    if data.founded_on and data.founded_on > local_today():
        problems.append(("founded_on", _("the founding date is in the future"), {}))
    if problems:
        raise invalid(problems)
    stored = stored_profile(session, enterprise_id)
    before = snapshot(stored) if stored else None
    if stored is None:
        stored = EnterpriseProfile(enterprise_id=enterprise_id)
        session.add(stored)
    stored.founded_on = data.founded_on
    stored.facts = {k: v for k, v in data.facts.items() if v is not None}
    stored.extra_labels = sorted(set(data.extra_labels))
    session.flush()
    record(session=session, actor=caller.actor, action="sme.profile.save", object_type="sme_profile",
           object_id=enterprise_id, before=before, after=snapshot(stored))
    return stored


# --- matching ---------------------------------------------------------------------------------------------------

@dataclass
class Match:
    """The policies an enterprise qualifies for and those it nearly does, each with its evaluation."""

    profile: Profile
    qualified: list[tuple[Policy, Evaluation]]
    near: list[tuple[Policy, Evaluation]]


def match(*, session: Session, principal: Principal, enterprise_id: int, today: date | None = None) -> Match:
    """Match the enterprise against the policies in force in its region; near misses fewest-missing first."""
    enterprise = visible_enterprise(session=session, principal=principal, enterprise_id=enterprise_id)
    profile = profile_of(enterprise, stored_profile(session, enterprise_id))
    day = today or local_today()
    qualified, near = [], []
    for policy in listing(session=session, region=enterprise.county_code, limit=100_000):
        found = evaluate(policy_rule(policy), profile, day)
        if found.qualifies:
            qualified.append((policy, found))
        elif found.near_miss:
            near.append((policy, found))
    near.sort(key=lambda item: (len(item[1].missing), -item[0].id))
    return Match(profile, qualified, near)


# --- subscriptions ----------------------------------------------------------------------------------------------

def subscription_of(session: Session, principal: Principal) -> PolicySubscription | None:
    """The caller's subscription, if any."""
    return session.scalar(select(PolicySubscription).where(PolicySubscription.user_id == principal.user_id))


def subscribe(*, session: Session, caller: Caller, on: bool) -> PolicySubscription | None:
    """Start (``on``) or stop the caller's subscription; only a user bound to an enterprise subscribes. Audited."""
    principal = caller.principal
    if principal.enterprise_id is None:
        raise refuse(Forbidden, _("only an enterprise user subscribes to new policies"))
    found = subscription_of(session, principal)
    if on and found is None:
        found = PolicySubscription(user_id=principal.user_id, enterprise_id=principal.enterprise_id)
        session.add(found)
        session.flush()
        record(session=session, actor=caller.actor, action="sme.policy.subscribe", object_type="sme_subscription",
               object_id=found.id, after=snapshot(found))
    elif not on and found is not None:
        record(session=session, actor=caller.actor, action="sme.policy.unsubscribe", object_type="sme_subscription",
               object_id=found.id, before=snapshot(found))
        session.delete(found)
        session.flush()
        found = None
    return found


def notify_subscribers(*, session: Session, policy: Policy, today: date) -> int:
    """Record a notice, and enqueue an e-mail, for every subscriber whose enterprise qualifies for ``policy``
    today; at most once per subscriber and policy. Returns how many were notified."""
    rule = policy_rule(policy)
    scope = Enterprise.county_code.startswith(policy.region_scope) if policy.region_scope else true()
    rows = session.execute(select(PolicySubscription, Enterprise, User)
                           .join(Enterprise, Enterprise.id == PolicySubscription.enterprise_id)
                           .join(User, User.id == PolicySubscription.user_id).where(scope)).all()
    profiles = {p.enterprise_id: p for p in session.scalars(
        select(EnterpriseProfile).where(EnterpriseProfile.enterprise_id.in_({e.id for _s, e, _u in rows})))}
    sent = 0
    for subscription, enterprise, user in rows:
        if not evaluate(rule, profile_of(enterprise, profiles.get(enterprise.id)), today).qualifies:
            continue
        if session.scalar(select(PolicyNotice.id).where(PolicyNotice.subscription_id == subscription.id,
                                                        PolicyNotice.policy_id == policy.id)) is not None:
            continue
        session.add(PolicyNotice(subscription_id=subscription.id, policy_id=policy.id, read=False))
        if user.email:
            language = user.language or "zh_CN"
            said = {"title": policy.title, "issuer": policy.issuer, "benefit": policy.benefit[:500],
                    "policy_id": policy.id}
            enqueue_email(session, to=user.email, subject=translate(NOTICE_SUBJECT, language, **said),
                          body=translate(NOTICE_BODY, language, **said), event="sme.policy.matched",
                          object_type="sme_policy", object_id=policy.id)
        sent += 1
    session.flush()
    return sent


def notices(*, session: Session, principal: Principal, limit: int = 50) -> list[tuple[PolicyNotice, Policy]]:
    """The caller's notices, newest first."""
    return list(session.execute(
        select(PolicyNotice, Policy).join(Policy, Policy.id == PolicyNotice.policy_id)
        .join(PolicySubscription, PolicySubscription.id == PolicyNotice.subscription_id)
        .where(PolicySubscription.user_id == principal.user_id)
        .order_by(PolicyNotice.id.desc()).limit(limit)).all())


__all__ = ["Match", "ProfileIn", "get_policy", "listing", "match", "notices", "notify_subscribers", "profile_of",
           "save_policy", "save_profile", "subscribe", "subscription_of", "visible_enterprise"]
