"""Daily aggregates, per-firm outcomes and locked firms of :func:`simulate` (internal)."""

from __future__ import annotations

import numpy as np
from numba import njit

from ._prefetch import prefetch_gather
from ._sim_model import SimModel
from .network import SupplyNetwork

STOPPED = 1e-9   # a firm producing at most this share of its baseline has stopped


@njit(cache=True, nogil=True)
def record_firms(day, x0, va_share, p, pm, pm_ind, cut, d, x, va, t90, t50, loss, bound_days, limiting_90,
                 min_level, limiting, i0, i1):
    """One day's per-firm outcomes of firms ``i0:i1`` in one pass: output ``x`` and value added ``va``
    (filled), the first day below 90 % / 50 % of baseline, cumulated loss, days bound by an input, and the binding
    input industry when a firm first falls below 90 % and at its lowest level (-1 when no input binds).  Each firm
    writes only its own entries, so ranges may run in parallel."""
    for i in range(i0, i1):
        xi = x0[i] + p[i]
        x[i] = xi
        va[i] = xi * va_share[i]
        level = xi / x0[i] if x0[i] > 0 else 1.0
        if t90[i] < 0 and level < 0.9:
            t90[i] = day
        if t50[i] < 0 and level < 0.5:
            t50[i] = day
        loss[i] -= p[i]
        bound = pm[i] < -cut[i] * x0[i] and pm[i] < d[i] and p[i] < 0
        if bound:
            bound_days[i] += 1
        why = pm_ind[i] if bound else -1
        if t90[i] == day:
            limiting_90[i] = why
        if level < min_level[i]:
            min_level[i] = level
            limiting[i] = why


@njit(cache=True, nogil=True)
def add_by_group(groups, x, va, prod, va_out):
    """Output and value added summed by group (region or industry) into the (zeroed) rows given, firm by firm in
    order: the sums ``np.bincount(groups, weights=...)`` makes, two in one pass.  The region and the industry sums
    are independent, so they run on two threads (:meth:`Recorder.record`)."""
    for i in range(x.shape[0]):
        g = groups[i]
        prod[g] += x[i]
        va_out[g] += va[i]


def _narrow(groups: np.ndarray) -> np.ndarray:
    """Group numbers (``0..k-1``) as int32 when they fit (the same sums, fewer bytes read a day)."""
    groups = np.asarray(groups)
    return groups.astype(np.int32) if groups.size == 0 or groups.max() < 2**31 else groups


def _now(fn, *args) -> None:
    """``fn(*args)`` on this thread (:meth:`._sim_parallel.DayRunner.submit` without a pool)."""
    fn(*args)


class Recorder:
    """Accumulates daily aggregates and per-firm outcomes."""

    def __init__(self, net: SupplyNetwork, mdl: SimModel, days: int, trace):
        n = net.n_firms
        reg = np.zeros(n, dtype=np.int64) if net.region is None else net.region
        self.region_codes, reg_of = np.unique(reg, return_inverse=True)
        # the groups as int32: the two daily sums by group (:func:`add_by_group`) read half the bytes
        self.mdl, self.ind, self.reg = mdl, _narrow(net.industry), _narrow(reg_of)
        r, k = self.region_codes.shape[0], net.n_industries
        self.prod, self.va, self.fc = np.zeros(days), np.zeros(days), np.zeros(days)
        self.prod_r, self.va_r = np.zeros((days, r)), np.zeros((days, r))
        self.prod_k, self.va_k = np.zeros((days, k)), np.zeros((days, k))
        self.t90 = np.full(n, -1, dtype=np.int64)
        self.t50 = np.full(n, -1, dtype=np.int64)
        self.min_level = np.ones(n)
        self.loss = np.zeros(n)
        self.limiting = np.full(n, -1, dtype=np.int64)
        self.limiting_90 = np.full(n, -1, dtype=np.int64)
        self.bound_days = np.zeros(n, dtype=np.int64)
        self._x, self._va = np.empty(n), np.empty(n)
        self.trace_idx = None if trace is None else np.asarray(trace, dtype=np.int64)
        self.trace = None if trace is None else np.zeros((days, self.trace_idx.shape[0]))

    def record(self, day, p, pm, pm_ind, cut, d, fc_served, runner=None):
        """Record day ``day`` from the production deviation ``p`` and its bounds (the per-firm pass over firm
        ranges on ``runner``'s threads when given: :meth:`._sim_parallel.DayRunner.firms`)."""
        mdl = self.mdl
        self.last_p = p
        x, va = self._x, self._va
        args = (record_firms, day, mdl.x0, mdl.va_share, p, pm, pm_ind, cut, d, x, va, self.t90, self.t50,
                self.loss, self.bound_days, self.limiting_90, self.min_level, self.limiting)
        if runner is None:
            args[0](*args[1:], 0, x.shape[0])
        else:
            runner.firms(*args)
        # the sums by region and by industry on the day's threads while this thread makes the national totals
        groups = ((self.reg, self.prod_r[day], self.va_r[day]), (self.ind, self.prod_k[day], self.va_k[day]))
        submit = _now if runner is None else runner.submit
        pending = [submit(add_by_group, g, x, va, prod, va_g) for g, prod, va_g in groups]
        self.prod[day], self.va[day], self.fc[day] = x.sum(), va.sum(), fc_served.sum()
        for job in pending:
            if job is not None:
                job.result()
        if self.trace is not None:
            self.trace[day] = x[self.trace_idx]


def locked_firms(net: SupplyNetwork, mdl: SimModel, order_rule: int, p, s, od, o, by_supplier: bool = False):
    """Firms stopped on the last day that the model will never restart, with the reason.

    Returns ``(firms, reasons, industries)``: ``"no_input"`` when a binding
    input's stock is empty and the firm orders against its own (zero)
    production, so it never reorders it (order rules 0 and 2); ``"no_demand"``
    when the firm has no final demand and every customer is locked (or
    stopped and ordering nothing), so no order will ever reach it.

    ``s`` (stocks), ``od`` (deliveries) and ``o`` (orders) are per unit / link in customer order, or, with
    ``by_supplier`` (``stock="link"``), per link in CSR order: then one compiled pass over the links in customer
    order makes the same sums in the same order (:func:`_tail_sums`).
    """
    n = mdl.n
    x0 = mdl.x0
    stopped = mdl.x0 + p <= STOPPED * x0
    if by_supplier:
        empty_ind, places = np.empty(n, np.int64), np.empty(n)
        _tail_sums(mdl.cust_ptr, mdl.slot_ptr_links, mdl.slot_bind, mdl.slot_a, mdl.slot_ind, mdl.link_of,
                   mdl.ta_csr, s, od, mdl.a_csr, o, empty_ind, places)
    else:
        empty_ind = _empty_binding_input(mdl, s, od)
        places = np.bincount(mdl.unit_cust[mdl.link_unit], weights=np.maximum(mdl.l_a + o, 0.0), minlength=n)
    input_locked = stopped & (empty_ind >= 0) if order_rule in (0, 2) else np.zeros(n, dtype=bool)
    quiet = stopped & (places <= STOPPED * x0)        # orders nothing today
    cand = input_locked | (stopped & (mdl.final <= 0) & quiet)
    _drop_fed(net.out_ptr, net.customer, cand, input_locked)
    firms = np.flatnonzero(cand)
    reasons = np.where(input_locked[firms], "no_input", "no_demand")
    industries = np.where(input_locked[firms], empty_ind[firms], -1)
    return firms, reasons, industries.astype(np.int64)


def locked_firms_of_day(net: SupplyNetwork, mdl: SimModel, order_rule: int, st):
    """:func:`locked_firms` on the last day's state (a ``simulate.DayState``): per link in CSR order when the day
    ran by supplier, else per unit in customer order."""
    if st.by_supplier:
        return locked_firms(net, mdl, order_rule, st.p, st.s, st.od, st.o, True)
    return locked_firms(net, mdl, order_rule, st.p, st.s_units, st.od[mdl.link_of], st.o[mdl.link_of])


@njit(cache=True, nogil=True)
def _drop_fed(out_ptr, cust, cand, keep):
    """Drop from ``cand`` every firm not in ``keep`` with a customer outside ``cand``, until none is left: the
    largest set in which no such firm is fed (whatever the order of the drops, the same set)."""
    changed = True
    while changed:
        changed = False
        for j in range(out_ptr.shape[0] - 1):
            if not cand[j] or keep[j]:
                continue
            for lk in range(out_ptr[j], out_ptr[j + 1]):
                if not cand[cust[lk]]:
                    cand[j] = False
                    changed = True
                    break


@njit(cache=True, nogil=True)
def _tail_sums(cust_ptr, slot_ptr, slot_bind, slot_a, slot_ind, link_of, ta, s, od, a, o, empty_ind, places):
    """Per firm (``stock="link"``, links in CSR order): the first binding input industry whose stock tomorrow
    (after today's deliveries) is empty (-1 if none), and what it orders today (``places``), both summed over its
    links in customer order as :func:`_empty_binding_input` and ``np.bincount`` do."""
    for i in range(cust_ptr.shape[0] - 1):
        empty_ind[i] = -1
        placed = 0.0
        for sl in range(cust_ptr[i], cust_ptr[i + 1]):
            stock = 0.0
            for pos in range(slot_ptr[sl], slot_ptr[sl + 1]):
                prefetch_gather(ta, link_of, pos)
                prefetch_gather(s, link_of, pos)
                prefetch_gather(od, link_of, pos)
                prefetch_gather(a, link_of, pos)
                prefetch_gather(o, link_of, pos)
                lk = link_of[pos]
                v = ta[lk] + s[lk] + (0.0 + od[lk])
                stock += v if v > 0.0 else 0.0
                w = a[lk] + o[lk]
                placed += w if w > 0.0 else 0.0
            if empty_ind[i] < 0 and slot_bind[sl] and stock <= STOPPED * slot_a[sl]:
                empty_ind[i] = slot_ind[sl]
        places[i] = placed


def _empty_binding_input(mdl: SimModel, s, od) -> np.ndarray:
    """Industry of a binding input whose stock tomorrow (after today's deliveries) is empty; -1 if none."""
    recv = np.bincount(mdl.link_unit, weights=od, minlength=mdl.unit_a.shape[0])
    stock_next = np.maximum(mdl.unit_ta + s + recv, 0.0)
    slot_of_unit = np.repeat(np.arange(mdl.slot_cust.shape[0]), np.diff(mdl.slot_ptr))
    slot_stock = np.bincount(slot_of_unit, weights=stock_next, minlength=mdl.slot_cust.shape[0])
    empty = mdl.slot_bind & (slot_stock <= STOPPED * mdl.slot_a)
    out = np.full(mdl.n, -1, dtype=np.int64)
    idx = np.flatnonzero(empty)[::-1]             # the first empty slot of a firm wins
    out[mdl.slot_cust[idx]] = mdl.slot_ind[idx]
    return out
