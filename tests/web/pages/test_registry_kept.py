"""The home page's and the registry pages' blocks kept per scope, query and data epoch (issue 15, lane regpages): a
repeat view reads nothing of its own, a reader of another scope never gets them, a committed write shows at once,
each session keeps its own CSRF token, and the kept page is the page a first view renders."""

from __future__ import annotations

import re

import pytest
from accounts_fixture import PASSWORD
from factories import enterprise_row
from fastapi.testclient import TestClient
from web.pages.page_support import sign_in, statements_of

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.web.app import create_app
from chainkeeper.web.kept_blocks import kept_cache

HX_TOKEN = re.compile(r'"x-csrf-token": "([^"]+)"')
TOKENS = re.compile(r'(name="csrf_token" value="|"x-csrf-token": ")[^"]+')


def _paths(world) -> tuple[str, ...]:
    return ("/", "/enterprises", "/enterprises?q=%E6%98%86%E5%B1%B1", "/enterprises?sort=size&dir=desc",
            f"/enterprises/{world.changchun['uscc']}", f"/enterprises/{world.kunshan['uscc']}?sup_page=2")


def _client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


def _masked(page: str) -> str:
    return TOKENS.sub(lambda match: match.group(1) + "T", page)


def test_a_repeated_page_reads_no_more_than_the_minimal_page(engine, world, client):
    """Before: the home page's open cases, letters and counts, the list's rows, the enterprise's record, links,
    history and network were read again on every request (2–9 statements on top of the chrome's)."""
    sign_in(client, "user_ministry")
    floor = statements_of(engine, client, "/verify", warm=True)
    for path in _paths(world):
        assert len(statements_of(engine, client, path, warm=True)) <= len(floor), path


@pytest.mark.parametrize("user", ["user_ministry", "user_province", "user_county"])
def test_a_kept_page_is_the_page_a_first_view_renders(engine, world, client, user):
    """The same bytes (but the CSRF token) kept or not, in both languages."""
    sign_in(client, user)
    for language in ("zh_CN", "en"):
        client.cookies.set("ck_lang", language)
        for path in _paths(world):
            kept_cache(client.app).clear()
            first = client.get(path)
            kept = client.get(path)
            assert kept.status_code == first.status_code, path
            assert _masked(kept.text) == _masked(first.text), path


def test_a_reader_of_another_scope_never_gets_the_blocks(engine, world):
    """The ministry's kept list and enterprise page are not shown to a province (nor the province's to a county):
    Changchun (Jilin) is not in Jiangsu's list, and on Kunshan's page it is named but not openable."""
    app = create_app(engine=engine)
    ministry, province = _client(app), _client(app)
    sign_in(ministry, "user_ministry")
    sign_in(province, "user_province")
    kunshan = f"/enterprises/{world.kunshan['uscc']}"
    opens_changchun = f'<a href="/enterprises/{world.changchun["uscc"]}">'
    for _ in range(2):
        assert "长春整车有限公司" in ministry.get("/enterprises").text
        assert opens_changchun in ministry.get(kunshan).text
        listed = province.get("/enterprises").text
        assert "昆山线束有限公司" in listed and "长春整车有限公司" not in listed
        page = province.get(kunshan).text
        assert "长春整车有限公司" in page and opens_changchun not in page
        assert province.get(f"/enterprises/{world.changchun['uscc']}").status_code == 404
    county = _client(app)
    sign_in(county, "user_county")
    assert "宁波座椅有限公司" not in county.get("/enterprises").text


def test_the_home_page_is_kept_per_user(engine, world):
    """The home page shows the caller's own work (the cases assigned to it): two users of the same (national)
    scope each get their own blocks."""
    with unit_of_work(engine) as session:
        create_user(session=session, username="second_ministry", password=PASSWORD, display_name="second",
                    roles={Role.ministry})
    app = create_app(engine=engine)
    first, second = _client(app), _client(app)
    sign_in(first, "user_ministry")
    sign_in(second, "second_ministry")
    for _ in range(2):
        assert 'data-item="mine"' in first.get("/").text and 'data-item="mine"' in second.get("/").text
    assert len(kept_cache(app)._entries) == 2


def test_a_committed_write_shows_at_once(engine, world, client):
    sign_in(client, "user_ministry")
    search = "/enterprises?q=%E8%8B%8F%E5%B7%9E"
    for _ in range(2):
        assert "苏州新材料有限公司" not in client.get(search).text
    new = enterprise_row(name="苏州新材料有限公司", county_code="320505")
    assert import_rows(engine, "enterprises", [new], actor=Actor(None, "importer")).written  # as the import page
    assert "苏州新材料有限公司" in client.get(search).text


def test_each_session_gets_its_own_token_in_the_same_page(engine, world):
    app = create_app(engine=engine)
    first, second = _client(app), _client(app)
    first_token, second_token = sign_in(first, "user_ministry"), sign_in(second, "user_ministry")
    assert first_token != second_token
    for path in _paths(world):
        one, other = first.get(path).text, second.get(path).text  # the second from the kept blocks
        assert set(HX_TOKEN.findall(one)) == {first_token} and set(HX_TOKEN.findall(other)) == {second_token}
        assert "ck-csrf-" not in one + other
        assert one.replace(first_token, "T") == other.replace(second_token, "T"), path


def test_the_query_string_is_part_of_the_key(engine, world, client):
    sign_in(client, "user_ministry")
    everything = client.get("/enterprises").text
    assert "长春整车有限公司" in everything and "宁波座椅有限公司" in everything
    searched = client.get("/enterprises?q=%E6%98%86%E5%B1%B1").text
    assert "昆山线束有限公司" in searched and "长春整车有限公司" not in searched
