"""The systemically important enterprises of a key chain and region, as one viewer may see them.

Scores come from :func:`chainkeeper.analysis.service.rank_systemic_risk` on the whole registry network (the cascade
runs through every region; only the list is narrowed). A regional user sees the firms of its own region only.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.analysis.scenario import ScenarioRejected
from chainkeeper.analysis.loader import RegistryNetwork
from chainkeeper.analysis.service import RiskRow, rank_systemic_risk
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.impact import cached_registry_network
from chainkeeper.core import data_epoch
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
    rows = _ranked(session, chain or None, int(region) if region else None,
                   top * 5 if not principal.is_national else top)
    if principal.is_national:
        return rows
    visible = set(session.scalars(select(Enterprise.uscc).where(
        Enterprise.uscc.in_([row.uscc for row in rows]), enterprise_scope(principal))))
    return [row for row in rows if row.uscc in visible][:top]


_RANKED: dict = {"network": None, "rows": {}}
_RANKED_LOCK = threading.Lock()


def _ranked(session: Session, chain: str | None, province: int | None, top: int) -> list[RiskRow]:
    """:func:`rank_systemic_risk` on the cached registry network, kept per network (issue 15: the ESRI cascade was
    most of a fresh key-nodes call): the network cache hands out a new network when the registry's fingerprint
    changes, and the rankings of the one before are dropped then."""
    loaded = _network(session)
    key = (chain, province, top)
    with _RANKED_LOCK:
        if _RANKED["network"] is loaded and key in _RANKED["rows"]:
            return list(_RANKED["rows"][key])
    rows = rank_systemic_risk(session=session, chain=chain, province=province, top=top, loaded=loaded)
    _keep(loaded, key, rows)
    return rows


_CHECKED: dict[str, tuple] = {}
"""Per database: the data epoch, time and network of the last check of the registry's fingerprint."""
CHECK_SECONDS = 10.0
"""Seconds a fingerprint check is reused while nothing is written (a write ends it at once)."""


def _network(session: Session) -> RegistryNetwork:
    """:func:`cached_registry_network`, its fingerprint scan of every link skipped while the session's transaction
    began in the data epoch of the last check (nothing committed since; issue 15: the scan was most of a key-nodes
    call) and that check is younger than :data:`CHECK_SECONDS`."""
    session.connection()  # the transaction begins (and notes its epoch) before the first read
    began, database, now = data_epoch.of_transaction(session), str(session.get_bind().url), time.monotonic()
    checked = _CHECKED.get(database)
    if began is not None and checked is not None and checked[0] == began and now - checked[1] < CHECK_SECONDS:
        return checked[2]
    loaded = cached_registry_network(session)
    if began is not None and data_epoch.of_transaction(session) == began:
        _CHECKED[database] = (began, now, loaded)
    return loaded


def _keep(loaded: RegistryNetwork, key: tuple, rows: list[RiskRow]) -> None:
    with _RANKED_LOCK:
        if _RANKED["network"] is not loaded:
            _RANKED.update(network=loaded, rows={})
        _RANKED["rows"][key] = tuple(rows)
