"""Tests of the demo-economy generator: structure, realism and the export round trip."""

from __future__ import annotations

import csv
import importlib.resources
import re
import unicodedata
from collections import Counter, defaultdict

import numpy as np
import pytest

from chainkeeper.demo import generator, names
from chainkeeper.demo.generator import (
    ENTERPRISE_COLUMNS, LINK_COLUMNS, PRODUCT_COLUMNS, export_economy, generate_economy,
)
from chainkeeper.demo.profiles import EDGES, ROLES
from chainkeeper.reference.chains import DEFAULT_CHAINS
from chainkeeper.registry import uscc

OEM_CITIES = {"3101", "2201", "4201", "4401", "5001", "5002", "1101", "3401", "6101", "4502", "4403", "3302"}
CHIP_CITIES = {"3101", "3202", "4403", "6101", "1101"}
DELTA_PROVINCES = {"31", "32", "33", "34", "44"}
LABELS = {"leading", "key_node", "specialized", "little_giant", "single_champion", "foreign_invested"}


def _reference(filename: str) -> list[dict[str, str]]:
    resource = importlib.resources.files("chainkeeper.reference") / "data" / filename
    with resource.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


AREAS = {row["code"]: row for row in _reference("areas.csv")}
CLASSES = {row["code"] for row in _reference("gbt4754-2017.csv") if row["level"] == "4"}


@pytest.fixture(scope="module")
def economy():
    return generate_economy(3000, seed=42)


@pytest.fixture(scope="module")
def firms(economy):
    return {row["uscc"]: row for row in economy.rows("enterprises")}


@pytest.fixture(scope="module")
def links(economy):
    return list(economy.rows("links"))


def test_same_seed_same_economy_other_seed_other_economy():
    first, again, other = generate_economy(600, seed=3), generate_economy(600, seed=3), generate_economy(600, seed=4)
    assert first == again
    assert first.enterprises["uscc"] != other.enterprises["uscc"]
    assert first.links["annual_value"] != other.links["annual_value"]


def test_columns_are_exactly_the_contract_and_all_strings(economy):
    for table, columns in (("enterprises", ENTERPRISE_COLUMNS), ("products", PRODUCT_COLUMNS),
                           ("links", LINK_COLUMNS)):
        data = getattr(economy, table)
        assert tuple(data) == columns
        assert len({len(values) for values in data.values()}) == 1
        assert all(isinstance(value, str) for values in data.values() for value in values)
        assert next(economy.rows(table)).keys() == set(columns)
    assert len(economy.enterprises["uscc"]) == 3000
    with pytest.raises(ValueError):
        list(economy.rows("suppliers"))


def test_too_few_firms_is_refused():
    with pytest.raises(ValueError):
        generate_economy(50)


def test_usccs_valid_unique_and_registered_in_the_county(economy):
    codes = economy.enterprises["uscc"]
    assert len(set(codes)) == len(codes)
    assert all(uscc.is_valid(code) for code in codes)
    assert all(code[2:8] == county for code, county in zip(codes, economy.enterprises["county_code"]))


def test_county_codes_are_real_and_inside_the_role_regions(economy):
    role_regions = defaultdict(set)
    for role in ROLES:
        for code, _ in role.industries:
            role_regions[code] |= {place for place, _ in role.places}
    for county, industry in zip(economy.enterprises["county_code"], economy.enterprises["industry_code"]):
        area = AREAS[county]
        inside = {county, area["cityCode"], area["provinceCode"]}
        assert inside & role_regions[industry], (county, industry)


def test_industry_codes_are_real_classes(economy):
    assert set(economy.enterprises["industry_code"]) <= CLASSES
    assert set(economy.products["industry_code"]) <= CLASSES
    assert {code for role in ROLES for code, _ in role.industries} <= CLASSES
    assert {code for edge in EDGES for code in edge.customer_industries + edge.supplier_industries} <= CLASSES


def test_oems_are_large_leading_and_in_the_oem_cities(firms):
    oems = [f for f in firms.values() if f["industry_code"] in ("3611", "3612")]
    assert len(oems) >= 11
    cities = {AREAS[f["county_code"]]["cityCode"] for f in oems}
    assert cities <= OEM_CITIES
    assert {"2201", "4201", "4401", "3101", "5001"} <= cities
    assert all(f["size"] == "large" and "leading" in f["labels"].split(";") for f in oems)


def test_chip_makers_are_few_and_concentrated(firms):
    chips = [f for f in firms.values() if f["industry_code"] in ("3973", "3972", "6520")]
    assert 5 <= len(chips) <= 0.03 * len(firms)
    assert {AREAS[f["county_code"]]["cityCode"] for f in chips} <= CHIP_CITIES


def test_auto_suppliers_are_concentrated_in_the_deltas(firms):
    parts = [f for f in firms.values() if f["industry_code"] in ("3670", "3660", "3620")]
    in_deltas = sum(AREAS[f["county_code"]]["provinceCode"] in DELTA_PROVINCES for f in parts)
    assert in_deltas / len(parts) > 0.6
    assert any(f["county_code"] == "320583" for f in parts)  # Kunshan


def test_links_have_no_self_links_duplicates_or_dangling_ends(economy, firms, links):
    products = set(economy.products["code"])
    triples = [(link["supplier_uscc"], link["customer_uscc"], link["product_code"]) for link in links]
    assert len(set(triples)) == len(triples)
    for supplier, customer, product in triples:
        assert supplier != customer
        assert supplier in firms and customer in firms
        assert product == "" or product in products
    assert 1.5 <= len(links) / len(firms) <= 3.5


def test_link_values_and_days_have_the_documented_format(links):
    assert all(re.fullmatch(r"\d+(\.\d{1,2})?", link["annual_value"]) for link in links)
    assert all(float(link["annual_value"]) > 0 for link in links)
    lead = np.array([int(link["lead_time_days"]) for link in links])
    stock = np.array([int(link["inventory_days"]) for link in links])
    assert lead.min() >= 1 and lead.max() <= 30
    assert stock.min() >= 3 and stock.max() <= 30
    assert 0.005 < np.mean(stock <= 4) < 0.1  # a few links with very low stock
    assert {link["essential"] for link in links} == {"0", "1"}
    assert 0.02 < np.mean([link["product_code"] == "" for link in links]) < 0.3


def test_oems_buy_far_more_and_mostly_essential_parts(firms, links):
    is_oem = {u for u, f in firms.items() if f["industry_code"] in ("3611", "3612")}
    into_oem = [link for link in links if link["customer_uscc"] in is_oem]
    other = [link for link in links if link["customer_uscc"] not in is_oem]
    mean = lambda rows: np.mean([float(r["annual_value"]) for r in rows])  # noqa: E731
    assert mean(into_oem) > 10 * mean(other)
    parts = [link for link in into_oem if firms[link["supplier_uscc"]]["industry_code"] == "3670"]
    assert np.mean([link["essential"] == "1" for link in parts]) > 0.8


def test_values_and_degrees_are_heavy_tailed(links):
    values = np.sort([float(link["annual_value"]) for link in links])[::-1]
    assert values[: len(values) // 100].sum() / values.sum() > 0.25
    out_degree = np.array(list(Counter(link["supplier_uscc"] for link in links).values()))
    assert out_degree.max() >= 20 * np.median(out_degree)


def test_some_essential_inputs_are_single_sourced(firms, links):
    foundries = defaultdict(set)
    for link in links:
        customer, supplier = firms[link["customer_uscc"]], firms[link["supplier_uscc"]]
        if customer["industry_code"] == "6520" and supplier["industry_code"] == "3973":
            assert link["essential"] == "1"
            foundries[link["customer_uscc"]].add(link["supplier_uscc"])
    designers = [u for u, f in firms.items() if f["industry_code"] == "6520"]
    assert designers and all(len(foundries[u]) == 1 for u in designers)


def test_story_kunshan_harness_supplies_a_changchun_oem_with_little_stock(economy, firms, links):
    harness = {code for code, name in zip(economy.products["code"], economy.products["name"]) if name == "线束"}
    story = [
        link for link in links
        if link["product_code"] in harness and firms[link["supplier_uscc"]]["county_code"] == "320583"
        and AREAS[firms[link["customer_uscc"]]["county_code"]]["cityCode"] == "2201"
    ]
    assert story and all(link["essential"] == "1" and int(link["inventory_days"]) <= 12 for link in story)


def _name_key(name: str) -> str:
    """Name with width, spaces and the legal form (any of the three) removed."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return re.sub("(股份有限公司|有限责任公司|有限公司)$", "", text)


def test_names_look_chinese_and_are_unique_per_county(economy):
    seen = set()
    for name, county in zip(economy.enterprises["name"], economy.enterprises["county_code"]):
        assert re.fullmatch(r"[\u4e00-\u9fff]{6,}(有限公司|有限责任公司|股份有限公司)", name), name
        key = (county, _name_key(name))
        assert key not in seen, name
        seen.add(key)


def test_names_stay_unique_under_the_registry_normalisation(economy):
    registry_names = pytest.importorskip("chainkeeper.registry.names")
    keys = {(registry_names.normalize_name(n), c)
            for n, c in zip(economy.enterprises["name"], economy.enterprises["county_code"])}
    assert len(keys) == len(economy.enterprises["name"])


def test_names_start_with_the_place():
    economy = generate_economy(400, seed=1)
    for name, county in zip(economy.enterprises["name"], economy.enterprises["county_code"]):
        if county == "320583":
            assert name.startswith("昆山")
        elif county.startswith("31"):
            assert name.startswith("上海")


def test_dense_place_gets_longer_but_unique_trade_names():
    rng = np.random.default_rng(0)
    n = 30_000  # more firms than two-character trade names
    industries = ["3670", "3973"]
    industry = rng.integers(2, size=n)
    result = names.enterprise_names(np.zeros(n, dtype=np.int64), ["东莞"], industries, industry,
                                    np.zeros(n, dtype=bool), rng)
    keys = [_name_key(name) for name in result]
    assert len(set(keys)) == n
    assert max(map(len, keys)) > min(map(len, keys))


def test_trade_vocabulary_cannot_make_ambiguous_names():
    assert len(set(names.TRADE_CHARS)) == len(names.TRADE_CHARS)
    assert len(set(names.SECOND_CHARS)) == len(names.SECOND_CHARS)
    words = {w for group in names.INDUSTRY_WORDS.values() for w in group}
    assert not any(word[0] in names.TRADE_CHARS for word in words)


def test_group_rank_counts_earlier_repeats():
    rank = names.group_rank(np.array([0, 1, 0, 0, 1]), np.array([5, 5, 5, 6, 5]))
    assert rank.tolist() == [0, 0, 1, 0, 1]


def test_contacts_sizes_labels_and_chains(economy, firms):
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p) for p in economy.enterprises["contact_person"])
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in economy.enterprises["contact_phone"])
    assert set(economy.enterprises["size"]) == {"large", "medium", "small", "micro"}
    found = Counter(label for f in firms.values() for label in f["labels"].split(";") if label)
    assert set(found) == LABELS
    for f in firms.values():
        labels = f["labels"].split(";")
        if "little_giant" in labels:
            assert "specialized" in labels and f["size"] in ("medium", "small")
        if "foreign_invested" in labels:
            assert AREAS[f["county_code"]]["cityCode"] in ("3101", "3205")
    tier1 = [f for f in firms.values() if f["industry_code"] == "3670" and "key_node" in f["labels"]]
    assert tier1
    chains = Counter(economy.enterprises["chain"])
    assert set(chains) <= {""} | {chain.code for chain in DEFAULT_CHAINS}
    assert 0 < len(firms) - chains[""] < 0.05 * len(firms)


def test_product_catalogue(economy):
    codes = economy.products["code"]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"P\d{4}-\d{4}", code) for code in codes)
    assert all(code[1:5] == industry for code, industry in zip(codes, economy.products["industry_code"]))
    assert {"座椅总成", "线束", "发动机控制芯片", "冷轧钢板"} <= set(economy.products["name"])


def test_larger_economy_keeps_one_to_three_links_per_firm():
    economy = generate_economy(20_000, seed=9)
    assert 1.0 <= len(economy.links["supplier_uscc"]) / 20_000 <= 3.0
    assert len(set(economy.enterprises["uscc"])) == 20_000


def test_export_round_trip(tmp_path):
    economy = generate_economy(300, seed=5)
    paths = export_economy(economy, tmp_path)
    assert [p.name for p in paths] == ["enterprises.csv", "products.csv", "links.csv",
                                       "enterprises.xlsx", "products.xlsx", "links.xlsx"]
    for table in ("enterprises", "products", "links"):
        with (tmp_path / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            assert list(csv.DictReader(handle)) == list(economy.rows(table))
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(tmp_path / "products.xlsx", read_only=True).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(PRODUCT_COLUMNS)
    assert rows[1:] == [list(row.values()) for row in economy.rows("products")]


def test_export_skips_xlsx_for_large_tables(tmp_path, monkeypatch):
    economy = generate_economy(300, seed=5)
    monkeypatch.setattr(generator, "XLSX_MAX_ROWS", 301)
    written = {p.name for p in export_economy(economy, tmp_path, formats=("xlsx",))}
    assert written == {"enterprises.xlsx", "products.xlsx"}  # links has more than 301 rows
    with pytest.raises(ValueError):
        export_economy(economy, tmp_path, formats=("parquet",))
