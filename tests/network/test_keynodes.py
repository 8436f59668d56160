"""Key nodes: single-source dependencies, concentration, top-k per group, critical suppliers."""

from __future__ import annotations

import numpy as np
import pytest

from chainkeeper.network import SupplyNetwork, esri
from chainkeeper.network.keynodes import (
    critical_suppliers,
    single_source_dependencies,
    supplier_concentration,
    top_by_group,
    upstream_firms,
)


@pytest.fixture()
def net():
    # industries: 0 = ore (firms 0, 1), 1 = steel (2), 2 = cars (3), 3 = paint (4)
    # ore is essential for steel, steel essential for cars, paint non-essential for cars
    ess = np.zeros((4, 4), dtype=int)
    ess[0, 1] = ess[1, 2] = 2
    ess[3, 2] = 1
    return SupplyNetwork.from_edges([0, 1, 2, 4], [2, 2, 3, 3], [1.0, 3.0, 4.0, 1.0],
                                    [0, 0, 1, 2, 3], ess, region=[1, 1, 2, 2, 2])


def test_single_source(net):
    dep = single_source_dependencies(net)
    # steel buys ore from two firms: not single-source; cars buy steel only from firm 2
    assert len(dep) == 1
    assert (dep.customer[0], dep.supplier[0], dep.industry[0]) == (3, 2, 1)
    assert dep.share[0] == pytest.approx(4 / 5)


def test_concentration_per_industry_and_region(net):
    c = supplier_concentration(net)
    ore = np.flatnonzero(c.industry == 0)[0]
    assert c.hhi[ore] == pytest.approx(0.25 ** 2 + 0.75 ** 2) and c.n_suppliers[ore] == 2
    c2 = supplier_concentration(net, groups=net.region)
    assert set(zip(c2.industry.tolist(), c2.group.tolist())) == {(0, 1), (1, 2), (3, 2)}
    assert (c2.hhi > 0).all() and (c2.hhi <= 1).all()


def test_top_by_group_with_esri(net):
    r = esri(net)
    top = top_by_group(r, net.region, k=1)
    assert set(top) == {1, 2}
    for g, firms in top.items():
        members = np.flatnonzero(net.region == g)
        assert r.esri[firms[0]] == r.esri[members].max()
    top = top_by_group(np.array([0.2, 0.9, 0.1]), [0, 0, -1], k=5)
    assert list(top) == [0] and top[0].tolist() == [1, 0]


def test_upstream_and_critical_suppliers(net):
    assert upstream_firms(net, 3).tolist() == [0, 1, 2, 4]
    assert upstream_firms(net, 3, max_depth=1).tolist() == [2, 4]
    # steel stops the car maker; ore firm 1 (75% share) does not stop it completely
    assert critical_suppliers(net, 3).tolist() == [2]
    assert critical_suppliers(net, 3, min_loss=0.7).tolist() == [1, 2]
    assert critical_suppliers(net, 0).tolist() == []
