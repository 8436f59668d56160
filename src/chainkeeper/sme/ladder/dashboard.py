"""The ladder's dashboards: enterprises recognised (valid today) per tier by region and by key chain, applications
waiting at each review level, re-reviews coming due, and which of the engine's key nodes of a chain (the firms
whose stop would cost the network most, by ESRI) are held by SMEs on the ladder. All within the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.analysis.systemic import systemic_ranking
from chainkeeper.core.caller import Caller
from chainkeeper.network.errors import InvalidWeightError
from chainkeeper.reference import cache
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise, Label
from chainkeeper.sme.ladder.access import application_scope, recognition_scope, region_of
from chainkeeper.sme.ladder.models import PENDING, LadderApplication, LadderRecognition
from chainkeeper.sme.ladder.rules import TIERS
from chainkeeper.sme.ladder.service import today


@dataclass(frozen=True)
class Row:
    """One region or chain: its code, name and the count of enterprises recognised per tier."""

    code: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _child_column(region: str):
    """The column one level below ``region``: provinces under the country, cities under a province, counties."""
    return {0: Enterprise.province_code, 2: Enterprise.city_code}.get(len(region), Enterprise.county_code)


def _active(day: date):
    return (LadderRecognition.revoked_on.is_(None), LadderRecognition.recognised_on <= day,
            LadderRecognition.valid_until >= day)


def _rows(session: Session, caller: Caller, column, names: dict[str, str], day: date) -> list[Row]:
    query = (select(column, LadderRecognition.tier, func.count(func.distinct(LadderRecognition.enterprise_id)))
             .join(Enterprise, Enterprise.id == LadderRecognition.enterprise_id)
             .where(recognition_scope(caller.principal), *_active(day)).group_by(column, LadderRecognition.tier))
    table: dict[str, dict[str, int]] = {}
    for code, tier, count in session.execute(query):
        table.setdefault(code or "", dict.fromkeys(TIERS, 0))[tier] = count
    return sorted((Row(code, names.get(code, code or "—"), counts) for code, counts in table.items()),
                  key=lambda row: (-row.total, row.code))


def by_region(*, session: Session, caller: Caller, day: date | None = None) -> list[Row]:
    """Recognised enterprises per tier in each region one level below the caller's (the country: provinces)."""
    region = region_of(caller.principal)
    known = cache.reference_names(session, Region)  # every region's name, read once per process
    names = (_Under(known, region) if known is not None else
             dict(session.execute(select(Region.code, Region.name).where(Region.code.startswith(region))).all()))
    return _rows(session, caller, _child_column(region), names, day or today())


class _Under:
    """The names of the regions under ``region`` (its code's prefix), looked up in every region's names."""

    def __init__(self, names: dict[str, str], region: str):
        self.names, self.region = names, region

    def get(self, code, default=None):
        """The name of ``code`` when it lies under the region, else ``default``."""
        return self.names.get(code, default) if code is not None and code.startswith(self.region) else default


def by_chain(*, session: Session, caller: Caller, language: str = "zh_CN", day: date | None = None) -> list[Row]:
    """Recognised enterprises per tier in each key chain ('' = on no key chain)."""
    names = {code: name_en if language == "en" else name_zh for code, name_zh, name_en in cache.chains(session)}
    return _rows(session, caller, Enterprise.chain_code, names, day or today())


def waiting(*, session: Session, caller: Caller) -> dict[str, int]:
    """Applications waiting at each review state (submitted = at the county, …, recommended = at the ministry)."""
    query = (select(LadderApplication.state, func.count()).where(application_scope(caller.principal),
                                                                  LadderApplication.state.in_(PENDING))
             .group_by(LadderApplication.state))
    found = dict(session.execute(query).all())
    return {state: found.get(state, 0) for state in PENDING}


@dataclass(frozen=True)
class KeyNode:
    """A key node of a chain (by ESRI) and the ladder tier its enterprise holds ('' = none)."""

    uscc: str
    name: str
    esri: float
    tier: str
    key_node_label: bool


def key_nodes(*, session: Session, caller: Caller, chain: str | None, region: str | None = None,
              top: int = 20) -> list[KeyNode]:
    """The ``top`` firms of ``chain`` by systemic risk (the engine's ranking, scoped as the analysis workspace
    scopes it), each with the highest ladder tier it holds today and whether the registry marks it a key node.
    A registry without supply links has none (empty list)."""
    try:
        rows = systemic_ranking(session=session, principal=caller.principal, chain=chain, region=region, top=top)
    except InvalidWeightError:  # a registry without supply links has no key nodes to rank
        return []
    usccs = [row.uscc for row in rows]
    day = today()
    held = session.execute(select(Enterprise.uscc, LadderRecognition.tier).join(
        Enterprise, Enterprise.id == LadderRecognition.enterprise_id).where(Enterprise.uscc.in_(usccs), *_active(day)))
    best: dict[str, str] = {}
    for uscc, tier in held:
        if TIERS.index(tier) >= TIERS.index(best.get(uscc, TIERS[0])) or uscc not in best:
            best[uscc] = tier
    firms = session.scalars(select(Enterprise).where(Enterprise.uscc.in_(usccs))).all()
    marked = {firm.uscc for firm in firms if Label.key_node.value in firm.label_codes}
    return [KeyNode(row.uscc, row.name, row.esri, best.get(row.uscc, ""), row.uscc in marked) for row in rows]
