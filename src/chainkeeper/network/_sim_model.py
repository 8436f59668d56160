"""Static arrays of :func:`chainkeeper.network.simulate` (internal).

Links are laid out in *customer order*: sorted by customer, then by the
supplier's industry, then by supplier.  Three nested groupings sit on that
order:

* a **unit** is what holds one stock: one link (``stock="link"``, the
  authors' model) or all links of a customer from one industry
  (``stock="industry"``);
* a **slot** is a (customer, input industry) pair: the units of one industry;
  the production limit of a firm uses each binding slot's total stock;
* a **customer** owns a contiguous range of slots.

Every quantity is kept as a *deviation from the baseline* by the kernels, so
the baseline values stored here (``unit_a``, ``unit_ta``, ``slot_base``) are
the only place where baseline levels appear.
"""

from __future__ import annotations

import numpy as np

from .errors import InvalidWeightError, LengthMismatchError, ScenarioError
from .network import SupplyNetwork

STOCKS = ("link", "industry")
LEONTIEF = ("essential", "all")


class SimModel:
    """Arrays describing the network for the daily kernels."""

    def __init__(self, net: SupplyNetwork, output, inventory_days: float, leontief: str, stock: str,
                 initial_stock_days=None):
        if leontief not in LEONTIEF:
            raise ScenarioError(f"leontief must be 'essential' or 'all', got {leontief!r}")
        if stock not in STOCKS:
            raise ScenarioError(f"stock must be 'link' or 'industry', got {stock!r}")
        if not inventory_days > 0:
            raise ScenarioError(f"inventory_days must be positive, got {inventory_days}")
        n = net.n_firms
        self.n, self.k, self.m = n, net.n_industries, net.n_links
        self.x0 = self._output(net, output)
        self.final = np.maximum(self.x0 - net.s_out, 0.0)
        sup_ind = net.industry[net.supplier]
        # customer order of the CSR links: by customer, input industry, supplier.  ``in_order`` is already by
        # customer and, within a customer, by supplier (a stable sort of the CSR order), so a stable sort of
        # (customer, industry) on it is that order, and a sort of nearly sorted keys (7x a full lexsort at 5M links)
        by_cust = net.in_order
        key = net.customer[by_cust].astype(np.int64) * np.int64(max(net.n_industries, 1)) + sup_ind[by_cust]
        order = by_cust[np.argsort(key, kind="stable")]
        # customer position -> CSR link (int32 halves what the daily pass reads)
        self.link_of = order.astype(np.int32 if self.m < 2**31 else np.int64)
        self.cpos = np.empty(self.m, np.int64)
        self.cpos[order] = np.arange(self.m)                          # CSR link -> customer position
        self.l_sup = net.supplier[order].astype(np.int64)
        self.l_a = net.weight[order].astype(np.float64)
        self.a_csr = np.asarray(net.weight, np.float64)
        self.out_ptr = net.out_ptr
        cust, ind = net.customer[order], sup_ind[order]
        days = self._link_days(net, order, float(inventory_days))
        new_slot = _starts(cust, ind)
        self.slot_ptr_links = np.append(np.flatnonzero(new_slot), self.m).astype(np.int64)
        self.slot_cust = cust[new_slot].astype(np.int64)
        self.slot_ind = ind[new_slot].astype(np.int64)
        n_slots = self.slot_cust.shape[0]
        self.cust_ptr = np.searchsorted(self.slot_cust, np.arange(n + 1)).astype(np.int64)
        slot_of_link = np.repeat(np.arange(n_slots), np.diff(self.slot_ptr_links))
        self.slot_a = np.bincount(slot_of_link, weights=self.l_a, minlength=n_slots)
        if stock == "link":
            self.unit_ptr = np.arange(self.m + 1, dtype=np.int64)
            self.slot_ptr = self.slot_ptr_links.copy()
            self.unit_a = self.l_a.copy()
            self.unit_ta = days * self.l_a
            self.l_share = np.ones(self.m)
            # the same per link in CSR order, for the supplier-order day (:mod:`._sim_linkpass`)
            self.ta_csr = self.unit_ta[self.cpos]
            self.cust_csr = net.customer.astype(np.int32 if self.n < 2**31 else np.int64)
        else:
            self.unit_ptr = self.slot_ptr_links.copy()
            self.slot_ptr = np.arange(n_slots + 1, dtype=np.int64)
            self.unit_a = self.slot_a.copy()
            self.unit_ta = np.bincount(slot_of_link, weights=days * self.l_a, minlength=n_slots)
            self.l_share = self.l_a / self.slot_a[slot_of_link]
        self.unit_cust = cust[self.unit_ptr[:-1]].astype(np.int64)
        self.link_unit = np.repeat(np.arange(self.unit_a.shape[0]), np.diff(self.unit_ptr))
        ta_slot = np.bincount(slot_of_link, weights=days * self.l_a, minlength=n_slots)
        # production the baseline stock of a slot allows, minus x0 (>= 0 once targets are >= 1 day)
        xs = self.x0[self.slot_cust]
        self.slot_base = xs * (ta_slot / self.slot_a - 1.0)
        self.slot_scale = xs / self.slot_a
        types = net.essential[self.slot_ind, net.industry[self.slot_cust]]
        self.slot_bind = (types == 2) if leontief == "essential" else np.ones(n_slots, dtype=bool)
        self.va_share = np.divide(self.x0 - net.s_in, self.x0, out=np.zeros(n),
                                  where=self.x0 > 0).clip(0.0, 1.0)
        self.stock = stock
        if stock == "link":
            self._binding_links()
        self._s0 = self._initial_stock(net, order, slot_of_link, days, initial_stock_days)

    def _binding_links(self) -> None:
        """The binding slots only, for the input limit of the supplier-order day (:mod:`._sim_linkpass`).

        ``bind_cust_ptr`` (per customer) points into the binding slots ``bind_base``, ``bind_scale``,
        ``bind_ind``; ``bind_ptr`` (per binding slot) into ``bind_links``, the CSR positions of the slot's links
        in customer order.
        """
        slots = np.flatnonzero(self.slot_bind)
        self.bind_cust_ptr = np.searchsorted(self.slot_cust[slots], np.arange(self.n + 1)).astype(np.int64)
        self.bind_base, self.bind_scale = self.slot_base[slots], self.slot_scale[slots]
        self.bind_ind = self.slot_ind[slots]
        lo, hi = self.slot_ptr_links[slots], self.slot_ptr_links[slots + 1]
        self.bind_ptr = np.concatenate(([0], np.cumsum(hi - lo))).astype(np.int64)
        pos = np.arange(int(self.bind_ptr[-1])) + np.repeat(lo - self.bind_ptr[:-1], hi - lo)
        self.bind_links = self.link_of[pos]

    def _output(self, net: SupplyNetwork, output) -> np.ndarray:
        n = net.n_firms
        x0 = np.maximum(net.s_out, net.s_in) if output is None else np.asarray(output, float)
        if x0.shape != (n,):
            raise LengthMismatchError(f"output must have shape ({n},), got {x0.shape}")
        if not np.isfinite(x0).all() or (x0 < net.s_out * (1 - 1e-9)).any():
            raise InvalidWeightError("output must be finite and at least each firm's sales to firms")
        buyers = np.flatnonzero((net.s_in > 0) & (x0 <= 0))
        if buyers.size:
            raise InvalidWeightError(f"output must be positive for firms that buy inputs (firm {buyers[0]})")
        return np.maximum(x0, net.s_out)

    def _link_days(self, net: SupplyNetwork, order: np.ndarray, default: float) -> np.ndarray:
        """Target stock of each link in days of baseline use (at least one day)."""
        days = np.full(self.m, default)
        if net.inventory_days is not None:
            known = net.inventory_days[order]
            days = np.where(np.isnan(known), default, known)
        self.raised_links = int((days < 1.0).sum())
        return np.maximum(days, 1.0)

    def _initial_stock(self, net, order, slot_of_link, days, initial_days) -> np.ndarray:
        """Stock deviations on day -1 from a reported state (zeros: every unit holds its target).

        ``initial_days`` is per link in CSR order, in days of baseline use of that link; NaN keeps the
        link's target.  A reported stock below one day is kept as reported (only *targets* are raised).
        """
        if initial_days is None:
            return np.zeros(self.unit_a.shape[0])
        init = np.asarray(initial_days, dtype=np.float64)
        if init.shape != (self.m,):
            raise LengthMismatchError(f"initial_stock_days must have one value per link ({self.m}), got {init.shape}")
        if (init[~np.isnan(init)] < 0).any() or np.isinf(init).any():
            raise ScenarioError("initial_stock_days must be finite and >= 0 (NaN = the target)")
        link_days = init[order]
        dev = np.where(np.isnan(link_days), 0.0, (link_days - days) * self.l_a)   # S(-1) - target, per link
        if self.stock == "link":
            return dev
        return np.bincount(slot_of_link, weights=dev, minlength=self.unit_a.shape[0])

    def initial_stock_dev(self) -> np.ndarray:
        """Stock deviations on day -1: every unit holds its target, or the reported initial stock."""
        return self._s0.copy()


def _starts(*keys: np.ndarray) -> np.ndarray:
    """True where any of the sorted key arrays changes (and at position 0)."""
    m = keys[0].shape[0]
    first = np.zeros(m, dtype=bool)
    if m:
        first[0] = True
        for k in keys:
            first[1:] |= k[1:] != k[:-1]
    return first
