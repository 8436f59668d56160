"""Supply links of the demo economy, drawn edge by edge with numpy.

Suppliers are picked with probability proportional to a heavy-tailed fitness (so out-degrees are heavy-tailed),
preferably inside the customer's regional cluster; values are lognormal and scale with the customer's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainkeeper.demo.catalogue import Catalogue
from chainkeeper.demo.firms import ANCHORS, SIZE_SELL, Firms
from chainkeeper.demo.geography import Geography
from chainkeeper.demo.profiles import EDGES, OEM_FIRST, Edge

LOW_STOCK_SHARE = 0.03
"""Share of links whose customer holds only 3 or 4 days of the input."""
ANCHOR_STOCK = (5, 6, 6, 9, 12)
"""Days of stock the story's OEMs hold of their anchor suppliers' products (Changchun, Changchun, Changchun,
Wuhan, Guangzhou): a Shanghai stop starves them within 6 to 12 days."""
ANCHOR_OEM = (0, 0, 0, 1, 2)


@dataclass
class Links:
    """Parallel link columns; supplier and customer are firm indices, product -1 when unnamed."""

    supplier: np.ndarray
    customer: np.ndarray
    product: np.ndarray
    value: np.ndarray
    lead_time: np.ndarray
    inventory: np.ndarray
    essential: np.ndarray

    def __len__(self) -> int:
        return int(self.supplier.size)

    def take(self, index: np.ndarray) -> "Links":
        """The links at ``index``."""
        return Links(*(getattr(self, f)[index] for f in self.__dataclass_fields__))


def weighted_draw(pool: np.ndarray, weight: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` draws from ``pool`` with replacement, probability proportional to ``weight``."""
    cumulative = np.cumsum(weight)
    at = np.searchsorted(cumulative, rng.random(k) * cumulative[-1], side="right")
    return pool[np.minimum(at, pool.size - 1)]


def supplier_counts(edge: Edge, n: int, pool: int, rng: np.random.Generator) -> np.ndarray:
    """Suppliers per customer: ``minimum`` plus negative-binomial extra with mean ``mean - minimum``."""
    extra = edge.mean - edge.minimum
    counts = np.full(n, edge.minimum, dtype=np.int64)
    if extra > 0:
        counts += rng.negative_binomial(edge.dispersion, edge.dispersion / (edge.dispersion + extra), n)
    return np.minimum(counts, pool)


def pick_suppliers(customers, suppliers, firms: Firms, cluster: np.ndarray, local: float, rng) -> np.ndarray:
    """A supplier per customer entry: inside the customer's cluster with probability ``local``, else anywhere."""
    weight = firms.fitness[suppliers]
    chosen = weighted_draw(suppliers, weight, customers.size, rng)
    home = cluster[firms.county[customers]]
    near = rng.random(customers.size) < local
    supplier_cluster = cluster[firms.county[suppliers]]
    for g in np.unique(home[near]):
        in_pool = supplier_cluster == g
        if in_pool.any():
            at = np.flatnonzero(near & (home == g))
            chosen[at] = weighted_draw(suppliers[in_pool], weight[in_pool], at.size, rng)
    return chosen


def link_products(edge: Edge, supplier: np.ndarray, firms: Firms, catalogue: Catalogue, rng) -> np.ndarray:
    """The product of each link: fixed by the edge, else mostly the supplier's main product, sometimes unnamed."""
    if edge.product:
        by_industry = np.array([catalogue.index.get((code, edge.product), -1) for code in firms.industries])
        return by_industry[firms.industry[supplier]]
    u = rng.random(supplier.size)
    group = firms.group[supplier]
    other = firms.group_products[firms.group_start[group] + np.floor(rng.random(supplier.size) *
                                                                     firms.group_len[group]).astype(np.int64)]
    return np.where(u < 0.78, firms.product[supplier], np.where(u < 0.9, other, -1))


def lead_times(supplier: np.ndarray, customer: np.ndarray, firms: Firms, geo: Geography, rng) -> np.ndarray:
    """Delivery days by distance: same city 1–3, same province 2–5, same cluster 3–8, farther 4–30."""
    s, c = firms.county[supplier], firms.county[customer]
    far = np.clip(np.rint(rng.gamma(3.0, 3.0, s.size)) + 4, 4, 30)
    days = np.where(geo.cluster[s] == geo.cluster[c], rng.integers(3, 9, s.size), far)
    days = np.where(geo.province[s] == geo.province[c], rng.integers(2, 6, s.size), days)
    days = np.where(geo.city[s] == geo.city[c], rng.integers(1, 4, s.size), days)
    return days.astype(np.int64)


def stock_days(median: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Days of stock: lognormal around ``median`` in 3–30, a few links with very low stock (3–4 days)."""
    days = np.clip(np.rint(median * rng.lognormal(0.0, 0.45, n)), 3, 30).astype(np.int64)
    low = rng.random(n) < LOW_STOCK_SHARE
    days[low] = rng.integers(3, 5, int(low.sum()))
    return days


def edge_links(edge: Edge, firms: Firms, catalogue: Catalogue, geo: Geography, rng) -> Links | None:
    """All links of one edge of the profile, or None when either side has no firms."""
    customers = firms.of_role(edge.customer, edge.customer_industries)
    suppliers = firms.of_role(edge.supplier, edge.supplier_industries)
    if customers.size == 0 or suppliers.size == 0:
        return None
    customer = np.repeat(customers, supplier_counts(edge, customers.size, suppliers.size, rng))
    supplier = pick_suppliers(customer, suppliers, firms, geo.cluster, edge.local, rng)
    value = (edge.value * rng.lognormal(0.0, 1.0, customer.size) * firms.scale[customer]
             * SIZE_SELL[firms.size[supplier]])
    return Links(
        supplier=supplier, customer=customer, product=link_products(edge, supplier, firms, catalogue, rng),
        value=value, lead_time=lead_times(supplier, customer, firms, geo, rng),
        inventory=stock_days(edge.inventory, customer.size, rng),
        essential=rng.random(customer.size) < edge.essential,
    )


def anchor_links(firms: Firms, catalogue: Catalogue, geo: Geography, rng) -> Links:
    """The story's links: Kunshan harness and seats and Shanghai assemblies into Changchun, Wuhan, Guangzhou OEMs."""
    oems = firms.of_role("oem")[: len(OEM_FIRST)]
    tier1 = firms.of_role("tier1")[: len(ANCHORS)]
    k = min(tier1.size, len(ANCHOR_OEM))
    supplier = tier1[:k]
    customer = oems[np.minimum(np.array(ANCHOR_OEM[:k]), oems.size - 1)]
    return Links(
        supplier=supplier, customer=customer, product=firms.product[supplier],
        value=3e7 * rng.lognormal(0.0, 0.3, k), lead_time=lead_times(supplier, customer, firms, geo, rng),
        inventory=np.array(ANCHOR_STOCK[:k]), essential=np.ones(k, dtype=bool),
    )


def concat(parts: list[Links]) -> Links:
    """One Links from several."""
    return Links(*(np.concatenate([getattr(p, f) for p in parts]) for f in Links.__dataclass_fields__))


def build_links(firms: Firms, catalogue: Catalogue, geo: Geography, rng: np.random.Generator) -> Links:
    """Every link of the economy, without self-links or repeated (supplier, customer, product) triples."""
    parts = [anchor_links(firms, catalogue, geo, rng)]
    parts += [p for edge in EDGES if (p := edge_links(edge, firms, catalogue, geo, rng)) is not None]
    links = concat(parts)
    links.value = np.maximum(np.round(links.value, 2), 1000.0)
    n, products = len(firms), len(catalogue.codes) + 1
    key = (links.supplier * n + links.customer) * products + (links.product + 1)
    _, first = np.unique(key, return_index=True)
    first.sort()
    first = first[links.supplier[first] != links.customer[first]]
    return links.take(first)
