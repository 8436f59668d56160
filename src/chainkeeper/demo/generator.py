"""A seeded synthetic economy for demos and benchmarks: enterprises, products and supply links.

The automobile chain (OEMs in Shanghai, Changchun, Wuhan, Guangzhou, Chongqing, … and tier-1 to tier-3 suppliers
concentrated in the Yangtze and Pearl River deltas), integrated circuits (few, concentrated chip makers), equipment,
biomedicine and medical supplies. The same seed always gives the same economy.

>>> economy = generate_economy(500, seed=7)
>>> len(economy.enterprises["uscc"]), sorted(economy.products) == sorted(PRODUCT_COLUMNS)
(500, True)
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chainkeeper.demo import names as naming
from chainkeeper.demo.catalogue import Catalogue, build_catalogue
from chainkeeper.demo.firms import Firms, build_firms, label_strings
from chainkeeper.demo.geography import geography
from chainkeeper.demo.links import Links, build_links
from chainkeeper.demo.profiles import SIZES
from chainkeeper.reference.chains import DEFAULT_CHAINS
from chainkeeper.registry import uscc

ENTERPRISE_COLUMNS = ("uscc", "name", "county_code", "industry_code", "size", "labels", "chain",
                      "contact_person", "contact_phone")
PRODUCT_COLUMNS = ("code", "name", "industry_code")
LINK_COLUMNS = ("supplier_uscc", "customer_uscc", "product_code", "annual_value", "lead_time_days",
                "inventory_days", "essential")
TABLES = {"enterprises": ENTERPRISE_COLUMNS, "products": PRODUCT_COLUMNS, "links": LINK_COLUMNS}
XLSX_MAX_ROWS = 200_000
"""Tables with more rows than this are written as CSV only (openpyxl would take minutes and gigabytes)."""


@dataclass
class DemoEconomy:
    """Three tables as columns: every value is a ``str`` exactly as it appears in the exported CSV.

    ``labels`` is a ';'-joined list of label codes (may be empty); ``chain`` is empty except for a few firms with a
    hand-set chain; ``product_code`` may be empty; ``annual_value`` is CNY with two decimals; ``essential`` is
    "1" or "0".
    """

    enterprises: dict[str, list]
    products: dict[str, list]
    links: dict[str, list]

    def table(self, table: str) -> dict[str, list]:
        """The columns of ``table`` ("enterprises", "products" or "links")."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
        return getattr(self, table)

    def rows(self, table: str) -> Iterator[dict[str, str]]:
        """The rows of ``table`` as dicts of strings, in column order."""
        columns = self.table(table)
        keys = tuple(columns)
        for values in zip(*columns.values()):
            yield dict(zip(keys, values))


def generate_economy(n_firms: int = 3000, *, seed: int = 42) -> DemoEconomy:
    """A synthetic economy of ``n_firms`` enterprises (at least 200), deterministic for ``seed``.

    About 2.4-2.6 links per firm. 3,000 firms take about 0.1 s; 1,000,000 firms about 12 s and 1.3 GB (2.6 million
    links), of which half is USCC generation.
    """
    rng = np.random.default_rng(seed)
    geo, catalogue = geography(), build_catalogue()
    firms = build_firms(n_firms, geo, catalogue, rng)
    links = build_links(firms, catalogue, geo, rng)
    enterprises = enterprise_columns(firms, rng, random.Random(seed))
    return DemoEconomy(
        enterprises=enterprises,
        products=product_columns(catalogue),
        links=link_columns(links, enterprises["uscc"], catalogue),
    )


def unique_usccs(county_codes: Sequence[str], rnd: random.Random) -> list[str]:
    """A valid, unique USCC for each county code (via :func:`chainkeeper.registry.uscc.generate`)."""
    seen: set[str] = set()
    codes = []
    for county in county_codes:
        code = uscc.generate(county, rnd)
        while code in seen:
            code = uscc.generate(county, rnd)
        seen.add(code)
        codes.append(code)
    return codes


def enterprise_columns(firms: Firms, rng: np.random.Generator, rnd: random.Random) -> dict[str, list]:
    """The enterprise table as columns of strings."""
    geo = geography()
    places = list(dict.fromkeys(geo.place))
    place_of_county = _place_ids(geo.place, places)
    county_codes = [geo.codes[c] for c in firms.county.tolist()]
    chains = [chain.code for chain in DEFAULT_CHAINS]
    labels = label_strings()
    return {
        "uscc": unique_usccs(county_codes, rnd),
        "name": naming.enterprise_names(place_of_county[firms.county], places, firms.industries, firms.industry,
                                        firms.size == 0, rng),
        "county_code": county_codes,
        "industry_code": [firms.industries[i] for i in firms.industry.tolist()],
        "size": [SIZES[s] for s in firms.size.tolist()],
        "labels": [labels[m] for m in firms.labels.tolist()],
        "chain": [chains[c] if c >= 0 else "" for c in firms.chain.tolist()],
        "contact_person": naming.person_names(len(firms), rng),
        "contact_phone": naming.mobile_phones(len(firms), rng),
    }


def _place_ids(place_names: Sequence[str], places: list[str]) -> np.ndarray:
    """Index of each county's place name in ``places``."""
    index = {name: i for i, name in enumerate(places)}
    return np.array([index[name] for name in place_names])


def product_columns(catalogue: Catalogue) -> dict[str, list]:
    """The product catalogue as columns."""
    return {"code": list(catalogue.codes), "name": list(catalogue.names), "industry_code": list(catalogue.industries)}


def link_columns(links: Links, usccs: list[str], catalogue: Catalogue) -> dict[str, list]:
    """The link table as columns of strings (USCC strings are shared with the enterprise table)."""
    days = [str(d) for d in range(31)]
    products = [*catalogue.codes, ""]  # index -1 is the empty product
    return {
        "supplier_uscc": [usccs[i] for i in links.supplier.tolist()],
        "customer_uscc": [usccs[i] for i in links.customer.tolist()],
        "product_code": [products[p] for p in links.product.tolist()],
        "annual_value": [f"{v:.2f}" for v in links.value.tolist()],
        "lead_time_days": [days[d] for d in links.lead_time.tolist()],
        "inventory_days": [days[d] for d in links.inventory.tolist()],
        "essential": ["1" if e else "0" for e in links.essential.tolist()],
    }


def export_economy(economy: DemoEconomy, directory: str | Path, formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """Write enterprises, products and links as ``<table>.csv`` and/or ``<table>.xlsx`` in ``directory``.

    CSV is UTF-8 with a header row of the English column names. XLSX has one sheet per file, all cells text. A table
    of more than XLSX_MAX_ROWS (200,000) rows is not written as XLSX (it is skipped silently; its CSV is complete).
    Returns the paths written, CSV files first.
    """
    unknown = set(formats) - {"csv", "xlsx"}
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; expected 'csv' and/or 'xlsx'")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in ("csv", "xlsx"):
        for table in TABLES if fmt in formats else ():
            columns = economy.table(table)
            if fmt == "xlsx" and len(next(iter(columns.values()))) > XLSX_MAX_ROWS:
                continue
            path = out / f"{table}.{fmt}"
            (_write_csv if fmt == "csv" else _write_xlsx)(path, table, columns)
            written.append(path)
    return written


def _write_csv(path: Path, table: str, columns: dict[str, list]) -> None:
    """One table as UTF-8 CSV with a header row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values()))


def _write_xlsx(path: Path, table: str, columns: dict[str, list]) -> None:
    """One table as a single-sheet workbook, written in openpyxl's streaming write-only mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table)
    sheet.append(list(columns))
    for row in zip(*columns.values()):
        sheet.append(row)
    workbook.save(path)
