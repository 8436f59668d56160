"""A white-list application in a real browser: a Kunshan firm applies, Kunshan reviews, Jiangsu approves and
publishes batch 1, and anyone verifies the entry's signed certificate on the public /verify page."""

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

APPLICANT = "ks_applicant"
PASSWORD = "applicant-pass-2022"


def _prepare(data_dir) -> None:
    """The demo (white lists and certificates under this data dir) and a user for a Kunshan firm not yet applying."""
    from sqlalchemy import select

    from chainkeeper.auth.roles import Role
    from chainkeeper.auth.service import create_user
    from chainkeeper.db import unit_of_work
    from chainkeeper.registry.models import Enterprise
    from chainkeeper.whitelist.models import Application

    engine = load_demo_into(data_dir)
    with unit_of_work(engine) as session:
        firm = session.scalar(select(Enterprise.id).where(
            Enterprise.county_code == "320583", Enterprise.id.not_in(select(Application.enterprise_id)))
            .order_by(Enterprise.id).limit(1))
        assert firm is not None, "no Kunshan firm left in the demo"
        create_user(session=session, username=APPLICANT, password=PASSWORD, display_name="昆山申请企业",
                    roles={Role.enterprise}, enterprise_id=firm)
    engine.dispose()


@pytest.fixture(scope="module")
def whitelist_server(chromium_path, tmp_path_factory):
    """A live server on the demo data with a signing key and an applicant user."""
    data_dir = tmp_path_factory.mktemp("whitelist-browser")
    _prepare(data_dir)
    with live_server(data_dir) as url:
        yield url


def _signed_in(browser, url: str, username: str, password: str, target: str):
    context = browser.new_context(base_url=url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"/login?next={target}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**{target}")
    return context, page


def _act(browser, url: str, user: str, application: str, action: str, state: str) -> None:
    context, page = _signed_in(browser, url, user, demo_password(user), application)
    page.click(f"[data-testid=actions] button[value={action}]")
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", state)
    context.close()


def test_application_from_draft_to_published_then_public_verification(browser, whitelist_server, screenshot):
    context, page = _signed_in(browser, whitelist_server, APPLICANT, PASSWORD, "/whitelists/applications")
    form = page.locator("[data-testid=apply-form]")
    form.locator("select[name=list_id]").select_option(label="江苏省重点产业链企业白名单")
    form.locator("select[name=category]").select_option("strategic")
    form.locator("textarea[name=reason]").fill("为上海整车企业配套的线束")
    form.locator("input[name=on_site_staff]").fill("86")
    form.locator("textarea[name=staff_list]").fill("王建国 13912345678\n李强 13812345678")
    form.locator("input[name=plan]").set_input_files(
        {"name": "一企一策.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 contingency plan"})
    form.locator("input[name=pledge]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "draft")
    application = page.url.split(whitelist_server, 1)[1]
    page.click("[data-testid=actions] button[value=submit]")
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "submitted")
    screenshot(page, "whitelist-application")
    context.close()

    _act(browser, whitelist_server, "kunshan", application, "pass_local", "locally_reviewed")
    _act(browser, whitelist_server, "jiangsu", application, "approve", "approved")

    context, page = _signed_in(browser, whitelist_server, "jiangsu", demo_password("jiangsu"), application)
    page.click("a[href^='/whitelists/']:text('江苏省重点产业链企业白名单')")
    page.click("[data-testid=publish-form] button[type=submit]")
    expect(page.locator("[data-testid=entries]")).to_contain_text("1")
    page.goto(application)
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "published")
    page.click("[data-testid=entry-link]")
    expect(page.locator("[data-testid=entry-status]")).to_have_text("有效")
    verify = page.locator("[data-testid=verify-link]").first.get_attribute("href")
    screenshot(page, "whitelist-entry")
    context.close()

    anonymous = browser.new_context(base_url=whitelist_server, locale="zh-CN")
    public = anonymous.new_page()
    public.goto(verify)
    expect(public.locator("[data-testid=verdict]")).to_have_attribute("data-status", "valid")
    expect(public.locator("[data-testid=verdict-status]")).to_have_text("有效")
    expect(public.locator("[data-testid=verdict]")).to_contain_text("江苏省重点产业链企业白名单")
    anonymous.close()
