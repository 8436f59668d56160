"""The daily kernels of :func:`chainkeeper.network.simulate` on several threads (internal).

Each kernel works on a range of firms and writes only that range's own
entries (a customer's stocks and orders, a supplier's deliveries and
demand), and every firm's arithmetic is the same whatever the ranges, so the
result does not depend on the number of threads: it is bitwise the same.
The kernels release the GIL, so plain Python threads run them in parallel.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _sim_kernels as kern
from . import _sim_linkpass as lp

#: Ranges per worker thread in :func:`split` (more ranges than threads balance a shared, noisy machine).
CHUNKS_PER_WORKER = 4
#: :func:`guided`: the ranges get smaller until the rest is below this share of the work per worker
GUIDED_TAIL = 1 / 8
#: Below this many links a simulation runs on one thread (thread hand-offs would cost more).
MIN_PARALLEL_LINKS = 200_000


def default_workers() -> int:
    """Worker threads: numba's thread count (``NUMBA_NUM_THREADS``, the machine's cores by default)."""
    import numba

    return int(numba.get_num_threads())


def split(ptr: np.ndarray, parts: int) -> np.ndarray:
    """Firm boundaries cutting ``ptr`` (CSR pointers) into ``parts`` ranges of about equal links + firms.

    >>> split(np.array([0, 5, 5, 6, 10]), 2).tolist()
    [0, 2, 4]
    """
    return split_at(ptr, np.linspace(0.0, 1.0, parts + 1)[1:-1])


def guided(ptr: np.ndarray, workers: int) -> np.ndarray:
    """Firm boundaries cutting ``ptr`` into ranges that get smaller, for ``workers`` threads taking them in order.

    Each round gives every worker a range of ``1 / (2 workers)`` of the work left, until less than
    ``GUIDED_TAIL / workers`` is left, which is cut in ``workers`` equal ranges: large ranges first (few
    hand-offs), small ones last, so the threads reach the day's barrier close together (with equal ranges the
    last one's length is what a thread waits, on average half a range).  10 ranges for 2 workers.

    >>> guided(np.arange(65), 2).tolist()
    [0, 16, 32, 40, 48, 52, 56, 58, 60, 62, 64]
    """
    cuts, left = [], 1.0
    while left > GUIDED_TAIL / workers + 1e-12:
        piece = left / (2 * workers)
        for _ in range(workers):
            cuts.append((cuts[-1] if cuts else 0.0) + piece)
        left -= piece * workers
    for k in range(1, workers):
        cuts.append((cuts[-1] if cuts else 0.0) + left / workers)
    return split_at(ptr, np.array(cuts))


def split_at(ptr: np.ndarray, fractions: np.ndarray) -> np.ndarray:
    """Firm boundaries cutting ``ptr`` (CSR pointers) at the given fractions (in (0, 1)) of its links + firms."""
    n = ptr.shape[0] - 1
    work = ptr + np.arange(n + 1)                     # links plus one per firm
    cuts = np.searchsorted(work, np.asarray(fractions) * work[-1])
    return np.unique(np.concatenate(([0], cuts, [n]))).astype(np.int64)


def workers_for(m: int) -> int:
    """Worker threads for a model of ``m`` links: numba's count, one below ``MIN_PARALLEL_LINKS``."""
    return default_workers() if m >= MIN_PARALLEL_LINKS else 1


def over_ranges(fn, ptr: np.ndarray, workers: int, *args) -> None:
    """``fn(*args, i0, i1)`` over :func:`guided` ranges of ``ptr`` on ``workers`` threads (a pool for this call:
    the model's set-up, before the day's pool exists), or at once on this thread."""
    if workers <= 1:
        fn(*args, 0, ptr.shape[0] - 1)
        return
    bounds = guided(ptr, workers)
    with ThreadPoolExecutor(workers) as pool:
        for f in [pool.submit(fn, *args, lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]:
            f.result()


class DayRunner:
    """Runs one day's kernels over firm ranges, on a thread pool when it pays."""

    def __init__(self, mdl, out_ptr: np.ndarray, workers: int | None = None):
        if workers is None:
            workers = workers_for(mdl.m)
        self.out_ptr = out_ptr
        ranges = (lambda ptr: guided(ptr, workers)) if workers > 1 else (lambda ptr: split(ptr, 1))
        cust_links = mdl.slot_ptr_links[mdl.cust_ptr]     # customer -> its first link in customer order
        self.cust_bounds = ranges(cust_links)
        self.sup_bounds = ranges(out_ptr)
        self.firm_bounds = ranges(np.arange(mdl.n + 1))
        if mdl.stock == "link":   # input limits (over the binding links) and supply of the same firms in one call
            self.supply_bounds = ranges(out_ptr + mdl.bind_ptr[mdl.bind_cust_ptr])
        self.pool = ThreadPoolExecutor(workers) if workers > 1 else None
        self.perm = kern.first_order(out_ptr)                # each supplier's order of customers, kept day to day

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def _run(self, fn, bounds: np.ndarray, *args) -> None:
        if self.pool is None or bounds.shape[0] <= 2:
            fn(*args, bounds[0], bounds[-1])
            return
        futures = [self.pool.submit(fn, *args, lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]
        for f in futures:
            f.result()

    def submit(self, fn, *args):
        """``fn(*args)`` on a worker thread (a future), or at once on this one without a pool (None)."""
        if self.pool is None:
            fn(*args)
            return None
        return self.pool.submit(fn, *args)

    def inputs_and_orders(self, mdl, q_use, q_order, inv_tau, order_rule, st) -> None:
        """Stocks, orders and input limits of every customer, then every supplier's demand from firms."""
        self._run(kern.orders_range, self.cust_bounds, mdl.cust_ptr, mdl.slot_ptr, mdl.unit_ptr, mdl.unit_a,
                  mdl.unit_ta, mdl.l_share, mdl.l_a, mdl.link_of, mdl.slot_base, mdl.slot_scale, mdl.slot_bind,
                  mdl.slot_ind, q_use, q_order, inv_tau, order_rule, st.s, st.od, st.o, st.pm, st.pm_ind)
        self._run(kern.demand_range, self.sup_bounds, self.out_ptr, st.o, st.d)

    def firms(self, fn, *args) -> None:
        """``fn(*args, i0, i1)`` over ranges of about equal numbers of firms."""
        self._run(fn, self.firm_bounds, *args)

    def link_day(self, mdl, rule, l_a, order_rule, order_on_demand, inv_tau, safe_x0, st) -> None:
        """A day with a stock per link, in supplier order (:mod:`._sim_linkpass`): stocks, orders and demand;
        then per firm range its input limits, production, rationing and tomorrow's ``st.q_use`` / ``st.q_order``
        (two hand-offs a day)."""
        self._run(lp.links_range, self.sup_bounds, self.out_ptr, mdl.cust_csr, mdl.a_csr, mdl.ta_csr, st.q_use,
                  st.q_order, inv_tau, order_rule, st.s, st.o, st.od_store, st.levels, st.lam, st.full, st.d)
        self._run(lp.limits_and_supply_range, self.supply_bounds, mdl.bind_cust_ptr, mdl.bind_ptr, mdl.bind_links,
                  mdl.bind_base, mdl.bind_scale, mdl.bind_ind, st.s, st.pm, st.pm_ind, rule, self.out_ptr, l_a,
                  mdl.x0, safe_x0, mdl.final, st.cut, st.d, st.p, st.o, st.od_store, st.levels, st.lam, st.full,
                  st.fulfil, st.fc, self.perm, order_on_demand, st.q_use, st.q_order)

    def ration(self, rule, l_a, mdl, st) -> None:
        """Deliveries of every supplier and what final demand receives."""
        self._run(kern.ration_range, self.sup_bounds, rule, self.out_ptr, l_a, mdl.x0, mdl.final, st.p, st.d,
                  st.o, st.od, st.fulfil, st.fc, self.perm)
