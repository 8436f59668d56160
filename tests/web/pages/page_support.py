"""Helpers of the page tests: read a form's CSRF token, sign in through the login form."""

from __future__ import annotations

import re

from accounts_fixture import PASSWORD
from fastapi.testclient import TestClient
from sqlalchemy import event

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = TOKEN.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_path: str = "/") -> str:
    """Sign in through the login form; returns the session's CSRF token (read from the page)."""
    page = client.get("/login", params={"next": next_path})
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": form_token(page.text), "next": next_path})
    assert response.status_code == 303, response.text
    return form_token(client.get("/account/password").text)


def statements_of(engine, client, path: str, *, warm: bool = False) -> list[str]:
    """The SQL statements one ``GET path`` runs (after one warming request with ``warm``: reference caches, the
    principal); the answer must be 200."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    if warm:
        client.get(path)
    event.listen(engine, "before_cursor_execute", note)
    try:
        answer = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert answer.status_code == 200, answer.text[:300]
    return seen
