"""``chainkeeper audit verify`` and ``search``, run in-process against the test databases."""

import pytest
import typer
from audit.audit_support import ALICE, BOB, fill, tampering
from sqlalchemy import text
from typer.testing import CliRunner

from chainkeeper.cli.audit import audit_app
from chainkeeper.config import get_settings

app = typer.Typer()
app.add_typer(audit_app, name="audit")


@pytest.fixture
def cli(audit_engine, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", audit_engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, ["audit", *args], catch_exceptions=False)
    get_settings.cache_clear()


def test_verify_passes_on_an_intact_log(cli, audit_engine):
    fill(audit_engine, 5)
    result = cli("verify", "--lang", "en", "--chunk-size", "2")
    assert result.exit_code == 0, result.output
    assert "audit log intact: 5 events" in result.output


def test_verify_passes_on_an_empty_log(cli):
    result = cli("verify", "--lang", "en")
    assert result.exit_code == 0 and "0 events" in result.output


@pytest.mark.parametrize(("statement", "message"), [
    ("UPDATE audit_event SET role = 'ministry' WHERE seq = 3", "broken at event 3: the event was altered"),
    ("DELETE FROM audit_event WHERE seq = 2", "broken at event 2: the event is missing"),
    ("DELETE FROM audit_event WHERE seq = 4", "broken at event 4: the log does not end where its head says"),
])
def test_verify_fails_and_names_the_first_bad_event(cli, audit_engine, statement, message):
    fill(audit_engine, 4)
    with tampering(audit_engine) as connection:
        connection.execute(text(statement))
    result = cli("verify", "--lang", "en")
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


def test_search_prints_matching_events(cli, audit_engine):
    fill(audit_engine, 3, actor=ALICE)
    fill(audit_engine, 2, actor=BOB, object_type="user")
    result = cli("search", "--lang", "en", "--actor", "鲍勃", "--object-type", "user")
    assert result.exit_code == 0, result.output
    assert "2 audit events, page 1" in result.output
    assert "user:2" in result.output and "user:1" in result.output and "enterprise:" not in result.output
    assert "2001:db8::8" in result.output


def test_search_pages_and_time_filters(cli, audit_engine):
    fill(audit_engine, 5)
    paged = cli("search", "--lang", "en", "--page", "2", "--page-size", "2")
    assert "5 audit events, page 2" in paged.output and "enterprise:3" in paged.output
    assert "enterprise:5" not in paged.output
    later = cli("search", "--lang", "en", "--since", "2999-01-01")
    assert later.exit_code == 0 and "0 audit events" in later.output
