"""SupplyNetwork construction and input validation."""

from __future__ import annotations

import numpy as np
import pytest

from chainkeeper.network import (
    EssentialityMatrixError,
    InvalidWeightError,
    LengthMismatchError,
    MissingIndustryError,
    NetworkInputError,
    SupplyNetwork,
    UnknownFirmError,
)

ESS = [[1, 2], [0, 1]]


def test_csr_csc_and_strengths():
    net = SupplyNetwork.from_edges([2, 0, 0, 1], [0, 2, 1, 2], [1.0, 2.0, 3.0, 4.0], [0, 1, 0], ESS)
    assert net.supplier.tolist() == [0, 0, 1, 2] and net.customer.tolist() == [1, 2, 2, 0]
    assert net.out_ptr.tolist() == [0, 2, 3, 4]
    assert net.customer[net.in_order].tolist() == [0, 1, 2, 2]
    assert net.s_out.tolist() == [5.0, 4.0, 1.0] and net.s_in.tolist() == [1.0, 3.0, 6.0]
    np.testing.assert_array_equal(net.adjacency().toarray(),
                                  [[0, 3, 2], [0, 0, 4], [1, 0, 0]])
    # Pi[j, k]: firm 2 buys 2 from industry 0 (firm 0) and 4 from industry 1 (firm 1)
    np.testing.assert_array_equal(net.purchases_by_industry().toarray(), [[1, 0], [3, 0], [2, 4]])
    assert net.link_types().tolist() == [2, 1, 0, 1]
    with pytest.raises(ValueError):
        net.weight[0] = 5.0  # immutable


def test_duplicates_merged_and_zero_weights_dropped():
    net = SupplyNetwork.from_edges([0, 0, 1], [1, 1, 0], [1.0, 3.0, 0.0], [0, 0], ESS,
                                   inventory_days=[10.0, 20.0, 5.0])
    assert net.n_links == 1 and net.weight.tolist() == [4.0]
    assert net.inventory_days.tolist() == [17.5]  # weight-averaged


def test_firm_ids_map_links():
    net = SupplyNetwork.from_edges(["b", "a"], ["c", "c"], [1.0, 2.0], [0, 0, 1], ESS,
                                   firm_ids=["a", "b", "c"], region=[31, 31, 44])
    assert net.supplier.tolist() == [0, 1] and net.customer.tolist() == [2, 2]
    assert net.region.tolist() == [31, 31, 44]
    with pytest.raises(UnknownFirmError, match="zz"):
        SupplyNetwork.from_edges(["zz"], ["c"], [1.0], [0, 0, 1], ESS, firm_ids=["a", "b", "c"])
    with pytest.raises(NetworkInputError, match="unique"):
        SupplyNetwork.from_edges(["a"], ["b"], [1.0], [0, 0], ESS, firm_ids=["a", "a"])


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(weight=[1.0, -1.0]), InvalidWeightError),
        (dict(weight=[1.0, np.nan]), InvalidWeightError),
        (dict(weight=[1.0, np.inf]), InvalidWeightError),
        (dict(weight=[1.0]), LengthMismatchError),
        (dict(industry=[0, -1, 1]), MissingIndustryError),
        (dict(industry=[0, np.nan, 1]), MissingIndustryError),
        (dict(industry=np.array([0, None, 1], dtype=object)), MissingIndustryError),
        (dict(industry=[0, 5, 1]), EssentialityMatrixError),
        (dict(essential=[[1, 2, 0], [0, 1, 0]]), EssentialityMatrixError),
        (dict(essential=[[1, 3], [0, 1]]), EssentialityMatrixError),
        (dict(supplier=[0, 7]), UnknownFirmError),
        (dict(supplier=[0, -1]), UnknownFirmError),
        (dict(region=[1, 2]), LengthMismatchError),
        (dict(inventory_days=[1.0, -2.0]), InvalidWeightError),
    ],
)
def test_bad_input_raises(kwargs, error):
    args = dict(supplier=[0, 1], customer=[1, 2], weight=[1.0, 2.0], industry=[0, 1, 1], essential=ESS)
    args.update(kwargs)
    with pytest.raises(error):
        SupplyNetwork.from_edges(args.pop("supplier"), args.pop("customer"), args.pop("weight"),
                                 args.pop("industry"), args.pop("essential"), **args)


def test_from_io_table_rules():
    z = np.array([[0.0, 8.0, 1.0], [2.0, 0.0, 1.0], [0.0, 2.0, 5.0]])
    lin = SupplyNetwork.from_io_table(z, labels=["A_c1", "A_c2", "B_c1"], sector=[1, 2, 1],
                                      region=["A", "A", "B"])
    assert lin.n_firms == 3 and lin.n_industries == 2 and lin.n_links == 6
    assert (lin.essential == 1).all() and lin.region.tolist() == [0, 0, 1]
    assert lin.firm_ids.tolist() == ["A_c1", "A_c2", "B_c1"]
    assert (SupplyNetwork.from_io_table(z, essential="leontief").essential == 2).all()
    thr = SupplyNetwork.from_io_table(z, sector=[1, 2, 1], essential="threshold", threshold=0.5)
    # sector 1 buys 2 from 2 and 6 from 1 (incl. diagonal): only 1 -> 1 is essential
    assert thr.essential.tolist() == [[2, 2], [1, 0]]
    with pytest.raises(EssentialityMatrixError):
        SupplyNetwork.from_io_table(z, essential="bogus")
    with pytest.raises(NetworkInputError):
        SupplyNetwork.from_io_table(np.ones((2, 3)))


def test_final_demand():
    net = SupplyNetwork.from_edges([0], [1], [2.0], [0, 0], [[1]])
    assert net.final_demand().tolist() == [0.0, 2.0]
    assert net.final_demand(np.array([5.0, 3.0])).tolist() == [3.0, 3.0]
