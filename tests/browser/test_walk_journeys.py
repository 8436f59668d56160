"""What a walk through the platform as its users found (sprint 7, lane ``walk``), kept as journeys in Chromium.

- the desk's own menu offers each role only the desk pages it may open: an enterprise on a phone, a county on a phone
  and the analyst never follow a link to a 403 (the menu offered every role the letters, the daily picture and the
  report form).
- a county officer reads the monthly indicators on a phone in English: the indicator's long name in its chooser
  pushed the page 14 px wider than the screen.
"""

from __future__ import annotations

import os

import pytest

try:
    from playwright.sync_api import expect  # noqa: F401
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

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
