"""The API documentation works without internet and says how to authenticate; the favicon exists (issue 9)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from chainkeeper.web.app import create_app


def test_docs_page_uses_only_vendored_assets(sqlite_engine):
    client = TestClient(create_app(engine=sqlite_engine))
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(url.startswith("/") and not url.startswith("//") for url in sources), sources
    assert "<script>" not in page.text  # no inline script: the page's content security policy forbids them
    for url in sources:
        assert client.get(url).status_code == 200, url


def test_openapi_declares_bearer_and_cookie_schemes(sqlite_engine):
    schema = TestClient(create_app(engine=sqlite_engine)).get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": schemes["bearer"]["description"]}
    assert schemes["cookie"]["in"] == "cookie" and schemes["cookie"]["name"] == "ck_session"
    assert {"bearer": []} in schema["security"]


def test_favicon_is_served(sqlite_engine):
    client = TestClient(create_app(engine=sqlite_engine))
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon" href="/favicon.svg"' in client.get("/login").text


def test_public_operations_need_no_credentials(sqlite_engine):
    schema = TestClient(create_app(engine=sqlite_engine)).get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/verify"]["post"]["security"] == []
    assert schema["paths"]["/api/v1/auth/login"]["post"]["security"] == []
    assert "security" not in schema["paths"]["/api/v1/me"]["get"]  # the default: bearer or cookie
