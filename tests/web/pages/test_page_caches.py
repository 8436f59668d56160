"""What the pages keep between requests: dashboard aggregates, reference names, compressed static assets."""

import gzip

from factories import enterprise_row
from web.pages.page_support import sign_in
from web.pages.test_import_page import csv_of, upload

from chainkeeper.db import unit_of_work
from chainkeeper.reference.models import KeyChain
from chainkeeper.registry.importing import import_rows
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.rendering import environment


def total_enterprises(client) -> str:
    page = client.get("/overview").text
    return page.split('data-testid="total-enterprises">', 1)[1].split("<", 1)[0]


def test_dashboard_numbers_are_reused_and_an_upload_forgets_them(client, world, engine):
    token = sign_in(client, "user_ministry")
    assert total_enterprises(client) == "3"
    assert total_enterprises(client) == "3"  # reused
    assert import_rows(engine, "enterprises", [enterprise_row()]).written  # its bulk writes mark the data changed
    assert total_enterprises(client) == "4"
    assert upload(client, token, csv_of([enterprise_row()])).status_code == 200
    assert total_enterprises(client) == "5"


def _rename_chain(engine, code: str, name_zh: str) -> None:
    with unit_of_work(engine) as session:
        session.get(KeyChain, code).name_zh = name_zh


def test_a_renamed_key_chain_shows_at_once(engine):
    with unit_of_work(engine) as session:
        code, name = next(iter(queries.chain_names(session, "zh_CN").items()))
    _rename_chain(engine, code, "新名称链")
    try:
        with unit_of_work(engine) as session:
            assert queries.chain_names(session, "zh_CN")[code] == "新名称链"
    finally:
        _rename_chain(engine, code, name)
    with unit_of_work(engine) as session:
        assert queries.chain_names(session, "zh_CN")[code] == name


def test_reference_names_come_from_the_cache(engine):
    with unit_of_work(engine) as session:
        assert queries.region_names(session, ["320583", "32", "999999", None]) == {"320583": "昆山市", "32": "江苏省"}
        assert queries.industry_names(session, ["3670"])["3670"]
        assert queries.provinces(session)["32"] == "江苏省"


def test_big_assets_are_sent_gzipped_and_revalidated(client):
    path = "/static/vendor/echarts/echarts.min.js"
    plain = client.get(path, headers={"accept-encoding": "identity"})
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate"})
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.content == plain.content  # the client decompressed it
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content
    again = client.get(path, headers={"accept-encoding": "gzip", "if-none-match": packed.headers["etag"]})
    assert again.status_code == 304 and packed.headers["etag"] != plain.headers["etag"]


def test_templates_are_compiled_once():
    env = environment("en")
    assert env.get_template("base.html") is env.get_template("base.html")
