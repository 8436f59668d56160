"""Databases made once per test run and copied, instead of migrated (or loaded with the demo) again and again.

* :func:`migrated_sqlite` — a copy of a freshly migrated SQLite database (``alembic upgrade head`` once per run);
* :func:`migrated_postgres` — ``CREATE DATABASE … TEMPLATE`` of a migrated PostgreSQL database on the test server;
* :func:`copy_demo` — a copy of a data directory holding the small demo (300 firms, seed 7: database, signing keys,
  attachments), what ``load_demo`` would write there, without loading it again.

A copy is a new, independent database: nothing a test writes reaches the template or another test. Tests of the
migrations themselves (``test_migration.py``, the down-and-up round trip) still run every migration.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chainkeeper.db import make_engine, upgrade

DATABASE = "chainkeeper.db"
_lock = threading.RLock()


@lru_cache(maxsize=1)
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="ck-templates-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite database ``source`` (SQLite's online backup, WAL included) at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source_connection, target_connection = sqlite3.connect(source), sqlite3.connect(target)
    try:
        source_connection.backup(target_connection)
    finally:
        target_connection.close()
        source_connection.close()
    target.chmod(0o600)


@lru_cache(maxsize=1)
def _migrated_sqlite_template() -> Path:

    path = _root() / "migrated" / DATABASE
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def migrated_sqlite(path: Path) -> str:
    """Put a migrated (empty) SQLite database at ``path``; returns its URL."""
    with _lock:
        return migrated_sqlite_unlocked(path)


def migrated_sqlite_unlocked(path: Path) -> str:
    copy_sqlite(_migrated_sqlite_template(), path)
    return f"sqlite:///{path}"


@lru_cache(maxsize=4)
def _migrated_postgres_template(server_url: str) -> str:
    name = f"ck_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        drop_database(admin, name)
        admin.dispose()

    atexit.register(drop)
    engine = make_engine(make_url(server_url).set(database=name).render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()  # CREATE DATABASE … TEMPLATE needs the template without connections
    return name


def migrated_postgres(server_url: str, name: str) -> str:
    """Create the database ``name`` on the server as a copy of a migrated one; returns its URL."""
    with _lock:
        template = _migrated_postgres_template(server_url)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@lru_cache(maxsize=1)
def _demo_template() -> Path:
    from chainkeeper.config import get_settings
    from chainkeeper.demo.service import load_demo

    data_dir = _root() / "demo"
    url = migrated_sqlite_unlocked(data_dir / DATABASE)
    previous = os.environ.get("CHAINKEEPER_DATA_DIR")
    os.environ["CHAINKEEPER_DATA_DIR"] = str(data_dir)  # the demo's keys and attachments go there
    get_settings.cache_clear()
    engine = make_engine(url)
    try:
        load_demo(engine, n_firms=300, seed=7)
    finally:
        engine.dispose()
        if previous is None:
            os.environ.pop("CHAINKEEPER_DATA_DIR")
        else:
            os.environ["CHAINKEEPER_DATA_DIR"] = previous
        get_settings.cache_clear()
    return data_dir


def copy_demo(data_dir: Path) -> None:
    """Fill ``data_dir`` with the small demo (300 firms, seed 7), as ``load_demo`` into it would."""
    with _lock:
        template = _demo_template()
    shutil.copytree(template, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(f"{DATABASE}*"))
    copy_sqlite(template / DATABASE, data_dir / DATABASE)


def drop_database(admin, name: str, attempts: int = 20) -> None:
    """``DROP DATABASE name WITH (FORCE)`` on the AUTOCOMMIT engine ``admin``, retried for a few seconds while it is
    refused for lack of privilege: FORCE cannot end an autovacuum worker (it runs as the superuser), and one may be
    at work on the database for a moment after a test wrote to it."""
    import time

    from sqlalchemy.exc import ProgrammingError

    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as error:
            if "InsufficientPrivilege" not in type(error.orig).__name__ or attempt == attempts - 1:
                raise
            time.sleep(0.25)
