"""API tokens on the account page and in the CLI (issue 9): created with a name and lifetime, the secret shown once
and usable as ``Authorization: Bearer``, listed, revoked; every step audited."""

from __future__ import annotations

import re

from typer.testing import CliRunner
from web.pages.page_support import sign_in

from chainkeeper.cli.main import app as cli_app
from chainkeeper.config import get_settings
from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work

SECRET = re.compile(r'data-testid="token-secret"[^>]*>([^<]+)<')


def _mark(engine) -> int:
    with unit_of_work(engine) as session:
        return session.query(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1).scalar() or 0


def _actions(engine, mark: int) -> list[str]:
    """The token events recorded after ``mark``."""
    with unit_of_work(engine) as session:
        return [e.action for e in session.query(AuditEvent).filter(AuditEvent.id > mark,
                                                                   AuditEvent.action.in_(("token.create", "token.revoke")))
                .order_by(AuditEvent.id)]


def test_account_page_creates_shows_once_lists_and_revokes_a_token(client, world, engine):
    token, mark = sign_in(client, world.users["enterprise"]), _mark(engine)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "API" in page.text
    created = client.post("/account/tokens", data={"csrf_token": token, "name": "ERP 对接", "days": "30"},
                          headers={"accept-language": "zh-CN"})
    assert created.status_code == 200, created.text
    secret = SECRET.search(created.text).group(1)
    assert "no-store" in created.headers["cache-control"]
    machine = client.__class__(client.app)
    machine.cookies.clear()
    me = machine.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["username"] == world.users["enterprise"]
    listing = client.get("/account/tokens")
    assert "ERP 对接" in listing.text and secret not in listing.text  # shown once only
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', listing.text).group(1)
    revoked = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    assert "data-flash" in client.get(revoked.headers["location"]).text
    assert machine.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"}).status_code == 401
    assert _actions(engine, mark) == ["token.create", "token.revoke"]


def test_a_token_form_without_a_name_says_so_and_another_users_token_cannot_be_revoked(client, world, engine):
    token = sign_in(client, world.users["enterprise"])
    refused = client.post("/account/tokens", data={"csrf_token": token, "name": " ", "days": "30"})
    assert refused.status_code == 422 and "请填写令牌名称并选择有效期" in refused.text  # the user's language
    other = client.__class__(client.app, follow_redirects=False)
    other_token = sign_in(other, world.users["county"])
    made = other.post("/account/tokens", data={"csrf_token": other_token, "name": "county", "days": "90"})
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', made.text).group(1)
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code == 404


def test_cli_creates_lists_and_revokes_tokens(engine, world, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    mark = _mark(engine)
    try:
        runner = CliRunner()
        user = world.users["county"]
        made = runner.invoke(cli_app, ["tokens", "create", "--user", user, "--name", "nightly export", "--days",
                                       "7", "--lang", "en"], catch_exceptions=False)
        assert made.exit_code == 0 and "shown only this once" in made.output
        secret = made.output.strip().splitlines()[-1]
        assert secret.startswith("ckt_") and len(secret) > 30
        listed = runner.invoke(cli_app, ["tokens", "list", "--user", user, "--lang", "en"])
        assert "nightly export" in listed.output and secret not in listed.output
        token_id = re.search(r"│\s*(\d+)\s*│", listed.output).group(1)
        assert runner.invoke(cli_app, ["tokens", "revoke", "--user", world.users["enterprise"], token_id]).exit_code == 1
        revoked = runner.invoke(cli_app, ["tokens", "revoke", "--user", user, token_id, "--lang", "en"])
        assert revoked.exit_code == 0 and "revoked" in revoked.output
        assert runner.invoke(cli_app, ["tokens", "list", "--user", "nobody"]).exit_code == 1
    finally:
        get_settings.cache_clear()
    assert _actions(engine, mark) == ["token.create", "token.revoke"]
