"""A reported starting state for :func:`~chainkeeper.network.simulate`: initial stocks in days of use.

Inoue & Todo's simulator (``proNet.cpp``) starts every firm with its target stock, ``inventoryN`` days of each
link's baseline use, and the economy at its steady state.  A forecast starts instead from what the enterprises
report: each customer's days of inventory of an input industry (or of one supplier's part).  A stock of ``d`` days
of link ``j -> i`` is ``d * A_ij`` (``A_ij``: the link's baseline daily flow), the unit ``proNet.cpp`` uses for its
targets.  NaN means "not reported": that link starts at its target.

Examples
--------
>>> import numpy as np
>>> from chainkeeper.network import SupplyNetwork
>>> net = SupplyNetwork.from_edges([0, 1, 0], [2, 2, 1], [1.0, 1.0, 1.0], [0, 1, 2], np.full((3, 3), 2))
>>> stock_days_per_link(net, by_industry={(2, 0): 5.0}, by_supplier={(2, 1): 2.0}).tolist()
[nan, 5.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .errors import ScenarioError
from .network import SupplyNetwork

__all__ = ["stock_days_per_link", "as_link_days"]


def stock_days_per_link(network: SupplyNetwork, *, by_industry: Mapping[tuple[int, int], float] | None = None,
                        by_supplier: Mapping[tuple[int, int], float] | None = None) -> np.ndarray:
    """Initial stock per link (CSR order) in days of use; NaN where nothing is given.

    Parameters
    ----------
    by_industry : mapping (customer firm, input industry) -> days
        Every link of the customer from a supplier of that industry starts with that many days.
    by_supplier : mapping (customer firm, supplier firm) -> days
        The link from that supplier starts with that many days (overrides ``by_industry``).

    Raises
    ------
    ScenarioError
        A key names a firm or industry outside the network, or a supplier that does not sell to the customer.
    """
    days = np.full(network.n_links, np.nan)
    n, k = network.n_firms, network.n_industries
    sup_ind = network.industry[network.supplier]
    if by_industry:
        keys, vals = _items(by_industry)
        _check_range(keys[:, 0], n, "customer firm")
        _check_range(keys[:, 1], k, "input industry")
        _assign(days, network.customer.astype(np.int64) * k + sup_ind, keys[:, 0] * k + keys[:, 1], vals)
    if by_supplier:
        keys, vals = _items(by_supplier)
        _check_range(keys[:, 0], n, "customer firm")
        _check_range(keys[:, 1], n, "supplier firm")
        link_code = network.supplier.astype(np.int64) * n + network.customer     # ascending: CSR order
        want = keys[:, 1] * n + keys[:, 0]
        pos = np.minimum(np.searchsorted(link_code, want), max(network.n_links - 1, 0))
        missing = network.n_links == 0 or link_code[pos] != want
        if np.any(missing):
            bad = int(np.flatnonzero(np.broadcast_to(missing, want.shape))[0])
            raise ScenarioError(f"initial stock names a link {int(keys[bad, 1])} -> {int(keys[bad, 0])} "
                                "that is not in the network")
        days[pos] = vals
    return days


def _items(mapping) -> tuple[np.ndarray, np.ndarray]:
    keys = np.array(list(mapping.keys()), dtype=np.int64).reshape(-1, 2)
    return keys, np.array(list(mapping.values()), dtype=np.float64)


def _assign(days: np.ndarray, link_code: np.ndarray, want: np.ndarray, vals: np.ndarray) -> None:
    """``days[link] = vals[i]`` where ``link_code[link] == want[i]`` (want need not be sorted)."""
    order = np.argsort(want, kind="stable")
    sorted_want = want[order]
    pos = np.minimum(np.searchsorted(sorted_want, link_code), len(want) - 1)
    hit = sorted_want[pos] == link_code
    days[hit] = vals[order][pos[hit]]


def as_link_days(network: SupplyNetwork, value) -> np.ndarray | None:
    """``initial_stock_days`` as given to :func:`simulate`: None, a per-link array, or a (firm, industry) mapping."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return stock_days_per_link(network, by_industry=value)
    return np.asarray(value, dtype=np.float64)


def _check_range(values: np.ndarray, bound: int, what: str) -> None:
    bad = values[(values < 0) | (values >= bound)]
    if bad.size:
        raise ScenarioError(f"initial stock names {what} {int(bad[0])}, outside 0..{bound - 1}")
