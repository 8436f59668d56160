"""Several threads on ONE lane state, each sweeping its share of the firms' rows (internal; needs ``numba``).

The default multi-scenario engine gives every worker thread its own lanes; on a large network each lane state
(four ``n x lanes`` float64 arrays) is bigger than the last-level cache, and each worker drains its own lanes at
the end (narrow sweeps that cost as much as full ones).  Here one thread (the leader) runs the frontier steps,
fills and scores the lanes as :func:`._esri_kernel.run_scenarios` does, and every sweep is cut into row ranges
of about equal link counts, one per thread, with a barrier before and after it.  A row reads only the previous
losses, and each lane's per-row operations are those of the one-thread sweep, so scores and step counts are
bitwise the same; the per-range changes combine by ``max``.
"""

from __future__ import annotations

import threading

import numpy as np


def row_ranges(d_ptr: np.ndarray, out_ptr: np.ndarray, parts: int) -> list[tuple[int, int, int, int]]:
    """``parts`` ranges ``(j0, j1, i0, i1)`` covering the downstream and upstream rows with about equal links."""
    def cuts(ptr):
        total = int(ptr[-1])
        inner = [int(np.searchsorted(ptr, total * k // parts)) for k in range(1, parts)]
        return [0, *inner, ptr.shape[0] - 1]

    d, u = cuts(d_ptr), cuts(out_ptr)
    return [(d[k], d[k + 1], u[k], u[k + 1]) for k in range(parts)]


def run_split(threads: int, todo, common, ws, scores, iters) -> None:
    """:func:`._esri_kernel.run_scenarios` (``drain``) on ``threads`` threads sharing the workspace ``ws``."""
    from ._esri_kernel import fill_lanes, lanes_stepped, sweep_width
    from ._esri_lanes import _lane_rows

    (sc_ptr, sc_idx, sc_cap, eps, max_iter, switch, out_ptr, out_cust, out_lamd, out_slot, slot_ptr,
     in_ptr, in_supp, in_lamu, out_lamu, in_lamd, in_slot, weights,
     d_ptr, d_ne_end, d_supp, d_lam, slot_end, u_cust) = common
    f, acc, slot_loss, stamps, idx, delta, st, floor, flag, lane_sc, lane_it, diffs, meta = ws
    ranges = row_ranges(d_ptr, out_ptr, threads)
    part_diffs = np.zeros((threads, diffs.shape[0]))
    sweep = {"width": 0}
    barrier = threading.Barrier(threads)

    def rows(k):
        p, width = meta[0], sweep["width"]
        _lane_rows(st[p, 0], st[p, 1], st[1 - p, 0], st[1 - p, 1], floor, flag, d_ptr, d_ne_end, d_supp, d_lam,
                   slot_ptr, slot_end, out_ptr, u_cust, out_lamu, part_diffs[k], width, *ranges[k])

    def follow(k):
        try:
            while True:
                barrier.wait()
                if sweep["width"] == 0:
                    return
                rows(k)
                barrier.wait()
        except threading.BrokenBarrierError:
            return

    helpers = [threading.Thread(target=follow, args=(k,), daemon=True) for k in range(1, threads)]
    for t in helpers:
        t.start()
    try:
        q0 = 0
        while True:
            q0 = fill_lanes(todo, q0, *common[:18], f, acc, slot_loss, stamps, idx, delta,
                            st, floor, flag, lane_sc, lane_it, meta, scores, iters)
            sweep["width"] = sweep_width(q0 < todo.shape[0], True, st, floor, flag, sc_ptr, sc_idx,
                                         lane_sc, lane_it, meta)
            barrier.wait()
            if sweep["width"] == 0:
                break
            rows(0)
            barrier.wait()
            np.max(part_diffs, axis=0, out=diffs)
            lanes_stepped(eps, max_iter, st, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it, diffs, meta,
                          weights, scores, iters)
    except BaseException:
        barrier.abort()
        raise
    finally:
        for t in helpers:
            t.join()
