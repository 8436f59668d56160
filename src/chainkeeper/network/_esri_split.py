"""Several threads on ONE lane state, each sweeping its share of the firms' rows (internal; needs ``numba``).

The default multi-scenario engine gives every worker thread its own lanes; on a large network each lane state
(four ``n x lanes`` float64 arrays) is bigger than the last-level cache, and each worker drains its own lanes at
the end (narrow sweeps that cost as much as full ones).  Here the threads share one lane state: each round,
every thread runs scenarios on the frontier engine (its own frontier workspace) into the free lanes and one
ahead (its handed-over state waits in the workspace for the next free lane), then every sweep is cut into
row ranges of about equal link counts, one per thread.  The serial steps (sweep width, step counts and
scoring of the lanes) run in the barrier actions.  A row reads only the previous losses, and each lane's
per-row operations are those of the one-thread sweep, so scores and step counts are bitwise the same,
whichever thread ran a scenario's frontier steps and whichever lane it got; the per-range changes combine
by ``max``.
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
    """:func:`._esri_kernel.run_scenarios` (``drain``) on ``threads`` threads sharing the lanes of ``ws``.

    Each round every thread moves its handed-over scenario into a free lane and runs the next ones on the
    frontier engine (its own frontier workspace) until it holds one that waits for a lane: so the frontier
    steps of the scenarios that will fill the next free lanes run in parallel, before those lanes free up.
    Then each thread sweeps its rows.  Two barriers per round (one when no lane finished in the last sweep);
    the last thread to reach one runs the serial step: the sweep width after the fill, the step count / scoring of the lanes after the sweep."""
    from ._esri_kernel import _new_workspace, frontier_one, into_lane, lanes_stepped, sweep_width
    from ._esri_lanes import _lane_rows

    (sc_ptr, sc_idx, sc_cap, eps, max_iter, switch, out_ptr, out_cust, out_lamd, out_slot, slot_ptr,
     in_ptr, in_supp, in_lamu, out_lamu, in_lamd, in_slot, weights,
     d_ptr, d_ne_end, d_supp, d_lam, slot_end, u_cust) = common
    st, floor, flag, lane_sc, lane_it, diffs, meta = ws[6:]
    n = out_ptr.shape[0] - 1
    spaces = [ws[:6]] + [_new_workspace(n, slot_ptr[n]) for _ in range(1, threads)]
    ticks = [meta[1:2]] + [np.zeros(1, np.int64) for _ in range(1, threads)]
    ranges = row_ranges(d_ptr, out_ptr, threads)
    part_diffs = np.zeros((threads, diffs.shape[0]))
    lanes = lane_sc.shape[0]
    queue = {"next": 0, "width": 0, "fill": True}
    pending = [None] * threads  # a thread's handed-over scenario (s, touched) waiting in its workspace for a lane
    lock = threading.Lock()
    errors: list[BaseException] = []

    def fill(k):
        f, acc, slot_loss, stamps, idx, delta = spaces[k]
        while True:
            with lock:
                if pending[k] is not None:
                    if meta[2] >= lanes:
                        return
                    s, nt = pending[k]
                    pending[k] = None
                    into_lane(s, nt, sc_ptr, sc_idx, sc_cap, slot_ptr, weights, f, acc, slot_loss, idx,
                              st, floor, flag, lane_sc, lane_it, meta, iters)
                    continue
                if queue["next"] >= todo.shape[0]:
                    return
                s = todo[queue["next"]]
                queue["next"] += 1
            nt = frontier_one(s, ticks[k], *common[:18], f, acc, slot_loss, stamps, idx, delta, scores, iters)
            if nt >= 0:
                pending[k] = (s, nt)

    def width():
        more = queue["next"] < todo.shape[0] or any(x is not None for x in pending)
        queue["width"] = sweep_width(more, True, st, floor, flag, sc_ptr, sc_idx,
                                     lane_sc, lane_it, meta)

    def stepped():
        np.max(part_diffs, axis=0, out=diffs)
        lanes_stepped(eps, max_iter, st, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it, diffs, meta,
                      weights, scores, iters)
        # no lane finished: the lanes are full (or packed while draining), so a fill would start nothing and
        # the width would stay; the next round goes straight to its sweep, one barrier instead of two
        queue["fill"] = meta[2] != queue["width"]

    filled = threading.Barrier(threads, action=_guarded(width, errors))
    swept = threading.Barrier(threads, action=_guarded(stepped, errors))

    def work(k):
        try:
            while True:
                if queue["fill"]:
                    fill(k)
                    filled.wait()
                if queue["width"] == 0:
                    return
                p = meta[0]
                _lane_rows(st[p, 0], st[p, 1], st[1 - p, 0], st[1 - p, 1], floor, flag, d_ptr, d_ne_end, d_supp,
                           d_lam, slot_ptr, slot_end, out_ptr, u_cust, out_lamu, part_diffs[k], queue["width"],
                           *ranges[k])
                swept.wait()
        except threading.BrokenBarrierError:
            return
        except BaseException as exc:
            errors.append(exc)
            filled.abort()
            swept.abort()

    helpers = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(1, threads)]
    for t in helpers:
        t.start()
    work(0)
    for t in helpers:
        t.join()
    if errors:
        raise errors[0]


def _guarded(step, errors):
    """A barrier action that records its exception (the barrier then breaks and every thread stops)."""
    def run():
        try:
            step()
        except BaseException as exc:
            errors.append(exc)
            raise
    return run
