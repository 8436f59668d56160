"""Recommendations for reviewers: enterprises of a key chain and region not yet listed that rank high by systemic
risk (the engine's ESRI) or are sole suppliers of an essential input to listed enterprises — with reasons in words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.analysis.loader import RegistryNetwork, load_registry_network
from chainkeeper.analysis.service import rank_systemic_risk
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import Forbidden
from chainkeeper.i18n import _, translate
from chainkeeper.network.keynodes import single_source_dependencies
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import region_clause
from chainkeeper.whitelist.entries import active_on
from chainkeeper.whitelist.models import Entry, EntryPeriod

SOLE_SUPPLIER = _("sole supplier of an essential input to {count} listed enterprises")
HIGH_RISK = _("ranks {rank} by systemic risk among unlisted firms here (ESRI {esri}%)")


@dataclass
class Recommendation:
    """An enterprise worth reviewing, and why."""

    uscc: str
    name: str
    esri: float = 0.0
    sole_supplier_to: int = 0
    reasons: list[tuple[str, dict]] = field(default_factory=list)

    def explain(self, language: str) -> list[str]:
        """The reasons in ``language``."""
        return [translate(message, language, **params) for message, params in self.reasons]


def listed_enterprise_ids(session: Session, day: date) -> set[int]:
    """Enterprises with an entry active on ``day`` in any list."""
    query = select(Entry.enterprise_id).join(EntryPeriod, EntryPeriod.entry_id == Entry.id).where(active_on(day))
    return set(session.scalars(query))


def _in_scope(session: Session, region: str, chain: str | None) -> set[int]:
    query = select(Enterprise.id).where(region_clause(region))
    if chain:
        query = query.where(Enterprise.chain_code == chain)
    return set(session.scalars(query))


def _sole_suppliers(loaded: RegistryNetwork, listed: set[int], wanted: set[int]) -> Counter:
    """Per wanted enterprise id: how many listed enterprises buy an essential input from it alone."""
    dependencies = single_source_dependencies(loaded.network)
    ids = loaded.enterprise_ids
    pairs = {(int(ids[s]), int(ids[c])) for s, c in zip(dependencies.supplier, dependencies.customer)}
    return Counter(supplier for supplier, customer in pairs if customer in listed and supplier in wanted)


def scoped_region(principal: Principal, region: str) -> str:
    """The part of ``region`` the principal may see: any region for national roles; for an authority the region
    itself when it lies inside the authority's, or the authority's own when it lies inside ``region``;
    :class:`Forbidden` when they do not overlap (or the caller has no region)."""
    if principal.is_national:
        return region
    own = principal.region_code or ""
    if own and region.startswith(own):
        return region
    if own and own.startswith(region):
        return own
    raise Forbidden(f"the region {region} lies outside yours")


def recommend(*, session: Session, region: str, chain: str | None, day: date, top: int = 20,
              loaded: RegistryNetwork | None = None, principal: Principal | None = None) -> list[Recommendation]:
    """Unlisted enterprises of ``chain`` in ``region``: sole suppliers of listed ones first, then by ESRI.

    With ``principal`` the region is first narrowed to what the principal may see (:func:`scoped_region`)."""
    if principal is not None:
        region = scoped_region(principal, region)
    listed = listed_enterprise_ids(session, day)
    wanted = _in_scope(session, region, chain) - listed
    if not wanted:
        return []
    loaded = loaded or load_registry_network(session=session)
    found: dict[int, Recommendation] = {}
    index = {int(e): i for i, e in enumerate(loaded.enterprise_ids)}
    for enterprise_id, count in _sole_suppliers(loaded, listed, wanted).items():
        item = _item(found, loaded, index[enterprise_id], enterprise_id)
        item.sole_supplier_to = count
        item.reasons.append((SOLE_SUPPLIER, {"count": count}))
    by_uscc = {str(uscc): i for i, uscc in enumerate(loaded.usccs)}
    ranked = [row for row in rank_systemic_risk(session=session, chain=chain, province=int(region[:2]),
                                                top=len(loaded.enterprise_ids), loaded=loaded)
              if int(loaded.enterprise_ids[by_uscc[row.uscc]]) in wanted and row.esri > 0]
    for rank, row in enumerate(ranked[:top], 1):
        position = by_uscc[row.uscc]
        item = _item(found, loaded, position, int(loaded.enterprise_ids[position]))
        item.esri = row.esri
        item.reasons.append((HIGH_RISK, {"rank": rank, "esri": f"{100 * row.esri:.1f}"}))
    ordered = sorted(found.values(), key=lambda r: (-r.sole_supplier_to, -r.esri, r.uscc))
    return ordered[:top]


def _item(found: dict, loaded: RegistryNetwork, position: int, enterprise_id: int) -> Recommendation:
    if enterprise_id not in found:
        found[enterprise_id] = Recommendation(str(loaded.usccs[position]), loaded.names[position])
    return found[enterprise_id]
