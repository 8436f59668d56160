"""Where a case goes: the blocking party's region, at the level each province has configured (default: city)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.coordination.models import Level, RoutingRule
from chainkeeper.coordination.messages import refuse
from chainkeeper.i18n import _
from chainkeeper.errors import ValidationFailed
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.names import normalize_name

DEFAULT_LEVEL = Level.city
LEVEL_OF_LENGTH = {6: Level.county, 4: Level.city, 2: Level.province}
LENGTH_OF_LEVEL = {Level.county: 6, Level.city: 4, Level.province: 2, Level.ministry: 0}


@dataclass(frozen=True)
class BlockingParty:
    """Who or what blocks: a registered enterprise, or a named party / place in a region."""

    enterprise_id: int | None
    name: str
    key: str  # normalised name, for duplicate detection
    region_code: str


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [{"field": field, "message": message}])


def resolve_blocking_party(*, session: Session, uscc: str | None, name: str, region_code: str | None) -> BlockingParty:
    """The blocking enterprise by USCC, or a named party (an unregistered supplier, a closed highway exit) in a region."""
    if uscc:
        found = session.scalars(select(Enterprise).where(Enterprise.uscc == uscc.strip().upper())).first()
        if found is None:
            raise refuse(ValidationFailed, _("no registered enterprise has the USCC {uscc}"), field="blocking_uscc",
                         uscc=uscc.strip())
        return BlockingParty(found.id, found.name, normalize_name(found.name), found.county_code)
    if not (name or "").strip():
        raise refuse(ValidationFailed, _("name the blocking party (or give its USCC)"), field="blocking_name")
    if not region_code or session.get(Region, region_code) is None:
        raise refuse(ValidationFailed, _("unknown region: choose it in the list or type its name or 6-digit code"),
                     field="blocking_region_code")
    return BlockingParty(None, name.strip(), normalize_name(name), region_code)


def routing_level(*, session: Session, province_code: str) -> Level:
    """The level a province's new cases go to first."""
    rule = session.get(RoutingRule, province_code)
    return rule.level if rule is not None else DEFAULT_LEVEL


def route(*, session: Session, blocking_region: str) -> tuple[Level, str]:
    """The handling level and region for a blocking party in ``blocking_region``.

    A party known only at province (or city) level goes to that level, whatever the province configured.
    """
    level = routing_level(session=session, province_code=blocking_region[:2])
    length = min(LENGTH_OF_LEVEL[level], len(blocking_region))
    return LEVEL_OF_LENGTH[length], blocking_region[:length]


def set_routing_level(*, session: Session, province_code: str, level: Level) -> RoutingRule:
    """Configure where a province's cases go first (an administrator's setting)."""
    region = session.get(Region, province_code)
    if region is None or len(province_code) != 2:
        raise _field_error("province_code", f"{province_code!r} is not a province code")
    if level is Level.ministry:
        raise _field_error("level", "cases start at county, city or province level")
    rule = session.get(RoutingRule, province_code) or RoutingRule(province_code=province_code)
    rule.level = level
    session.add(rule)
    return rule
