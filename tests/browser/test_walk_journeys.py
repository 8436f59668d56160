"""What a walk through the platform as its users found (sprint 7, lane ``walk``), kept as journeys in Chromium.

- the desk's own menu offers each role only the desk pages it may open: an enterprise on a phone, a county on a phone
  and the analyst never follow a link to a 403 (the menu offered every role the letters, the daily picture and the
  report form).
- a county officer reads the monthly indicators on a phone in English: the indicator's long name in its chooser
  pushed the page 14 px wider than the screen.
- an SME files an arrears complaint on a phone: a refused form came back empty (every field of the three-part form
  typed again) and named the field by its internal name ("请检查字段 debtor_name").
"""

from __future__ import annotations

import os

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

DESK_MENU = "nav.subnav[aria-label] a"


def _desk_menu(page) -> list[str]:
    return page.eval_on_selector_all(DESK_MENU, "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize(("username", "language", "viewport", "expected"), [
    ("oem", "zh_CN", PHONE, ["/desk", "/desk/new"]),
    ("kunshan", "en", PHONE, ["/desk", "/desk/new", "/desk/daily"]),
    ("analyst", "en", DESKTOP, ["/desk", "/desk/daily"]),
    ("jiangsu", "zh_CN", DESKTOP, ["/desk", "/desk/new", "/desk/letters", "/desk/daily"]),
], ids=["oem-390-zh", "kunshan-390-en", "analyst-1440-en", "jiangsu-1440-zh"])
def test_the_desk_menu_leads_only_to_pages_the_role_may_open(browser, base_url, username, language, viewport,
                                                             expected, screenshot):
    context, page, watch = open_as(browser, base_url, username, language=language, viewport=viewport,
                                   next_path="/desk")
    check_page(page, watch, language=language)
    assert _desk_menu(page) == expected
    tabs = page.locator("[data-testid=state-counts] a").all_inner_texts()  # buttons start upper case (sprint 9 walk)
    assert tabs and all(tab[:1] == tab[:1].upper() for tab in tabs), tabs
    for path in expected[1:]:
        page.goto(path)
        check_page(page, watch, language=language)
        assert _desk_menu(page) == expected, f"{path} shows another menu"
    screenshot(page, f"{username}-desk-menu-{viewport['width']}-{language}")
    context.close()


def test_a_county_reads_the_indicators_on_a_phone_in_english(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "kunshan", language="en", viewport=PHONE,
                                   next_path="/monitoring/indicators")
    check_page(page, watch, language="en")
    chooser = page.locator("[data-testid=indicator-choosers] select[name=indicator]")
    assert chooser.evaluate("e => e.getBoundingClientRect().right") <= 390
    screenshot(page, "kunshan-indicators-390-en")
    context.close()


def _check_refused(page, watch, language: str) -> None:
    """check_page on a form the platform refused on purpose (422; Chromium logs every 4xx page load)."""
    watch.console_errors[:] = [text for text in watch.console_errors if "status of 422" not in text]
    check_page(page, watch, language=language, allowed_statuses=(422,))


def _fill_complaint(form, debtor: str) -> None:
    form.locator("input[name=debtor_name]").fill(debtor)
    form.locator("input[name=debtor_region_code]").fill("320506")
    form.locator("input[name=amount]").fill("58000")
    form.locator("textarea[name=delivered_what]").fill("精密模具 12 套，已验收")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_refused_complaint_keeps_what_the_sme_typed_and_names_the_field(browser, base_url, language, screenshot):
    context, page, watch = open_as(browser, base_url, "sme_creditor", language=language, viewport=PHONE,
                                   next_path="/sme/arrears/new")
    form = page.locator("[data-testid=complaint-form]")
    _fill_complaint(form, "   ")  # spaces pass the browser's "required"; the platform refuses them
    form.locator("select[name=debtor_type]").select_option(index=1)
    form.locator("button[type=submit]").click()
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text("被投诉人名称" if language == "zh_CN" else "Debtor's name")
    expect(alert).not_to_contain_text("debtor_name")
    expect(form.locator("input[name=amount]")).to_have_value("58000")
    expect(form.locator("textarea[name=delivered_what]")).to_have_value("精密模具 12 套，已验收")
    _check_refused(page, watch, language)
    debtor_type = form.locator("select[name=debtor_type]").input_value()
    form.locator("input[name=debtor_name]").fill("苏州示例重工集团有限公司")
    form.locator("input[name=disputed]").check()  # a disputed amount is not eligible: refused with the reason
    form.locator("button[type=submit]").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(form.locator("input[name=debtor_name]")).to_have_value("苏州示例重工集团有限公司")
    expect(form.locator("input[name=disputed]")).to_be_checked()
    assert form.locator("select[name=debtor_type]").input_value() == debtor_type
    expect(form.locator("input[name=debtor_region_code]")).to_have_value("320506")
    _check_refused(page, watch, language)
    screenshot(page, f"sme_creditor-arrears-refused-390-{language}")
    context.close()
