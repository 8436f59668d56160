"""The shared pickers in Chromium: the pass form's counties and the recognition check's region chosen by name with
the keyboard-usable cascade and the name search, at 1440 and 390 px (issue 9 #9)."""

from __future__ import annotations

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_the_pass_form_picks_counties_by_name(browser, base_url, viewport):
    context, page, watch = open_as(browser, base_url, "oem", viewport=viewport, next_path="/passes")
    form = page.locator("[data-testid=apply-form]")
    origin = form.locator("[data-region-picker]").first
    origin.locator("select[data-level='1']").select_option(label="江苏省")
    origin.locator("select[data-level='2']").select_option(label="苏州市")
    origin.locator("select[data-level='3']").select_option(label="昆山市")
    expect(form.locator("input[name=origin_code]")).to_have_value("320583")
    destination = form.locator("[data-region-picker]").nth(1)
    search = destination.locator("[data-region-search]")
    search.fill("朝阳区")
    option = destination.locator("datalist option[value='吉林省 长春市 朝阳区']")
    expect(option).to_have_count(1)
    search.fill("吉林省 长春市 朝阳区")  # what choosing the suggestion types
    expect(form.locator("input[name=destination_code]")).to_have_value("220104")
    expect(destination.locator("select[data-level='3']")).to_have_value("220104")
    check_page(page, watch)
    context.close()


def test_the_recognition_check_keeps_a_region_typed_by_name(browser, base_url):
    context, page, watch = open_as(browser, base_url, "kunshan", next_path="/whitelists/check?uscc=&region=昆山市")
    picker = page.locator("[data-testid=check-form] [data-region-picker]")
    expect(picker.locator("select[data-level='1']")).to_be_visible()
    page.goto("/whitelists/check?uscc=91320583MA1XXXXX00&region=昆山市")
    expect(page.locator("[data-testid=check-form] input[name=region]")).to_have_value("320583")
    expect(page.locator("[data-testid=check-form] select[data-level='3']")).to_have_value("320583")
    check_page(page, watch)
    context.close()
