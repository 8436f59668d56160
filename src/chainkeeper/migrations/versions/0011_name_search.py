"""name-search index and sorted filter indexes of the registry

SQLite: ``enterprise_name_fts`` (3.34+ with FTS5), an external-content FTS5 table with the trigram tokenizer over
``enterprise.normalized_name``, for needles of 3 characters or more, and ``enterprise_name_bigram``, every
(2-character substring, enterprise) pair, for needles of 2. Triggers (insert, delete, update of the name or id) keep
both in step, so every writer, bulk imports included, keeps them current. A later migration that rebuilds
``enterprise`` (batch mode) drops the triggers: it must call :func:`create_triggers` again (a test checks them).
PostgreSQL: a pg_trgm GIN index on ``normalized_name`` when the extension can be installed (``LIKE '%…%'`` uses it).
Without either, name search falls back to a scan. Both backends: (province | chain, name, id) indexes so a filtered
list is read in order instead of sorted.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

import sqlite3

from alembic import op
from sqlalchemy import text

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FTS, BIGRAM, POSITION, LONGEST = "enterprise_name_fts", "enterprise_name_bigram", "enterprise_name_position", 2000
EVENTS = {"ai": "AFTER INSERT", "ad": "AFTER DELETE", "au": "AFTER UPDATE OF normalized_name, id"}
_FTS_ADD = f"INSERT INTO {FTS}(rowid, normalized_name) VALUES (new.id, new.normalized_name);"
_FTS_DROP = f"INSERT INTO {FTS}({FTS}, rowid, normalized_name) VALUES ('delete', old.id, old.normalized_name);"
_ADD = (f"INSERT OR IGNORE INTO {BIGRAM}(gram, enterprise_id) SELECT substr(new.normalized_name, n, 2), new.id "
        f"FROM {POSITION} WHERE n < length(new.normalized_name);")
_DROP = (f"DELETE FROM {BIGRAM} WHERE enterprise_id = old.id AND gram IN (SELECT substr(old.normalized_name, n, 2) "
         f"FROM {POSITION} WHERE n < length(old.normalized_name));")
BIGRAM_STEPS = {"ai": [_ADD], "ad": [_DROP], "au": [_DROP, _ADD]}
FTS_STEPS = {"ai": [_FTS_ADD], "ad": [_FTS_DROP], "au": [_FTS_DROP, _FTS_ADD]}
SORTED_FILTERS = {"ix_enterprise_province_name": "province_code", "ix_enterprise_chain_name": "chain_code"}


def create_triggers(bind, fts: bool = True) -> None:
    """The triggers that keep the bigram (and the FTS) table in step with ``enterprise``: one per event.

    (One trigger per event, not one per index: SQLite 3.40 fails an ``INSERT … RETURNING`` with "no such table"
    after a schema change on another connection when two triggers fire for it.)
    """
    for suffix, when in EVENTS.items():
        steps = BIGRAM_STEPS[suffix] + (FTS_STEPS[suffix] if fts else [])
        bind.execute(text(f"CREATE TRIGGER IF NOT EXISTS enterprise_name_{suffix} {when} ON enterprise "
                          f"BEGIN {' '.join(steps)} END"))


def _sqlite_bigrams(bind) -> None:
    bind.execute(text(f"CREATE TABLE {POSITION} (n INTEGER PRIMARY KEY)"))
    bind.execute(text(f"INSERT INTO {POSITION}(n) VALUES (:n)"), [{"n": n} for n in range(1, LONGEST + 1)])
    bind.execute(text(f"CREATE TABLE {BIGRAM} (gram TEXT NOT NULL, enterprise_id INTEGER NOT NULL, "
                      "PRIMARY KEY (gram, enterprise_id)) WITHOUT ROWID"))
    bind.execute(text(f"INSERT OR IGNORE INTO {BIGRAM}(gram, enterprise_id) SELECT substr(e.normalized_name, p.n, 2), "
                      f"e.id FROM enterprise AS e JOIN {POSITION} AS p ON p.n < length(e.normalized_name)"))


def _sqlite_fts(bind) -> bool:
    if sqlite3.sqlite_version_info < (3, 34, 0):  # no trigram tokenizer: keep the scan
        return False
    try:
        with bind.begin_nested():
            bind.execute(text(f"CREATE VIRTUAL TABLE {FTS} USING fts5(normalized_name, content='enterprise', "
                              "content_rowid='id', tokenize='trigram case_sensitive 1')"))
    except Exception:  # noqa: BLE001 - SQLite built without FTS5: keep the scan
        return False
    bind.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"))
    return True


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
        _sqlite_bigrams(bind)
        create_triggers(bind, fts=_sqlite_fts(bind))
    elif bind.dialect.name == "postgresql":
        _postgres_trigram(bind)
    for name, column in SORTED_FILTERS.items():
        op.create_index(name, "enterprise", [column, "name", "id"])


def downgrade() -> None:
    bind = op.get_bind()
    for name in SORTED_FILTERS:
        op.drop_index(name, table_name="enterprise")
    if bind.dialect.name == "sqlite":
        for suffix in EVENTS:
            bind.execute(text(f"DROP TRIGGER IF EXISTS enterprise_name_{suffix}"))
        for name in (FTS, BIGRAM, POSITION):
            bind.execute(text(f"DROP TABLE IF EXISTS {name}"))
    elif bind.dialect.name == "postgresql":
        bind.execute(text("DROP INDEX IF EXISTS ix_enterprise_name_trgm"))
