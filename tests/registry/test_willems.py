"""The 38 real supply chains of Willems (2008), imported through the adapter."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.registry.willems import read_chain, stage_uscc
from chainkeeper.registry.uscc import is_valid

CHAINS = sorted((Path(__file__).parents[1] / "fixtures" / "willems2008").glob("[0-9][0-9].csv"))


def test_all_38_chains_parse_to_the_published_counts():
    chains = [read_chain(path) for path in CHAINS]
    assert len(chains) == 38
    assert sum(len(c.stages) for c in chains) == 15_872
    assert sum(len(c.arcs) for c in chains) == 43_589
    last = chains[-1]
    assert (last.number, len(last.stages), len(last.arcs)) == (38, 2_025, 16_225)


def test_stage_codes_are_valid_and_distinct():
    codes = {stage_uscc(chain, stage) for chain in (1, 38) for stage in range(3000)}
    assert len(codes) == 6000 and all(is_valid(code) for code in list(codes)[:500])


def _import(engine, chains):
    enterprises = [row for chain in chains for row in chain.enterprise_rows()]
    links = [row for chain in chains for row in chain.link_rows()]
    first = import_rows(engine, "enterprises", enterprises, source="willems")
    second = import_rows(engine, "links", links, source="willems")
    assert first.ok and second.ok, (first.issues[:3], second.issues[:3])
    return first, second


def test_every_chain_imports_into_the_registry(engine):
    chains = [read_chain(path) for path in CHAINS]
    _import(engine, chains)
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 15_872
        assert session.scalar(select(func.count()).select_from(SupplyLink)) == 43_589


@pytest.mark.parametrize("number", [1, 38])
def test_reimporting_a_chain_changes_nothing(engine, number):
    chain = read_chain(CHAINS[number - 1])
    _import(engine, [chain])
    enterprises, links = _import(engine, [chain])
    assert (enterprises.created, links.created) == (0, 0)
    assert links.updated == len(chain.arcs)
