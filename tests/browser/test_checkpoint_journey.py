"""The checkpoint officer's job on a phone (issue 9): no account, a certificate and a vehicle pass to check, by
opening the URL a QR code holds and by scanning a photo of the code on /verify; valid / revoked / expired read
clearly, in Chinese and English, and every page passes the journey checks."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.conftest import data_dir_settings, live_server, load_demo_into  # noqa: E402
from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

WORDS = {"zh_CN": {"valid": "有效", "revoked": "已撤销", "expired": "已过期"},
         "en": {"valid": "Valid", "revoked": "Revoked", "expired": "Expired"}}


def _credentials(data_dir) -> dict[str, str]:
    """The demo's pass, a valid and a revoked certificate, and an expired one issued last year: kind → payload."""
    from sqlalchemy import select

    from chainkeeper.audit.actor import SYSTEM
    from chainkeeper.credentials import issue_certificate, revoke
    from chainkeeper.credentials.models import Credential, CredentialKind
    from chainkeeper.credentials.service import local_today
    from chainkeeper.db import make_engine, unit_of_work

    engine = make_engine(f"sqlite:///{data_dir / 'chainkeeper.db'}")
    with data_dir_settings(data_dir), unit_of_work(engine) as session:
        certificates = list(session.scalars(select(Credential).where(Credential.kind == CredentialKind.certificate)
                                            .order_by(Credential.id).limit(2)))
        vehicle_pass = session.scalar(select(Credential).where(Credential.kind == CredentialKind.vehicle_pass))
        revoke(session=session, actor=SYSTEM, credential_id=certificates[1].id, reason="企业停产")
        today = local_today()
        expired = issue_certificate(session=session, actor=SYSTEM, enterprise_id=certificates[0].enterprise_id,
                                    list_name="上海市重点企业复工复产白名单", batch=9, category="strategic",
                                    valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=220),
                                    entry_ref="expired-test")
        found = {"pass": vehicle_pass.payload, "valid": certificates[0].payload, "revoked": certificates[1].payload,
                 "expired": expired.payload, "pass_id": vehicle_pass.public_id}
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def checkpoint(chromium_path, tmp_path_factory):
    """A live server on the demo data with a revoked and an expired certificate; (base URL, payloads)."""
    data_dir = tmp_path_factory.mktemp("checkpoint-browser")
    load_demo_into(data_dir).dispose()
    payloads = _credentials(data_dir)
    with live_server(data_dir) as url:
        yield url, payloads


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_officer_opens_qr_urls_on_a_phone(browser, checkpoint, language, screenshot):
    url, payloads = checkpoint
    context, page, watch = open_as(browser, url, None, language=language, viewport=PHONE, next_path="/verify")
    check_page(page, watch, language=language)
    for status in ("valid", "revoked", "expired"):
        page.goto(f"/verify?p={payloads[status]}")  # what the phone's camera app opens
        verdict = page.locator("[data-testid=verdict]")
        expect(verdict).to_have_attribute("data-status", status)
        expect(page.locator("[data-testid=verdict-status]")).to_have_text(WORDS[language][status])
        expect(page.locator("[data-testid=verdict-status]")).to_be_in_viewport()
        category = page.locator("[data-testid=claim-category]").inner_text()
        assert category == ("战略性产业重点物资" if language == "zh_CN" else "Key materials for strategic industries")
        check_page(page, watch, language=language)
        if status != "valid":
            screenshot(page, f"checkpoint-verify-{status}-390-{language}")
    page.goto(f"/verify?p={payloads['pass']}")
    expect(page.locator("[data-testid=verdict]")).to_have_attribute("data-status", "valid")
    expect(page.locator("[data-testid=claim-route]")).to_have_text("江苏省苏州市昆山市 → 吉林省长春市朝阳区")
    expect(page.locator("[data-testid=claim-crew]")).to_have_text("王建国、李强")
    check_page(page, watch, language=language)
    screenshot(page, f"checkpoint-verify-pass-390-{language}")
    context.close()


def test_officer_scans_a_photo_of_the_pass_qr_code(browser, checkpoint, tmp_path, screenshot):
    url, payloads = checkpoint
    issuer, issuer_page, _watch = open_as(browser, url, "kunshan", next_path=f"/credentials/{payloads['pass_id']}")
    image = issuer_page.request.get(f"/credentials/{payloads['pass_id']}/qr.png")  # the printed code
    assert image.ok
    photo = tmp_path / "pass-qr.png"
    photo.write_bytes(image.body())
    issuer.close()
    context, page, watch = open_as(browser, url, None, viewport=PHONE, next_path="/verify")
    expect(page.locator("[data-scan-video]")).to_be_hidden()  # until the camera is started
    expect(page.locator("[data-scan-stop]")).to_be_hidden()
    page.set_input_files("[data-testid=scan-file]", str(photo))
    page.wait_for_url("**/verify?p=*")
    expect(page.locator("[data-testid=verdict]")).to_have_attribute("data-status", "valid")
    expect(page.locator("[data-testid=claim-plate]")).to_have_text("苏EH2T66")
    assert page.evaluate("document.activeElement.closest('[data-testid=verdict]') !== null")  # focus on the verdict
    check_page(page, watch)
    screenshot(page, "checkpoint-scan-photo-390-zh_CN")
    page.goto("/verify")
    page.set_input_files("[data-testid=scan-file]", {"name": "blank.png", "mimeType": "image/png",
                                                     "buffer": _blank_png()})
    expect(page.locator("[data-testid=scan-status]")).to_contain_text("没有识别到二维码")
    context.close()


def test_verify_page_is_readable_at_desktop_width(browser, checkpoint, screenshot):
    url, payloads = checkpoint
    for language in ("zh_CN", "en"):
        context, page, watch = open_as(browser, url, None, language=language, viewport=DESKTOP,
                                       next_path=f"/verify?p={payloads['valid']}")
        width = page.locator("[data-testid=verdict]").bounding_box()["width"]
        assert width >= 600, f"the verdict is squeezed into {width}px"
        check_page(page, watch, language=language)
        screenshot(page, f"checkpoint-verify-valid-1440-{language}")
        context.close()


def _blank_png() -> bytes:
    """A white 40×40 greyscale PNG: a photo without a QR code."""
    import struct
    import zlib

    width = height = 40
    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
