"""Mutual recognition: is an enterprise recognised in a region on a date, and on what basis.

An enterprise is recognised in region R on day D when it — or an enterprise whose pool it is in — has an entry
active on D in a list whose scope contains R, or in a list whose scope lies in a party to an agreement in force
on D that also includes R (its province or city) and covers the entry's category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, cast, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from chainkeeper.errors import NotFound
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.entries import active_on, pool_on
from chainkeeper.whitelist.models import Agreement, AgreementCategory, AgreementRegion, Batch, Entry, EntryPeriod, \
    PoolMember, WhiteList


@dataclass(frozen=True)
class Basis:
    """Why an enterprise is recognised: the entry (its list and batch), the pool host, the agreement."""

    entry_id: int
    list_id: int
    list_name: str
    batch: int
    category: str
    via_pool_of: str | None = None  # USCC of the listed enterprise whose pool covers this one
    agreement_id: int | None = None
    agreement_name: str | None = None


@dataclass
class Recognition:
    """The answer of :func:`is_recognized`."""

    recognized: bool
    uscc: str
    region: str
    day: date
    bases: list[Basis] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why candidate entries did not count


@dataclass(frozen=True)
class _Candidate:
    entry_id: int
    list_id: int
    list_name: str
    batch: int
    scope: str
    category: str
    host: str | None


def _candidates(session: Session, enterprise_id: int, day: date) -> list[_Candidate]:
    """Entries active on ``day`` of the enterprise itself or of enterprises whose pool it is in (one query)."""
    host = aliased(Enterprise)
    own = select(Entry.id.label("entry_id"), cast(null(), Integer).label("host_id")).where(Entry.enterprise_id == enterprise_id)
    pooled = select(PoolMember.entry_id, PoolMember.entry_id.label("host_id")).where(
        PoolMember.enterprise_id == enterprise_id, pool_on(day))
    found = union_all(own, pooled).subquery()
    query = (select(Entry.id, Entry.list_id, WhiteList.name, Batch.number, Entry.scope_code, Entry.category,
                    found.c.host_id, host.uscc)
             .join(found, found.c.entry_id == Entry.id).join(EntryPeriod, EntryPeriod.entry_id == Entry.id)
             .join(WhiteList, WhiteList.id == Entry.list_id).join(Batch, Batch.id == Entry.batch_id)
             .join(host, host.id == Entry.enterprise_id).where(active_on(day)))
    return [_Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[7] if r[6] is not None else None)
            for r in session.execute(query)]


def _agreements(session: Session, region: Region, day: date) -> list[tuple[int, str, set[str], set[str]]]:
    """Agreements in force on ``day`` that include ``region``: (id, name, parties, categories) — one query."""
    own = {region.province_code, region.city_code, region.code} - {None}
    party = aliased(AgreementRegion)
    query = (select(Agreement.id, Agreement.name, AgreementRegion.region_code, AgreementCategory.category_code)
             .join(AgreementRegion, AgreementRegion.agreement_id == Agreement.id)
             .join(AgreementCategory, AgreementCategory.agreement_id == Agreement.id)
             .where(Agreement.valid_from <= day, or_(Agreement.valid_until.is_(None), Agreement.valid_until >= day),
                    Agreement.id.in_(select(party.agreement_id).where(party.region_code.in_(own)))))
    found: dict[int, tuple[int, str, set[str], set[str]]] = {}
    for agreement_id, name, code, category in session.execute(query):
        item = found.setdefault(agreement_id, (agreement_id, name, set(), set()))
        item[2].add(code)
        item[3].add(category)
    return list(found.values())


def _contains(scope: str, region: Region) -> bool:
    return scope == "" or scope in (region.province_code, region.city_code, region.code)


def _basis(candidate: _Candidate, agreement=None) -> Basis:
    return Basis(candidate.entry_id, candidate.list_id, candidate.list_name, candidate.batch, candidate.category,
                 candidate.host, agreement[0] if agreement else None, agreement[1] if agreement else None)


def is_recognized(*, session: Session, uscc: str, region_code: str, day: date) -> Recognition:
    """Whether the enterprise is recognised in the region on the day, with every basis (or why not)."""
    enterprise_id = session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc.strip().upper()))
    region = session.get(Region, region_code)
    if enterprise_id is None or region is None:
        raise NotFound("no such enterprise" if enterprise_id is None else f"no region with code {region_code}")
    answer = Recognition(False, uscc.strip().upper(), region_code, day)
    candidates = _candidates(session, enterprise_id, day)
    if not candidates:
        answer.notes.append("no entry active on this date")
        return answer
    answer.bases = [_basis(c) for c in candidates if _contains(c.scope, region)]
    remote = [c for c in candidates if not _contains(c.scope, region)]
    if remote:
        _through_agreements(answer, remote, _agreements(session, region, day))
    answer.recognized = bool(answer.bases)
    return answer


def _through_agreements(answer: Recognition, remote: list[_Candidate], agreements: list) -> None:
    if not agreements:
        answer.notes.append("no agreement including this region is in force on this date")
    for candidate in remote:
        parties_of_list = [a for a in agreements if any(candidate.scope.startswith(p) for p in a[2])]
        covering = [a for a in parties_of_list if candidate.category in a[3]]
        answer.bases += [_basis(candidate, a) for a in covering]
        if parties_of_list and not covering:
            answer.notes.append(f"category {candidate.category} of list “{candidate.list_name}” is not covered")
        elif agreements and not parties_of_list:
            answer.notes.append(f"the region of list “{candidate.list_name}” is not party to an agreement here")
