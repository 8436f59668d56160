"""The import page's bounds (issue 10, findings 6 and 16): a zip bomb and a file with too many rows are refused
quickly with a clear message, and the limits are settings."""

import pytest
from factories import enterprise_row
from web.pages.page_support import sign_in
from web.pages.test_import_page import ISSUE_ROW, csv_of, enterprise_count, upload
from xlsx_bombs import Unpacked

from chainkeeper.config import get_settings


@pytest.fixture
def few_rows(monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_WEB_IMPORT_MAX_ROWS", "3")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_zip_bomb_is_refused_after_unpacking_a_few_megabytes(client, world, engine, xlsx_bomb, monkeypatch):
    token = sign_in(client, "user_ministry")
    unpacked = Unpacked(monkeypatch)
    response = upload(client, token, xlsx_bomb.read_bytes(), name="bomb.xlsx")
    assert unpacked.bytes < 8 * 2**20  # of the 400 MB it holds: refused at once, on any machine
    assert response.status_code == 422 and "解压后有 400.0 MB，超过允许的 200 MB" in response.text


def test_more_rows_than_the_page_allows(client, world, engine, few_rows):
    token = sign_in(client, "user_ministry")
    before = enterprise_count(engine)
    response = upload(client, token, csv_of([enterprise_row() for _ in range(4)]))
    assert response.status_code == 422 and "超过 3 行" in response.text
    assert {(r, c) for _f, r, c, _m in ISSUE_ROW.findall(response.text)} == {("5", "—")}
    assert enterprise_count(engine) == before and "最多 3 行" in client.get("/import").text


def test_upload_larger_than_the_page_allows(client, world, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_WEB_IMPORT_MAX_MB", "1")
    get_settings.cache_clear()
    try:
        token = sign_in(client, "user_ministry")
        response = upload(client, token, csv_of([enterprise_row()]) + b"#" * (1024 * 1024))
        assert response.status_code == 422 and "超过允许的 1 MB" in response.text
    finally:
        get_settings.cache_clear()
