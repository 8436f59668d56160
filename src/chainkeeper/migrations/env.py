"""Alembic environment: runs migrations on the connection handed over by :func:`chainkeeper.db.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from chainkeeper import models  # noqa: F401  (registers every table on Base.metadata)
from chainkeeper.db import Base

target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate on the given connection, or on a new one from the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as new_connection:
        _run(new_connection)


run_migrations_online()
