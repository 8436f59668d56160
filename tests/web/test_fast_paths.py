"""Answers without framework work (issue 15): a fresh healthy /health and static files already served once come from
memory, with the same bytes and headers as the full path; anything conditional, partial or changed goes through."""

import time

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Mount

from chainkeeper.health import HealthProbe
from chainkeeper.web.app import create_app
from chainkeeper.web.fast_paths import FastPaths
from chainkeeper.web.static_files import CompressedStaticFiles


class Counting:
    """The inner application, counting the requests that reach it."""

    def __init__(self, app):
        self.app, self.calls = app, 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
def static(tmp_path, sqlite_engine):
    (tmp_path / "app.css").write_text("body { color: black; }\n" * 200)
    inner = Counting(Starlette(routes=[Mount("/static", CompressedStaticFiles(directory=str(tmp_path)))]))
    return TestClient(FastPaths(inner, HealthProbe(sqlite_engine), tmp_path)), inner, tmp_path


def test_a_static_file_is_served_from_memory_after_the_first_time(static):
    client, inner, folder = static
    for encoding in ("identity", "gzip"):
        first = client.get("/static/app.css", headers={"accept-encoding": encoding})
        calls = inner.calls
        again = client.get("/static/app.css", headers={"accept-encoding": encoding})
        assert inner.calls == calls, "the second request went through StaticFiles"
        assert (again.status_code, again.content, again.headers) == (first.status_code, first.content, first.headers)
    assert again.headers["content-encoding"] == "gzip"
    etag = again.headers["etag"]
    revalidated = client.get("/static/app.css", headers={"if-none-match": etag, "accept-encoding": "gzip"})
    assert revalidated.status_code == 304  # conditional requests take the full path
    partial = client.get("/static/app.css", headers={"range": "bytes=0-3", "accept-encoding": "identity"})
    assert partial.status_code == 206
    time.sleep(0.01)
    (folder / "app.css").write_text("body { color: red; }\n")  # a changed file is read again
    assert client.get("/static/app.css", headers={"accept-encoding": "identity"}).text == "body { color: red; }\n"
    assert client.get("/static/missing.css").status_code == 404


def test_health_is_answered_from_the_last_probe_for_a_second(sqlite_engine):
    client = TestClient(create_app(engine=sqlite_engine))
    first = client.get("/health")
    again = client.get("/health")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.json()["database"] == "ok"
    assert again.headers["cache-control"] == "no-store" and again.headers["content-type"] == "application/json"
