"""Read API documents kept per caller's scope and query until a write (issue 15, ``json_route(kept=...)``): a repeat
of the same question by a caller of the same scope is answered on the event loop, with no statement and no trip to
the thread pool; any committed write, another scope or another query is answered afresh."""

from accounts_fixture import build_world, login
from factories import enterprise_row
from fastapi.testclient import TestClient
from sqlalchemy import event

from chainkeeper.auth.api import login_throttle
from chainkeeper.registry.importing import import_rows
from chainkeeper.web.app import create_app

LISTS = ["/api/v1/enterprises", "/api/v1/links", "/api/v1/enterprises?region=32&page_size=2"]


def _statements(engine, client, path: str) -> tuple[bytes, list[str]]:
    sent = []
    listener = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        answer = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert answer.status_code == 200, answer.text
    return answer.content, sent


def test_a_repeated_question_is_answered_without_the_database(engine, hops):
    login_throttle.reset()
    world = build_world(engine)
    client = TestClient(create_app(engine=engine))
    login(client, "user_ministry")
    for path in LISTS + [f"/api/v1/enterprises/{world.kunshan['uscc']}"]:
        first, _ = _statements(engine, client, path)
        hops.clear()
        again, sent = _statements(engine, client, path)
        assert again == first and sent == [] and hops == [], (path, sent, hops)


def test_a_write_ends_the_kept_answers(engine):
    login_throttle.reset()
    build_world(engine)
    client = TestClient(create_app(engine=engine))
    login(client, "user_ministry")
    before = client.get("/api/v1/enterprises").json()
    assert import_rows(engine, "enterprises", [enterprise_row(name="新登记有限公司")]).written
    after = client.get("/api/v1/enterprises").json()
    assert after["total"] == before["total"] + 1


def test_each_scope_has_its_own_kept_answers(engine):
    login_throttle.reset()
    world = build_world(engine)
    client = TestClient(create_app(engine=engine))
    for username in ("user_ministry", "user_county", "user_enterprise", "user_province", "user_ministry"):
        login(client, username)
        for _ in range(2):
            found = {item["uscc"] for item in client.get("/api/v1/enterprises").json()["items"]}
            national = username == "user_ministry"
            assert (world.ningbo["uscc"] in found) == national and world.kunshan["uscc"] in found, username
