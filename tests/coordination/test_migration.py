"""Migrations 0009–0010 build exactly the desk's models, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from chainkeeper.db import Base

DESK_TABLES = ("desk_case", "desk_case_event", "desk_case_comment", "desk_case_attachment", "desk_letter",
               "desk_routing")


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_desk_tables_match_their_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = [repr(d) for d in compare_metadata(context, Base.metadata)]
    assert [d for d in found if any(f"'{table}'" in d for table in DESK_TABLES)] == []
