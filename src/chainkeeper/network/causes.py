"""Why a firm falls: walk back the limiting inputs of a :class:`~chainkeeper.network.SimulationResult`.

In Inoue & Todo's model a firm's production is bounded by the total stock of each binding input industry
(``proNet.cpp``: the minimum over input industries of ``x0 * S_k / A_k``).  When that bound is what pulls a firm
below 90%, the industry is recorded (``limiting_at_90``, else the worst day's ``limiting_industry``).  Among the
firm's suppliers of that industry the one that fell lowest is the one that failed to deliver; the walk repeats
from it until a firm is held by its own capacity (a reported cut: the blocking point), by a stock with a
healthy supplier, or the chain would loop.

Examples
--------
>>> import numpy as np
>>> from chainkeeper.network import Shock, SupplyNetwork, simulate
>>> net = SupplyNetwork.from_edges([0, 1], [1, 2], [1.0, 1.0], [0, 1, 2], [[0, 2, 0], [0, 0, 2], [0, 0, 0]])
>>> res = simulate(net, Shock(cut=1.0, firms=[0]), days=20, inventory_days=3)
>>> limiting_chain(net, res, 2)
[1, 0]
"""

from __future__ import annotations

import numpy as np

from .network import SupplyNetwork

__all__ = ["limiting_chain", "HIT_BELOW"]

HIT_BELOW = 0.999
"""A supplier counts as failing when its lowest daily output falls below this share of its baseline."""


def limiting_chain(network: SupplyNetwork, result, firm: int, max_depth: int = 8) -> list[int]:
    """Suppliers (nearest first) through which the shortage reached ``firm``; empty when no input bound it."""
    at_90 = result.limiting_at_90 if result.limiting_at_90 is not None else result.limiting_industry
    chain: list[int] = []
    current = int(firm)
    industry = _binding(at_90, result.limiting_industry, current)
    while industry >= 0 and len(chain) < max_depth:
        supplier = _failing_supplier(network, result.min_level, current, industry)
        if supplier < 0 or supplier == firm or supplier in chain:
            break
        chain.append(supplier)
        current = supplier
        industry = _binding(at_90, result.limiting_industry, current)
    return chain


def _binding(at_90: np.ndarray, worst: np.ndarray, firm: int) -> int:
    return int(at_90[firm]) if at_90[firm] >= 0 else int(worst[firm])


def _failing_supplier(network: SupplyNetwork, min_level: np.ndarray, customer: int, industry: int) -> int:
    """The customer's supplier of ``industry`` that fell lowest (ties: the larger flow); -1 if none fell."""
    links = network.in_order[network.in_ptr[customer]:network.in_ptr[customer + 1]]
    sup = network.supplier[links]
    keep = network.industry[sup] == industry
    sup, weight = sup[keep], network.weight[links][keep]
    if not sup.size:
        return -1
    best = np.lexsort((-weight, min_level[sup]))[0]
    return int(sup[best]) if min_level[sup[best]] < HIT_BELOW else -1
