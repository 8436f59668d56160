"""Backup, restore and downgrade (issue 10, finding 21), each through the real CLI on both databases.

The round trip: an installation with cases, API tokens, a signing key, an attachment and a holiday calendar is backed
up with ``chainkeeper backup``; ``chainkeeper restore`` brings it back into an empty data directory (and database);
then ``chainkeeper audit verify`` passes, the files are identical, and a server started on the restored installation
answers /health, a page and the API with the old token. A damaged backup and a non-empty target are refused clearly.
Every migration goes down and up again, and the schema then matches the models.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from coordination.test_durability import database, prepare, start_server, stop  # noqa: F401 - a fixture
from reliability.support import cli_env, run_cli, run_in_process
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db_templates import drop_database

from chainkeeper.core.keys import ensure_signing_key
from chainkeeper.db import Base, alembic_config, current_revision, downgrade, make_engine, unit_of_work, upgrade
from chainkeeper.whitelist.attachments import store


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and not p.name.startswith("chainkeeper.db")}


@pytest.fixture
def empty_target(database, tmp_path):
    """Where to restore: an empty data directory, and for PostgreSQL an empty database beside the original."""
    url, server_url, _data_dir = database
    target_dir = tmp_path / "restored"
    if server_url is None:
        yield None, target_dir
        return
    name = f"ck_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False), target_dir
    finally:
        drop_database(admin, name)
        admin.dispose()


def test_backup_and_restore_round_trip(database, empty_target, tmp_path):
    url, server_url, data_dir = database
    desk, tokens = prepare(url, data_dir)
    ensure_signing_key(data_dir)
    (data_dir / "calendar.json").write_text('{"2027": {"source": "test", "holidays": [], "working_days": []}}', encoding="utf-8")
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        store(session=session, filename="plan.pdf", content_type="application/pdf", data=b"%PDF-1.4 plan",
              root=data_dir / "attachments")
    engine.dispose()
    ministry = {"Authorization": f"Bearer {tokens['ministry']}"}
    source = start_server(server_url, data_dir, tmp_path / "source.log")
    try:
        filed = httpx.post(f"{source.url}/api/v1/desk/cases", headers=ministry, json={
            "category": "parts_supply", "title": "备份前", "requester_id": desk.ids["changchun"],
            "blocking_uscc": desk.usccs["ningbo"]})
        assert filed.status_code == 201, filed.text
        archive = tmp_path / "backup.tar.gz"
        made = run_cli(cli_env(server_url, data_dir), "backup", str(archive))  # while the server runs
        assert made.returncode == 0, made.stderr[-2000:]
    finally:
        stop(source)

    target_url, target_dir = empty_target
    env = cli_env(target_url, target_dir)
    restored = run_cli(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert _files(target_dir) == _files(data_dir) and (target_dir / "keys").is_dir()

    again = run_in_process(env, "restore", str(archive))
    assert again.returncode == 1 and "--force" in again.stderr and "Traceback" not in again.stderr

    verified = run_in_process(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    server = start_server(target_url, target_dir, tmp_path / "restored.log")
    try:
        assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
        assert httpx.get(f"{server.url}/login").status_code == 200
        case = httpx.get(f"{server.url}/api/v1/desk/cases/{filed.json()['id']}", headers=ministry)
        assert case.status_code == 200 and case.json()["title"] == "备份前"
    finally:
        stop(server)


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    data_dir = tmp_path / "data"
    env = cli_env(None, data_dir)
    assert run_in_process(env, "db", "upgrade").returncode == 0
    ensure_signing_key(data_dir)
    assert run_in_process(env, "backup", str(tmp_path / "backup")).returncode == 0
    key = next((tmp_path / "backup" / "files" / "keys").glob("*"))
    key.write_bytes(key.read_bytes() + b"x")
    target = cli_env(None, tmp_path / "target")
    refused = run_in_process(target, "restore", str(tmp_path / "backup"))
    assert refused.returncode == 1 and "damaged" in refused.stderr and key.name in refused.stderr.replace("\n", "")
    assert not any((tmp_path / "target").rglob("*")), "nothing restored from a damaged backup"
    forced = run_in_process(env, "restore", "--force", str(tmp_path / "backup"))
    assert forced.returncode == 1 and "damaged" in forced.stderr
    assert (data_dir / "chainkeeper.db").exists(), "a refused restore must leave the installation as it was"


def test_restore_with_force_moves_the_old_contents_aside(tmp_path):
    data_dir = tmp_path / "data"
    env = cli_env(None, data_dir)
    assert run_in_process(env, "db", "upgrade").returncode == 0
    assert run_in_process(env, "backup", str(tmp_path / "backup.tar")).returncode == 0
    (data_dir / "note.txt").write_text("written after the backup")
    forced = run_in_process(env, "restore", "--force", str(tmp_path / "backup.tar"))
    assert forced.returncode == 0, forced.stderr
    assert not (data_dir / "note.txt").exists()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("data.before-restore-")]
    assert len(aside) == 1 and (aside[0] / "note.txt").read_text() == "written after the backup"
    assert run_in_process(env, "audit", "verify").returncode == 0


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_every_migration_goes_down_and_up_again(database):
    url, server_url, data_dir = database
    engine = make_engine(url)
    revisions = [r.revision for r in ScriptDirectory.from_config(alembic_config(url)).walk_revisions()]
    try:
        upgrade(engine)
        for revision in revisions[1:]:  # newest first: undo one migration at a time
            downgrade(engine, revision)
            assert current_revision(engine) == revision
        downgrade(engine, "base")
        assert current_revision(engine) is None
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [d for d in compare_metadata(context, Base.metadata) if "index" not in repr(d).lower() and "enterprise_name_" not in repr(d)] == []
    finally:
        engine.dispose()
    env = cli_env(server_url, data_dir)
    down = run_in_process(env, "db", "downgrade", revisions[1])
    assert down.returncode == 0 and revisions[1] in down.stdout, down.stderr[-2000:]
    assert run_in_process(env, "db", "current").stdout.strip() == revisions[1]
    assert run_in_process(env, "db", "upgrade").returncode == 0
    assert run_in_process(env, "db", "current").stdout.strip() == revisions[0]
