"""Issue 10 #5: an enterprise named like an HTML tag shows as text in the network picture's tooltip."""

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

EVIL = '<img src=x onerror="document.title=\'pwned\'">昆山'
SHOW_TIP = """(name) => {
  const element = document.querySelector('[data-drawn="1"]');
  const chart = echarts.getInstanceByDom(element);
  const index = chart.getOption().series[0].data.findIndex((node) => node.name === name);
  chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: index});
  return index;
}"""


@pytest.fixture(scope="module")
def evil_server(chromium_path, tmp_path_factory):
    """Demo data where the first supplier with links carries a hostile name; yields (url, its USCC)."""
    from sqlalchemy import select

    from chainkeeper.registry.models import Enterprise, SupplyLink
    from chainkeeper.db import unit_of_work

    data_dir = tmp_path_factory.mktemp("tooltip-browser")
    engine = load_demo_into(data_dir)
    with unit_of_work(engine) as session:
        firm = session.get(Enterprise, session.scalar(select(SupplyLink.supplier_id).order_by(SupplyLink.id).limit(1)))
        firm.name, uscc = EVIL, firm.uscc
    engine.dispose()
    with live_server(data_dir) as url:
        yield url, uscc


def test_a_hostile_name_shows_as_text_in_the_tooltip(browser, evil_server, screenshot):
    url, uscc = evil_server
    context = browser.new_context(base_url=url, locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"/login?next=/enterprises/{uscc}")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", demo_password("admin"))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector('[data-drawn="1"]')
    assert page.evaluate(SHOW_TIP, EVIL) >= 0
    chart = page.locator('[data-drawn="1"]')
    expect(chart).to_contain_text("<img src=x")  # the tag is shown as text
    assert chart.locator("img").count() == 0 and page.title() != "pwned"
    screenshot(page, "tooltip-escaped")
    context.close()
