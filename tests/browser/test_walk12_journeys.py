"""What the sprint 11 walk left on the desk (lane walk12), kept as journeys in Chromium on the demo.

- a county officer and an enterprise read the queue on a phone: the table scrolled sideways in its frame (ten
  columns in 390 px); it is now one card per case, every cell labelled with its column, as the warnings list does;
- every tab of the queue shows its count (Open and Overdue showed none).
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

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

CARDS_JS = """() => {
  const wrap = document.querySelector('#case-table');
  const row = wrap.querySelector('tr[data-case]');
  return {sideways: wrap.scrollWidth - wrap.clientWidth, rowWidth: row.getBoundingClientRect().width,
          wrapWidth: wrap.clientWidth,
          labels: [...row.querySelectorAll('td')].map(td => getComputedStyle(td, '::before').content)};
}"""


@pytest.mark.parametrize(("username", "language"), [("kunshan", "en"), ("oem", "zh_CN")])
def test_the_queue_is_one_labelled_card_per_case_on_a_phone(browser, base_url, username, language, screenshot):
    context, page, watch = open_as(browser, base_url, username, language=language, viewport=PHONE,
                                   next_path="/desk")
    check_page(page, watch, language=language)
    shown = page.evaluate(CARDS_JS)
    assert shown["sideways"] <= 1, shown  # no sideways scrolling inside the table's frame
    assert shown["rowWidth"] <= shown["wrapWidth"] + 1, shown
    assert shown["labels"] and all(label not in ("none", "normal", "") for label in shown["labels"]), shown
    tabs = page.locator("[data-testid=state-counts] a")
    assert tabs.count() == tabs.locator(".count").count() >= 9  # every tab counts its cases
    screenshot(page, f"{username}-desk-cards-390-{language}")
    context.close()


def test_the_queue_stays_a_table_on_a_desktop(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "suzhou", language="en", viewport=DESKTOP, next_path="/desk")
    check_page(page, watch, language="en")
    assert page.locator("[data-testid=case-table] thead").is_visible()
    labels = page.evaluate(CARDS_JS)["labels"]
    assert set(labels) == {"none"}, labels  # the labels show only on a phone
    context.close()
