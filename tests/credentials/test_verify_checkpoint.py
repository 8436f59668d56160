"""What a checkpoint officer gets (issue 9, finding 2): a QR code that opens the verify page, a verdict in the
reader's language (category and route by name, the crew's names), the offline verifier reading the same URL."""

from __future__ import annotations

import zxingcpp
from credentials.support import ACTOR, decode_png
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web.pages.page_support import sign_in

from chainkeeper.auth.api import login_throttle
from chainkeeper.cli.main import app as cli_app
from chainkeeper.config import get_settings
from chainkeeper.credentials import issue_certificate
from chainkeeper.credentials.passes import PassApplication, apply_for_pass, approve_pass
from chainkeeper.credentials.service import local_today
from chainkeeper.db import unit_of_work
from chainkeeper.registry.service import get_enterprise
from chainkeeper.web.app import create_app
from chainkeeper.whitelist.agreements import ensure_default_categories


def _client(engine) -> TestClient:
    login_throttle.reset()
    return TestClient(create_app(engine=engine), follow_redirects=False)


def _certificate(engine, world):
    with unit_of_work(engine) as session:
        ensure_default_categories(session=session)
        firm = get_enterprise(session=session, uscc=world.kunshan["uscc"])
        return issue_certificate(session=session, actor=ACTOR, enterprise_id=firm.id, list_name="江苏省白名单",
                                 batch=1, category="strategic", valid_from=local_today(),
                                 valid_until=local_today(), entry_ref="e1")


def _pass(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        firm = get_enterprise(session=session, uscc=world.kunshan["uscc"])
        application = PassApplication(goods_category="汽车座椅", origin_code="320583", destination_code="220104",
                                      route="G2 → G25 → G1", plate="苏E12345D", valid_from=local_today(),
                                      valid_until=local_today(), crew=[("王建国", "13912345678"), ("李强", "13812345678")])
        created = apply_for_pass(session=session, actor=ACTOR, enterprise_id=firm.id, application=application)
        approved = approve_pass(session=session, actor=ACTOR, vehicle_pass=created, key_dir=keys_dir)
        return approved.credential.payload, approved.credential.public_id


def _qr_texts(png: bytes) -> set[str]:
    """The distinct texts of the QR codes in ``png`` (the decoder may report one code twice, e.g. once more on its
    rotated pass)."""
    return {code.text for code in zxingcpp.read_barcodes(decode_png(png), formats=zxingcpp.BarcodeFormat.QRCode)}


def test_the_qr_code_holds_a_verify_url_under_the_public_address(engine, world, keys_dir, monkeypatch):
    credential = _certificate(engine, world)
    client = _client(engine)
    sign_in(client, world.users["enterprise"])
    png = client.get(f"/credentials/{credential.public_id}/qr.png")
    assert _qr_texts(png.content) == {f"http://testserver/verify?p={credential.payload}"}  # the request's address by default
    monkeypatch.setenv("CHAINKEEPER_PUBLIC_URL", "https://ck.example.gov.cn/")
    get_settings.cache_clear()
    try:
        texts = _qr_texts(client.get(f"/credentials/{credential.public_id}/qr.png").content)
    finally:
        get_settings.cache_clear()
    assert texts == {f"https://ck.example.gov.cn/verify?p={credential.payload}"}
    page = _client(engine).get(texts.pop().removeprefix("https://ck.example.gov.cn"))  # what the phone opens
    assert page.status_code == 200 and 'data-status="valid"' in page.text


def test_a_certificate_reads_in_chinese_and_english(engine, world, keys_dir):
    credential = _certificate(engine, world)
    client = _client(engine)
    chinese = client.get("/verify", params={"p": credential.payload}, headers={"accept-language": "zh-CN"})
    assert "战略性产业重点物资" in chinese.text and ">strategic<" not in chinese.text
    english = client.get("/verify", params={"c": credential.payload}, headers={"accept-language": "en"})
    assert "Key materials for strategic industries" in english.text and 'data-status="valid"' in english.text


def test_a_pass_shows_the_full_route_and_the_crew_names_but_no_phone_numbers(engine, world, keys_dir):
    payload, _public_id = _pass(engine, world, keys_dir)
    page = _client(engine).get("/verify", params={"p": payload}, headers={"accept-language": "zh-CN"})
    assert 'data-status="valid"' in page.text
    assert "江苏省苏州市昆山市 → 吉林省长春市朝阳区" in page.text
    assert "王建国、李强" in page.text and "13912345678" not in page.text


def test_the_offline_verifier_accepts_the_url_of_the_qr_code(engine, world, keys_dir, monkeypatch):
    payload, _public_id = _pass(engine, world, keys_dir)
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none")
    get_settings.cache_clear()
    runner = CliRunner()
    for text in (payload, f"https://ck.example.gov.cn/verify?p={payload}"):
        result = runner.invoke(cli_app, ["verify", text, "--public-key", str(keys_dir), "--today",
                                         local_today().isoformat(), "--json"])
        assert result.exit_code == 0 and '"valid"' in result.output, result.output
    forged = runner.invoke(cli_app, ["verify", f"https://ck.example.gov.cn/verify?p={payload[:-4]}AAAA",
                                     "--public-key", str(keys_dir)])
    assert forged.exit_code == 1
    get_settings.cache_clear()
