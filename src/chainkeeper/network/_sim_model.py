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

from functools import cached_property

import numpy as np

from . import _sim_layout as lay
from ._sim_parallel import over_ranges, workers_for
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
        self._net = net
        # customer order of the CSR links: by customer, input industry, supplier (the permutation of a stable
        # sort of (customer, industry) on ``in_order``, which is by customer, then supplier), built by the
        # compiled passes of :mod:`._sim_layout` over customer ranges on the day's worker count; customer
        # position -> CSR link (int32 halves what is read) and its supplier's industry (read by ``_slots``)
        self._workers = workers_for(self.m)
        self.link_of = np.empty(self.m, np.int32 if self.m < 2**31 else np.int64)
        ind_pos = np.empty(self.m, np.int32 if self.k < 2**31 else np.int64)
        over_ranges(lay.customer_order, net.in_ptr, self._workers, net.in_ptr, net.in_order, net.supplier,
                    net.industry, self.link_of, ind_pos)
        self.a_csr = np.asarray(net.weight, np.float64)
        self.out_ptr = net.out_ptr
        # each link's stock target in days and in units, in CSR order
        self.days_csr, self.ta_csr = np.empty(self.m), np.empty(self.m)
        inv = net.inventory_days
        self.raised_links = int(lay.link_days(np.zeros(0) if inv is None else np.asarray(inv, np.float64),
                                              inv is not None, float(inventory_days), self.a_csr, self.days_csr,
                                              self.ta_csr))
        self._slots(net, ind_pos)
        del ind_pos
        xs = self.x0[self.slot_cust]
        # production the baseline stock of a slot allows, minus x0 (>= 0 once targets are >= 1 day)
        self.slot_base = xs * (self._ta_slot / self.slot_a - 1.0)
        self.slot_scale = xs / self.slot_a
        types = net.essential[self.slot_ind, net.industry[self.slot_cust]]
        self.slot_bind = (types == 2) if leontief == "essential" else np.ones(self.slot_cust.shape[0], dtype=bool)
        self.va_share = np.divide(self.x0 - net.s_in, self.x0, out=np.zeros(n),
                                  where=self.x0 > 0).clip(0.0, 1.0)
        self.stock = stock
        if stock == "link":
            self.cust_csr = net.customer.astype(np.int32 if self.n < 2**31 else np.int64)
            self._binding_links()
        else:
            slot_of_link = self._slot_of_link
            self.unit_ptr = self.slot_ptr_links.copy()
            self.slot_ptr = np.arange(self.slot_cust.shape[0] + 1, dtype=np.int64)
            self.unit_a = self.slot_a.copy()
            self.unit_ta = self._ta_slot.copy()
            self.l_share = self.l_a / self.slot_a[slot_of_link]
        self._init_days = self._initial_days(initial_stock_days)

    def _slots(self, net: SupplyNetwork, ind_pos: np.ndarray) -> None:
        """Slots over the customer order (:func:`._sim_layout.slot_counts`, then :func:`._sim_layout.slots_range`
        over customer ranges): ``slot_ptr_links``, ``slot_cust``, ``slot_ind``, ``cust_ptr``, ``slot_a`` and the
        slots' baseline stocks ``_ta_slot``."""
        m, n, ptr = self.m, self.n, net.in_ptr
        counts = np.empty(n, np.int64)
        over_ranges(lay.slot_counts, ptr, self._workers, ptr, ind_pos, counts)
        self.cust_ptr = np.zeros(n + 1, np.int64)
        np.cumsum(counts, out=self.cust_ptr[1:])
        ns = int(self.cust_ptr[n])
        self.slot_ptr_links = np.empty(ns + 1, np.int64)
        self.slot_ptr_links[ns] = m
        self.slot_cust, self.slot_ind = np.empty(ns, np.int64), np.empty(ns, np.int64)
        self.slot_a, self._ta_slot = np.empty(ns), np.empty(ns)
        over_ranges(lay.slots_range, ptr, self._workers, ptr, self.link_of, ind_pos, self.a_csr, self.days_csr,
                    self.cust_ptr, self.slot_ptr_links, self.slot_cust, self.slot_ind, self.slot_a, self._ta_slot)

    # customer-order arrays the supplier-order day (stock="link") does not read: built when first used (the
    # tail's locked firms, DayState's stock properties, the stability check, stock="industry")
    @cached_property
    def cpos(self) -> np.ndarray:
        """CSR link -> customer position."""
        cpos = np.empty(self.m, np.int64)
        cpos[self.link_of] = np.arange(self.m)
        return cpos

    @cached_property
    def l_sup(self) -> np.ndarray:
        return self._net.supplier[self.link_of].astype(np.int64)

    @cached_property
    def l_a(self) -> np.ndarray:
        return self.a_csr[self.link_of]

    @cached_property
    def _slot_of_link(self) -> np.ndarray:
        return np.repeat(np.arange(self.slot_cust.shape[0]), np.diff(self.slot_ptr_links))

    @cached_property
    def unit_ptr(self) -> np.ndarray:
        """Units (what holds one stock) -> their first link in customer order (``stock="link"``: one per link)."""
        return np.arange(self.m + 1, dtype=np.int64)

    @cached_property
    def slot_ptr(self) -> np.ndarray:
        """Slots -> their first unit."""
        return self.slot_ptr_links.copy()

    @cached_property
    def unit_a(self) -> np.ndarray:
        return self.l_a.copy()

    @cached_property
    def unit_ta(self) -> np.ndarray:
        return self.ta_csr[self.link_of]

    @cached_property
    def l_share(self) -> np.ndarray:
        return np.ones(self.m)

    @cached_property
    def unit_cust(self) -> np.ndarray:
        return self._net.customer[self.link_of[self.unit_ptr[:-1]]].astype(np.int64)

    @cached_property
    def link_unit(self) -> np.ndarray:
        return np.repeat(np.arange(self.unit_a.shape[0]), np.diff(self.unit_ptr))

    def _binding_links(self) -> None:
        """The binding slots only, for the input limit of the supplier-order day (:mod:`._sim_linkpass`).

        ``bind_cust_ptr`` (per customer) points into the binding slots ``bind_base``, ``bind_scale``,
        ``bind_ind``; ``bind_ptr`` (per binding slot) into ``bind_links``, the CSR positions of the slot's links
        in customer order.
        """
        slots = np.flatnonzero(self.slot_bind)
        self.bind_base, self.bind_scale = self.slot_base[slots], self.slot_scale[slots]
        self.bind_ind = self.slot_ind[slots]
        self.bind_cust_ptr = np.empty(self.n + 1, np.int64)
        self.bind_ptr = np.empty(slots.shape[0] + 1, np.int64)
        n_links = int((self.slot_ptr_links[slots + 1] - self.slot_ptr_links[slots]).sum())
        self.bind_links = np.empty(n_links, self.link_of.dtype)
        lay.binding_links(self.cust_ptr, self.slot_ptr_links, self.slot_bind, self.link_of, self.bind_cust_ptr,
                          self.bind_ptr, self.bind_links)

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

    def _initial_days(self, initial_days) -> np.ndarray | None:
        """The reported stock per link (CSR order) in days of baseline use, checked; None: every target."""
        if initial_days is None:
            return None
        init = np.asarray(initial_days, dtype=np.float64)
        if init.shape != (self.m,):
            raise LengthMismatchError(f"initial_stock_days must have one value per link ({self.m}), got {init.shape}")
        if (init[~np.isnan(init)] < 0).any() or np.isinf(init).any():
            raise ScenarioError("initial_stock_days must be finite and >= 0 (NaN = the target)")
        return init

    def initial_stock_csr(self) -> np.ndarray:
        """Stock deviations per link (CSR order) on day -1 (``stock="link"``): zeros, every link at its target,
        or ``S(-1) - target`` from the reported days (a reported stock below one day is kept as reported: only
        *targets* are raised)."""
        init = self._init_days
        if init is None:
            return np.zeros(self.m)
        return np.where(np.isnan(init), 0.0, (init - self.days_csr) * self.a_csr)

    def initial_stock_dev(self) -> np.ndarray:
        """Stock deviations on day -1 per unit (customer order): every unit holds its target, or the reported
        initial stock."""
        if self._init_days is None:
            return np.zeros(self.unit_a.shape[0])
        dev = self.initial_stock_csr()[self.link_of]
        if self.stock == "link":
            return dev
        return np.bincount(self._slot_of_link, weights=dev, minlength=self.unit_a.shape[0])

