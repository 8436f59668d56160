"""Issue 10 #7: rewrites of the whole chain that ``audit verify`` alone accepts are caught by the signed
checkpoints kept outside the database and by ``--expect-head``; the serving app writes checkpoints itself."""

from __future__ import annotations

import json
import stat
import time

import pytest
import typer
from audit.audit_support import fill, tampering
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from chainkeeper.audit.chain import event_hash
from chainkeeper.audit.models import GENESIS_HASH
from chainkeeper.cli.audit import audit_app
from chainkeeper.config import get_settings
from chainkeeper.core.keys import generate_key

app = typer.Typer()
app.add_typer(audit_app, name="audit")


@pytest.fixture
def cli(audit_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", audit_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    generate_key(tmp_path / "keys")
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, ["audit", *args, "--lang", "en"], catch_exceptions=False)
    get_settings.cache_clear()


def _rows(connection) -> list[dict]:
    return [dict(row) for row in connection.execute(text("SELECT * FROM audit_event ORDER BY seq")).mappings()]


def delete_tail(connection):
    """Delete the last two events and move the head back."""
    keep = _rows(connection)[3]
    connection.execute(text("DELETE FROM audit_event WHERE seq > 4"))
    connection.execute(text("UPDATE audit_head SET last_seq = 4, last_hash = :h"), {"h": keep["hash"]})


def wipe(connection):
    """Empty the log and its head."""
    connection.execute(text("DELETE FROM audit_event"))
    connection.execute(text("DELETE FROM audit_head"))


def delete_and_rehash(connection):
    """Delete event 3, renumber and re-hash everything after it, move the head."""
    rows = _rows(connection)
    connection.execute(text("DELETE FROM audit_event WHERE seq >= 3"))
    previous = rows[1]["hash"]
    for seq, row in enumerate(rows[3:], 3):
        row = row | {"seq": seq, "prev_hash": previous}
        row["hash"] = previous = event_hash(row)
        names = ", ".join(row)
        connection.execute(text(f"INSERT INTO audit_event ({names}) VALUES ({', '.join(':' + n for n in row)})"),
                           row)
    connection.execute(text("UPDATE audit_head SET last_seq = :s, last_hash = :h"),
                       {"s": len(rows) - 1, "h": previous})


@pytest.mark.parametrize("attack", [delete_tail, wipe, delete_and_rehash], ids=lambda f: f.__name__)
def test_rewrites_the_chain_alone_accepts_are_caught(cli, audit_engine, tmp_path, attack):
    fill(audit_engine, 6)
    written = cli("checkpoint")
    assert written.exit_code == 0 and "checkpoint written: event 6" in written.output, written.output
    head = json.loads((tmp_path / "audit-checkpoints.jsonl").read_text().splitlines()[-1])["hash"]
    assert cli("verify", "--expect-head", head).exit_code == 0
    with tampering(audit_engine) as connection:
        attack(connection)
    alone = cli("verify", "--checkpoints", str(tmp_path / "none.jsonl"))
    assert alone.exit_code == 0, alone.output  # the rewrite is consistent: the chain by itself cannot tell
    anchored = cli("verify")
    assert anchored.exit_code == 1 and "audit log rewritten" in anchored.output, anchored.output
    expected = cli("verify", "--checkpoints", str(tmp_path / "none.jsonl"), "--expect-head", head)
    assert expected.exit_code == 1 and "expected head" in expected.output
    assert cli("checkpoint").exit_code == 1  # a rewritten log is never anchored


def test_a_forged_checkpoint_line_is_refused(cli, audit_engine, tmp_path):
    fill(audit_engine, 2)
    assert cli("checkpoint").exit_code == 0
    path = tmp_path / "audit-checkpoints.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    line = json.loads(path.read_text())
    path.write_text(json.dumps(line | {"seq": 0, "hash": GENESIS_HASH}) + "\n")
    refused = cli("verify")
    assert refused.exit_code == 1 and "not a checkpoint signed" in refused.output


def test_the_serving_app_writes_checkpoints(cli, audit_engine, tmp_path):
    from chainkeeper.web.app import create_app

    fill(audit_engine, 1)
    with TestClient(create_app(engine=audit_engine, checkpoint_seconds=1)):
        deadline = time.monotonic() + 20
        path = tmp_path / "audit-checkpoints.jsonl"
        while not (path.exists() and path.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert json.loads(path.read_text().splitlines()[0])["seq"] >= 1
    assert cli("verify").exit_code == 0
