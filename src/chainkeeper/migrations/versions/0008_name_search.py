"""name-search index and sorted filter indexes of the registry

SQLite (3.34+ with FTS5): ``enterprise_name_fts``, an external-content FTS5 table with the trigram tokenizer over
``enterprise.normalized_name``, kept in sync by triggers (insert, delete, update of the name or id) — so every writer,
bulk imports included, keeps it current. A later migration that rebuilds ``enterprise`` (batch mode) drops the
triggers: it must call :func:`create_triggers` again (a test checks they exist at head).
PostgreSQL: a pg_trgm GIN index on ``normalized_name`` when the extension can be installed (``LIKE '%…%'`` uses it).
Without either, name search falls back to a scan. Both backends: (province | chain, name, id) indexes so a filtered
list is read in order instead of sorted.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

import sqlite3

from alembic import op
from sqlalchemy import text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FTS = "enterprise_name_fts"
TRIGGERS = {
    "ai": f"AFTER INSERT ON enterprise BEGIN "
          f"INSERT INTO {FTS}(rowid, normalized_name) VALUES (new.id, new.normalized_name); END",
    "ad": f"AFTER DELETE ON enterprise BEGIN "
          f"INSERT INTO {FTS}({FTS}, rowid, normalized_name) VALUES ('delete', old.id, old.normalized_name); END",
    "au": f"AFTER UPDATE OF normalized_name, id ON enterprise BEGIN "
          f"INSERT INTO {FTS}({FTS}, rowid, normalized_name) VALUES ('delete', old.id, old.normalized_name); "
          f"INSERT INTO {FTS}(rowid, normalized_name) VALUES (new.id, new.normalized_name); END",
}
SORTED_FILTERS = {"ix_enterprise_province_name": "province_code", "ix_enterprise_chain_name": "chain_code"}


def create_triggers(bind) -> None:
    """The triggers that keep the FTS table in step with ``enterprise``."""
    for suffix, body in TRIGGERS.items():
        bind.execute(text(f"CREATE TRIGGER IF NOT EXISTS {FTS}_{suffix} {body}"))


def _sqlite_fts(bind) -> None:
    if sqlite3.sqlite_version_info < (3, 34, 0):  # no trigram tokenizer: keep the scan
        return
    try:
        with bind.begin_nested():
            bind.execute(text(f"CREATE VIRTUAL TABLE {FTS} USING fts5(normalized_name, content='enterprise', "
                              "content_rowid='id', tokenize='trigram case_sensitive 1')"))
    except Exception:  # noqa: BLE001 - SQLite built without FTS5: keep the scan
        return
    bind.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"))
    create_triggers(bind)


def _postgres_trigram(bind) -> None:
    if not bind.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        return
    try:
        with bind.begin_nested():
            bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception:  # noqa: BLE001 - not allowed to install it: keep the scan
        return
    bind.execute(text("CREATE INDEX ix_enterprise_name_trgm ON enterprise USING gin (normalized_name gin_trgm_ops)"))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_fts(bind)
    elif bind.dialect.name == "postgresql":
        _postgres_trigram(bind)
    for name, column in SORTED_FILTERS.items():
        op.create_index(name, "enterprise", [column, "name", "id"])


def downgrade() -> None:
    bind = op.get_bind()
    for name in SORTED_FILTERS:
        op.drop_index(name, table_name="enterprise")
    if bind.dialect.name == "sqlite":
        for suffix in TRIGGERS:
            bind.execute(text(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}"))
        bind.execute(text(f"DROP TABLE IF EXISTS {FTS}"))
    elif bind.dialect.name == "postgresql":
        bind.execute(text("DROP INDEX IF EXISTS ix_enterprise_name_trgm"))
