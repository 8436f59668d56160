"""While the database is down every request gets 503 with ``Retry-After`` (issue 10, finding 19): the API's
documented JSON error shape, a friendly translated page for a browser — not a plain-text 500.

The database here is a PostgreSQL URL on a port where nothing listens (a real refused connection); the restart and
outage of a running server under load are in ``test_fault_injection.py``.
"""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from chainkeeper.db import make_engine
from chainkeeper.web.app import create_app


@pytest.fixture
def client_of_a_down_database():
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = make_engine(f"postgresql+psycopg://chainkeeper:x@127.0.0.1:{port}/nothing?connect_timeout=2")
    yield TestClient(create_app(engine=engine), raise_server_exceptions=False, follow_redirects=False)
    engine.dispose()


def test_api_answers_503_in_the_error_shape(client_of_a_down_database):
    client = client_of_a_down_database
    for method, path, body in (("GET", "/health", None), ("POST", "/api/v1/auth/login", {"username": "a",
                                                                                       "password": "b"}),
                               ("GET", "/api/v1/enterprises", None)):
        response = client.request(method, path, json=body, headers={"authorization": "Bearer ckt_x",
                                                                   "accept-language": "en"})
        assert response.status_code == 503, (path, response.status_code, response.text[:300])
        assert response.headers["retry-after"] == "10"
        error = response.json()["error"]
        assert error["code"] == "database_unavailable" and error["details"] == []
        assert "cannot be reached" in error["message"]


def test_a_browser_gets_a_friendly_translated_page(client_of_a_down_database):
    client = client_of_a_down_database
    client.cookies.set("ck_session", "a-session-that-needs-the-database")
    page = client.get("/enterprises", headers={"accept": "text/html", "accept-language": "zh-CN"})
    assert page.status_code == 503 and page.headers["retry-after"] == "10"
    assert page.headers["content-type"].startswith("text/html")
    assert "暂时无法连接数据库" in page.text and "暂时无法使用" in page.text
    login = client.post("/login", data={"username": "a", "password": "b", "csrf_token": "x"},
                        headers={"accept": "text/html", "accept-language": "en"})
    assert login.status_code == 503 and "cannot be reached" in login.text
