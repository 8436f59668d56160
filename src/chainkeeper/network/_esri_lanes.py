"""The batched full-sweep engine's lanes (internal; needs ``numba``): several scenarios stepped together over the
links, one gathered row per link serving all lanes. Used by :func:`._esri_kernel.run_scenarios` once a scenario's
cascade has gone global (see that module's notes)."""

from __future__ import annotations

import numpy as np
from numba import njit

from ._esri_simd import rowsum, rowsum_max


@njit(cache=True)
def _lane_step(ld, lu, nd, nu, floor, flag, d_ptr, d_ne_end, d_supp, d_lam, slot_ptr, slot_end,
               out_ptr, u_cust, u_lam, diffs, width):
    """One synchronous full step of lanes ``0..width-1`` (:func:`_lane_rows` over all firms)."""
    n = d_ne_end.shape[0]
    _lane_rows(ld, lu, nd, nu, floor, flag, d_ptr, d_ne_end, d_supp, d_lam, slot_ptr, slot_end,
               out_ptr, u_cust, u_lam, diffs, width, 0, n, 0, n)


@njit(cache=True, nogil=True)
def _lane_rows(ld, lu, nd, nu, floor, flag, d_ptr, d_ne_end, d_supp, d_lam, slot_ptr, slot_end,
               out_ptr, u_cust, u_lam, diffs, width, j0, j1, i0, i1):
    """Firms ``j0..j1-1`` (downstream) and ``i0..i1-1`` (upstream) of one synchronous full step of lanes
    ``0..width-1``: losses ``(ld, lu) -> (nd, nu)``; per-lane max change of those rows.

    The lane states are *losses* ``1 - h`` (n x L, one row of L lanes per firm), so a link adds
    ``lambda * loss`` to its customer's (supplier's) row: the inner loops over the lanes are plain
    multiply-adds over contiguous rows, which the compiler turns into vector instructions.
    Downstream links are grouped per customer: non-essential inputs ``d_ptr[j]:d_ne_end[j]``, then
    one run per essential slot (ending at ``slot_end[q]``); irrelevant inputs are left out.
    ``flag[j] != 0`` when firm ``j`` is shocked in some lane; its loss is then at least
    ``floor[j, b] = 1 - capacity``.  Each lane computes the single-scenario update
    ``loss = min(1, max(1 - cap, ne_loss, max over slots of slot_loss))`` (the level update of the
    full-vector engine written in losses; equal up to rounding).  The sums over a run of links are
    :func:`._esri_simd.rowsum` (register accumulators, 8 lanes per vector; rows must be a multiple of
    8 lanes wide).  No ``fastmath``: without fused multiply-adds every lane position and width (and
    :func:`_lane_step4`) gives bitwise the same result, so a score does not depend on how the
    scenarios were batched (the Dask chunks equal the local run).  Rows read only the old losses, so
    disjoint row ranges can run on several threads; their ``diffs`` combine by ``max``, exactly.
    """
    L = width
    nv = (L + 7) // 8  # vectors of 8 lanes per row sum (lanes width..8nv-1 are summed and dropped)
    if nv > 8 or 8 * nv > ld.shape[1] or 8 * nv > lu.shape[1]:
        raise ValueError("lane rows must be a multiple of 8 lanes wide, at most 64, and cover width")
    a = np.zeros(max(8 * nv, 1))
    m = np.zeros(max(L, 1))
    for j in range(j0, j1):
        rowsum(ld, d_supp, d_lam, d_ptr[j], d_ne_end[j], a, nv)
        e0 = d_ne_end[j]
        for q in range(slot_ptr[j], slot_ptr[j + 1]):
            e1 = slot_end[q]
            rowsum_max(ld, d_supp, d_lam, e0, e1, a, nv)
            e0 = e1
        if flag[j] != 0:
            for b in range(L):
                a[b] = max(a[b], floor[j, b])
        for b in range(L):
            x = min(a[b], 1.0)
            m[b] = max(m[b], abs(x - ld[j, b]))
            nd[j, b] = x
    for i in range(i0, i1):
        rowsum(lu, u_cust, u_lam, out_ptr[i], out_ptr[i + 1], a, nv)
        if flag[i] != 0:
            for b in range(L):
                a[b] = max(a[b], floor[i, b])
        for b in range(L):
            x = min(a[b], 1.0)
            m[b] = max(m[b], abs(x - lu[i, b]))
            nu[i, b] = x
    for b in range(L):
        diffs[b] = m[b]


@njit(cache=True)
def _lane_step4(ld, lu, nd, nu, floor, flag, d_ptr, d_ne_end, d_supp, d_lam, slot_ptr, slot_end,
                out_ptr, u_cust, u_lam, diffs):
    """:func:`_lane_step` for lanes 0..3 (rows at least 4 wide), unrolled by hand.

    At 4 lanes the vector loop of :func:`_lane_step` is about half as fast as keeping the
    4 accumulators in registers (the widths above 4 are where the vector loop wins).
    """
    n = d_ne_end.shape[0]
    m0 = m1 = m2 = m3 = 0.0
    for j in range(n):
        a0 = a1 = a2 = a3 = 0.0
        for e in range(d_ptr[j], d_ne_end[j]):
            r = ld[d_supp[e]]
            lam = d_lam[e]
            a0, a1, a2, a3 = (a0 + lam * r[0], a1 + lam * r[1], a2 + lam * r[2], a3 + lam * r[3])
        e0 = d_ne_end[j]
        for q in range(slot_ptr[j], slot_ptr[j + 1]):
            s0 = s1 = s2 = s3 = 0.0
            e1 = slot_end[q]
            for e in range(e0, e1):
                r = ld[d_supp[e]]
                lam = d_lam[e]
                s0, s1, s2, s3 = (s0 + lam * r[0], s1 + lam * r[1], s2 + lam * r[2], s3 + lam * r[3])
            a0, a1, a2, a3 = (max(a0, s0), max(a1, s1), max(a2, s2), max(a3, s3))
            e0 = e1
        if flag[j] != 0:
            c = floor[j]
            a0, a1, a2, a3 = (max(a0, c[0]), max(a1, c[1]), max(a2, c[2]), max(a3, c[3]))
        o = ld[j]
        w = nd[j]
        w[0], w[1], w[2], w[3] = (min(a0, 1.0), min(a1, 1.0), min(a2, 1.0), min(a3, 1.0))
        m0, m1, m2, m3 = (max(m0, abs(w[0] - o[0])), max(m1, abs(w[1] - o[1])),
                          max(m2, abs(w[2] - o[2])), max(m3, abs(w[3] - o[3])))
    for i in range(n):
        a0 = a1 = a2 = a3 = 0.0
        for e in range(out_ptr[i], out_ptr[i + 1]):
            r = lu[u_cust[e]]
            lam = u_lam[e]
            a0, a1, a2, a3 = (a0 + lam * r[0], a1 + lam * r[1], a2 + lam * r[2], a3 + lam * r[3])
        if flag[i] != 0:
            c = floor[i]
            a0, a1, a2, a3 = (max(a0, c[0]), max(a1, c[1]), max(a2, c[2]), max(a3, c[3]))
        o = lu[i]
        w = nu[i]
        w[0], w[1], w[2], w[3] = (min(a0, 1.0), min(a1, 1.0), min(a2, 1.0), min(a3, 1.0))
        m0, m1, m2, m3 = (max(m0, abs(w[0] - o[0])), max(m1, abs(w[1] - o[1])),
                          max(m2, abs(w[2] - o[2])), max(m3, abs(w[3] - o[3])))
    diffs[0], diffs[1], diffs[2], diffs[3] = (m0, m1, m2, m3)


@njit(cache=True)
def _lane_move(b, c, ld, lu, floor, flag, s_idx):
    """Move the scenario of lane ``b`` (state, loss floors, flags of ``s_idx``) to the free lane ``c``."""
    for j in range(ld.shape[0]):
        ld[j, c] = ld[j, b]
        lu[j, c] = lu[j, b]
        ld[j, b] = 0.0
        lu[j, b] = 0.0
    bb = np.uint64(1) << np.uint64(b)
    cb = np.uint64(1) << np.uint64(c)
    for q in range(s_idx.shape[0]):
        j = s_idx[q]
        floor[j, c] = floor[j, b]
        floor[j, b] = 0.0
        flag[j] = (flag[j] & ~bb) | cb


@njit(cache=True)
def _lanes_finish(done, c, ld, lu, floor, flag, sc_ptr, sc_idx, lane_sc, weights, scores):
    """Score the lanes ``done[:c]`` (losses) into ``scores[lane_sc[b]]`` and reset them to the unshocked state.

    One pass over the firms serves every lane that finished in the same sweep (a lane's column is strided,
    so each pass costs a row access per firm); each lane's sums run over the firms in order, as one lane
    alone would."""
    n = ld.shape[0]
    sums = np.zeros((c, 3))
    for j in range(n):
        w = weights[j]
        for q in range(c):
            b = done[q]
            x = ld[j, b]
            y = lu[j, b]
            if x != 0.0 or y != 0.0:
                sums[q, 0] += w * max(x, y)
                sums[q, 1] += w * x
                sums[q, 2] += w * y
                ld[j, b] = 0.0
                lu[j, b] = 0.0
    for q in range(c):
        b = done[q]
        t = lane_sc[b]
        scores[t, 0] = sums[q, 0]
        scores[t, 1] = sums[q, 1]
        scores[t, 2] = sums[q, 2]
        mask = ~(np.uint64(1) << np.uint64(b))
        for k in range(sc_ptr[t], sc_ptr[t + 1]):
            j = sc_idx[k]
            floor[j, b] = 0.0
            flag[j] &= mask


#: Most scenarios the batched full-sweep engine steps together (``flag`` has one bit per lane).
MAX_LANES = 64


def new_lanes(n, lanes):
    """Lane workspace of :func:`run_scenarios` (one per worker thread), ``lanes`` scenarios wide.

    ``(st, floor, flag, lane_sc, lane_it, diffs, meta)``: ``st[p, 0]`` / ``st[p, 1]`` are the
    downstream / upstream losses (n x lanes) of buffer ``p``; ``floor`` the shocked firms' loss
    floors ``1 - capacity``; ``meta = [current buffer, frontier tick, active lanes, lane steps taken]``.
    """
    if not 4 <= lanes <= MAX_LANES:
        raise ValueError(f"lanes must be in 4..{MAX_LANES}, got {lanes}")
    return (np.zeros((2, 2, n, lanes)), np.zeros((n, lanes)), np.zeros(n, np.uint64),
            np.full(lanes, -1, np.int64), np.zeros(lanes, np.int64), np.zeros(lanes),
            np.zeros(4, np.int64))


@njit(cache=True)
def _pack_lanes(ld, lu, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it):
    """Fill the lowest free lanes with the highest active ones; return the number of active lanes.

    Each hole costs one lane move (a strided copy over the firms); shifting every lane after a hole
    left instead moved up to all of them each time a lane finished."""
    lo = 0
    hi = lane_sc.shape[0] - 1
    while True:
        while lo < lane_sc.shape[0] and lane_sc[lo] >= 0:
            lo += 1
        while hi >= 0 and lane_sc[hi] < 0:
            hi -= 1
        if lo > hi:  # lanes 0..lo-1 active, the rest free
            return lo
        t = lane_sc[hi]
        _lane_move(hi, lo, ld, lu, floor, flag, sc_idx[sc_ptr[t]:sc_ptr[t + 1]])
        lane_sc[lo] = t
        lane_it[lo] = lane_it[hi]
        lane_sc[hi] = -1
