"""The engine's part of the demo story: a 30-day stop of Shanghai starves OEMs elsewhere; whose restart matters most."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from chainkeeper.analysis.loader import load_registry_network
from chainkeeper.analysis.service import HitFirm, RiskRow, rank_systemic_risk, simulate_regional_stop
from chainkeeper.db import unit_of_work

SHANGHAI = 31
OEM_CLASSES = ("3611", "3612")


@dataclass
class LockdownStory:
    """OEMs outside Shanghai that a 30-day stop starves, and Shanghai's auto suppliers ranked by systemic risk."""

    starved_oems: list[HitFirm]
    key_suppliers: list[RiskRow]


def shanghai_lockdown(engine: Engine, *, top: int = 40) -> LockdownStory:
    """Run the engine on the registry: Shanghai −90% for 30 days; ESRI of Shanghai's auto-chain firms."""
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
        starved = simulate_regional_stop(session=session, region=SHANGHAI, cut=0.9, duration=30, days=45,
                                         industries=OEM_CLASSES, loaded=loaded)
        ranked = rank_systemic_risk(session=session, chain="auto", province=SHANGHAI, top=top, loaded=loaded)
    return LockdownStory(starved_oems=starved, key_suppliers=ranked)
