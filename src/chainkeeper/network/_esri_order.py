"""Firms renumbered for memory locality in the batched full-sweep engine (internal).

A lane sweep gathers, for every link, the loss row (one double per lane) of the link's other end. On a large
network those rows live in the L3 or in memory; when the firms a customer buys from are numbered close to the
customer, the rows one run of links gathers are close to each other and to the rows just written. Supply
networks are regional, so :func:`locality_order` numbers the firms of a network whose links largely stay in a
region by (region, industry), keeping the given order inside each group; :func:`renumbered` builds the
operators in that numbering. Every firm's links stay in the same order inside its run (the per-firm sums are
bitwise those of the given numbering); the engine maps the shocked firms into the new numbering, and as its
output is per scenario the renumbering is invisible to callers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ._esri_ops import ESRIOperators
from .network import SupplyNetwork

#: Renumber only networks whose lane states (32 lanes x 8 bytes per firm and array) exceed a core's L2:
#: below that the gathered rows are cache-resident whatever the numbering.
MIN_FIRMS = 20_000
#: ... and only for at least this many scenarios (a lane width): renumbering costs about 70 ms at 100k firms.
MIN_SCENARIOS = 32
#: ... and only networks whose links mostly stay in a region: on a network without locality no numbering
#: helps (measured: given, random, by degree, RCM within noise), so the given one is kept.
MIN_REGIONAL_SHARE = 0.25


def locality_order(net: SupplyNetwork, n_scenarios: int) -> np.ndarray | None:
    """Firms in the engine's numbering (``order[new] = old``), or ``None`` to keep the network's numbering.

    By (region, industry), stable; ``None`` without regions, with a single region, when fewer than
    ``MIN_REGIONAL_SHARE`` of the links stay in a region, when the network is small, for a few
    scenarios, or when the firms are already in that order.
    """
    if (net.region is None or net.n_firms < MIN_FIRMS or n_scenarios < MIN_SCENARIOS
            or np.unique(net.region).size < 2):
        return None
    if (net.region[net.supplier] == net.region[net.customer]).mean() < MIN_REGIONAL_SHARE:
        return None
    order = np.lexsort((net.industry, net.region))
    if (order == np.arange(order.size)).all():
        return None
    return order


def _runs(ptr: np.ndarray, order: np.ndarray):
    """New pointers and the link gather index when the runs ``ptr[i]:ptr[i+1]`` are taken in ``order``."""
    size = np.diff(ptr)[order]
    new_ptr = np.zeros(order.size + 1, dtype=np.int64)
    np.cumsum(size, out=new_ptr[1:])
    # link k of new run r comes from ptr[order[r]] + (k - new_ptr[r])
    gather = np.arange(new_ptr[-1], dtype=np.int64) + np.repeat(ptr[:-1][order] - new_ptr[:-1], size)
    return new_ptr, gather


def renumbered(ops: ESRIOperators, order: np.ndarray) -> tuple[ESRIOperators, np.ndarray]:
    """The operators with firm ``order[r]`` as firm ``r``, and ``new_id`` (``new_id[old] = new``).

    A supplier's (customer's) links keep their order; slots keep their order within a customer.
    """
    n = ops.n
    new_id = np.empty(n, dtype=np.int64)
    new_id[order] = np.arange(n, dtype=np.int64)
    slot_ptr, slot_from = _runs(ops.slot_ptr, order)
    new_slot = np.empty(slot_from.size + 1, dtype=np.int64)  # new_slot[-1] = -1 keeps "not essential"
    new_slot[slot_from] = np.arange(slot_from.size, dtype=np.int64)
    new_slot[-1] = -1
    out_ptr, go = _runs(ops.out_ptr, order)
    in_ptr, gi = _runs(ops.in_ptr, order)
    renamed = replace(
        ops, out_ptr=out_ptr, out_cust=new_id[ops.out_cust[go]], out_lamd=ops.out_lamd[go],
        out_slot=new_slot[ops.out_slot[go]], slot_ptr=slot_ptr, in_ptr=in_ptr,
        in_supp=new_id[ops.in_supp[gi]], in_lamu=ops.in_lamu[gi], out_lamu=ops.out_lamu[go],
        in_lamd=ops.in_lamd[gi], in_slot=new_slot[ops.in_slot[gi]], weights=ops.weights[order],
        market=None if ops.market is None else ops.market[order])
    return renamed, new_id
