"""The hand-written migration matches the models, and goes down and up again."""

import os
import uuid

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up, assert_tables_match_models
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db_templates import drop_database

from chainkeeper.audit import models  # noqa: F401
from chainkeeper.db import make_engine

TABLES = ("audit_event", "audit_head")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_models_match_the_migration(engine):
    assert_tables_match_models(engine, TABLES)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    """An empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = os.environ.get("CHAINKEEPER_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("PostgreSQL not configured (set CHAINKEEPER_TEST_POSTGRES_URL)")
    name = f"chainkeeper_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    drop_database(admin, name)
    admin.dispose()


def test_downgrade_and_upgrade_again(fresh_url):
    assert_down_and_up(fresh_url, TABLES, previous="0002", revision="0003")
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT last_seq, last_hash FROM audit_head")).one() == (0, "0" * 64)
    finally:
        engine.dispose()
