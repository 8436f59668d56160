"""Recommendations from the network: sole suppliers of listed firms, and high systemic risk, with reasons."""

from factories import enterprise_row, link_row
from whitelist.support import D0, make_list, publish

from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.whitelist.recommend import recommend


def test_sole_supplier_of_listed_firms_is_recommended_with_a_reason(engine, setup):
    sole = enterprise_row(name="苏州芯片有限公司", county_code="320505", industry_code="3973", chain="auto")
    assert import_rows(engine, "enterprises", [sole]).written
    links = [link_row(sole["uscc"], setup.world.kunshan["uscc"]), link_row(sole["uscc"], setup.world.changchun["uscc"])]
    assert import_rows(engine, "links", links).written
    with unit_of_work(engine) as session:
        publish(session, setup, make_list(session, "32").id)
        found = recommend(session=session, region="32", chain="auto", day=D0)
        item = next(r for r in found if r.uscc == sole["uscc"])
        assert item.sole_supplier_to == 1
        assert item.explain("en")[0] == "sole supplier of an essential input to 1 listed enterprises"
        assert setup.world.kunshan["uscc"] not in {r.uscc for r in found}  # already listed
        assert recommend(session=session, region="33", chain="auto", day=D0) == [] or all(
            r.uscc != sole["uscc"] for r in recommend(session=session, region="33", chain="auto", day=D0))
