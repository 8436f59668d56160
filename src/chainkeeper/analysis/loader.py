"""Build a :class:`~chainkeeper.network.SupplyNetwork` from the registry's enterprises and links."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from chainkeeper.errors import ValidationFailed
from chainkeeper.network import SupplyNetwork
from chainkeeper.registry.models import Enterprise, SupplyLink


@dataclass
class RegistryNetwork:
    """The engine's network plus what maps it back to the registry."""

    network: SupplyNetwork
    enterprise_ids: np.ndarray  # database id per firm index
    usccs: np.ndarray  # USCC per firm index
    names: list[str]
    industries: list[str]  # industry class code per industry index
    province: np.ndarray  # 2-digit province code (int) per firm
    city: np.ndarray  # 4-digit city code (int) per firm
    chain: np.ndarray  # key chain code per firm ('' when none)


def essentiality_from_links(sup_ind: np.ndarray, cus_ind: np.ndarray, essential: np.ndarray, k: int) -> np.ndarray:
    """Industry-pair matrix: 2 where any registered link between the pair is essential, 1 where links exist, else 0.

    >>> essentiality_from_links(np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([True, False, False]), 2)
    array([[0, 2],
           [1, 0]], dtype=int8)
    """
    matrix = np.zeros((k, k), dtype=np.int8)
    matrix[sup_ind, cus_ind] = 1
    matrix[sup_ind[essential], cus_ind[essential]] = 2
    return matrix


def _positions(sorted_ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each wanted id in ``sorted_ids`` and whether it is there at all."""
    wanted = wanted.astype(np.int64)
    found = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    return found, sorted_ids[found] == wanted


def load_registry_network(*, session: Session, scope: ColumnElement[bool] = true()) -> RegistryNetwork:
    """Every enterprise inside ``scope`` and the links among them, ready for :func:`esri` and :func:`simulate`.

    Link weights are annual values in CNY; inventory days come from the links (NaN where unknown).
    """
    firms = session.execute(
        select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.industry_code, Enterprise.province_code,
               Enterprise.city_code, Enterprise.chain_code).where(scope).order_by(Enterprise.id)
    ).all()
    if not firms:
        raise ValidationFailed("the registry holds no enterprises to analyse")
    ids = np.array([f.id for f in firms], dtype=np.int64)
    industries = sorted({f.industry_code for f in firms})
    industry_index = {code: i for i, code in enumerate(industries)}
    firm_industry = np.array([industry_index[f.industry_code] for f in firms], dtype=np.int64)
    links = np.array(session.execute(
        select(SupplyLink.supplier_id, SupplyLink.customer_id, SupplyLink.annual_value,
               SupplyLink.inventory_days, SupplyLink.essential)
    ).all(), dtype=float).reshape(-1, 5)
    supplier, supplier_known = _positions(ids, links[:, 0])
    customer, customer_known = _positions(ids, links[:, 1])
    inside = supplier_known & customer_known  # links leaving the scope are left out
    links, supplier, customer = links[inside], supplier[inside], customer[inside]
    essential = essentiality_from_links(firm_industry[supplier], firm_industry[customer], links[:, 4] > 0,
                                        len(industries))
    province = np.array([int(f.province_code) for f in firms], dtype=np.int64)
    usccs = np.array([f.uscc for f in firms])
    network = SupplyNetwork.from_edges(
        usccs[supplier], usccs[customer], links[:, 2], firm_industry, essential, region=province, inventory_days=links[:, 3],
        firm_ids=usccs, industry_labels=industries,
    )
    return RegistryNetwork(
        network=network, enterprise_ids=ids, usccs=usccs, names=[f.name for f in firms],
        industries=industries, province=province, city=np.array([int(f.city_code) for f in firms], dtype=np.int64),
        chain=np.array([f.chain_code or "" for f in firms]),
    )
