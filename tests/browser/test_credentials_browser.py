"""A pass in a real browser: the county authority opens the demo pass, then anyone verifies it on /verify."""

from __future__ import annotations

import os

import pytest

from chainkeeper.auth.demo import demo_password

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.conftest import live_server, load_demo_into  # noqa: E402


def _with_demo_pass(data_dir) -> None:
    from chainkeeper.audit.actor import SYSTEM
    from chainkeeper.credentials import create_demo_passes, ensure_signing_key
    from chainkeeper.credentials.models import VehiclePass
    from chainkeeper.db import make_engine, unit_of_work

    ensure_signing_key(data_dir)
    engine = make_engine(f"sqlite:///{data_dir / 'chainkeeper.db'}")
    with unit_of_work(engine) as session:
        if session.query(VehiclePass).count() == 0:
            assert create_demo_passes(session=session, actor=SYSTEM, key_dir=data_dir / "keys"), "no Kunshan 3670 firm in the demo"
    engine.dispose()


@pytest.fixture(scope="module")
def pass_server(chromium_path, tmp_path_factory):
    """A live server on demo data with a signing key and the demo pass."""
    data_dir = tmp_path_factory.mktemp("credentials-browser")
    load_demo_into(data_dir).dispose()
    _with_demo_pass(data_dir)
    with live_server(data_dir) as url:
        yield url


def test_open_a_pass_then_verify_it_publicly(browser, pass_server, screenshot):
    context = browser.new_context(base_url=pass_server, locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto("/login?next=/passes")
    page.fill("input[name=username]", "kunshan")
    page.fill("input[name=password]", demo_password("kunshan"))
    page.click("form.stack button[type=submit]")
    page.locator("[data-testid=pass-table] a").first.click()
    expect(page.locator("[data-testid=pass-number]")).to_have_text("320583000001")
    expect(page.locator("[data-testid=qr]")).to_be_visible()
    image = page.request.get(page.get_attribute("[data-testid=qr]", "src"))  # with the page's session cookie
    assert image.ok and image.headers["content-type"] == "image/png" and len(image.body()) > 500
    payload = page.locator("[data-testid=payload]").inner_text().strip()
    screenshot(page, "vehicle-pass")
    page.click("[data-testid=credential-link]")
    expect(page.locator("[data-testid=payload]")).to_have_text(payload)
    context.close()

    anonymous = browser.new_context(base_url=pass_server, locale="zh-CN")
    public = anonymous.new_page()
    public.goto("/verify")
    public.fill("[data-testid=payload-input]", payload)
    public.click("form.stack button[type=submit]")
    expect(public.locator("[data-testid=verdict]")).to_have_attribute("data-status", "valid")
    expect(public.locator("[data-testid=verdict-status]")).to_have_text("有效")
    expect(public.locator("[data-testid=claim-number]")).to_have_text("320583000001")
    screenshot(public, "verify-pass")
    public.goto("/verify?p=" + payload[:-4] + ("AAAA" if not payload.endswith("AAAA") else "BBBB"))
    expect(public.locator("[data-testid=verdict]")).to_have_attribute("data-status", "forged")
    anonymous.close()
