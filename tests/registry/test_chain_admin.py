"""Editing key chains re-derives the chain of enterprises that were not set by hand."""

import pytest
from factories import enterprise_row
from sqlalchemy import select

from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed
from chainkeeper.reference.chain_admin import delete_chain, save_chain
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise


def chains_by_code(engine):
    with unit_of_work(engine) as session:
        return dict(session.execute(select(Enterprise.uscc, Enterprise.chain_code)).all())


def test_new_chain_takes_over_derived_enterprises_only(engine):
    display, sensor, manual = (enterprise_row(industry_code="3974"), enterprise_row(industry_code="3983"),
                               enterprise_row(industry_code="3974", chain="auto"))
    assert import_rows(engine, "enterprises", [display, sensor, manual]).written
    assert chains_by_code(engine)[display["uscc"]] == "equipment"  # division 39 is equipment manufacturing
    with unit_of_work(engine) as session:
        save_chain(session=session, code="display", name_zh="新型显示产业链", name_en="New displays",
                   industry_codes=["3974"])
    chains = chains_by_code(engine)
    assert chains[display["uscc"]] == "display"  # the more specific code wins
    assert chains[sensor["uscc"]] == "equipment"
    assert chains[manual["uscc"]] == "auto"
    with unit_of_work(engine) as session:
        delete_chain(session=session, code="display")
    assert chains_by_code(engine)[display["uscc"]] == "equipment"


def test_unknown_industry_is_refused_and_nothing_changes(engine):
    with pytest.raises(ValidationFailed) as caught:
        with unit_of_work(engine) as session:
            save_chain(session=session, code="x", name_zh="x", name_en="x", industry_codes=["3974", "9998"])
    assert "9998" in str(caught.value)
