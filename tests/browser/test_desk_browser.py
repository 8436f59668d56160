"""A blocking point in a real browser: the Changchun OEM reports a Suzhou supplier; Jilin accepts it and writes to
Jiangsu; Jiangsu assigns a liaison and reports the measures; the OEM confirms; Jiangsu closes the case."""

from __future__ import annotations

import os
import re

import pytest

from chainkeeper.auth.demo import demo_password

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.conftest import live_server, load_demo_into  # noqa: E402
from browser.test_desk_journeys import act as _act  # noqa: E402

TITLE = "苏州座椅供应商停产"


def _suzhou_supplier(data_dir) -> str:
    from sqlalchemy import select

    from chainkeeper.db import unit_of_work
    from chainkeeper.registry.models import Enterprise

    engine = load_demo_into(data_dir)
    with unit_of_work(engine) as session:
        uscc = session.scalar(select(Enterprise.uscc).where(Enterprise.city_code == "3205").order_by(Enterprise.id))
    engine.dispose()
    assert uscc, "no Suzhou firm in the demo"
    return uscc


@pytest.fixture(scope="module")
def desk_server(chromium_path, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("desk-browser")
    uscc = _suzhou_supplier(data_dir)
    with live_server(data_dir) as url:
        yield url, uscc


def _signed_in(browser, url: str, username: str, target: str):
    context = browser.new_context(base_url=url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"/login?next={target}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo_password(username))
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**{target}")
    return context, page


def test_a_case_from_report_to_closure_across_two_provinces(browser, desk_server, screenshot):
    url, supplier = desk_server
    context, page = _signed_in(browser, url, "oem", "/desk/new")
    form = page.locator("[data-testid=new-case]")
    form.locator("select[name=category]").select_option("parts_supply")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=blocked]").fill("座椅骨架停供，库存仅够两天")
    form.locator("input[name=blocking_uscc]").fill(supplier)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=case-state]")).to_have_attribute("data-state", "submitted")
    case_url = re.sub(r"^https?://[^/]+", "", page.url)
    screenshot(page, "desk-case-submitted")
    context.close()

    context, page = _signed_in(browser, url, "jilin", case_url)
    _act(page, "accept", "accepted")
    case_id = case_url.rsplit("/", 1)[1]
    page.goto("/desk/letters")
    letter = page.locator("[data-testid=new-letter]")
    letter.locator("select[name=to_region_code]").select_option(label="江苏省")
    letter.locator("input[name=subject]").fill("关于协调苏州座椅供应商复产的函")
    letter.locator("button[type=submit]").click()
    page.locator("[data-testid=add-cases] input[name=case_ids]").fill(case_id)
    page.locator("[data-testid=add-cases] button").click()
    expect(page.locator("[data-testid=letter-cases]")).to_contain_text(TITLE)
    page.locator("form:has(input[name=action][value=send]) button").click()
    expect(page.locator("[data-testid=reply-letter]")).to_have_count(0)
    expect(page.locator("[data-testid=add-cases]")).to_have_count(0)  # no longer a draft
    screenshot(page, "desk-letter-sent")
    context.close()

    context, page = _signed_in(browser, url, "jiangsu", case_url)
    _act(page, "assign", "assigned", liaison_id="苏州市工信局 · 苏州市")
    _act(page, "feedback", "feedback", text="已协调园区恢复生产，今晚发货")
    context.close()

    context, page = _signed_in(browser, url, "oem", case_url)
    expect(page.locator("[data-testid=measures]")).to_have_text("已协调园区恢复生产，今晚发货")
    _act(page, "confirm", "resolved")
    context.close()

    context, page = _signed_in(browser, url, "jiangsu", case_url)
    _act(page, "close", "closed")
    steps = ["submit", "accept", "letter_sent", "assign", "feedback", "confirm", "close"]
    expect(page.locator("[data-testid=timeline] li")).to_have_count(len(steps))
    expect(page.locator("[data-testid=liaison]")).to_contain_text("苏州市工信局")
    screenshot(page, "desk-case-closed")
    page.goto("/desk")
    expect(page.locator("[data-testid=case-table]")).to_be_visible()
    screenshot(page, "desk-queue")
    context.close()
