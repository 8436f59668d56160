"""The page shell on phones and desktops (issue 9): the main pages pass every journey check at 1440 and 390 px in
both languages; the phone menu works by keyboard; the login page keeps the chosen language; focus lands on the
confirmation after a form; the focus outline is visible."""

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

MINISTRY_PAGES = ("/", "/enterprises", "/import", "/whitelists", "/passes", "/account/password", "/account/tokens",
                  "/verify", "/desk")
ADMIN_PAGES = ("/admin/users", "/admin/audit")


def _an_enterprise(page) -> str:
    page.goto("/enterprises")
    return page.locator("table a[href^='/enterprises/']").first.get_attribute("href")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_main_pages_pass_the_checks(browser, base_url, language, viewport, screenshot):
    width = viewport["width"]
    context, page, watch = open_as(browser, base_url, "ministry", language=language, viewport=viewport)
    for path in (*MINISTRY_PAGES, _an_enterprise(page)):
        page.goto(path)
        check_page(page, watch, language=language)
        name = "enterprise" if path.startswith("/enterprises/") else (path.strip("/").replace("/", "-") or "home")
        if name in ("home", "enterprise", "account-tokens", "whitelists"):
            screenshot(page, f"ministry-{name}-{width}-{language}")
    context.close()
    context, page, watch = open_as(browser, base_url, "admin", language=language, viewport=viewport)
    for path in ADMIN_PAGES:
        page.goto(path)
        check_page(page, watch, language=language)
    context.close()
    context, page, watch = open_as(browser, base_url, None, language=language, viewport=viewport,
                                   next_path="/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()  # drawn from the vendored bundle, offline
    expect(page.locator(".swagger-ui .authorize")).to_be_visible()
    assert not watch.console_errors and not watch.bad_responses
    context.close()


def test_phone_menu_is_a_keyboard_button_and_hidden_links_take_no_focus(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "oem", viewport=PHONE)
    button = page.locator(".menu-button")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#main-menu")).to_be_hidden()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    focused = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.closest('#main-menu') !== null"))
    assert not any(focused), "focus went through the closed menu"
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-menu a").first).to_be_focused()
    check_page(page, watch)
    screenshot(page, "enterprise-menu-open-390-zh_CN")
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    context.close()


def test_login_page_follows_the_chosen_language(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator("button[name=lang][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("button[name=lang][value=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("button[name=lang][value=zh_CN]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("button[name=lang][value=zh_CN]")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("form.stack button[type=submit]")).to_have_text("Sign in")
    page.locator("button[name=lang][value=zh_CN]").click()
    expect(page.locator("form.stack button[type=submit]")).to_have_text("登录")
    context.close()


def _contrast(rgb_a, rgb_b) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_focus_lands_on_the_confirmation_and_the_outline_is_visible(browser, base_url):
    context, page, watch = open_as(browser, base_url, "jiangsu", language="en", next_path="/account/tokens")
    page.fill("[data-testid=token-name]", "nightly export")
    page.locator("form[action='/account/tokens'] button[type=submit]").click()
    expect(page.locator("[data-flash]")).to_be_focused()
    expect(page.locator("[data-testid=token-secret]")).to_be_visible()
    check_page(page, watch, language="en")
    page.locator("[data-testid=token-name]").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus: :focus-visible applies
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
      return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }""")
    assert style[0] == "solid" and style[1] >= 2, style
    rgb = tuple(int(v) for v in re.findall(r"\d+", style[2])[:3])
    assert _contrast(rgb, (255, 255, 255)) >= 3 and _contrast(rgb, (0xf1, 0xf3, 0xf6)) >= 3, style
    context.close()


def test_overview_charts_have_names_and_a_table(browser, base_url):
    context, page, watch = open_as(browser, base_url, "ministry", next_path="/overview")
    for chart in page.locator("[data-chart]").all():
        assert (chart.get_attribute("aria-label") or "").strip()
    table = page.locator("[data-testid=province-chart-table]")
    table.locator("summary").click()
    assert table.locator("tbody tr").count() > 5
    check_page(page, watch)
    context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_enterprise_pages_on_a_phone(browser, base_url, language, screenshot):
    context, page, watch = open_as(browser, base_url, "oem", language=language, viewport=PHONE)
    for path in ("/", "/whitelists", "/passes", "/desk", "/account/tokens", "/verify"):
        page.goto(path)
        check_page(page, watch, language=language)
        if path == "/":
            screenshot(page, f"enterprise-home-390-{language}")
    context.close()
