"""The engine's answers for the platform: systemic-risk rankings and regional-stop simulations on the registry."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from chainkeeper.analysis.loader import RegistryNetwork, load_registry_network
from chainkeeper.network import Shock


@dataclass(frozen=True)
class RiskRow:
    """One firm's systemic risk: the share of production lost when it fails."""

    uscc: str
    name: str
    province: int
    chain: str
    esri: float
    downstream: float
    upstream: float


def rank_systemic_risk(*, session: Session, scope: ColumnElement[bool] = true(), chain: str | None = None,
                       province: int | None = None, top: int = 40,
                       loaded: RegistryNetwork | None = None) -> list[RiskRow]:
    """The ``top`` firms by ESRI, highest first; optionally only firms of one key chain and/or province.

    The cascade always runs on the whole network in ``scope``: only the list of failed firms is filtered.
    """
    loaded = loaded or load_registry_network(session=session, scope=scope)
    wanted = np.ones(loaded.network.n_firms, dtype=bool)
    if chain:
        wanted &= loaded.chain == chain
    if province is not None:
        wanted &= loaded.province == province
    candidates = np.flatnonzero(wanted)
    if len(candidates) == 0:
        return []
    from chainkeeper.network import esri  # numba on first use, not at start-up

    result = esri(loaded.network, firms=candidates)
    order = np.argsort(-result.esri, kind="stable")[:top]
    return [RiskRow(str(loaded.usccs[candidates[i]]), loaded.names[candidates[i]], int(loaded.province[candidates[i]]),
                    str(loaded.chain[candidates[i]]), float(result.esri[i]), float(result.downstream[i]),
                    float(result.upstream[i])) for i in order]


@dataclass(frozen=True)
class HitFirm:
    """A firm hit by a simulated stop: when it falls below 90% and 50% of normal output, and how low it goes."""

    uscc: str
    name: str
    city: int
    industry: str
    first_below_90: int | None
    first_below_50: int | None
    min_level: float


def _day(value) -> int | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) or value < 0 else int(value)


def simulate_regional_stop(*, session: Session, region: int, cut: float = 0.9, duration: int = 30, days: int = 45,
                           scope: ColumnElement[bool] = true(), industries: tuple[str, ...] = (),
                           loaded: RegistryNetwork | None = None) -> list[HitFirm]:
    """Firms outside ``region`` (a province code) whose output falls below 90%, earliest first.

    ``industries`` restricts the answer to firms of those class codes (e.g. OEMs 3611/3612).
    """
    loaded = loaded or load_registry_network(session=session, scope=scope)
    from chainkeeper.network import simulate  # numba on first use, not at start-up

    result = simulate(loaded.network, [Shock(cut=cut, regions=[region], duration=duration)], days=days)
    hit = []
    for i in range(loaded.network.n_firms):
        industry = loaded.industries[loaded.network.industry[i]]
        below_90 = _day(result.first_below_90[i])
        if loaded.province[i] == region or below_90 is None or (industries and industry not in industries):
            continue
        hit.append(HitFirm(str(loaded.usccs[i]), loaded.names[i], int(loaded.city[i]), industry, below_90,
                           _day(result.first_below_50[i]), float(result.min_level[i])))
    return sorted(hit, key=lambda firm: (firm.first_below_90, firm.min_level))
