"""Key groups and who reports: authorities choose members by rule and each member gets the daily report type.

Rules (:data:`RULES`): ``whitelist`` (the active entries of a white list on a day), ``leading`` (enterprises labelled
龙头企业), ``chain`` (members of a key chain, ``Enterprise.chain_code``) and ``picked`` (USCCs chosen in the shared
enterprise picker). Every rule only offers enterprises inside the group's region and the caller's scope.

Who may change a group: the ministry any group; a county, city or provincial authority the groups of its region
(a group's region lies inside the authority's). Every change is audited.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import ColumnElement, Row, Select, and_, func, select, true
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.core.rows import dicts
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import KeyChain, Region
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label, SupplyLink
from chainkeeper.registry.service import region_clause
from chainkeeper.monitoring.scheduling.models import MonitoredGroup, MonitoredMember
from chainkeeper.whitelist.entries import active_on
from chainkeeper.whitelist.models import Entry, EntryPeriod

RULES = ("whitelist", "leading", "chain", "picked")
MAX_MEMBERS = 5000
DAYS_A_YEAR = 365.0
YUAN_PER_WAN = 10_000.0


def may_manage(principal: Principal, region_code: str) -> bool:
    """True when the principal may change a group of ``region_code`` ('' = national: the ministry only)."""
    if principal.has(Role.ministry):
        return True
    own = principal.region_code or ""
    return bool(own) and principal.has(*AUTHORITY_ROLES) and region_code.startswith(own)


def group_scope(principal: Principal) -> ColumnElement[bool]:
    """Groups the principal reads: all (national roles); for an authority those of its region and those above it
    (a national group's members in its region are its to watch); none for an enterprise."""
    if principal.is_national:
        return true()
    own = principal.region_code or ""
    if not own or not principal.has(*AUTHORITY_ROLES):
        return MonitoredGroup.id.is_(None)
    above = [own[:length] for length in (0, 2, 4, 6) if length <= len(own)]
    return MonitoredGroup.region_code.startswith(own) | MonitoredGroup.region_code.in_(above)


def list_groups(*, session: Session, principal: Principal) -> list[MonitoredGroup]:
    """The groups the principal reads, by region then name."""
    query = select(MonitoredGroup).where(group_scope(principal), MonitoredGroup.active.is_(True))
    return list(session.scalars(query.order_by(MonitoredGroup.region_code, MonitoredGroup.name)))


def group_choices(*, session: Session, principal: Principal) -> list[Row]:
    """:func:`list_groups` as (``id``, ``name``) rows for a picker: the same groups in the same order, no
    entities (the groups' members are not loaded); Core rows of a statement built once per principal (issue 15)."""
    return list(session.connection().execute(_choices_query(principal)))


@lru_cache(maxsize=256)
def _choices_query(principal: Principal) -> Select:
    """:func:`group_choices`' statement."""
    return (select(MonitoredGroup.id, MonitoredGroup.name)
            .where(group_scope(principal), MonitoredGroup.active.is_(True))
            .order_by(MonitoredGroup.region_code, MonitoredGroup.name))


def group_rows(*, session: Session, principal: Principal) -> list[dict]:
    """:func:`list_groups` as plain data for the API, in two prebuilt statements and without ORM entities: each
    group's ``id``, ``name``, ``region_code``, ``chain_code`` and ``members`` (by id, each with its enterprise's
    ``uscc``, ``name`` and baselines). An authority below the national level sees only the members inside its
    region."""
    groups, members = _group_rows_queries(principal)
    found = {row["id"]: {**row, "members": []} for row in dicts(session, groups)}
    if not found:
        return []
    for data in dicts(session, members):
        found[data.pop("group_id")]["members"].append(data)
    return list(found.values())


@lru_cache(maxsize=256)
def _group_rows_queries(principal: Principal) -> tuple[Select, Select]:
    """The selects of :func:`group_rows` (the groups; their members), built once per principal."""
    shown = (group_scope(principal), MonitoredGroup.active.is_(True))
    groups = (select(MonitoredGroup.id, MonitoredGroup.name, MonitoredGroup.region_code, MonitoredGroup.chain_code)
              .where(*shown).order_by(MonitoredGroup.region_code, MonitoredGroup.name))
    members = (select(MonitoredMember.id, MonitoredMember.group_id, MonitoredMember.enterprise_id, Enterprise.uscc,
                      Enterprise.name, MonitoredMember.baseline_output_units, MonitoredMember.baseline_output_value,
                      MonitoredMember.baseline_staff)
               .join(Enterprise, Enterprise.id == MonitoredMember.enterprise_id)
               .where(MonitoredMember.group_id.in_(select(MonitoredGroup.id).where(*shown)))
               .order_by(MonitoredMember.id))
    if not principal.is_national:
        members = members.where(Enterprise.county_code.startswith(principal.region_code or "~", autoescape=True))
    return groups, members


def get_group(*, session: Session, principal: Principal, group_id: int) -> MonitoredGroup:
    """A group the principal reads, else :class:`NotFound`."""
    group = session.scalars(select(MonitoredGroup).where(MonitoredGroup.id == group_id,
                                                         group_scope(principal))).first()
    if group is None:
        raise refuse(NotFound, _("no key group {group_id}"), group_id=group_id)
    return group


def _managed(session: Session, principal: Principal, group_id: int) -> MonitoredGroup:
    group = get_group(session=session, principal=principal, group_id=group_id)
    if not may_manage(principal, group.region_code):
        raise refuse(Forbidden, _("your role or region does not allow changing this group"))
    return group


def create_group(*, session: Session, caller: Caller, name: str, region_code: str | None = None,
                 chain_code: str | None = None) -> MonitoredGroup:
    """A new key group; an authority's group lies in its region (by default its whole region)."""
    principal = caller.principal
    region = (principal.region_code or "") if region_code is None else region_code.strip()
    name = (name or "").strip()
    if not 1 <= len(name) <= 200:
        raise refuse(ValidationFailed, _("a group's name has 1 to 200 characters"), field="name")
    if region and session.get(Region, region) is None:
        raise refuse(ValidationFailed, _("unknown region: choose it in the list or type its name or 6-digit code"),
                     field="region_code")
    if not may_manage(principal, region):
        raise refuse(Forbidden, _("your role or region does not allow changing this group"))
    if chain_code and session.get(KeyChain, chain_code) is None:
        raise refuse(ValidationFailed, _("unknown key chain {chain}"), field="chain_code", chain=chain_code[:32])
    taken = session.scalar(select(func.count()).select_from(MonitoredGroup).where(
        MonitoredGroup.region_code == region, MonitoredGroup.name == name))
    if taken:
        raise refuse(ValidationFailed, _("a group named {name} already exists in this region"), field="name",
                     name=name)
    group = MonitoredGroup(name=name, region_code=region, chain_code=chain_code or None,
                           created_by=caller.actor.user_id)
    session.add(group)
    session.flush()
    record(session=session, actor=caller.actor, action="scheduling.group.create", object_type="monitored_group",
           object_id=group.id, after={"name": name, "region_code": region, "chain_code": chain_code or None})
    return group


def rule_clause(session: Session, rule: str, value: str, day: date) -> ColumnElement[bool]:
    """The enterprises a rule chooses (``value``: a white list id, a chain code, or USCCs; nothing for leading)."""
    if rule == "leading":
        return Enterprise.id.in_(select(EnterpriseLabel.enterprise_id).where(EnterpriseLabel.label == Label.leading))
    if rule == "chain":
        if session.get(KeyChain, value) is None:
            raise refuse(ValidationFailed, _("unknown key chain {chain}"), field="value", chain=value[:32])
        return Enterprise.chain_code == value
    if rule == "whitelist":
        if not value.isdigit():
            raise refuse(ValidationFailed, _("choose a white list"), field="value")
        listed = (select(Entry.enterprise_id).join(EntryPeriod, EntryPeriod.entry_id == Entry.id)
                  .where(Entry.list_id == int(value), active_on(day)))
        return Enterprise.id.in_(listed)
    if rule == "picked":
        codes = [uscc_codes.normalize(part) for part in value.replace(",", " ").replace("，", " ").split()]
        if not codes:
            raise refuse(ValidationFailed, _("name at least one enterprise"), field="value")
        return Enterprise.uscc.in_(codes)
    raise refuse(ValidationFailed, _("unknown rule {rule}"), field="rule", rule=rule[:20])


def candidates(*, session: Session, principal: Principal, group: MonitoredGroup, rule: str, value: str = "",
               day: date) -> list[Enterprise]:
    """The enterprises ``rule`` chooses inside the group's region and the caller's scope, by name."""
    inside = region_clause(group.region_code) if group.region_code else true()
    query = (select(Enterprise).where(rule_clause(session, rule, value.strip(), day), inside,
                                      enterprise_scope(principal)).order_by(Enterprise.name).limit(MAX_MEMBERS + 1))
    found = list(session.scalars(query))
    if len(found) > MAX_MEMBERS:
        raise refuse(ValidationFailed, _("the rule chooses more than {limit} enterprises; narrow it"), field="rule",
                     limit=MAX_MEMBERS)
    return found


def estimated_value(session: Session, enterprise_ids: list[int]) -> dict[int, float]:
    """A daily output value (万元) per enterprise from the registry's links: its annual sales to firms (or, when
    larger, its purchases) over 365 days. An authority corrects it with the enterprise's real pre-shock figure."""
    sales = dict(session.execute(select(SupplyLink.supplier_id, func.sum(SupplyLink.annual_value))
                                 .where(SupplyLink.supplier_id.in_(enterprise_ids)).group_by(SupplyLink.supplier_id)).all())
    bought = dict(session.execute(select(SupplyLink.customer_id, func.sum(SupplyLink.annual_value))
                                  .where(SupplyLink.customer_id.in_(enterprise_ids)).group_by(SupplyLink.customer_id)).all())
    return {i: round(max(sales.get(i) or 0.0, bought.get(i) or 0.0) / DAYS_A_YEAR / YUAN_PER_WAN, 2)
            for i in enterprise_ids}


def add_members(*, session: Session, caller: Caller, group_id: int, enterprises: list[Enterprise],
                baselines: dict[int, tuple[int, float, int]] | None = None) -> list[MonitoredMember]:
    """Add ``enterprises`` (from :func:`candidates`) to the group; ``baselines`` maps an enterprise id to its
    pre-shock (units, 万元, staff) a day, else the value is estimated from the registry. Members already in the
    group are kept as they are. Returns the new members (the caller then assigns them the report type)."""
    group = _managed(session, caller.principal, group_id)
    present = {member.enterprise_id for member in group.members}
    fresh = [e for e in enterprises if e.id not in present]
    for enterprise in fresh:
        if group.region_code and not enterprise.county_code.startswith(group.region_code):
            raise refuse(ValidationFailed, _("{name} lies outside the group's region"), field="enterprises",
                         name=enterprise.name)
    estimates = estimated_value(session, [e.id for e in fresh]) if fresh else {}
    added = []
    for enterprise in fresh:
        units, value, staff = (baselines or {}).get(enterprise.id, (0, estimates.get(enterprise.id, 0.0), 0))
        member = MonitoredMember(group_id=group.id, enterprise_id=enterprise.id, baseline_output_units=int(units),
                                 baseline_output_value=float(value), baseline_staff=int(staff))
        group.members.append(member)
        added.append(member)
    session.flush()
    if added:
        record(session=session, actor=caller.actor, action="scheduling.group.add_members",
               object_type="monitored_group", object_id=group.id,
               after={"enterprise_ids": [member.enterprise_id for member in added]})
    return added


def set_baseline(*, session: Session, caller: Caller, group_id: int, member_id: int, units: int, value: float,
                 staff: int) -> MonitoredMember:
    """Correct a member's pre-shock baseline (numbers ≥ 0)."""
    group = _managed(session, caller.principal, group_id)
    member = next((m for m in group.members if m.id == member_id), None)
    if member is None:
        raise refuse(NotFound, _("no member {member_id} in this group"), member_id=member_id)
    if min(units, value, staff) < 0:
        raise refuse(ValidationFailed, _("a baseline is a number of at least 0"), field="baseline")
    before = {"units": member.baseline_output_units, "value": member.baseline_output_value,
              "staff": member.baseline_staff}
    member.baseline_output_units, member.baseline_output_value, member.baseline_staff = units, value, staff
    record(session=session, actor=caller.actor, action="scheduling.group.baseline", object_type="monitored_group",
           object_id=group.id, before=before | {"member_id": member.id},
           after={"units": units, "value": value, "staff": staff, "member_id": member.id})
    return member


def remove_member(*, session: Session, caller: Caller, group_id: int, member_id: int) -> int:
    """Take a member out of the group; returns its enterprise id (unassigned by the caller when in no other group)."""
    group = _managed(session, caller.principal, group_id)
    member = next((m for m in group.members if m.id == member_id), None)
    if member is None:
        raise refuse(NotFound, _("no member {member_id} in this group"), member_id=member_id)
    enterprise_id = member.enterprise_id
    group.members.remove(member)
    session.flush()
    record(session=session, actor=caller.actor, action="scheduling.group.remove_member",
           object_type="monitored_group", object_id=group.id, before={"enterprise_id": enterprise_id})
    return enterprise_id


def still_monitored(session: Session, enterprise_id: int) -> bool:
    """True when the enterprise is a member of some active group."""
    return bool(session.scalar(select(func.count()).select_from(MonitoredMember).join(MonitoredGroup).where(
        and_(MonitoredMember.enterprise_id == enterprise_id, MonitoredGroup.active.is_(True)))))
