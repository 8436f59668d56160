"""The hand-written migration matches the models, and goes down and up again."""

import os
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from chainkeeper.audit import models  # noqa: F401
from chainkeeper.db import Base, alembic_config, make_engine


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_models_match_the_migration(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata) if "audit_" in repr(d)]
    assert differences == []


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
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _migrate(engine, step, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)


def test_downgrade_and_upgrade_again(fresh_url):
    engine = make_engine(fresh_url)
    try:
        _migrate(engine, command.upgrade, "0003")
        assert {"audit_event", "audit_head"} <= set(inspect(engine).get_table_names())
        _migrate(engine, command.downgrade, "0002")
        assert not {"audit_event", "audit_head"} & set(inspect(engine).get_table_names())
        _migrate(engine, command.upgrade, "0003")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT last_seq, last_hash FROM audit_head")).one() == (0, "0" * 64)
    finally:
        engine.dispose()
