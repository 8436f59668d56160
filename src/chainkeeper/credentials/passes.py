"""Vehicle passes (重点物资运输车辆通行证): apply, review by the origin's authority, number, sign, revoke.

Rules:

* one vehicle, one route, one pass: a pending or approved pass for the same plate, origin and destination with an
  overlapping validity refuses another application (and another approval);
* origin and destination are county codes; the authority of the origin county reviews — a county principal bound
  to that county, or a city/province principal whose region contains it;
* the pass number has 12 digits: the issuer's code (the origin county) and a 6-digit serial from the issuer's
  counter row, locked (``FOR UPDATE``) while numbering; counters never go back, so numbers are never reused;
* validity is at most :data:`MAX_VALIDITY_DAYS` days and must not have ended (today in the platform's time zone)
  when the enterprise applies or the authority approves; a pass carries 1 to :data:`MAX_CREW` crew with phones.

The caller owns the transaction; every change is audited (``pass.apply``, ``pass.approve``, ``pass.reject``,
``pass.revoke``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import ColumnElement, false, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record, snapshot
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.credentials.models import PassStatus, VehiclePass, VehiclePassCounter, VehiclePassCrew
from chainkeeper.credentials.payload import Claims
from chainkeeper.credentials.plates import PlateError, validate_pass_plate, validate_trailer_plate
from chainkeeper.credentials.service import local_today, revoke, sign_credential
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.reference.models import Region
from chainkeeper.reference.service import get_region, is_within
from chainkeeper.registry.models import Enterprise

MAX_VALIDITY_DAYS = 90
MAX_CREW = 4
MAX_SERIAL = 999_999
ACTIVE = (PassStatus.pending, PassStatus.approved)
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_INSERT = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


@dataclass
class PassApplication:
    """What an enterprise applies for; :func:`apply_for_pass` validates it."""

    goods_category: str
    origin_code: str
    destination_code: str
    route: str
    plate: str
    valid_from: date
    valid_until: date
    crew: list[tuple[str, str]] = field(default_factory=list)  # (name, phone)
    trailer_plate: str | None = None


def _problem(name: str, message: str) -> dict:
    return {"field": name, "message": message}


def _plate_problems(application: PassApplication) -> list[dict]:
    problems = []
    try:
        application.plate = validate_pass_plate(application.plate)
    except PlateError as error:
        problems.append(_problem("plate", error.reason))
    if application.trailer_plate:
        try:
            application.trailer_plate = validate_trailer_plate(application.trailer_plate)
        except PlateError:
            problems.append(_problem("trailer_plate", "not a trailer plate (…挂)"))
    return problems


def _crew_problems(crew: list[tuple[str, str]]) -> list[dict]:
    if not 1 <= len(crew) <= MAX_CREW:
        return [_problem("crew", f"give 1 to {MAX_CREW} crew members")]
    problems = [_problem("crew", "a crew member needs a name") for name, _phone in crew if not name.strip()]
    return problems + [_problem("crew", f"not a phone number: {phone}") for _name, phone in crew
                       if not PHONE.match(phone.strip())]


def _county_problem(session: Session, name: str, code: str) -> list[dict]:
    region = session.get(Region, code) if re.fullmatch(r"\d{6}", code or "") else None
    return [] if region is not None and region.level == 3 else [_problem(name, "not a county code")]


ENDED = "the validity has already ended"


def _validity_problems(application: PassApplication, today: date) -> list[dict]:
    span = (application.valid_until - application.valid_from).days
    if span < 0:
        return [_problem("valid_until", "must not be before valid_from")]
    if application.valid_until < today:
        return [_problem("valid_until", ENDED)]
    return [_problem("valid_until", f"at most {MAX_VALIDITY_DAYS} days")] if span > MAX_VALIDITY_DAYS else []


def validate_application(session: Session, application: PassApplication, today: date | None = None) -> None:
    """Normalize plates and raise :class:`ValidationFailed` listing every problem (``today``: local date)."""
    text = {"goods_category": (application.goods_category, 64), "route": (application.route, 500)}
    problems = [_problem(name, f"1 to {limit} characters") for name, (value, limit) in text.items()
                if not value.strip() or len(value) > limit]
    problems += _plate_problems(application) + _crew_problems(application.crew)
    problems += _county_problem(session, "origin_code", application.origin_code)
    problems += _county_problem(session, "destination_code", application.destination_code)
    problems += _validity_problems(application, today or local_today())
    if problems:
        raise ValidationFailed("the pass application is not valid", problems)


def _overlapping(session: Session, vehicle_pass: VehiclePass, statuses) -> VehiclePass | None:
    query = select(VehiclePass).where(
        VehiclePass.plate == vehicle_pass.plate, VehiclePass.origin_code == vehicle_pass.origin_code,
        VehiclePass.destination_code == vehicle_pass.destination_code, VehiclePass.status.in_(statuses),
        VehiclePass.valid_from <= vehicle_pass.valid_until, VehiclePass.valid_until >= vehicle_pass.valid_from)
    if vehicle_pass.id is not None:
        query = query.where(VehiclePass.id != vehicle_pass.id)
    return session.scalar(query.limit(1))


def _refuse_duplicate(session: Session, vehicle_pass: VehiclePass, statuses) -> None:
    if _overlapping(session, vehicle_pass, statuses) is not None:
        raise ValidationFailed("this vehicle already has an active pass for this route and period",
                               [{"field": "plate", "message": "duplicate active pass", "code": "duplicate_pass"}])


def _audit(session: Session, actor: Actor, action: str, vehicle_pass: VehiclePass, before: dict | None = None):
    after = snapshot(vehicle_pass) | {"crew": [[m.name, m.phone] for m in vehicle_pass.crew]}
    record(session=session, actor=actor, action=action, object_type="vehicle_pass", object_id=vehicle_pass.id,
           before=before, after=after)


def apply_for_pass(*, session: Session, actor: Actor, enterprise_id: int, application: PassApplication,
                   today: date | None = None) -> VehiclePass:
    """Record a pending application of ``enterprise_id``; refuses invalid data, a validity that has ended and
    duplicate active passes."""
    if session.get(Enterprise, enterprise_id) is None:
        raise NotFound(f"no enterprise {enterprise_id}")
    validate_application(session, application, today)
    crew = [VehiclePassCrew(position=i, name=n.strip(), phone=p.strip()) for i, (n, p) in enumerate(application.crew)]
    vehicle_pass = VehiclePass(
        enterprise_id=enterprise_id, goods_category=application.goods_category.strip(),
        origin_code=application.origin_code, destination_code=application.destination_code,
        route=application.route.strip(), plate=application.plate, trailer_plate=application.trailer_plate or None,
        valid_from=application.valid_from, valid_until=application.valid_until, status=PassStatus.pending,
        applied_at=datetime.now(timezone.utc), applied_by=actor.name, crew=crew)
    _refuse_duplicate(session, vehicle_pass, ACTIVE)
    session.add(vehicle_pass)
    session.flush()
    _audit(session, actor, "pass.apply", vehicle_pass)
    return vehicle_pass


def _lock_counter(session: Session, issuer: str) -> VehiclePassCounter:
    """The issuer's counter row, locked until the transaction ends (created at 0 if missing)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":  # take SQLite's write lock before reading
        touch = update(VehiclePassCounter).where(VehiclePassCounter.issuer_code == issuer).values(
            last_serial=VehiclePassCounter.last_serial)
        session.execute(touch.execution_options(synchronize_session=False))
    query = (select(VehiclePassCounter).where(VehiclePassCounter.issuer_code == issuer).with_for_update()
             .execution_options(populate_existing=True))
    counter = session.scalar(query)
    if counter is None:
        seed = _INSERT[dialect](VehiclePassCounter).values(issuer_code=issuer, last_serial=0)
        session.execute(seed.on_conflict_do_nothing(index_elements=["issuer_code"]))
        counter = session.scalar(query)
    return counter


def next_pass_number(session: Session, issuer: str) -> str:
    """Take the issuer's next 12-digit pass number (counter locked until the transaction ends)."""
    counter = _lock_counter(session, issuer)
    if counter.last_serial >= MAX_SERIAL:
        raise ValidationFailed(f"issuer {issuer} has used every pass number")
    counter.last_serial += 1
    session.flush()
    return f"{issuer}{counter.last_serial:06d}"


def _require(vehicle_pass: VehiclePass, *statuses: PassStatus) -> None:
    if vehicle_pass.status not in statuses:
        raise ValidationFailed(f"the pass is {vehicle_pass.status.value}",
                               [{"field": "status", "message": vehicle_pass.status.value, "code": "wrong_status"}])


def _pass_claims(session: Session, vehicle_pass: VehiclePass) -> Claims:
    name = session.get(Enterprise, vehicle_pass.enterprise_id).name
    fields = {"number": vehicle_pass.pass_number, "plate": vehicle_pass.plate, "origin": vehicle_pass.origin_code,
              "destination": vehicle_pass.destination_code, "goods": vehicle_pass.goods_category, "name": name}
    return Claims("vehicle_pass", "", vehicle_pass.valid_from, vehicle_pass.valid_until, fields)


def _require_unended(vehicle_pass: VehiclePass, today: date) -> None:
    if vehicle_pass.valid_until < today:
        raise ValidationFailed("the pass's validity has already ended",
                               [{"field": "valid_until", "message": ENDED, "code": "ended"}])


def approve_pass(*, session: Session, actor: Actor, vehicle_pass: VehiclePass, key_dir: Path | None = None,
                 today: date | None = None) -> VehiclePass:
    """Approve a pending pass whose validity has not ended (``today``: local date): number it (issuer = origin
    county), sign its QR credential, audit."""
    _require(vehicle_pass, PassStatus.pending)
    _require_unended(vehicle_pass, today or local_today())
    before = snapshot(vehicle_pass)
    number = next_pass_number(session, vehicle_pass.origin_code)  # serialises approvals of this issuer
    _refuse_duplicate(session, vehicle_pass, (PassStatus.approved,))
    vehicle_pass.pass_number, vehicle_pass.issuer_code = number, vehicle_pass.origin_code
    vehicle_pass.credential = sign_credential(
        session=session, actor=actor, claims=_pass_claims(session, vehicle_pass), key_dir=key_dir,
        enterprise_id=vehicle_pass.enterprise_id, subject=number, category=vehicle_pass.goods_category)
    _reviewed(vehicle_pass, actor, PassStatus.approved, None)
    session.flush()
    _audit(session, actor, "pass.approve", vehicle_pass, before)
    return vehicle_pass


def _reviewed(vehicle_pass: VehiclePass, actor: Actor, status: PassStatus, reason: str | None) -> None:
    vehicle_pass.status, vehicle_pass.review_reason = status, reason
    vehicle_pass.reviewed_at, vehicle_pass.reviewed_by = datetime.now(timezone.utc), actor.name


def _reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationFailed("a reason is required", [_problem("reason", "a value is required")])
    return reason.strip()[:500]


def reject_pass(*, session: Session, actor: Actor, vehicle_pass: VehiclePass, reason: str) -> VehiclePass:
    """Reject a pending application with a reason."""
    _require(vehicle_pass, PassStatus.pending)
    before = snapshot(vehicle_pass)
    _reviewed(vehicle_pass, actor, PassStatus.rejected, _reason(reason))
    session.flush()
    _audit(session, actor, "pass.reject", vehicle_pass, before)
    return vehicle_pass


def revoke_pass(*, session: Session, actor: Actor, vehicle_pass: VehiclePass, reason: str) -> VehiclePass:
    """Revoke an approved pass and its credential (its number stays used)."""
    _require(vehicle_pass, PassStatus.approved)
    before, reason = snapshot(vehicle_pass), _reason(reason)
    revoke(session=session, actor=actor, credential_id=vehicle_pass.credential_id, reason=reason)
    _reviewed(vehicle_pass, actor, PassStatus.revoked, reason)
    session.flush()
    _audit(session, actor, "pass.revoke", vehicle_pass, before)
    return vehicle_pass


def _region_column(code: str):
    return {2: Region.province_code, 4: Region.city_code}.get(len(code), Region.code)


def pass_scope(principal: Principal) -> ColumnElement[bool]:
    """Passes the principal may read: all (national), origin or destination in its region, or its own."""
    if principal.is_national:
        return true()
    clauses = []
    if principal.has(*AUTHORITY_ROLES) and principal.region_code:
        inside = select(Region.code).where(_region_column(principal.region_code) == principal.region_code)
        clauses += [VehiclePass.origin_code.in_(inside), VehiclePass.destination_code.in_(inside)]
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(VehiclePass.enterprise_id == principal.enterprise_id)
    return or_(*clauses) if clauses else false()


def may_review(session: Session, principal: Principal, vehicle_pass: VehiclePass) -> bool:
    """True for the origin county's authority (or a city/province above it)."""
    if not principal.has(*AUTHORITY_ROLES) or not principal.region_code:
        return False
    return is_within(get_region(session=session, code=vehicle_pass.origin_code), principal.region_code)


def may_revoke(session: Session, principal: Principal, vehicle_pass: VehiclePass) -> bool:
    """True for the issuer's authority (the origin county, or a city/province above it), the ministry or an
    administrator; a destination authority reads the pass but never revokes it."""
    return principal.has(Role.ministry, Role.admin) or may_review(session, principal, vehicle_pass)


def revoke_as(*, session: Session, principal: Principal, actor: Actor, vehicle_pass: VehiclePass,
              reason: str) -> VehiclePass:
    """The one revocation path of passes (page, pass API and credential API): checks the caller's authority over
    the pass, then revokes pass and credential together, so they always agree."""
    if not may_revoke(session, principal, vehicle_pass):
        raise Forbidden("only the issuing authority (the origin county or above), the ministry or an administrator "
                        "revokes this pass")
    return revoke_pass(session=session, actor=actor, vehicle_pass=vehicle_pass, reason=reason)


def pass_of_credential(session: Session, credential_id: int) -> VehiclePass | None:
    """The pass whose QR credential this is, or None."""
    return session.scalar(select(VehiclePass).where(VehiclePass.credential_id == credential_id))


def get_pass(*, session: Session, pass_id: int, scope: ColumnElement[bool] = true()) -> VehiclePass:
    """The pass with this id inside ``scope``, or :class:`NotFound`."""
    found = session.scalar(select(VehiclePass).where(VehiclePass.id == pass_id, scope))
    if found is None:
        raise NotFound(f"no vehicle pass {pass_id}")
    return found


def list_passes(*, session: Session, scope: ColumnElement[bool] = true(), status: PassStatus | None = None,
                limit: int = 200) -> list[VehiclePass]:
    """Passes inside ``scope``, newest first."""
    query = select(VehiclePass).where(scope)
    if status is not None:
        query = query.where(VehiclePass.status == status)
    return list(session.scalars(query.order_by(VehiclePass.id.desc()).limit(limit)))


def default_validity(today: date, days: int = 30) -> tuple[date, date]:
    """A validity starting ``today`` for ``days`` days."""
    return today, today + timedelta(days=days)
