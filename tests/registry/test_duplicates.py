"""Probable duplicates: different USCCs, the same normalised name in the same county."""

from factories import enterprise_row

from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import probable_duplicates


def test_variants_of_one_name_in_one_county_are_reported(engine):
    rows = [
        enterprise_row(name="苏州恒达汽车零部件有限公司"),
        enterprise_row(name="蘇州恆達汽車零部件有限責任公司"),
        enterprise_row(name="苏州恒达汽车零部件有限公司", county_code="320505"),  # another county
        enterprise_row(name="苏州恒通汽车零部件有限公司"),
    ]
    assert import_rows(engine, "enterprises", rows).written
    with unit_of_work(engine) as session:
        groups = probable_duplicates(session=session)
        assert [sorted(e.uscc for e in group) for group in groups] == [sorted([rows[0]["uscc"], rows[1]["uscc"]])]
