"""Reference tables after migration: counts, nesting, region groups, key chains."""

from sqlalchemy import func, select

from chainkeeper.db import unit_of_work
from chainkeeper.reference.models import Industry, KeyChainIndustry, Region
from chainkeeper.reference.service import get_region, in_region_group, is_within, list_chains


def test_region_counts(engine):
    with unit_of_work(engine) as session:
        counts = dict(session.execute(select(Region.level, func.count()).group_by(Region.level)).all())
    assert counts == {1: 31, 2: 342, 3: 2978}


def test_nesting_is_one_lookup(engine):
    with unit_of_work(engine) as session:
        kunshan = get_region(session=session, code="320583")
        assert is_within(kunshan, "32") and is_within(kunshan, "3205") and is_within(kunshan, "320583")
        assert not is_within(kunshan, "31") and not is_within(kunshan, "3201")
        assert in_region_group(session=session, region=kunshan, group_code="yrd")
        assert not in_region_group(session=session, region=kunshan, group_code="jjj")
        dongguan = get_region(session=session, code="4419")
        assert in_region_group(session=session, region=dongguan, group_code="prd")
        shaoguan = get_region(session=session, code="4402")
        assert not in_region_group(session=session, region=shaoguan, group_code="prd")


def test_industries_have_four_levels_and_parents(engine):
    with unit_of_work(engine) as session:
        levels = dict(session.execute(select(Industry.level, func.count()).group_by(Industry.level)).all())
        assert levels[1] == 20 and levels[2] == 97
        assert session.get(Industry, "3611").parent_code == "361"
        assert session.get(Industry, "3620").parent_code == "36"  # a class whose group has no row of its own
        assert session.get(Industry, "36").parent_code == "C"


def test_default_key_chains(engine):
    with unit_of_work(engine) as session:
        chains = [chain.code for chain in list_chains(session=session)]
        assert {"auto", "ic", "equipment", "biomedicine", "medical"} <= set(chains)
        ic = session.scalars(select(KeyChainIndustry.industry_code).where(KeyChainIndustry.chain_code == "ic")).all()
        assert "3973" in ic and "6520" in ic
