"""The commands: keys, the offline verifier (no database), the revocation list export, the pass list."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from credentials.support import ACTOR, TODAY, days
from typer.testing import CliRunner

from chainkeeper.cli.main import app
from chainkeeper.config import get_settings
from chainkeeper.credentials import issue_certificate, revoke
from chainkeeper.core.keys import signing_key
from chainkeeper.credentials.payload import Claims, sign_claims
from chainkeeper.db import unit_of_work
from chainkeeper.registry.service import get_enterprise

NOWHERE = "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none"
CLAIMS = Claims("certificate", "ABCDEFGHJKMN", days(-1), days(10),
                {"uscc": "91320583MA1ABCDE2X", "name": "昆山", "list": "白名单", "batch": 1, "category": "零部件"})


@pytest.fixture
def run(monkeypatch, data_dir):
    """Run a command in-process with the database pointing nowhere."""
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", NOWHERE)
    get_settings.cache_clear()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_keys_generate_rotate_export_without_a_database(run, data_dir, tmp_path):
    first = run("keys", "generate")
    assert first.exit_code == 0, first.output
    assert run("keys", "generate").exit_code == 1  # a second first key is refused
    assert run("keys", "rotate").exit_code == 0
    out = tmp_path / "checkpoint"
    assert run("keys", "export-public", out).exit_code == 0
    assert len(list(out.glob("*.pub"))) == 2 and not list(out.glob("*.key"))
    for result in (first,):
        assert "PRIVATE" not in result.output


def test_offline_verifier_needs_no_database(run, keys_dir, tmp_path):
    payload = sign_claims(CLAIMS, signing_key(keys_dir))
    valid = run("verify", payload, "--public-key", keys_dir, "--today", TODAY.isoformat())
    assert valid.exit_code == 0 and valid.output.startswith("VALID")
    single = next(keys_dir.glob("*.pub"))
    assert run("verify", payload, "--public-key", single, "--today", TODAY.isoformat()).exit_code == 0
    forged = run("verify", payload[:30] + ("A" if payload[30] != "A" else "B") + payload[31:], "--public-key",
                 keys_dir, "--json", "--today", TODAY.isoformat())
    assert forged.exit_code == 1 and json.loads(forged.output)["status"] == "forged"
    expired = run("verify", payload, "--public-key", keys_dir, "--today", days(11).isoformat())
    assert expired.exit_code == 1 and expired.output.startswith("EXPIRED")
    assert run("verify", payload, "--public-key", tmp_path / "none").exit_code == 1


def test_offline_verifier_in_a_fresh_process(keys_dir, data_dir):
    payload = sign_claims(CLAIMS, signing_key(keys_dir))
    env = os.environ | {"CHAINKEEPER_DATABASE_URL": NOWHERE}
    result = subprocess.run([sys.executable, "-m", "chainkeeper", "verify", payload, "--public-key", str(keys_dir),
                             "--today", TODAY.isoformat(), "--json"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["claims"]["credential_id"] == "ABCDEFGHJKMN"


def test_revocation_list_command_feeds_the_offline_verifier(engine, world, keys_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    with unit_of_work(engine) as session:
        firm = get_enterprise(session=session, uscc=world.kunshan["uscc"]).id
        credential = issue_certificate(session=session, actor=ACTOR, enterprise_id=firm, list_name="白名单", batch=1,
                                       category="零部件", valid_from=days(-1), valid_until=days(10), entry_ref="e")
        revoke(session=session, actor=ACTOR, credential_id=credential.id, reason="suspended")
    runner, out = CliRunner(), tmp_path / "revoked.json"
    exported = runner.invoke(app, ["credentials", "revocations", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    args = ["verify", credential.payload, "--public-key", str(keys_dir), "--today", TODAY.isoformat()]
    assert runner.invoke(app, args).exit_code == 0
    revoked = runner.invoke(app, [*args, "--revocations", str(out)])
    assert revoked.exit_code == 1 and revoked.output.startswith("REVOKED")
    document = json.loads(out.read_text())
    out.write_text(json.dumps(document | {"revoked": []}))
    assert runner.invoke(app, [*args, "--revocations", str(out)]).exit_code == 1  # a tampered list is refused
    listed = runner.invoke(app, ["passes", "list"])
    assert listed.exit_code == 0, listed.output
