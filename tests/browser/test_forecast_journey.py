"""Stoppage forecast journey (issue 12), in Chromium: the ministry's coordinator reads the red/yellow list beside the
inventory lights and opens a desk case from a forecast line.  Every page passes check_page at 1440 and 390 px.

The demo keeps forecasts of 2022-04-11 (the first report day: a yellow line, an OEM starved through a supplier
chain that leads back to Shanghai) and 2022-04-24 (the last, shown first).
"""

from __future__ import annotations

import os
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

SIZES = {"1440": DESKTOP, "390": PHONE}


def _first_report_day(page) -> None:
    page.locator("a[href^='/monitoring/forecast?run=']", has_text="2022-04-11").first.click()
    page.wait_for_url(re.compile(r"run=\d+"))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("width", ["1440", "390"])
def test_the_ministry_reads_the_red_and_yellow_list(browser, base_url, screenshot, language, width):
    lang = "zh" if language == "zh_CN" else "en"
    context, page, watch = open_as(browser, base_url, "ministry", language=language, viewport=SIZES[width],
                                   next_path="/monitoring/forecast")
    expect(page.locator("[data-testid=forecast-backtest] .forecast-figures").first).to_be_visible()
    check_page(page, watch, language=language)
    screenshot(page, f"ministry-forecast-{width}-{lang}")
    _first_report_day(page)
    alerts = page.locator("[data-testid=forecast-alerts] [data-testid=forecast-line]")
    expect(alerts.first).to_be_visible()
    expect(alerts.first.locator(".forecast-chain")).to_contain_text("上海")   # the chain leads back to Shanghai
    check_page(page, watch, language=language)
    screenshot(page, f"ministry-forecast-0411-{width}-{lang}")
    context.close()


def test_the_ministry_opens_a_desk_case_from_a_forecast_line(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "ministry", next_path="/monitoring/forecast")
    _first_report_day(page)
    line = page.locator("[data-testid=forecast-alerts] [data-testid=forecast-line]").first
    name = line.locator("td a").first.inner_text()
    line.locator("[data-testid=open-case]").click()
    expect(page.locator("[data-testid=case-state]")).to_have_attribute("data-state", "submitted")
    expect(page.locator("body")).to_contain_text(name)
    check_page(page, watch)
    screenshot(page, "ministry-forecast-case-1440-zh")
    page.go_back()
    page.reload()
    expect(page.locator("[data-testid=forecast-alerts] [data-testid=forecast-line]").first
           .locator("a[href^='/desk/cases/']")).to_be_visible()       # the line now links to its case
    check_page(page, watch)
    context.close()
