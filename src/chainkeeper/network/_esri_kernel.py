"""Frontier GL cascade compiled with numba (internal; needs ``numba``).

The update is the same synchronous (Jacobi) iteration as the full-vector
engine, but each step only touches the firms whose level can change: the
customers (downstream) and suppliers (upstream) of firms whose level changed
in the previous step.  Losses are kept in accumulators that receive the
*change* of each supplier's (customer's) level, so a step costs the out-degree
(in-degree) of the changed firms plus the essential slots of their customers,
never ``O(n)``.  Every firm not reached keeps exactly the value the full
iteration would give it (its inputs did not change), so the results equal the
full iteration up to floating-point summation order.

Scenarios are independent; :func:`run_batch` spreads them over threads with
one workspace per chunk.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True)
def _new_workspace(n, n_slots):
    f = np.ones((5, n))                    # hd, hu, cap, hd_new, hu_new
    acc = np.zeros((2, n))                 # ne_loss, up_loss
    slot_loss = np.zeros(max(n_slots, 1))
    stamps = np.full((3, n), -1, np.int64)  # dirty_d, dirty_u, touched
    idx = np.zeros((5, n), np.int64)       # chg_d, chg_u, dirty_d, dirty_u, touched
    delta = np.zeros((2, n))               # delta_d, delta_u
    return f, acc, slot_loss, stamps, idx, delta


@njit(cache=True)
def _touch(j, sc, stamps, idx, nt):
    if stamps[2, j] != sc:
        stamps[2, j] = sc
        idx[4, nt] = j
        nt += 1
    return nt


@njit(cache=True)
def _run_one(sc, tick, s_idx, s_cap, eps, max_iter, switch,
             out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
             out_lamu, in_lamd, in_slot,
             f, acc, slot_loss, stamps, idx, delta):
    """Run one scenario on a clean workspace; returns (iterations, n_touched, tick).

    ``n_touched < 0`` means the scenario switched to full sweeps: every firm
    may have moved.  A direction switches from pushing changes to pulling all
    levels once the links its changed firms reach exceed ``switch`` links.
    """
    hd, hu, cap = f[0], f[1], f[2]
    ne_loss, up_loss = acc[0], acc[1]
    pull_d = False
    pull_u = False
    nt = 0
    ncd = 0
    ncu = 0
    for q in range(s_idx.shape[0]):
        i = s_idx[q]
        c = s_cap[q]
        nt = _touch(i, sc, stamps, idx, nt)
        cap[i] = c
        hd[i] = c
        hu[i] = c
        if c < 1.0:
            idx[0, ncd] = i
            delta[0, ncd] = 1.0 - c
            ncd += 1
            idx[1, ncu] = i
            delta[1, ncu] = 1.0 - c
            ncu += 1
    it = 0
    while True:
        it += 1
        tick += 1
        diff = 0.0
        if pull_d:
            diff = max(diff, _pull_down(cap, hd, f[3], ne_loss, slot_loss, slot_ptr,
                                        in_ptr, in_supp, in_lamd, in_slot))
        else:
            ncd, nt, d, work = _push_down(ncd, nt, sc, tick, cap, hd, ne_loss, slot_loss, slot_ptr,
                                          out_ptr, out_cust, out_lamd, out_slot, stamps, idx, delta)
            diff = max(diff, d)
            pull_d = work > switch
        if pull_u:
            diff = max(diff, _pull_up(cap, hu, f[4], up_loss, out_ptr, out_cust, out_lamu))
        else:
            ncu, nt, d, work = _push_up(ncu, nt, sc, tick, cap, hu, up_loss,
                                        in_ptr, in_supp, in_lamu, out_ptr, stamps, idx, delta)
            diff = max(diff, d)
            pull_u = work > switch
        if diff <= eps or it >= max_iter:
            break
    if pull_d or pull_u:
        nt = -1
    return it, nt, tick


@njit(cache=True)
def _push_down(ncd, nt, sc, tick, cap, hd, ne_loss, slot_loss, slot_ptr,
               out_ptr, out_cust, out_lamd, out_slot, stamps, idx, delta):
    """Push the changes idx[0, :ncd] to customers; recompute those customers."""
    nd = 0
    for q in range(ncd):
        i = idx[0, q]
        dlt = delta[0, q]
        for e in range(out_ptr[i], out_ptr[i + 1]):
            lam = out_lamd[e]
            if lam == 0.0:
                continue
            j = out_cust[e]
            s = out_slot[e]
            if s >= 0:
                slot_loss[s] += lam * dlt
            else:
                ne_loss[j] += lam * dlt
            if stamps[0, j] != tick:
                stamps[0, j] = tick
                idx[2, nd] = j
                nd += 1
    diff = 0.0
    work = 0
    ncd = 0
    for q in range(nd):
        j = idx[2, q]
        nt = _touch(j, sc, stamps, idx, nt)
        new = min(cap[j], 1.0 - ne_loss[j])
        for s in range(slot_ptr[j], slot_ptr[j + 1]):
            new = min(new, 1.0 - slot_loss[s])
        new = max(new, 0.0)
        old = hd[j]
        if new != old:
            diff = max(diff, abs(old - new))
            idx[0, ncd] = j
            delta[0, ncd] = old - new
            ncd += 1
            work += out_ptr[j + 1] - out_ptr[j]
            hd[j] = new
    return ncd, nt, diff, work


@njit(cache=True)
def _push_up(ncu, nt, sc, tick, cap, hu, up_loss, in_ptr, in_supp, in_lamu, out_ptr,
             stamps, idx, delta):
    """Push the changes idx[1, :ncu] to suppliers; recompute those suppliers."""
    nu = 0
    for q in range(ncu):
        j = idx[1, q]
        dlt = delta[1, q]
        for e in range(in_ptr[j], in_ptr[j + 1]):
            i = in_supp[e]
            up_loss[i] += in_lamu[e] * dlt
            if stamps[1, i] != tick:
                stamps[1, i] = tick
                idx[3, nu] = i
                nu += 1
    diff = 0.0
    work = 0
    ncu = 0
    for q in range(nu):
        i = idx[3, q]
        nt = _touch(i, sc, stamps, idx, nt)
        new = max(min(cap[i], 1.0 - up_loss[i]), 0.0)
        old = hu[i]
        if new != old:
            diff = max(diff, abs(old - new))
            idx[1, ncu] = i
            delta[1, ncu] = old - new
            ncu += 1
            work += in_ptr[i + 1] - in_ptr[i]
            hu[i] = new
    return ncu, nt, diff, work


@njit(cache=True)
def _pull_down(cap, hd, hd_new, ne_loss, slot_loss, slot_ptr, in_ptr, in_supp, in_lamd, in_slot):
    """Full synchronous downstream step: recompute every firm from its suppliers."""
    n = cap.shape[0]
    diff = 0.0
    for j in range(n):
        for s in range(slot_ptr[j], slot_ptr[j + 1]):
            slot_loss[s] = 0.0
        ne = 0.0
        for e in range(in_ptr[j], in_ptr[j + 1]):
            lam = in_lamd[e]
            if lam == 0.0:
                continue
            x = lam * (1.0 - hd[in_supp[e]])
            s = in_slot[e]
            if s >= 0:
                slot_loss[s] += x
            else:
                ne += x
        ne_loss[j] = ne
        new = min(cap[j], 1.0 - ne)
        for s in range(slot_ptr[j], slot_ptr[j + 1]):
            new = min(new, 1.0 - slot_loss[s])
        hd_new[j] = max(new, 0.0)
    for j in range(n):
        diff = max(diff, abs(hd_new[j] - hd[j]))
        hd[j] = hd_new[j]
    return diff


@njit(cache=True)
def _pull_up(cap, hu, hu_new, up_loss, out_ptr, out_cust, out_lamu):
    """Full synchronous upstream step: recompute every firm from its customers."""
    n = cap.shape[0]
    diff = 0.0
    for i in range(n):
        loss = 0.0
        for e in range(out_ptr[i], out_ptr[i + 1]):
            loss += out_lamu[e] * (1.0 - hu[out_cust[e]])
        up_loss[i] = loss
        hu_new[i] = max(min(cap[i], 1.0 - loss), 0.0)
    for i in range(n):
        diff = max(diff, abs(hu_new[i] - hu[i]))
        hu[i] = hu_new[i]
    return diff


@njit(cache=True)
def _score_and_reset(nt, weights, slot_ptr, f, acc, slot_loss, idx, out):
    """Add the weighted losses of the touched firms (all if nt < 0) to ``out``; clean up."""
    hd, hu, cap = f[0], f[1], f[2]
    n = hd.shape[0]
    tot = 0.0
    down = 0.0
    up = 0.0
    count = n if nt < 0 else nt
    for q in range(count):
        j = q if nt < 0 else idx[4, q]
        w = weights[j]
        tot += w * (1.0 - min(hd[j], hu[j]))
        down += w * (1.0 - hd[j])
        up += w * (1.0 - hu[j])
        hd[j] = 1.0
        hu[j] = 1.0
        cap[j] = 1.0
        acc[0, j] = 0.0
        acc[1, j] = 0.0
        for s in range(slot_ptr[j], slot_ptr[j + 1]):
            slot_loss[s] = 0.0
    out[0] = tot
    out[1] = down
    out[2] = up


@njit(cache=True, parallel=True)
def run_batch(sc_ptr, sc_idx, sc_cap, eps, max_iter, n_chunks, switch,
              out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
              out_lamu, in_lamd, in_slot, weights):
    """Scores (S x 3, un-normalised) and iterations (S,) of S sparse scenarios.

    Scenario ``s`` sets the capacity of firms ``sc_idx[sc_ptr[s]:sc_ptr[s+1]]``
    (unique within a scenario) to ``sc_cap[...]``; all other firms keep 1.
    """
    n = out_ptr.shape[0] - 1
    n_sc = sc_ptr.shape[0] - 1
    scores = np.zeros((n_sc, 3))
    iters = np.zeros(n_sc, np.int64)
    for c in prange(n_chunks):
        f, acc, slot_loss, stamps, idx, delta = _new_workspace(n, slot_ptr[n])
        tick = 0
        for s in range(c, n_sc, n_chunks):
            lo, hi = sc_ptr[s], sc_ptr[s + 1]
            it, nt, tick = _run_one(s, tick, sc_idx[lo:hi], sc_cap[lo:hi], eps, max_iter, switch,
                                    out_ptr, out_cust, out_lamd, out_slot, slot_ptr,
                                    in_ptr, in_supp, in_lamu, out_lamu, in_lamd, in_slot,
                                    f, acc, slot_loss, stamps, idx, delta)
            iters[s] = it
            _score_and_reset(nt, weights, slot_ptr, f, acc, slot_loss, idx, scores[s])
    return scores, iters


@njit(cache=True)
def run_states(s_idx, s_cap, eps, max_iter, switch,
               out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
               out_lamu, in_lamd, in_slot):
    """Final ``(hd, hu, iterations)`` of one sparse scenario."""
    n = out_ptr.shape[0] - 1
    f, acc, slot_loss, stamps, idx, delta = _new_workspace(n, slot_ptr[n])
    it, nt, tick = _run_one(0, 0, s_idx, s_cap, eps, max_iter, switch,
                            out_ptr, out_cust, out_lamd, out_slot, slot_ptr,
                            in_ptr, in_supp, in_lamu, out_lamu, in_lamd, in_slot,
                            f, acc, slot_loss, stamps, idx, delta)
    return f[0].copy(), f[1].copy(), it
