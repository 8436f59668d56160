"""ESRI: several threads on one lane state, each sweeping its share of the rows (``_esri_split``): bitwise the
engine with a lane state per worker, and the paper's dense cascade."""

from __future__ import annotations

import importlib
import threading
import time

import numpy as np
import pytest

from chainkeeper.network import esri, numba_available
from chainkeeper.network._esri_ops import lane_layout, prepare
from chainkeeper.network._esri_split import row_ranges
from chainkeeper.network.generators import power_law_network

from .conftest import dense_cascade, dense_esri, random_network

pytestmark = pytest.mark.skipif(not numba_available(), reason="needs numba")


@pytest.fixture
def engine(monkeypatch):
    """The esri module with every scenario handed to the lanes after its first step, fed 3 at a time."""
    mod = importlib.import_module("chainkeeper.network.esri")
    monkeypatch.setattr(mod, "HANDOVER_FRACTION", 1e-9)
    monkeypatch.setattr(mod, "GRAB", 3)
    return mod


def _split_calls(mod, monkeypatch):
    calls = []
    real = mod._frontier_split

    def spy(*args):
        calls.append(args[-1])
        return real(*args)

    monkeypatch.setattr(mod, "_frontier_split", spy)
    return calls


def test_split_sweeps_are_bitwise_a_lane_state_per_worker(engine, monkeypatch):
    net = power_law_network(400, seed=3)
    firms = np.arange(0, 400, 3)
    apart = esri(net, firms=firms)
    calls = _split_calls(engine, monkeypatch)
    monkeypatch.setattr(engine, "SPLIT_BYTES", 0)
    shared = esri(net, firms=firms)
    assert calls and calls[0] >= 2
    for field in ("esri", "downstream", "upstream", "iterations"):
        np.testing.assert_array_equal(getattr(shared, field), getattr(apart, field))


@pytest.mark.parametrize("threads", [2, 3])
def test_split_engine_matches_the_dense_cascade(engine, threads):
    # 32 lanes filled, refilled and drained (packed widths 1..31) on one lane state swept in `threads` row ranges
    net, W, p, ess = random_network(4, n=140, density=0.05)
    ops = prepare(net)
    ptr = np.arange(net.n_firms + 1, dtype=np.int64)
    idx = np.arange(net.n_firms, dtype=np.int64)
    scores, iters = engine._frontier_split(ops, lane_layout(ops), ptr, idx, np.zeros(net.n_firms), 0.01, 10_000,
                                           threads)
    for f in range(net.n_firms):
        psi = np.zeros(net.n_firms)
        psi[f] = 1.0
        np.testing.assert_allclose(scores[f], dense_esri(W, p, ess, psi), rtol=0, atol=1e-12)
        assert iters[f] == dense_cascade(W, p, ess, psi)[2]


def test_split_is_chosen_above_the_cache_budget_for_few_scenarios(engine, monkeypatch):
    calls = _split_calls(engine, monkeypatch)
    net = power_law_network(300, seed=2)
    esri(net, firms=np.arange(0, 300, 4))
    assert calls == []
    monkeypatch.setattr(engine, "SPLIT_BYTES", 32 * 300 * 32 - 1)  # just under four 300 x 32 loss arrays
    esri(net, firms=np.arange(0, 300, 4))
    assert len(calls) == 1
    monkeypatch.setattr(engine, "SPLIT_SCENARIOS", 74)  # one scenario too many
    esri(net, firms=np.arange(0, 300, 4))
    assert len(calls) == 1


def test_row_ranges_cover_the_rows_with_about_equal_links():
    net = power_law_network(2000, seed=5)
    ops = prepare(net)
    d_ptr = lane_layout(ops)[0]
    for parts in (1, 2, 3):
        ranges = row_ranges(d_ptr, ops.out_ptr, parts)
        assert ranges[0][0] == ranges[0][2] == 0 and ranges[-1][1] == ranges[-1][3] == net.n_firms
        for (_, j1, _, i1), (j0, _, i0, _) in zip(ranges, ranges[1:]):
            assert (j1, i1) == (j0, i0)
        for j0, j1, i0, i1 in ranges:
            links = d_ptr[j1] - d_ptr[j0] + ops.out_ptr[i1] - ops.out_ptr[i0]
            assert abs(links - (d_ptr[-1] + ops.out_ptr[-1]) / parts) < 0.05 * (d_ptr[-1] + ops.out_ptr[-1])


def test_split_needs_rows_of_eight_lanes(engine, monkeypatch):
    # 3 scenarios get 4-lane rows, which the row sweep cannot take: such a call keeps a lane state per worker
    net = power_law_network(300, seed=2)
    apart = esri(net, firms=[1, 2, 3])
    calls = _split_calls(engine, monkeypatch)
    monkeypatch.setattr(engine, "SPLIT_BYTES", 0)
    shared = esri(net, firms=[1, 2, 3])
    assert calls == []
    np.testing.assert_array_equal(shared.esri, apart.esri)
    assert engine._splits(300, 8, 2) and not engine._splits(300, 7, 2)


def test_split_runs_the_frontier_steps_on_every_thread(engine, monkeypatch):
    # each thread starts scenarios into the free lanes with its own frontier workspace, not the leader alone
    kernel = importlib.import_module("chainkeeper.network._esri_kernel")
    real, seen = kernel.frontier_one, []

    def spy(s, tick, *args):
        seen.append((threading.get_ident(), id(args[-8])))  # the thread and its frontier workspace
        time.sleep(0.002)
        return real(s, tick, *args)

    monkeypatch.setattr(kernel, "frontier_one", spy)
    net = power_law_network(400, seed=3)
    ops = prepare(net)
    ptr = np.arange(41, dtype=np.int64)
    idx = np.arange(0, 400, 10, dtype=np.int64)
    scores, iters = engine._frontier_split(ops, lane_layout(ops), ptr, idx, np.zeros(40), 0.01, 10_000, 2)
    assert len(seen) == 40 and len(set(seen)) == 2 and len({t for t, _ in seen}) == 2
    monkeypatch.setattr(kernel, "frontier_one", real)
    apart = esri(net, firms=idx)
    np.testing.assert_array_equal(scores[:, 0], apart.esri)
    np.testing.assert_array_equal(iters, apart.iterations)


def test_split_skips_the_fill_after_a_sweep_that_finished_no_lane(engine, monkeypatch):
    # such a round would start nothing and keep the width: it goes straight to its sweep (one barrier)
    kernel = importlib.import_module("chainkeeper.network._esri_kernel")
    counts = {"sweep_width": 0, "lanes_stepped": 0}

    def counted(name):
        real = getattr(kernel, name)

        def spy(*args):
            counts[name] += 1
            return real(*args)
        return spy

    for name in counts:
        monkeypatch.setattr(kernel, name, counted(name))
    net = power_law_network(400, seed=3)
    ops = prepare(net)
    idx = np.arange(0, 400, 5, dtype=np.int64)
    scores, iters = engine._frontier_split(ops, lane_layout(ops), np.arange(81, dtype=np.int64), idx,
                                           np.zeros(80), 0.01, 10_000, 2)
    assert 0 < counts["sweep_width"] < counts["lanes_stepped"]
    apart = esri(net, firms=idx)
    np.testing.assert_array_equal(scores[:, 0], apart.esri)
    np.testing.assert_array_equal(iters, apart.iterations)


def test_split_runs_one_scenario_ahead_per_thread(engine, monkeypatch):
    # the frontier steps of the scenarios for the next free lanes run before those lanes free up, one per thread
    kernel = importlib.import_module("chainkeeper.network._esri_kernel")
    real_one, real_stepped, started = kernel.frontier_one, kernel.lanes_stepped, []

    def one(*args):
        started.append(args[0])
        return real_one(*args)

    def stepped(*args):
        started.append("sweep")
        return real_stepped(*args)

    monkeypatch.setattr(kernel, "frontier_one", one)
    monkeypatch.setattr(kernel, "lanes_stepped", stepped)
    net = power_law_network(400, seed=3)
    ops = prepare(net)
    idx = np.arange(0, 400, 5, dtype=np.int64)
    scores, iters = engine._frontier_split(ops, lane_layout(ops), np.arange(81, dtype=np.int64), idx,
                                           np.zeros(80), 0.01, 10_000, 2)
    assert started.index("sweep") == 32 + 2  # 32 lanes filled, and each thread holds the next handed-over one
    apart = esri(net, firms=idx)
    np.testing.assert_array_equal(scores[:, 0], apart.esri)
    np.testing.assert_array_equal(iters, apart.iterations)
