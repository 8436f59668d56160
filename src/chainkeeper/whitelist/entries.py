"""Entries and their dated history: publication, suspension, removal, reinstatement, the supplier pool, resumption.

An entry's status is a chain of periods (:class:`EntryPeriod`); a change closes the open period on its effective
date and opens the next, so "as of D" questions have exact answers.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.core.rows import dicts
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist import certificates
from chainkeeper.whitelist.models import (
    Application, Batch, Entry, EntryPeriod, EntryStatus, PoolMember, Resumption, WhiteList,
)
from chainkeeper.whitelist.workflow import NotAllowed, manages_list


def active_on(day: date):
    """The condition 'the period is active on ``day``'."""
    return and_(EntryPeriod.status == EntryStatus.active, EntryPeriod.valid_from <= day,
                or_(EntryPeriod.valid_until.is_(None), EntryPeriod.valid_until > day))


def pool_on(day: date):
    """The condition 'the pool membership holds on ``day``'."""
    return and_(PoolMember.added_on <= day, or_(PoolMember.removed_on.is_(None), PoolMember.removed_on > day))


def get_entry(*, session: Session, entry_id: int) -> Entry:
    """The entry, or :class:`NotFound`."""
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound(f"no white-list entry {entry_id}")
    return entry


def snapshot(entry: Entry) -> dict:
    """The audited fields of an entry."""
    return {"list_id": entry.list_id, "batch_id": entry.batch_id, "enterprise_id": entry.enterprise_id,
            "category": entry.category, "status": entry.status.value, "resumption": entry.resumption.value,
            "resumption_on": entry.resumption_on, "credential_id": entry.credential_id}


def create_entry(*, session: Session, actor: Actor, white_list: WhiteList, batch: Batch,
                 application: Application) -> Entry:
    """The entry a published application becomes, active from the batch's date, with its certificate."""
    entry = Entry(list_id=white_list.id, batch_id=batch.id, enterprise_id=application.enterprise_id,
                  application_id=application.id, scope_code=white_list.scope_code, category=application.category,
                  chain_code=application.chain_code, reason=application.reason,
                  nominated_by=application.nominated_by, on_site_staff=application.on_site_staff,
                  listed_on=batch.published_on, status=EntryStatus.active)
    session.add(entry)
    session.flush()
    session.add(EntryPeriod(entry_id=entry.id, status=EntryStatus.active, valid_from=batch.published_on,
                            reason="listed"))
    entry.credential_id = certificates.issue(session=session, actor=actor, entry=entry, list_name=white_list.name,
                                             batch=batch.number, valid_from=batch.published_on)
    record(session=session, actor=actor, action="whitelist.entry.list", object_type="wl_entry", object_id=entry.id,
           after=snapshot(entry))
    return entry


def _open_period(session: Session, entry: Entry) -> EntryPeriod:
    return session.scalar(select(EntryPeriod).where(EntryPeriod.entry_id == entry.id,
                                                    EntryPeriod.valid_until.is_(None)))


def change_status(*, session: Session, principal, actor: Actor, entry: Entry, status: EntryStatus,
                  effective: date, reason: str) -> Entry:
    """Suspend, remove or reinstate (``active``) an entry from ``effective`` on; certificates follow."""
    if not manages_list(principal, entry.scope_code):
        raise NotAllowed("you may not change entries of this list")
    if not reason.strip():
        raise ValidationFailed("a reason is required", [{"field": "reason", "message": "a value is required"}])
    current = _open_period(session, entry)
    if current.status is status or current.status is EntryStatus.removed:
        raise ValidationFailed(f"the entry is already {current.status.value}")
    if effective < current.valid_from:
        raise ValidationFailed("the effective date lies before the current status began")
    before = snapshot(entry)
    current.valid_until = effective
    session.add(EntryPeriod(entry_id=entry.id, status=status, valid_from=effective, reason=reason.strip()))
    entry.status = status
    _follow_certificate(session, actor, entry, status, effective, reason)
    session.flush()
    record(session=session, actor=actor, action=f"whitelist.entry.{status.value}", object_type="wl_entry",
           object_id=entry.id, before=before, after=snapshot(entry) | {"effective": effective, "reason": reason})
    return entry


def _follow_certificate(session: Session, actor: Actor, entry: Entry, status: EntryStatus, effective: date,
                        reason: str) -> None:
    if status is EntryStatus.active:
        entry.credential_id = certificates.issue(session=session, actor=actor, entry=entry,
                                                 list_name=entry.white_list.name, batch=entry.batch.number,
                                                 valid_from=effective)
    else:
        certificates.revoke(session=session, actor=actor, credential_id=entry.credential_id, reason=reason)


def history(*, session: Session, entry: Entry) -> list[EntryPeriod]:
    """The entry's periods, oldest first."""
    return list(session.scalars(select(EntryPeriod).where(EntryPeriod.entry_id == entry.id)
                                .order_by(EntryPeriod.valid_from, EntryPeriod.id)))


def status_on(*, session: Session, entry: Entry, day: date) -> EntryStatus | None:
    """The entry's status on ``day`` (None before it was listed)."""
    query = select(EntryPeriod.status).where(
        EntryPeriod.entry_id == entry.id, EntryPeriod.valid_from <= day,
        or_(EntryPeriod.valid_until.is_(None), EntryPeriod.valid_until > day))
    return session.scalar(query)


def list_entries(*, session: Session, list_id: int, as_of: date, active_only: bool = True,
                 limit: int = 1000) -> list[tuple[Entry, Enterprise, EntryStatus]]:
    """The list's entries as of ``as_of`` with their status then (active only, or every listed one)."""
    query = _listed(select(Entry, Enterprise, EntryPeriod.status), list_id, as_of, active_only)
    return [tuple(row) for row in session.execute(query.limit(limit))]


def _listed(query, list_id: int, as_of: date, active_only: bool):
    """``query`` over the list's entries listed by ``as_of`` (active then, with ``active_only``), with their
    enterprise and their period of that day joined, in the order of batches then entries."""
    query = (query.join(Enterprise, Enterprise.id == Entry.enterprise_id)
             .join(EntryPeriod, EntryPeriod.entry_id == Entry.id)
             .where(Entry.list_id == list_id, EntryPeriod.valid_from <= as_of,
                    or_(EntryPeriod.valid_until.is_(None), EntryPeriod.valid_until > as_of)))
    if active_only:
        query = query.where(EntryPeriod.status == EntryStatus.active)
    return query.order_by(Entry.batch_id, Entry.id)


def entry_rows(*, session: Session, list_id: int, as_of: date, active_only: bool = True,
               limit: int = 1000) -> list[dict]:
    """:func:`list_entries` as plain data for the API, one statement and no ORM entity: each entry's fields, its
    list's name, its batch's number, its enterprise's code and name and its status on ``as_of``."""
    return dicts(session, _entry_rows_query(active_only, limit), {"list_id": list_id, "as_of": as_of})


@lru_cache(maxsize=8)
def _entry_rows_query(active_only: bool, limit: int):
    """The select of :func:`entry_rows`, built once (the list and the day are bound at each call)."""
    query = _listed(select(Entry.id, Entry.list_id, WhiteList.name.label("list_name"),
                           Batch.number.label("batch"), Enterprise.uscc, Enterprise.name.label("enterprise"),
                           Entry.category, Entry.chain_code, Entry.nominated_by, Entry.on_site_staff,
                           Entry.listed_on, EntryPeriod.status.label("status_as_of"), Entry.resumption,
                           Entry.resumption_on, Entry.credential_id),
                    bindparam("list_id"), bindparam("as_of"), active_only)
    return query.join(WhiteList, WhiteList.id == Entry.list_id).join(Batch, Batch.id == Entry.batch_id).limit(limit)


def set_resumption(*, session: Session, principal, actor: Actor, entry: Entry, resumption: Resumption,
                   on: date) -> Entry:
    """The enterprise (or the list's manager) reports whether it has resumed work, and since when."""
    own = principal.enterprise_id == entry.enterprise_id and principal.enterprise_id is not None
    if not (own or manages_list(principal, entry.scope_code)):
        raise NotAllowed("only the enterprise or the list's manager reports resumption")
    before = snapshot(entry)
    entry.resumption, entry.resumption_on = resumption, on
    session.flush()
    record(session=session, actor=actor, action="whitelist.entry.resumption", object_type="wl_entry",
           object_id=entry.id, before=before, after=snapshot(entry))
    return entry


def resumption_rate(*, session: Session, list_id: int | None = None, as_of: date) -> dict[str, float]:
    """Active entries as of ``as_of`` by resumption status, and the share resumed (partly or fully)."""
    query = (select(Entry.resumption, func.count()).join(EntryPeriod, EntryPeriod.entry_id == Entry.id)
             .where(active_on(as_of)).group_by(Entry.resumption))
    if list_id is not None:
        query = query.where(Entry.list_id == list_id)
    return _rate({r.value: n for r, n in session.execute(query)})


def resumption_rates(*, session: Session, as_of: date) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    """:func:`resumption_rate` over every list and per list (the lists with active entries), in one statement."""
    query = (select(Entry.list_id, Entry.resumption, func.count()).join(EntryPeriod, EntryPeriod.entry_id == Entry.id)
             .where(active_on(as_of)).group_by(Entry.list_id, Entry.resumption))
    overall: dict[str, int] = {}
    per_list: dict[int, dict[str, int]] = {}
    for list_id, status, count in session.execute(query):
        per_list.setdefault(list_id, {})[status.value] = count
        overall[status.value] = overall.get(status.value, 0) + count
    return _rate(overall), {list_id: _rate(found) for list_id, found in per_list.items()}


def _rate(found: dict[str, int]) -> dict[str, float]:
    counts = {status.value: 0 for status in Resumption} | found
    total = sum(counts.values())
    resumed = counts["partly"] + counts["fully"]
    return counts | {"total": total, "rate": resumed / total if total else 0.0}


def add_to_pool(*, session: Session, principal, actor: Actor, entry: Entry, enterprise_id: int, added_on: date,
                reason: str = "") -> PoolMember:
    """Attach a key (usually out-of-region) supplier to a listed enterprise's entry."""
    if not manages_list(principal, entry.scope_code):
        raise NotAllowed("you may not change entries of this list")
    if enterprise_id == entry.enterprise_id or session.get(Enterprise, enterprise_id) is None:
        raise ValidationFailed("choose another registered enterprise for the pool")
    member = PoolMember(entry_id=entry.id, enterprise_id=enterprise_id, reason=reason.strip(), added_on=added_on)
    session.add(member)
    session.flush()
    record(session=session, actor=actor, action="whitelist.pool.add", object_type="wl_entry", object_id=entry.id,
           after={"enterprise_id": enterprise_id, "added_on": added_on, "reason": reason})
    return member


def remove_from_pool(*, session: Session, principal, actor: Actor, member: PoolMember, removed_on: date) -> None:
    """Detach a supplier from the pool from ``removed_on``."""
    entry = session.get(Entry, member.entry_id)
    if not manages_list(principal, entry.scope_code):
        raise NotAllowed("you may not change entries of this list")
    member.removed_on = removed_on
    record(session=session, actor=actor, action="whitelist.pool.remove", object_type="wl_entry", object_id=entry.id,
           after={"enterprise_id": member.enterprise_id, "removed_on": removed_on})


def pool_of(*, session: Session, entry: Entry) -> list[tuple[PoolMember, Enterprise]]:
    """The entry's pool, every membership ever."""
    query = (select(PoolMember, Enterprise).join(Enterprise, Enterprise.id == PoolMember.enterprise_id)
             .where(PoolMember.entry_id == entry.id).order_by(PoolMember.id))
    return [tuple(row) for row in session.execute(query)]


def page_rows(*, session: Session, list_id: int, as_of: date, limit: int = 1000) -> list:
    """The rows :func:`list_entries` finds (every listed entry, ``active_only=False``; same order and limit) as the
    columns the list page shows: entry id, enterprise name and USCC, batch number, category, chain, status on the
    day and resumption (no ORM entities: issue 15)."""
    query = _listed(select(Entry.id, Enterprise.name, Enterprise.uscc, Batch.number, Entry.category, Entry.chain_code,
                           EntryPeriod.status, Entry.resumption), list_id, as_of, active_only=False)
    return session.execute(query.join(Batch, Batch.id == Entry.batch_id).limit(limit)).all()
