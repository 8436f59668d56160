"""Generators, the Dask runner and the docstring examples."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import chainkeeper.network as pkg
from chainkeeper.network import esri
from chainkeeper.network.generators import power_law_network


def test_power_law_network_is_seeded_and_shaped():
    a = power_law_network(2000, mean_out_degree=8, degree_cap=64, n_industries=12, seed=5)
    b = power_law_network(2000, mean_out_degree=8, degree_cap=64, n_industries=12, seed=5)
    c = power_law_network(2000, mean_out_degree=8, degree_cap=64, n_industries=12, seed=6)
    assert np.array_equal(a.weight, b.weight) and not np.array_equal(a.supplier, c.supplier)
    out_deg = np.diff(a.out_ptr)
    assert out_deg.max() <= 64 and 7.0 < out_deg.mean() <= 8.0
    assert np.diff(a.in_ptr).max() < 120          # expected in-degree capped at 64
    assert a.n_industries == 12 and (a.supplier != a.customer).all()
    assert np.percentile(out_deg, 99) > 3 * np.median(out_deg)  # heavy tail


def test_dask_matches_local(glcascade):
    distributed = pytest.importorskip("distributed")
    from chainkeeper.network.distributed import esri_distributed

    net, ref = glcascade
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        r = esri_distributed(net, client, chunk_size=120)
        part = esri_distributed(net, client, firms=[5, 7], chunk_size=1, engine="sparse")
    local = esri(net)
    np.testing.assert_array_equal(r.esri, local.esri)
    np.testing.assert_allclose(r.esri, ref[:, 0], atol=1e-12)
    np.testing.assert_allclose(part.esri, ref[[5, 7], 0], atol=1e-12)
    assert r.firms.tolist() == list(range(net.n_firms))


def test_network_package_imports_no_platform_layers():
    import sys

    for name, mod in list(sys.modules.items()):
        if name.startswith("chainkeeper.network"):
            src = open(mod.__file__).read() if getattr(mod, "__file__", None) else ""
            for layer in ("chainkeeper.db", "chainkeeper.web", "chainkeeper.cli", "chainkeeper.models",
                          "sqlalchemy", "fastapi", "typer"):
                assert f"import {layer}" not in src and f"from {layer}" not in src, (name, layer)


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)))
def test_docstring_examples(name):
    if name == "_esri_kernel":
        pytest.importorskip("numba")
    mod = importlib.import_module(f"chainkeeper.network.{name}")
    failures, _ = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert failures == 0
