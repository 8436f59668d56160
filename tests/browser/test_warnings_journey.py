"""Early warning in the browser: Shanghai's authority reads its red warning of April 2022 (gross industrial output
−61.5%), looks at the chart and its table, sees the engine's view of the downstream enterprises at risk, and
acknowledges it with a note; the list and the warning read well in English and on a phone."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

NOTE = "已联系重点企业，启动保供专班"


def _open_red_warning(page) -> None:
    page.goto("/monitoring/warnings?level=red")
    rows = page.locator("[data-testid=warning-table] tbody tr[data-level=red]")
    assert rows.count() >= 1
    page.locator("[data-testid=warning-table] a", has_text="上海").first.click()
    page.wait_for_url("**/monitoring/warnings/*")
    page.locator("#warning-chart canvas, #warning-chart svg").first.wait_for()  # ECharts drew it


def test_a_province_reads_its_red_warning_and_acknowledges_it(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "shanghai", viewport=DESKTOP)
    try:
        page.goto("/monitoring/warnings")
        screenshot(page, "shanghai-warnings-1440-zh")
        check_page(page, watch)
        _open_red_warning(page)
        assert "-61.5" in page.locator("[data-testid=warning-figures]").inner_text()
        page.locator("[data-testid=chart-table] summary").click()
        assert page.locator("[data-testid=chart-table] tbody tr").count() >= 1
        page.locator("[data-testid=impact-summary]").wait_for()  # the engine's view, loaded after the page
        screenshot(page, "shanghai-warning-1440-zh")
        check_page(page, watch)
        page.fill("textarea[name=note]", NOTE)
        page.locator("[data-testid=acknowledge]").click()
        page.locator("[data-testid=acknowledged]").wait_for()
        assert "上海市经信委" in page.locator("[data-testid=acknowledged]").inner_text()
        assert NOTE in page.locator("[data-testid=acknowledgement]").inner_text()
        check_page(page, watch)
    finally:
        context.close()


@pytest.mark.parametrize("language, viewport, name", [("en", DESKTOP, "1440-en"), ("zh_CN", PHONE, "390-zh")])
def test_the_warning_pages_in_english_and_on_a_phone(browser, base_url, screenshot, language, viewport, name):
    context, page, watch = open_as(browser, base_url, "shanghai", language=language, viewport=viewport)
    try:
        page.goto("/monitoring/warnings")
        screenshot(page, f"shanghai-warnings-{name}")
        check_page(page, watch, language=language)
        subjects = page.locator("[data-testid=warning-table] tbody td:nth-child(2)").all_inner_texts()
        assert not [s for s in subjects if re.search(r"(^|\s)\d{2,4}($|\s)", s)], subjects  # no bare industry code
        assert any("汽车制造业" in s for s in subjects)  # vehicle output: the industry by its name
        if viewport is PHONE:
            _every_cell_is_readable(page)
        _open_red_warning(page)  # region names are Chinese in both languages
        page.locator("[data-testid=engine-view] [data-testid=impact-summary]").wait_for()
        screenshot(page, f"shanghai-warning-{name}")
        check_page(page, watch, language=language)
        page.goto("/monitoring/warnings/rules")
        screenshot(page, f"shanghai-rules-{name}")
        check_page(page, watch, language=language)
    finally:
        context.close()



def _every_cell_is_readable(page) -> None:
    """Failed before (lane walk11): at 390 px the six columns squeezed the subject to a few characters a line and
    pushed "Acknowledged" and its button off screen (inside the table's scroller); now one card per warning."""
    boxes = page.locator("[data-testid=warning-table] tbody tr").first.locator("td").evaluate_all(
        "cells => cells.map(c => { const b = c.getBoundingClientRect(); return [b.left, b.right]; })")
    width = page.viewport_size["width"]
    assert all(left >= 0 and right <= width for left, right in boxes), boxes
    assert all(right - left > width * 0.7 for left, right in boxes), boxes  # each cell the card's width
