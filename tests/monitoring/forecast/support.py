"""A small registry for the forecast's tests (values are annual CNY; days do not depend on them)::

    A (steel, Shanghai) --essential, 3 days--> B (harness, Kunshan) --essential, 10 days--> C (OEM, Changchun, leading)
    N (plastics, Ningbo) --non-essential--> C
"""

from __future__ import annotations

from factories import enterprise_row, link_row

from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import get_enterprise


def forecast_registry(engine) -> dict:
    """Import the registry of the module docstring; returns name -> enterprise id (and ``_rows``)."""
    rows = {
        "A": enterprise_row(name="上海钢材有限公司", county_code="310115", industry_code="3130"),
        "B": enterprise_row(name="昆山线束有限公司", county_code="320583", industry_code="3670"),
        "C": enterprise_row(name="长春整车有限公司", county_code="220104", industry_code="3611", size="large",
                            labels="leading"),
        "N": enterprise_row(name="宁波塑料有限公司", county_code="330206", industry_code="2929"),
    }
    assert import_rows(engine, "enterprises", list(rows.values())).written
    links = [link_row(rows["A"]["uscc"], rows["B"]["uscc"], annual_value="100", inventory_days="3"),
             link_row(rows["B"]["uscc"], rows["C"]["uscc"], annual_value="300", inventory_days="10"),
             link_row(rows["N"]["uscc"], rows["C"]["uscc"], annual_value="100", inventory_days="3", essential="0")]
    assert import_rows(engine, "links", links).written
    with unit_of_work(engine) as session:
        ids = {key: get_enterprise(session=session, uscc=row["uscc"]).id for key, row in rows.items()}
    return ids | {"_rows": rows}
