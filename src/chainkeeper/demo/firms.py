"""The firms of the demo economy as numpy columns: role, industry, county, size, labels, chain, main product."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainkeeper.demo.catalogue import Catalogue
from chainkeeper.demo.geography import Geography
from chainkeeper.demo.profiles import FOREIGN_CITIES, LABELS, OEM_FIRST, ROLE_INDEX, ROLES
from chainkeeper.reference.chains import DEFAULT_CHAINS

MIN_FIRMS = 200
SIZE_PULL = np.array([6.0, 2.5, 1.0, 0.4])
"""How strongly a supplier of each size attracts customers (multiplies its Pareto fitness)."""
SIZE_BUY = np.array([3.0, 1.0, 0.4, 0.15])
"""How much a customer of each size buys, relative to a medium firm."""
SIZE_SELL = np.array([2.0, 1.2, 0.8, 0.5])
_BIT = {label: 1 << i for i, label in enumerate(LABELS)}

ANCHORS = (("320583", "线束"), ("320583", "座椅总成"), ("310114", "仪表板总成"), ("310114", "制动系统总成"),
           ("310114", "变速箱总成"))
"""Tier-1 suppliers of the demo story: Kunshan harness and seats, Shanghai assemblies (the first tier-1 firms)."""


@dataclass
class Firms:
    """Columns of the firms; ``industry`` indexes ``industries`` and ``county`` the geography's counties."""

    role: np.ndarray
    industry: np.ndarray
    industries: list[str]
    county: np.ndarray
    size: np.ndarray
    labels: np.ndarray  # bit mask over LABELS
    chain: np.ndarray  # index into DEFAULT_CHAINS of a hand-set chain, -1 for none
    fitness: np.ndarray  # attractiveness as a supplier (heavy-tailed)
    scale: np.ndarray  # purchasing scale as a customer
    product: np.ndarray  # main product (catalogue index)
    group: np.ndarray  # (role, industry) group, indexing group_start / group_len into group_products
    group_start: np.ndarray
    group_len: np.ndarray
    group_products: np.ndarray

    def __len__(self) -> int:
        return int(self.role.size)

    def of_role(self, role: str, industries: tuple[str, ...] = ()) -> np.ndarray:
        """Indices of the firms of ``role`` (optionally only in ``industries``)."""
        mask = self.role == ROLE_INDEX[role]
        if industries:
            wanted = np.array([code in industries for code in self.industries])
            mask &= wanted[self.industry]
        return np.flatnonzero(mask)


def role_counts(n_firms: int) -> np.ndarray:
    """Firms per role: shares of ``n_firms``, at least 3 OEMs and 1 of every role, rest to the largest role."""
    if n_firms < MIN_FIRMS:
        raise ValueError(f"n_firms must be at least {MIN_FIRMS}, got {n_firms}")
    shares = np.array([role.share for role in ROLES])
    counts = np.maximum(np.floor(shares / shares.sum() * n_firms).astype(np.int64), 1)
    counts[ROLE_INDEX["oem"]] = max(counts[ROLE_INDEX["oem"]], 3)
    counts[np.argmax(shares)] += n_firms - counts.sum()
    return counts


def build_firms(n_firms: int, geo: Geography, catalogue: Catalogue, rng: np.random.Generator) -> Firms:
    """Draw every firm's role, industry, county, size, labels and main product."""
    counts = role_counts(n_firms)
    industries = list(dict.fromkeys(code for role in ROLES for code, _ in role.industries))
    code_index = {code: i for i, code in enumerate(industries)}
    role = np.repeat(np.arange(len(ROLES)), counts)
    industry = np.empty(n_firms, dtype=np.int64)
    county = np.empty(n_firms, dtype=np.int64)
    size = np.empty(n_firms, dtype=np.int64)
    for r, spec in enumerate(ROLES):
        block = np.flatnonzero(role == r)
        codes = np.array([code_index[code] for code, _ in spec.industries])
        weights = np.array([w for _, w in spec.industries])
        industry[block] = codes[rng.choice(codes.size, size=block.size, p=weights / weights.sum())]
        counties, p = geo.distribution(spec.places)
        county[block] = counties[rng.choice(counties.size, size=block.size, p=p)]
        size[block] = rng.choice(4, size=block.size, p=np.array(spec.sizes) / sum(spec.sizes))
    _place_oems(role, county, geo)
    _place_anchors(role, industry, county, size, code_index["3670"], geo)
    firms = Firms(
        role=role, industry=industry, industries=industries, county=county, size=size,
        labels=_labels(role, size, geo.city[county], rng), chain=_chains(role, rng),
        fitness=(rng.pareto(1.5, n_firms) + 1.0) * SIZE_PULL[size],
        scale=SIZE_BUY[size] * rng.lognormal(0.0, 0.5, n_firms),
        product=np.zeros(n_firms, dtype=np.int64), group=np.zeros(n_firms, dtype=np.int64),
        group_start=np.zeros(0, dtype=np.int64), group_len=np.zeros(0, dtype=np.int64),
        group_products=np.zeros(0, dtype=np.int64),
    )
    _assign_products(firms, catalogue, rng)
    return firms


def _place_oems(role: np.ndarray, county: np.ndarray, geo: Geography) -> None:
    """Put the first OEMs in OEM_FIRST (Changchun, Wuhan, Guangzhou, Shanghai, …), one per OEM city."""
    oems = np.flatnonzero(role == ROLE_INDEX["oem"])
    first = oems[: len(OEM_FIRST)]
    county[first] = [geo.index[code] for code in OEM_FIRST[: first.size]]


def _place_anchors(role: np.ndarray, industry: np.ndarray, county: np.ndarray, size: np.ndarray, parts_code: int,
                   geo: Geography) -> None:
    """Make the first tier-1 firms the story's suppliers: auto parts makers of medium size in Kunshan and Shanghai."""
    anchors = np.flatnonzero(role == ROLE_INDEX["tier1"])[: len(ANCHORS)]
    industry[anchors] = parts_code
    county[anchors] = [geo.index[code] for code, _ in ANCHORS[: anchors.size]]
    size[anchors] = np.minimum(size[anchors], 1)


def _labels(role: np.ndarray, size: np.ndarray, city: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Label bit masks: leading and key-node firms, specialised SMEs and little giants, champions, foreign firms."""
    n = role.size
    leading, key_node, champion, foreign = (
        np.array([getattr(r, name) for r in ROLES])[role] for name in ("leading", "key_node", "champion", "foreign")
    )
    big, sme = size <= 1, (size >= 1) & (size <= 2)
    u = rng.random((5, n))
    mask = np.where((size == 0) & (u[0] < leading), _BIT["leading"], 0)
    mask |= np.where(big & (u[1] < key_node), _BIT["key_node"], 0)
    giant = sme & (u[2] < 0.025) & (role != ROLE_INDEX["oem"])
    mask |= np.where(giant | (sme & (u[2] < 0.12)), _BIT["specialized"], 0)
    mask |= np.where(giant, _BIT["little_giant"], 0)
    mask |= np.where(big & (u[3] < champion), _BIT["single_champion"], 0)
    mask |= np.where(np.isin(city, FOREIGN_CITIES) & (u[4] < foreign), _BIT["foreign_invested"], 0)
    return mask


def _chains(role: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Hand-set chains (index into DEFAULT_CHAINS) on a few firms of roles that declare one; -1 elsewhere."""
    codes = [chain.code for chain in DEFAULT_CHAINS]
    chain = np.full(role.size, -1, dtype=np.int64)
    u = rng.random(role.size)
    for r, spec in enumerate(ROLES):
        if spec.chain:
            chain[(role == r) & (u < spec.chain_share)] = codes.index(spec.chain)
    return chain


def label_strings() -> list[str]:
    """The ';'-joined label text of every bit mask."""
    return [";".join(label for label in LABELS if mask & _BIT[label]) for mask in range(1 << len(LABELS))]


def _assign_products(firms: Firms, catalogue: Catalogue, rng: np.random.Generator) -> None:
    """Give every firm a main product among those its (role, industry) makes; anchors get the story's products."""
    groups = list(catalogue.made)
    group_of = {key: g for g, key in enumerate(groups)}
    lengths = np.array([catalogue.made[key].size for key in groups])
    firms.group_len = lengths
    firms.group_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    firms.group_products = np.concatenate([catalogue.made[key] for key in groups])
    lookup = np.full((len(ROLES), len(firms.industries)), -1, dtype=np.int64)
    for (role_name, code), g in group_of.items():
        lookup[ROLE_INDEX[role_name], firms.industries.index(code)] = g
    firms.group = lookup[firms.role, firms.industry]
    pick = np.floor(rng.random(len(firms)) * lengths[firms.group]).astype(np.int64)
    firms.product = firms.group_products[firms.group_start[firms.group] + pick]
    anchors = firms.of_role("tier1")[: len(ANCHORS)]
    firms.product[anchors] = [catalogue.index[("3670", name)] for _, name in ANCHORS[: anchors.size]]
