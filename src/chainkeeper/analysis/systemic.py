"""The systemically important enterprises of a key chain and region, as one viewer may see them.

Scores come from :func:`chainkeeper.analysis.service.rank_systemic_risk` on the whole registry network (the cascade
runs through every region; only the list is narrowed). A regional user sees the firms of its own region only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.analysis.scenario import ScenarioRejected
from chainkeeper.analysis.service import RiskRow, rank_systemic_risk
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.impact import cached_registry_network
from chainkeeper.i18n import _
from chainkeeper.reference.models import KeyChain, Region
from chainkeeper.registry.models import Enterprise

SCORE_MEANINGS = (
    ("ESRI", _("Share of the country's production lost if this enterprise stopped, once the shortage has travelled "
               "to its customers and their customers and the lost orders to its suppliers (0.05 = 5%).")),
    (_("Downstream"), _("The part of that loss borne by its customers, and theirs, running short of what it "
                        "makes.")),
    (_("Upstream"), _("The part borne by its suppliers, and theirs, losing its orders.")),
)


def systemic_ranking(*, session: Session, principal: Principal, chain: str | None, region: str | None,
                     top: int = 20) -> list[RiskRow]:
    """The ``top`` enterprises by ESRI of ``chain`` in ``region`` (a province code), within the viewer's scope.

    A regional viewer's region is its own province (any other region is refused); unknown codes are refused.
    """
    if chain and session.get(KeyChain, chain) is None:
        raise ScenarioRejected(_("No such key chain: {value}."), "chain", value=chain)
    if not principal.is_national:
        own = (principal.region_code or "")[:2]
        if region and region != own:
            raise ScenarioRejected(_("Your scope is region {own}; region {value} is outside it."), "region",
                                   own=own, value=region)
        region = own
    if region and (not region.isdigit() or len(region) != 2 or session.get(Region, region) is None):
        raise ScenarioRejected(_("No such province: {value}."), "region", value=region)
    loaded = cached_registry_network(session)
    rows = rank_systemic_risk(session=session, chain=chain or None, province=int(region) if region else None,
                              top=top * 5 if not principal.is_national else top, loaded=loaded)
    if principal.is_national:
        return rows
    visible = set(session.scalars(select(Enterprise.uscc).where(
        Enterprise.uscc.in_([row.uscc for row in rows]), enterprise_scope(principal))))
    return [row for row in rows if row.uscc in visible][:top]
