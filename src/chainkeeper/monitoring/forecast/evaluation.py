"""The backtest on the registry: the April 2022 story, reports each day, forecasts checked against the story.

The story is the analysis workspace's April 2022 scenario (:data:`chainkeeper.analysis.demo.APRIL_2022`: Shanghai's
plants −90% for 30 days from 2022-04-01).  On each report day the reporters — the key enterprises and their direct
suppliers, as lane B's daily scheduling has them report — report their utilisation and their days of inventory
per input industry, taken from the story (:mod:`.backtest`); a forecast seeded with those reports only is compared
with the story's next ``window`` days.  The figures are kept as a :class:`ForecastBacktest`.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from chainkeeper.analysis.loader import RegistryNetwork
from chainkeeper.network import Shock

from . import backtest as bt
from . import compute
from .models import ForecastBacktest

STORY_START = date(2022, 4, 1)
FIRST_REPORT = date(2022, 4, 11)
LAST_REPORT = date(2022, 4, 24)
SHANGHAI = 31


def story_shocks() -> list[Shock]:
    """The April 2022 story: every registered firm of Shanghai −90% for 30 days from :data:`STORY_START`."""
    return [Shock(cut=0.9, regions=[SHANGHAI], duration=30)]


def reporters_of(loaded: RegistryNetwork, key_firms: np.ndarray) -> np.ndarray:
    """The key firms and their direct suppliers (firm indices)."""
    net = loaded.network
    is_key = np.zeros(net.n_firms, dtype=bool)
    is_key[key_firms] = True
    return np.union1d(key_firms, np.unique(net.supplier[is_key[net.customer]]))


def story_state(loaded: RegistryNetwork, story: bt.Story, day: int, reporters: np.ndarray) -> compute.ReportedState:
    """The reports of story day ``day`` as a :class:`~.compute.ReportedState` (enterprise ids, industry codes)."""
    net = loaded.network
    capacity, stock = bt.reported_seed(net, story, day, reporters)
    cap = {int(loaded.enterprise_ids[f]): round(float(capacity[f]), 4) for f in reporters}
    reporting = np.zeros(net.n_firms, dtype=bool)
    reporting[reporters] = True
    rows = {}
    for link in np.flatnonzero(reporting[net.customer]):
        cust, ind = int(net.customer[link]), int(net.industry[net.supplier[link]])
        rows[(cust, ind)] = float(stock[link])
    inventory = tuple(compute.InventoryRow(int(loaded.enterprise_ids[c]), loaded.industries[k], "", "", round(d, 2))
                      for (c, k), d in rows.items())
    return compute.ReportedState(cap, inventory)


def run_backtest(*, session: Session, loaded: RegistryNetwork, key_ids: set[int], horizon: int = 30,
                 window: int = 14, first: date = FIRST_REPORT, last: date = LAST_REPORT) -> ForecastBacktest:
    """Backtest the forecasts made on each day from ``first`` to ``last`` and keep the figures."""
    started = time.perf_counter()
    firm_of = {int(e): i for i, e in enumerate(loaded.enterprise_ids)}
    keys = np.array(sorted(firm_of[e] for e in key_ids if e in firm_of), dtype=np.int64)
    reporters = reporters_of(loaded, keys)
    days = [(first - STORY_START).days + k for k in range((last - first).days + 1)]
    scores = bt.backtest(loaded.network, story_shocks(), days, keys, reporters, horizon=horizon, window=window)
    totals = bt.total(scores)
    figures = {
        "total": {name: s.as_dict() for name, s in totals.items()},
        "days": [{"day": (STORY_START + timedelta(days=d)).isoformat()} | {n: s.as_dict() for n, s in score.items()}
                 for d, score in zip(days, scores)],
        "key_firms": int(keys.size), "reporters": int(reporters.size),
        "seconds": round(time.perf_counter() - started, 2),
    }
    row = ForecastBacktest(first_day=first, last_day=last, horizon=horizon, window=window,
                           source="April 2022 story: Shanghai -90% for 30 days from 2022-04-01", figures=figures)
    session.add(row)
    session.flush()
    return row
