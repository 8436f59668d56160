"""The feature pages whose own blocks are kept rendered per scope and data epoch (issue 15, lane pagesfeat2): a repeat
request reads nothing of its own, each session still gets its own CSRF token, and a committed write shows at once."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web.pages.page_support import form_token, sign_in, statements_of

from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app
from chainkeeper.whitelist.agreements import ensure_default_categories

KEPT = ("/whitelists", "/monitoring/picture", "/monitoring/picture/enterprises?figure=staff", "/sme/ladder",
        "/docking/board", "/docking/board?kind=needs&q=%E5%8F%A3%E7%BD%A9")
HX_TOKEN = re.compile(r'"x-csrf-token": "([^"]+)"')


def _tokens_in(page: str) -> set[str]:
    """Every CSRF token a page carries (its forms' fields and the htmx header)."""
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) | set(HX_TOKEN.findall(page))


@pytest.mark.parametrize("path", KEPT)
def test_a_repeated_page_reads_no_more_than_the_minimal_page(engine, world, client, path):
    """Before: 2–4 statements of the page's own on every request (the lists and rates, the group choices, the
    applications and due re-reviews, the posts) on top of the chrome's."""
    sign_in(client, "user_ministry")
    floor = statements_of(engine, client, "/verify", warm=True)
    assert len(statements_of(engine, client, path, warm=True)) <= len(floor)


def test_each_session_gets_its_own_token_in_the_same_page(engine, world):
    """Two sessions of one scope share the kept blocks; the forms and the htmx header carry each one's token."""
    app = create_app(engine=engine)
    first, second = TestClient(app, follow_redirects=False), TestClient(app, follow_redirects=False)
    first_token, second_token = sign_in(first, "user_ministry"), sign_in(second, "user_ministry")
    assert first_token != second_token
    one, other = first.get("/whitelists").text, second.get("/whitelists").text  # the second from the kept blocks
    assert 'action="/whitelists"' in one and form_token(one) == first_token
    assert _tokens_in(one) == {first_token} and _tokens_in(other) == {second_token}
    assert "ck-csrf-" not in one + other
    assert one.replace(first_token, "T") == other.replace(second_token, "T")
    assert first.get("/whitelists").text == one  # kept, the same bytes


def test_a_committed_write_shows_at_once_and_an_error_is_not_kept(engine, world, client):
    with unit_of_work(engine) as session:
        ensure_default_categories(session=session)
    token = sign_in(client, "user_ministry")
    assert "白名单甲" not in client.get("/whitelists").text
    created = client.post("/whitelists", data={"csrf_token": token, "name": "白名单甲", "scope_code": "",
                                               "categories": ["medical"]})
    assert created.status_code == 303 and "error" not in created.headers["location"]
    list_path = created.headers["location"]
    assert "白名单甲" in client.get("/whitelists").text
    assert len(statements_of(engine, client, list_path, warm=True)) <= len(
        statements_of(engine, client, "/verify", warm=True))
    shown = client.get("/whitelists?error=%E5%90%8D%E7%A7%B0%E5%B7%B2%E5%AD%98%E5%9C%A8").text
    assert 'data-testid="form-error"' in shown and "名称已存在" in shown
    assert 'data-testid="form-error"' not in client.get("/whitelists").text
    renamed = client.post("/whitelists", data={"csrf_token": token, "name": "白名单乙", "scope_code": "32",
                                               "categories": ["medical"]})
    assert renamed.status_code == 303
    index = client.get("/whitelists").text
    assert "白名单甲" in index and "白名单乙" in index
