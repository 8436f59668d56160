"""Services of early warning for people: the rules (who may set which), the warnings in one's scope, acknowledging.

Who sees what: the ministry, analysts and administrators every warning and rule; a province, city or county
authority the warnings and rules of its region (an enterprise inside it, a region inside it) and the national ones
(read only). Who acts: the ministry sets rules for any region (national ones included) and acknowledges any
warning; a provincial authority sets rules for its own province only; an authority acknowledges the warnings of its
region. Every change is audited in the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.audit.snapshot import DEFAULT_EXCLUDE, snapshot
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.core.caller import Caller
from chainkeeper.core.rows import dicts
from chainkeeper.core.regions import within
from chainkeeper.coordination.messages import refuse
from chainkeeper.i18n import _
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.monitoring.warnings.models import INVENTORY, EarlyWarning, Level, WarningRule
from chainkeeper.monitoring.warnings.rules import KINDS, RuleError, check_parameters

NOTE_LENGTH = 1000
WITHOUT_SERIES = (*DEFAULT_EXCLUDE, "explanation")  # the audit keeps the verdict, not the chart's series
PAGE = 500
LEVEL_ORDER = {Level.red: 0, Level.yellow: 1, Level.blue: 2}
NEWEST = 5
"""Open warnings the home pages list."""


# ----------------------------------------------------------------------------------------------------- scope
def sees_region(principal: Principal, region_code: str) -> bool:
    """True when the principal may read warnings and rules of ``region_code`` ('' = national)."""
    if principal.is_national:
        return True
    if not (principal.has(*AUTHORITY_ROLES) and principal.region_code):
        return False
    return region_code == "" or within(region_code, principal.region_code)


def acts_on_region(principal: Principal, region_code: str) -> bool:
    """True when the principal may acknowledge the warnings of ``region_code``: the ministry any, an authority
    those inside its region (not the national ones)."""
    if principal.has(Role.ministry):
        return True
    return bool(principal.has(*AUTHORITY_ROLES) and principal.region_code and region_code
                and within(region_code, principal.region_code))


def sets_rules_for(principal: Principal, region_code: str) -> bool:
    """True when the principal may set rules for ``region_code``: the ministry any, a province its own."""
    if principal.has(Role.ministry):
        return True
    return bool(principal.has(Role.province) and principal.region_code and region_code
                and within(region_code, principal.region_code))


def _visible(principal: Principal, column):
    if principal.is_national:
        return None
    region = principal.region_code if principal.has(*AUTHORITY_ROLES) and principal.region_code else None
    if region is None:
        return false()
    return or_(column == "", column.startswith(region))


# ----------------------------------------------------------------------------------------------------- warnings
@dataclass(frozen=True)
class WarningFilter:
    """Filters of the list: level, region (prefix), rule kind, acknowledged (True/False/None = both), period (prefix:
    '2022-04' also finds the days of that month)."""

    level: str | None = None
    region: str | None = None
    kind: str | None = None
    acknowledged: bool | None = None
    period: str | None = None


def list_warnings(*, session: Session, principal: Principal, where: WarningFilter = WarningFilter(),
                  limit: int = PAGE) -> list[EarlyWarning]:
    """The warnings the principal may see, most severe first, then newest."""
    rows = list(session.scalars(filtered(select(EarlyWarning), principal, where, limit)))
    return sorted(rows, key=lambda w: (LEVEL_ORDER[w.level], w.acknowledged_at is not None))


def filtered(query: Select, principal: Principal, where: WarningFilter, limit: int) -> Select:
    """``query`` (of the warnings' table) kept to the principal's scope and ``where``, newest first, ``limit`` rows."""
    scope = _visible(principal, EarlyWarning.region_code)
    if scope is not None:
        query = query.where(scope)
    if where.level:
        query = query.where(EarlyWarning.level == Level(where.level))
    if where.region:
        query = query.where(EarlyWarning.region_code.startswith(where.region))
    if where.kind:
        query = query.where(EarlyWarning.kind == where.kind)
    if where.acknowledged is not None:
        query = query.where(EarlyWarning.acknowledged_at.is_not(None) if where.acknowledged
                            else EarlyWarning.acknowledged_at.is_(None))
    if where.period:
        query = query.where(EarlyWarning.period.startswith(where.period))
    return query.order_by(EarlyWarning.raised_at.desc(), EarlyWarning.id.desc()).limit(limit)


def home_panel(*, session: Session, principal: Principal) -> dict:
    """For the home pages and the briefing: open (unacknowledged) warnings in the caller's scope by level, and the
    newest ones (at most 5)."""
    page = filtered(select(EarlyWarning.id, EarlyWarning.level, EarlyWarning.raised_at), principal,
                    WarningFilter(acknowledged=False), PAGE)
    rows = sorted(session.execute(page).all(), key=lambda row: LEVEL_ORDER[row.level])  # as list_warnings sorts
    counts = {level.value: sum(1 for row in rows if row.level is level) for level in Level}
    newest = [row.id for row in sorted(rows, key=lambda row: row.raised_at, reverse=True)[:NEWEST]]
    # the page's ids, levels and times as rows; only the few shown loaded as warnings (issue 15: all were)
    loaded = {w.id: w for w in session.scalars(select(EarlyWarning).where(EarlyWarning.id.in_(newest)))} \
        if newest else {}
    return {"open": counts, "newest": [loaded[warning_id] for warning_id in newest]}


def get_warning(*, session: Session, principal: Principal, warning_id: int) -> EarlyWarning:
    """One warning; NotFound when it does not exist or lies outside the principal's scope."""
    warning = session.get(EarlyWarning, warning_id)
    if warning is None or not sees_region(principal, warning.region_code):
        raise refuse(NotFound, _("no warning {id}"), id=warning_id)
    return warning


def acknowledge(*, session: Session, caller: Caller, warning_id: int, note: str,
                now: datetime | None = None) -> EarlyWarning:
    """A named person acknowledges a warning with a note (audited); a second acknowledgement is a Conflict."""
    principal = caller.principal
    warning = get_warning(session=session, principal=principal, warning_id=warning_id)
    if not acts_on_region(principal, warning.region_code):
        raise refuse(Forbidden, _("your role or region does not allow acknowledging this warning"))
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise refuse(ValidationFailed, _("the note has at most {limit} characters"), field="note", limit=NOTE_LENGTH)
    if warning.acknowledged_at is not None:
        raise refuse(Conflict, _("warning {id} was already acknowledged by {name}"), id=warning_id,
                     name=warning.acknowledged_by_name)
    before = snapshot(warning, exclude=WITHOUT_SERIES)
    warning.acknowledged_by = principal.user_id
    warning.acknowledged_by_name = principal.display_name or principal.username
    warning.acknowledged_at = now or datetime.now(timezone.utc)
    warning.note = note
    session.flush()
    record(session=session, actor=caller.actor, action="acknowledge", object_type="early_warning",
           object_id=warning.id, before=before, after=snapshot(warning, exclude=WITHOUT_SERIES))
    return warning


# -------------------------------------------------------------------------------------------------------- rules
@dataclass
class RuleData:
    """What a rule says (see :class:`.models.WarningRule`)."""

    indicator: str
    kind: str
    params: dict = field(default_factory=dict)
    level: str = "yellow"
    region_code: str = ""
    industry_code: str = ""
    subregions: bool = False
    active: bool = True


def _refusal(error: RuleError) -> ValidationFailed:
    name = error.parameter or "params"
    return ValidationFailed(str(error), [{"field": name if name in ("kind",) else f"params.{name}",
                                          "message": str(error)}])


def _checked(data: RuleData) -> RuleData:
    details = []
    indicator = (data.indicator or "").strip()
    if not indicator or len(indicator) > 64:
        details.append({"field": "indicator", "message": _("an indicator code of 1 to 64 characters is required")})
    region = (data.region_code or "").strip()
    if region and (not region.isdigit() or len(region) not in (2, 4, 6)):
        details.append({"field": "region_code", "message": _("a region code has 2, 4 or 6 digits ('' = national)")})
    industry = (data.industry_code or "").strip()
    if len(industry) > 8:
        details.append({"field": "industry_code", "message": _("at most 8 characters")})
    if data.level not in {level.value for level in Level}:
        details.append({"field": "level", "message": _("red, yellow or blue")})
    if data.kind not in KINDS:
        details.append({"field": "kind", "message": _("one of the rule kinds")})
    elif (indicator == INVENTORY) != (data.kind == "inventory_levels"):
        details.append({"field": "kind", "message": _("inventory_days rules (and only they) are inventory_levels")})
    if details:
        raise ValidationFailed(_("the rule is not valid"), details)
    try:
        params = check_parameters(data.kind, dict(data.params or {}))
    except RuleError as error:
        raise _refusal(error) from None
    return RuleData(indicator, data.kind, params, data.level, region, industry, bool(data.subregions),
                    bool(data.active))


def list_rules(*, session: Session, principal: Principal) -> list[WarningRule]:
    """The rules the principal may see (all for national roles; its region's and the national ones otherwise)."""
    query = select(WarningRule).order_by(WarningRule.region_code, WarningRule.indicator, WarningRule.id)
    scope = _visible(principal, WarningRule.region_code)
    return list(session.scalars(query if scope is None else query.where(scope)))


RULE_COLUMNS = (WarningRule.id, WarningRule.indicator, WarningRule.kind, WarningRule.params, WarningRule.level,
                WarningRule.region_code, WarningRule.industry_code, WarningRule.subregions, WarningRule.active,
                WarningRule.created_by, WarningRule.created_at, WarningRule.updated_at)


@lru_cache(maxsize=256)
def _rule_rows_query(principal: Principal):
    """The select of :func:`rule_rows`, built once per principal (its scope bound in it)."""
    query = select(*RULE_COLUMNS).order_by(WarningRule.region_code, WarningRule.indicator, WarningRule.id)
    scope = _visible(principal, WarningRule.region_code)
    return query if scope is None else query.where(scope)


def rule_rows(*, session: Session, principal: Principal) -> list[dict]:
    """:func:`list_rules` as plain data for the API (the API's rule fields, ``level`` as its code), one prebuilt
    statement and no ORM entity."""
    found = dicts(session, _rule_rows_query(principal))
    for rule in found:
        rule["level"] = rule["level"].value
    return found


def get_rule(*, session: Session, principal: Principal, rule_id: int) -> WarningRule:
    """One rule in the principal's scope, else NotFound."""
    rule = session.get(WarningRule, rule_id)
    if rule is None or not sees_region(principal, rule.region_code):
        raise refuse(NotFound, _("no warning rule {id}"), id=rule_id)
    return rule


def create_rule(*, session: Session, caller: Caller, data: RuleData) -> WarningRule:
    """A new rule for a region the caller may set rules for (audited)."""
    data = _checked(data)
    if not sets_rules_for(caller.principal, data.region_code):
        raise refuse(Forbidden, _("your role or region does not allow setting rules for this region"))
    rule = WarningRule(indicator=data.indicator, kind=data.kind, params=data.params, level=Level(data.level),
                       region_code=data.region_code, industry_code=data.industry_code, subregions=data.subregions,
                       active=data.active, created_by=caller.principal.user_id)
    session.add(rule)
    session.flush()
    record(session=session, actor=caller.actor, action="create", object_type="warning_rule", object_id=rule.id,
           after=snapshot(rule))
    return rule


def update_rule(*, session: Session, caller: Caller, rule_id: int, data: RuleData) -> WarningRule:
    """Change a rule the caller may set (both its old and its new region must be the caller's); audited."""
    rule = get_rule(session=session, principal=caller.principal, rule_id=rule_id)
    data = _checked(data)
    if not (sets_rules_for(caller.principal, rule.region_code) and sets_rules_for(caller.principal, data.region_code)):
        raise refuse(Forbidden, _("your role or region does not allow setting rules for this region"))
    before = snapshot(rule)
    rule.indicator, rule.kind, rule.params, rule.level = data.indicator, data.kind, data.params, Level(data.level)
    rule.region_code, rule.industry_code, rule.subregions = data.region_code, data.industry_code, data.subregions
    rule.active = data.active
    session.flush()
    record(session=session, actor=caller.actor, action="update", object_type="warning_rule", object_id=rule.id,
           before=before, after=snapshot(rule))
    return rule
