"""The ladder's services: self-assessment (nothing stored), applications, the review county → city → province
(→ ministry), recognitions with validity and re-review, revocation, and the registry labels that follow them.
Every write is audited; nothing here commits (one transaction per request or command)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import Change, record, record_many
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label
from chainkeeper.reporting.scope import local_date
from chainkeeper.sme.ladder import facts as fact_rules
from chainkeeper.sme.ladder import workflow
from chainkeeper.sme.ladder.access import application_scope, recognition_scope
from chainkeeper.sme.ladder.models import PENDING, LadderApplication, LadderRecognition
from chainkeeper.sme.ladder.rules import TIERS, Assessment, assess, rulebook, tier_rules, valid_until
from chainkeeper.sme.size import SizeVerdict, classify

LABELS = {"specialized": (Label.specialized,), "little_giant": (Label.specialized, Label.little_giant)}


def today() -> date:
    """Today in China."""
    return local_date(datetime.now(timezone.utc))


@dataclass(frozen=True)
class SelfAssessment:
    """A self-assessment: the scored tier, the size test's verdict, and the ladder's own preconditions (an SME;
    the tier below held, for specialised SMEs and little giants)."""

    assessment: Assessment
    verdict: SizeVerdict
    prerequisite: str | None
    prerequisite_held: bool

    @property
    def size(self) -> str:
        return self.verdict.size.value

    @property
    def is_sme(self) -> bool:
        return self.verdict.is_sme

    @property
    def eligible(self) -> bool:
        return self.assessment.passed and self.is_sme and self.prerequisite_held


def _tier(tier: str) -> str:
    if tier not in TIERS:
        raise refuse(ValidationFailed, _("no ladder tier {tier}"), field="tier", tier=tier[:20])
    return tier


def _own_enterprise(session: Session, caller: Caller, enterprise_id: int | None) -> Enterprise:
    """The enterprise assessed: the caller's own (an enterprise user), or one in the caller's scope."""
    principal = caller.principal
    wanted = enterprise_id if enterprise_id is not None else principal.enterprise_id
    if wanted is None:
        raise refuse(ValidationFailed, _("choose the enterprise to assess"), field="enterprise_id")
    firm = session.scalars(select(Enterprise).where(Enterprise.id == wanted, enterprise_scope(principal))).first()
    if firm is None:
        raise refuse(NotFound, _("no enterprise {id}"), id=wanted)
    return firm


def held(session: Session, enterprise_id: int, tier: str, day: date) -> LadderRecognition | None:
    """The enterprise's recognition at ``tier`` valid on ``day``, if any."""
    found = session.scalars(select(LadderRecognition).where(
        LadderRecognition.enterprise_id == enterprise_id, LadderRecognition.tier == tier,
        LadderRecognition.revoked_on.is_(None), LadderRecognition.recognised_on <= day,
        LadderRecognition.valid_until >= day).order_by(LadderRecognition.valid_until.desc())).first()
    return found


def self_assess(*, session: Session, caller: Caller, tier: str, facts: dict,
                enterprise_id: int | None = None) -> SelfAssessment:
    """Score the figures against ``tier`` for the caller's enterprise, with the size test (the registry's industry
    code) and the tier below; stores nothing."""
    firm = _own_enterprise(session, caller, enterprise_id)
    clean = fact_rules.validate(facts, caller.principal.language)
    verdict = classify(industry_code=firm.industry_code, employees=clean.get("employees"),
                       revenue_wan=clean.get("revenue_wan"), assets_wan=clean.get("assets_wan"))
    below = tier_rules(_tier(tier))["prerequisite"]
    holds = below is None or held(session, firm.id, below, today()) is not None
    return SelfAssessment(assess(tier, clean), verdict, below, holds)


def snapshot(app: LadderApplication) -> dict:
    """What the audit trail keeps of an application."""
    return {"enterprise_id": app.enterprise_id, "tier": app.tier, "kind": app.kind, "county_code": app.county_code,
            "score": app.score, "size": app.size, "state": app.state, "facts": app.facts}


def _step(app: LadderApplication, caller: Caller, action: str, note: str = "") -> None:
    app.history = [*app.history, {"action": action, "state": app.state, "by": caller.actor.name,
                                  "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "note": note[:500]}]


def pending_application_id(*, session: Session, enterprise_id: int, tier: str) -> int | None:
    """The id of the enterprise's application of ``tier`` still under review, if any (one at a time)."""
    return session.scalar(select(LadderApplication.id).where(LadderApplication.enterprise_id == enterprise_id,
                                                             LadderApplication.tier == tier,
                                                             LadderApplication.state.in_(PENDING)))


def apply(*, session: Session, caller: Caller, tier: str, facts: dict) -> LadderApplication:
    """An enterprise applies for ``tier`` (a re-review when it holds the tier already). Refused unless the
    self-assessment is met (the reasons named), or when an application of the tier is already pending."""
    principal = caller.principal
    if not principal.has(Role.enterprise) or principal.enterprise_id is None:
        raise refuse(Forbidden, _("only an enterprise applies, for itself"))
    result = self_assess(session=session, caller=caller, tier=tier, facts=facts)
    if not result.is_sme:
        raise refuse(ValidationFailed, _("the ladder is for SMEs; the size test found a {size} enterprise"),
                     field="employees", size=result.size)
    if not result.prerequisite_held:
        raise refuse(ValidationFailed, _("recognition as {tier} comes first"), field="tier",
                     tier=tier_rules(result.prerequisite)["en" if principal.language == "en" else "zh"])
    if not result.assessment.passed:
        reasons = "；".join(text.get(principal.language) for text in result.assessment.failures)
        raise refuse(ValidationFailed, _("the self-assessment is not met: {reasons}"), field="facts", reasons=reasons)
    firm = session.get(Enterprise, principal.enterprise_id)
    if pending_application_id(session=session, enterprise_id=firm.id, tier=tier) is not None:
        raise refuse(Conflict, _("an application for this tier is already under review"))
    app = LadderApplication(enterprise_id=firm.id, tier=tier, county_code=firm.county_code,
                            kind="re_review" if held(session, firm.id, tier, today()) else "new",
                            facts=fact_rules.validate(facts, principal.language), score=result.assessment.score,
                            size=result.size, state="submitted", history=[], submitted_by=caller.actor.user_id)
    _step(app, caller, "submit")
    session.add(app)
    session.flush()
    record(session=session, actor=caller.actor, action="ladder.application.submit", object_type="ladder_application",
           object_id=app.id, after=snapshot(app))
    return app


def get(*, session: Session, caller: Caller, application_id: int) -> LadderApplication:
    """The application if the caller may read it (:class:`NotFound` otherwise, with no hint that it exists)."""
    found = session.scalars(select(LadderApplication).where(LadderApplication.id == application_id,
                                                            application_scope(caller.principal))).first()
    if found is None:
        raise refuse(NotFound, _("no application {id}"), id=application_id)
    return found


def count_in_state(*, session: Session, principal: Principal, state: str) -> int:
    """How many applications the principal reads are in ``state``: the rows of ``/sme/ladder/applications?state=``."""
    return session.scalar(count_query(principal, state))


def count_query(principal: Principal, state: str) -> Select:
    """:func:`count_in_state`'s statement."""
    return select(func.count()).select_from(LadderApplication).where(application_scope(principal),
                                                                     LadderApplication.state == state)


def listing(*, session: Session, caller: Caller, state: str | None = None, tier: str | None = None,
            limit: int = 500) -> list[LadderApplication]:
    """The applications the caller may read, newest first."""
    return list(session.scalars(_listing_query(caller, state, tier, limit)))


def listing_rows(*, session: Session, caller: Caller, state: str | None = None, tier: str | None = None,
                 limit: int = 500) -> list[Row]:
    """:func:`listing` as Core rows (the application's columns, its enterprise's ``name`` and ``uscc``): the same
    applications in the same order, no ORM entities (for the pages' tables)."""
    return _as_rows(session, _listing_query(caller, state, tier, limit), LadderApplication,
                    Enterprise.name, Enterprise.uscc)


def _listing_query(caller: Caller, state: str | None, tier: str | None, limit: int) -> Select:
    query = select(LadderApplication).where(application_scope(caller.principal)).order_by(
        LadderApplication.id.desc()).limit(limit)
    if state:
        query = query.where(LadderApplication.state == state)
    if tier:
        query = query.where(LadderApplication.tier == _tier(tier))
    return query


def _as_rows(session: Session, query: Select, model, *firm_columns) -> list[Row]:
    """``query`` (a select of ``model`` entities) as Core rows of the model's columns and its enterprise's
    ``firm_columns``: the same rows, order and limit without entities, identity map or eager loads."""
    columns = query.with_only_columns(*model.__table__.c, *firm_columns, maintain_column_froms=True)
    return list(session.execute(columns.join(Enterprise, Enterprise.id == model.enterprise_id)))


def parties(app: LadderApplication) -> workflow.Parties:
    return workflow.Parties(app.enterprise_id, app.county_code, app.tier)


def review(*, session: Session, caller: Caller, application_id: int, action: str, note: str = "") -> LadderApplication:
    """Take one review step (pass, recommend, recognise, reject with a reason, withdraw); recognising records the
    recognition (or extends it on a re-review) and sets the registry labels."""
    app = get(session=session, caller=caller, application_id=application_id)
    before = snapshot(app)
    target = workflow.decide(app.state, action, caller.principal, parties(app), note or "")
    _step(app, caller, action, (note or "").strip())
    app.state = target
    if target in ("recognised", "rejected", "withdrawn"):
        app.decided_at = datetime.now(timezone.utc)
    session.flush()
    record(session=session, actor=caller.actor, action=f"ladder.application.{action}",
           object_type="ladder_application", object_id=app.id, before=before, after=snapshot(app))
    if target == "recognised":
        recognise(session=session, actor=caller.actor, app=app, level=workflow.LEVEL_OF[before["state"]])
    return app


def rec_snapshot(rec: LadderRecognition) -> dict:
    return {"enterprise_id": rec.enterprise_id, "tier": rec.tier, "recognised_on": rec.recognised_on.isoformat(),
            "valid_until": rec.valid_until.isoformat(), "revoked_on": rec.revoked_on and rec.revoked_on.isoformat(),
            "reason": rec.revoked_reason}


def recognise(*, session: Session, actor: Actor, app: LadderApplication, level: str,
              on: date | None = None) -> LadderRecognition:
    """Record the recognition an application earned: a new one valid three years, or — on a re-review — the
    current one extended three years from its end."""
    on = on or today()
    current = held(session, app.enterprise_id, app.tier, on)
    before = rec_snapshot(current) if current else None
    if current is not None:
        current.valid_until, current.re_reviewed_on = valid_until(current.valid_until), on
        rec = current
    else:
        rec = LadderRecognition(enterprise_id=app.enterprise_id, tier=app.tier, application_id=app.id,
                                recognised_by=level, recognised_on=on, valid_until=valid_until(on),
                                revoked_reason="")
        session.add(rec)
    session.flush()
    record(session=session, actor=actor, action="ladder.recognition.re_review" if before else "ladder.recognition.grant",
           object_type="ladder_recognition", object_id=rec.id, before=before, after=rec_snapshot(rec))
    sync_labels(session=session, actor=actor, enterprise_id=app.enterprise_id, day=on)
    return rec


def register(*, session: Session, actor: Actor, items: list[tuple[int, str, str, date]]) -> list[LadderRecognition]:
    """Record recognitions made before the platform (published lists taken over, e.g. a province's batches of
    专精特新 SMEs): ``items`` are (enterprise id, tier, level that recognised, date); each valid three years from its
    date; audited as one import; then the labels of those enterprises follow."""
    recs = [LadderRecognition(enterprise_id=enterprise_id, tier=_tier(tier), recognised_by=level, recognised_on=on,
                              valid_until=valid_until(on), revoked_reason="") for enterprise_id, tier, level, on in items]
    session.add_all(recs)
    session.flush()
    record_many(session=session, actor=actor, changes=[
        Change("ladder.recognition.import", "ladder_recognition", rec.id, after=rec_snapshot(rec)) for rec in recs])
    for enterprise_id in sorted({rec.enterprise_id for rec in recs}):
        sync_labels(session=session, actor=actor, enterprise_id=enterprise_id, day=today())
    return recs


def recognitions(*, session: Session, caller: Caller, tier: str | None = None, active_on: date | None = None,
                 limit: int = 1000) -> list[LadderRecognition]:
    """The recognitions the caller may read (only those valid on ``active_on`` when given), latest first."""
    return list(session.scalars(_recognitions_query(caller, tier, active_on, limit)))


def recognition_rows(*, session: Session, caller: Caller, tier: str | None = None, active_on: date | None = None,
                     limit: int = 1000) -> list[Row]:
    """:func:`recognitions` as Core rows (the recognition's columns, its enterprise's ``name``, ``uscc`` and
    ``county_code``): the same recognitions in the same order, no ORM entities (for the pages)."""
    return _as_rows(session, _recognitions_query(caller, tier, active_on, limit), LadderRecognition,
                    *RECOGNITION_FIRM)


RECOGNITION_FIRM = (Enterprise.name, Enterprise.uscc, Enterprise.county_code)
"""The enterprise's columns a recognition is shown with (:func:`chainkeeper.sme.ladder.views.recognition_fields`)."""


def _recognitions_query(caller: Caller, tier: str | None, active_on: date | None, limit: int) -> Select:
    query = select(LadderRecognition).where(recognition_scope(caller.principal)).order_by(
        LadderRecognition.recognised_on.desc(), LadderRecognition.id.desc()).limit(limit)
    if tier:
        query = query.where(LadderRecognition.tier == _tier(tier))
    if active_on:
        query = query.where(LadderRecognition.revoked_on.is_(None), LadderRecognition.recognised_on <= active_on,
                            LadderRecognition.valid_until >= active_on)
    return query


def revoke(*, session: Session, caller: Caller, recognition_id: int, reason: str) -> LadderRecognition:
    """Revoke a recognition (撤销) with a reason: the level that recognised it (the province of the enterprise's
    region; the ministry for little giants, and everywhere)."""
    rec = session.scalars(select(LadderRecognition).where(LadderRecognition.id == recognition_id,
                                                          recognition_scope(caller.principal))).first()
    if rec is None:
        raise refuse(NotFound, _("no recognition {id}"), id=recognition_id)
    level = "ministry" if rec.recognised_by == "ministry" else "province"
    if not workflow.allowed(level, caller.principal, workflow.Parties(rec.enterprise_id, rec.enterprise.county_code,
                                                                      rec.tier)) and not caller.principal.has(Role.ministry):
        raise refuse(Forbidden, _("only the level that recognised it revokes a recognition"))
    if rec.revoked_on is not None:
        raise refuse(Conflict, _("the recognition was already revoked"))
    if not (reason or "").strip():
        raise refuse(ValidationFailed, _("say why the recognition is revoked"), field="reason")
    before = rec_snapshot(rec)
    rec.revoked_on, rec.revoked_reason = today(), reason.strip()[:500]
    session.flush()
    record(session=session, actor=caller.actor, action="ladder.recognition.revoke", object_type="ladder_recognition",
           object_id=rec.id, before=before, after=rec_snapshot(rec))
    sync_labels(session=session, actor=caller.actor, enterprise_id=rec.enterprise_id, day=today())
    return rec


def sync_labels(*, session: Session, actor: Actor, enterprise_id: int, day: date) -> None:
    """Make the enterprise's 专精特新 and 小巨人 labels follow its recognitions valid on ``day`` (audited when they
    change). Innovative SMEs have no registry label."""
    wanted = {label for tier, labels in LABELS.items() if held(session, enterprise_id, tier, day) for label in labels}
    managed = {Label.specialized, Label.little_giant}
    firm = session.get(Enterprise, enterprise_id)
    current = {item.label for item in firm.labels} & managed
    if current == wanted:
        return
    before = sorted(firm.label_codes)
    firm.labels = [item for item in firm.labels if item.label not in managed or item.label in wanted] + [
        EnterpriseLabel(enterprise_id=firm.id, label=label) for label in sorted(wanted - current, key=str)]
    session.flush()
    record(session=session, actor=actor, action="ladder.labels", object_type="enterprise", object_id=firm.id,
           before={"labels": before}, after={"labels": sorted(firm.label_codes)})


def expire(*, session: Session, actor: Actor, day: date | None = None) -> int:
    """Take the labels off enterprises whose recognitions lapsed by ``day`` (a daily job); returns how many
    enterprises changed."""
    day = day or today()
    lapsed = set(session.scalars(select(LadderRecognition.enterprise_id).where(
        (LadderRecognition.valid_until < day) | LadderRecognition.revoked_on.is_not(None))))
    changed = 0
    for enterprise_id in sorted(lapsed):
        before = session.get(Enterprise, enterprise_id).label_codes
        sync_labels(session=session, actor=actor, enterprise_id=enterprise_id, day=day)
        changed += before != session.get(Enterprise, enterprise_id).label_codes
    return changed


def re_review_due(*, session: Session, caller: Caller, day: date | None = None) -> list[LadderRecognition]:
    """Recognitions whose validity ends within the notice window (data: ``re_review_notice_days``) — time to apply
    for the re-review (复核)."""
    return list(session.scalars(_due_query(select(LadderRecognition), caller, day or today())))


def re_review_due_rows(*, session: Session, caller: Caller, day: date | None = None) -> list[Row]:
    """:func:`re_review_due` as Core rows like :func:`recognition_rows` (same recognitions, same order), in one
    statement."""
    query = select(*LadderRecognition.__table__.c, *RECOGNITION_FIRM).join(
        Enterprise, Enterprise.id == LadderRecognition.enterprise_id)
    return list(session.execute(_due_query(query, caller, day or today())))


def _due_query(query: Select, caller: Caller, day: date) -> Select:
    """``query`` narrowed to the due recognitions: those of the active ones (as :func:`recognitions` reads them,
    the first 1,000) that end within the notice window, in the same order."""
    horizon = day + timedelta(days=rulebook()["re_review_notice_days"])
    order = (LadderRecognition.recognised_on.desc(), LadderRecognition.id.desc())
    active = select(LadderRecognition.id).where(
        recognition_scope(caller.principal), LadderRecognition.revoked_on.is_(None),
        LadderRecognition.recognised_on <= day, LadderRecognition.valid_until >= day).order_by(*order).limit(1000)
    return query.where(LadderRecognition.id.in_(active), LadderRecognition.valid_until <= horizon).order_by(*order)
