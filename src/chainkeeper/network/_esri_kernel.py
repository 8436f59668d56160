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

Once a scenario's steps reach a sizeable share of the links (the cascade has
gone global, as it usually does through the undamped upstream losses), it is
moved to a lane of a batched full-sweep engine that steps several scenarios
together: one pass over the links and one gathered row per link serve all
lanes, which is what makes the late, global steps cheap.  Scenarios are independent;
:func:`run_scenarios` runs on one worker thread (it releases the GIL) with its
own workspace, and the caller feeds the workers from a shared queue.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._esri_lanes import MAX_LANES, _lane_step, _lane_step4, _lanes_finish, _pack_lanes, new_lanes  # noqa: F401


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
def _run_one(sc, tick, s_idx, s_cap, eps, max_iter, switch, handover,
             out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
             out_lamu, in_lamd, in_slot,
             f, acc, slot_loss, stamps, idx, delta):
    """Run one scenario on a clean workspace; returns (iterations, n_touched, tick, handed).

    ``n_touched < 0`` means the scenario switched to full sweeps: every firm
    may have moved.  A direction switches from pushing changes to pulling all
    levels once the links its changed firms reach exceed ``switch`` links.
    With ``handover`` the scenario instead stops there (``handed`` True, the
    state after ``iterations`` steps in the workspace) so that the caller can
    continue it in a lane of the batched sweep engine.
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
        if handover and (pull_d or pull_u):
            return it, nt, tick, True
    if pull_d or pull_u:
        nt = -1
    return it, nt, tick, False


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


@njit(cache=True, nogil=True)
def run_scenarios(todo, drain, sc_ptr, sc_idx, sc_cap, eps, max_iter, switch,
                  out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
                  out_lamu, in_lamd, in_slot, weights,
                  d_ptr, d_ne_end, d_supp, d_lam, slot_end, u_cust,
                  f, acc, slot_loss, stamps, idx, delta,
                  st, floor, flag, lane_sc, lane_it, diffs, meta, scores, iters):
    """Start the scenarios ``todo`` on one worker; with ``drain`` also finish all lanes.

    Scenario ``s`` sets the capacity of firms ``sc_idx[sc_ptr[s]:sc_ptr[s+1]]``
    (unique within a scenario) to ``sc_cap[...]``; all other firms keep 1.  Its
    un-normalised scores go to ``scores[s]``, its step count to ``iters[s]``.

    Each scenario starts on the frontier engine; once a step reaches more than
    ``switch`` links it moves into one of the lanes (``lane_sc.shape[0]``) of the batched
    full-sweep engine, which steps all lanes together (each lane with its own
    step count and stopping test) and refills a lane as soon as it finishes.
    Lanes persist between calls (in ``st`` ... ``meta``), so a worker can be fed
    scenarios in small groups without draining its lanes in between.
    """
    q0 = 0
    while True:
        q0 = fill_lanes(todo, q0, sc_ptr, sc_idx, sc_cap, eps, max_iter, switch,
                        out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
                        out_lamu, in_lamd, in_slot, weights, f, acc, slot_loss, stamps, idx, delta,
                        st, floor, flag, lane_sc, lane_it, meta, scores, iters)
        width = sweep_width(q0 < todo.shape[0], drain, st, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it, meta)
        if width == 0:
            break
        p = meta[0]
        if width <= 4:
            _lane_step4(st[p, 0], st[p, 1], st[1 - p, 0], st[1 - p, 1], floor, flag,
                        d_ptr, d_ne_end, d_supp, d_lam, slot_ptr, slot_end, out_ptr, u_cust, out_lamu,
                        diffs)
        else:
            _lane_step(st[p, 0], st[p, 1], st[1 - p, 0], st[1 - p, 1], floor, flag,
                       d_ptr, d_ne_end, d_supp, d_lam, slot_ptr, slot_end, out_ptr, u_cust, out_lamu,
                       diffs, width)
        lanes_stepped(eps, max_iter, st, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it, diffs, meta,
                      weights, scores, iters)


@njit(cache=True, nogil=True)
def fill_lanes(todo, q0, sc_ptr, sc_idx, sc_cap, eps, max_iter, switch,
               out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
               out_lamu, in_lamd, in_slot, weights, f, acc, slot_loss, stamps, idx, delta,
               st, floor, flag, lane_sc, lane_it, meta, scores, iters):
    """Run ``todo[q0:]`` on the frontier engine while a lane is free, moving handed-over ones into lanes.

    Returns the position in ``todo`` reached; ``meta`` = [buffer, tick, active lanes, lane steps]."""
    while q0 < todo.shape[0] and meta[2] < lane_sc.shape[0]:
        s = todo[q0]
        q0 += 1
        nt = frontier_one(s, meta[1:2], sc_ptr, sc_idx, sc_cap, eps, max_iter, switch,
                          out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
                          out_lamu, in_lamd, in_slot, weights, f, acc, slot_loss, stamps, idx, delta, scores, iters)
        if nt >= 0:
            into_lane(s, nt, sc_ptr, sc_idx, sc_cap, slot_ptr, weights, f, acc, slot_loss, idx,
                      st, floor, flag, lane_sc, lane_it, meta, iters)
    return q0


@njit(cache=True, nogil=True)
def frontier_one(s, tick, sc_ptr, sc_idx, sc_cap, eps, max_iter, switch,
                 out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
                 out_lamu, in_lamd, in_slot, weights, f, acc, slot_loss, stamps, idx, delta, scores, iters):
    """Scenario ``s`` on the frontier engine (workspace ``f`` ... ``delta``, step counter ``tick[0]``).

    Returns -1 once it is scored (finished on the frontier), else the number of touched firms of its
    handed-over state, left in the workspace for :func:`into_lane`."""
    lo, hi = sc_ptr[s], sc_ptr[s + 1]
    it, nt, t, handed = _run_one(
        s, tick[0], sc_idx[lo:hi], sc_cap[lo:hi], eps, max_iter, switch, True,
        out_ptr, out_cust, out_lamd, out_slot, slot_ptr,
        in_ptr, in_supp, in_lamu, out_lamu, in_lamd, in_slot,
        f, acc, slot_loss, stamps, idx, delta)
    tick[0] = t
    iters[s] = it
    if handed:
        return nt
    _score_and_reset(nt, weights, slot_ptr, f, acc, slot_loss, idx, scores[s])
    return -1


@njit(cache=True, nogil=True)
def into_lane(s, nt, sc_ptr, sc_idx, sc_cap, slot_ptr, weights, f, acc, slot_loss, idx,
              st, floor, flag, lane_sc, lane_it, meta, iters):
    """Move the handed-over state of scenario ``s`` (``nt`` touched firms) into the lowest free lane; clean up."""
    p = meta[0]
    ld = st[p, 0]
    lu = st[p, 1]
    b = 0
    while lane_sc[b] >= 0:
        b += 1
    for k in range(nt):
        j = idx[4, k]
        ld[j, b] = 1.0 - f[0, j]
        lu[j, b] = 1.0 - f[1, j]
    for k in range(sc_ptr[s], sc_ptr[s + 1]):
        j = sc_idx[k]
        floor[j, b] = 1.0 - sc_cap[k]
        flag[j] |= np.uint64(1) << np.uint64(b)
    lane_sc[b] = s
    lane_it[b] = iters[s]
    meta[2] += 1
    _score_and_reset(nt, weights, slot_ptr, f, acc, slot_loss, idx, np.zeros(3))


@njit(cache=True, nogil=True)
def sweep_width(more, drain, st, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it, meta):
    """Lanes the next sweep steps after :func:`fill_lanes` (0: stop this call).

    All lanes while scenarios wait (``more``); once none will come (``drain``) the active lanes are
    packed to the left and only those are swept."""
    if more:
        return lane_sc.shape[0]
    if not drain or meta[2] == 0:
        return 0
    p = meta[0]
    return _pack_lanes(st[p, 0], st[p, 1], floor, flag, sc_ptr, sc_idx, lane_sc, lane_it)


@njit(cache=True, nogil=True)
def lanes_stepped(eps, max_iter, st, floor, flag, sc_ptr, sc_idx, lane_sc, lane_it, diffs, meta,
                  weights, scores, iters):
    """After a sweep into buffer ``1 - meta[0]``: count the lanes' steps, score and free the finished ones."""
    lanes = lane_sc.shape[0]
    done = np.zeros(lanes, np.int64)  # lanes finishing in this sweep
    p = 1 - meta[0]
    meta[0] = p
    meta[3] += 1
    c = 0
    for b in range(lanes):
        t = lane_sc[b]
        if t < 0:
            continue
        lane_it[b] += 1
        if diffs[b] <= eps or lane_it[b] >= max_iter:
            iters[t] = lane_it[b]
            done[c] = b
            c += 1
    if c > 0:
        _lanes_finish(done, c, st[p, 0], st[p, 1], floor, flag, sc_ptr, sc_idx, lane_sc, weights, scores)
        for q in range(c):
            lane_sc[done[q]] = -1
        meta[2] -= c


@njit(cache=True)
def run_states(s_idx, s_cap, eps, max_iter, switch,
               out_ptr, out_cust, out_lamd, out_slot, slot_ptr, in_ptr, in_supp, in_lamu,
               out_lamu, in_lamd, in_slot):
    """Final ``(hd, hu, iterations)`` of one sparse scenario."""
    n = out_ptr.shape[0] - 1
    f, acc, slot_loss, stamps, idx, delta = _new_workspace(n, slot_ptr[n])
    it, nt, tick, _ = _run_one(0, 0, s_idx, s_cap, eps, max_iter, switch, False,
                            out_ptr, out_cust, out_lamd, out_slot, slot_ptr,
                            in_ptr, in_supp, in_lamu, out_lamu, in_lamd, in_slot,
                            f, acc, slot_loss, stamps, idx, delta)
    return f[0].copy(), f[1].copy(), it
