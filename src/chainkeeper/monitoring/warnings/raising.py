"""Raising a warning: one per subject, rule kind and period; linked to the enterprises, forecast lines and desk cases
behind it; audited; announced through the outbox (e-mail to the region's authority users, webhook ``warning.raised``).

Everything happens in the caller's transaction, inside a savepoint per warning, so a warning that a concurrent run
raised first is skipped instead of failing the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.audit.service import record
from chainkeeper.audit.snapshot import snapshot
from chainkeeper.coordination.models import OPEN_STATES, Case
from chainkeeper.coordination.notify import _authority_users as authority_users
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.warnings.models import (
    EarlyWarning, Level, LinkKind, SubjectKind, WarningLink, WarningRule,
)
from chainkeeper.monitoring.warnings.rules import Finding, severity
from chainkeeper.monitoring.warnings.service import WITHOUT_SERIES
from chainkeeper.notifications.service import enqueue_email, enqueue_webhooks

CASES_LINKED = 10
NATIONAL = _("National")
LEVEL_WORDS = {"red": _("red"), "yellow": _("yellow"), "blue": _("blue")}
SUBJECT = _("{level} warning: {subject}, {period}")
BODY = _("{level} warning raised by a {kind} rule: {subject}, {period}, value {value}.\n"
         "Open it on the platform: /monitoring/warnings/{id}")


@dataclass(frozen=True)
class Subject:
    """What a warning is about (see :class:`.models.EarlyWarning`); ``label`` names it in messages."""

    kind: SubjectKind
    key: str
    region_code: str
    label: str
    indicator: str = ""
    industry_code: str = ""
    enterprise_id: int | None = None
    input_industry: str = ""
    enterprises: tuple[int, ...] = field(default_factory=tuple)


def _existing(session: Session, subject: Subject, kind: str, period: str) -> EarlyWarning | None:
    return session.scalar(select(EarlyWarning).where(EarlyWarning.subject_key == subject.key,
                                                     EarlyWarning.kind == kind, EarlyWarning.period == period))


def _still_open(session: Session, subject: Subject, kind: str, level: str) -> bool:
    """True when an unacknowledged warning of the subject and kind at this level or worse exists (daily stock: the
    light stays on until someone acknowledges it, instead of a new warning every day)."""
    rows = session.scalars(select(EarlyWarning.level).where(
        EarlyWarning.subject_key == subject.key, EarlyWarning.kind == kind, EarlyWarning.acknowledged_at.is_(None)))
    return any(severity(row.value) >= severity(level) for row in rows)


def _case_ids(session: Session, subject: Subject) -> list[int]:
    """Open desk cases of the subject's enterprises (as requester or as blocking party), newest first."""
    ids = [subject.enterprise_id] if subject.enterprise_id else list(subject.enterprises)
    if not ids:
        return []
    query = (select(Case.id).where(Case.state.in_(OPEN_STATES),
                                   or_(Case.requester_id.in_(ids), Case.blocking_enterprise_id.in_(ids)))
             .order_by(Case.id.desc()).limit(CASES_LINKED))
    return list(session.scalars(query))


def _forecast_line_ids(session: Session, enterprise_ids: list[int]) -> list[int]:
    """Lines of the newest stoppage forecast for these enterprises."""
    from chainkeeper.monitoring.forecast.models import ForecastLine, ForecastRun

    if not enterprise_ids:
        return []
    newest = session.scalar(select(ForecastRun.id).order_by(ForecastRun.id.desc()).limit(1))
    if newest is None:
        return []
    return list(session.scalars(select(ForecastLine.id).where(ForecastLine.run_id == newest,
                                                              ForecastLine.enterprise_id.in_(enterprise_ids))))


def _links(session: Session, subject: Subject) -> list[WarningLink]:
    firms = sorted({*subject.enterprises, *([subject.enterprise_id] if subject.enterprise_id else [])})
    links = [WarningLink(target_kind=LinkKind.enterprise, target_id=i) for i in firms]
    links += [WarningLink(target_kind=LinkKind.forecast_line, target_id=i) for i in _forecast_line_ids(session, firms)]
    links += [WarningLink(target_kind=LinkKind.case, target_id=i) for i in _case_ids(session, subject)]
    return links


def raise_warning(session: Session, *, rule: WarningRule, subject: Subject, finding: Finding,
                  now: datetime | None = None, notify: bool = True) -> EarlyWarning | None:
    """Keep ``finding`` as a warning unless the subject already has one for this kind and period (or, for daily
    stock, one still open at this level or worse); None when skipped."""
    level = finding.level or rule.level.value
    if _existing(session, subject, finding.kind, finding.period) is not None:
        return None
    if subject.input_industry and _still_open(session, subject, finding.kind, level):
        return None
    explanation = finding.explanation | {"figures": finding.figures, "params": rule.params, "kind": finding.kind,
                                         "subject": subject.label}
    warning = EarlyWarning(rule_id=rule.id, kind=finding.kind, subject_kind=subject.kind, subject_key=subject.key,
                           region_code=subject.region_code, indicator=subject.indicator,
                           industry_code=subject.industry_code, enterprise_id=subject.enterprise_id,
                           input_industry=subject.input_industry, period=finding.period, level=Level(level),
                           value=float(finding.value), explanation=explanation,
                           raised_at=now or datetime.now(timezone.utc), note="", acknowledged_by_name="")
    try:
        with session.begin_nested():
            session.add(warning)
            session.flush()
            warning.links.extend(_links(session, subject))
            session.flush()
    except IntegrityError:  # raised meanwhile by a concurrent run
        return None
    record(session=session, actor=SYSTEM, action="raise", object_type="early_warning", object_id=warning.id,
           after=snapshot(warning, exclude=WITHOUT_SERIES))
    if notify:
        announce(session, warning)
    return warning


def _recipients(session: Session, region_code: str):
    regions = {region_code, region_code[:2]} if region_code else {""}
    people = {person.id: person for region in sorted(regions) for person in authority_users(session, region)}
    return list(people.values())


def announce(session: Session, warning: EarlyWarning) -> None:
    """Queue the e-mails (to the authority users of the warning's region and province; the ministry's for a
    national one) and the ``warning.raised`` webhooks."""
    for person in _recipients(session, warning.region_code):
        language = person.language or "zh_CN"
        subject = warning.explanation.get("subject", warning.subject_key)
        if not warning.region_code:
            subject = f"{translate(NATIONAL, language)} · {subject}"
        said = {"level": translate(LEVEL_WORDS[warning.level.value], language), "subject": subject,
                "period": warning.period, "kind": warning.kind, "value": round(warning.value, 2), "id": warning.id}
        enqueue_email(session, to=person.email, subject=translate(SUBJECT, language, **said),
                      body=translate(BODY, language, **said), event="warning.raised", object_type="early_warning",
                      object_id=warning.id)
    payload = {"event": "warning.raised", "warning": {
        "id": warning.id, "level": warning.level.value, "kind": warning.kind, "subject_kind": warning.subject_kind.value,
        "region_code": warning.region_code, "indicator": warning.indicator, "industry_code": warning.industry_code,
        "enterprise_id": warning.enterprise_id, "input_industry": warning.input_industry, "period": warning.period,
        "value": warning.value}}
    enqueue_webhooks(session, event="warning.raised", payload=payload, object_type="early_warning",
                     object_id=warning.id)
