"""Migration 0008 matches the model and goes down and up; the ``chainkeeper notifications`` commands."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up, assert_tables_match_models
from notifications.support import WEBHOOK_SECRET
from sqlalchemy import inspect
from typer.testing import CliRunner

from chainkeeper.cli.common import console
from chainkeeper.cli.main import app
from chainkeeper.config import get_settings
from chainkeeper.db import unit_of_work
from chainkeeper.notifications.service import enqueue_email, enqueue_webhooks


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_model_matches_the_migration(engine):
    assert_tables_match_models(engine, ["notification"])
    indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("notification")}
    assert indexes["ix_notification_status_next_attempt_at"] == ["status", "next_attempt_at"]


def test_downgrade_and_upgrade_again(tmp_path):
    assert_down_and_up(f"sqlite:///{tmp_path / 'fresh.db'}", ["notification"], previous="0007", revision="0008")


@pytest.fixture
def cli(engine, monkeypatch, receiver_factory):
    """Commands run on the test database, with webhooks to a receiver and e-mail to a closed port."""
    receiver = receiver_factory(statuses=[200, 500])
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHAINKEEPER_WEBHOOK_URLS", receiver.url("/hook?token=s3cret-query"))
    monkeypatch.setenv("CHAINKEEPER_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINKEEPER_SMTP_PORT", "9")
    monkeypatch.setenv("CHAINKEEPER_SMTP_STARTTLS", "false")
    monkeypatch.setenv("CHAINKEEPER_NOTIFICATION_MAX_ATTEMPTS", "1")
    monkeypatch.setattr(console, "width", 250)  # the list is a wide table
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args), catch_exceptions=False)
    get_settings.cache_clear()


def test_deliver_and_list(cli, engine):
    with unit_of_work(engine) as session:
        enqueue_webhooks(session, event="case.accepted", payload={"case": 1}, object_type="case", object_id=1)
        enqueue_webhooks(session, event="case.closed", payload={"case": 2}, object_type="case", object_id=2)
        enqueue_email(session, to="a@example.cn", subject="案件已办结", body="正文", event="case.closed")
    result = cli("notifications", "deliver")
    assert result.exit_code == 0, result.output
    assert "3 due: 1 sent, 0 to retry, 2 failed" in result.output
    listed = cli("notifications", "list", "--status", "failed")
    assert listed.exit_code == 0 and "case.closed" in listed.output and "case.accepted" not in listed.output
    assert "HTTP 500" in listed.output
    everything = cli("notifications", "list")
    assert "case.accepted" in everything.output and "case:1" in everything.output
    assert "s3cret-query" not in everything.output  # a token in a webhook URL stays hidden
    assert cli("notifications", "list", "--status", "bogus").exit_code == 2
    assert "2 failed notifications are pending again" in cli("notifications", "retry").output
    assert "sent" not in cli("notifications", "list", "--status", "pending").output.split("\n", 3)[-1]
