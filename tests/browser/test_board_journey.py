"""The matching board in a real browser (issue 13): the Changchun OEM, on a phone, searches the board for
automotive MCUs, opens its need's ranked suggestions and writes to the Shanghai chip supplier; the supplier, at its
desk in English, answers in the conversation; the board's pages at both widths and in both languages."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

QUESTION = "能否本月先供5万片？请回复交期。"
ANSWER = "Yes: 50,000 pcs ship on the 15th, the rest next month."


def test_a_buyer_on_a_phone_finds_a_supplier_who_answers(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "oem", language="zh_CN", viewport=PHONE,
                                   next_path="/docking/board")
    try:
        check_page(page, watch, language="zh_CN")
        page.fill("input[name=q]", "车规级 MCU")
        page.click("[data-testid=board-search] button[type=submit]")
        page.wait_for_url("**/docking/board?**")
        check_page(page, watch, language="zh_CN")
        results = page.locator("[data-testid=board-results] [data-post]")
        assert results.count() >= 3 and any("上海示例车规芯片有限公司" in t for t in results.all_inner_texts())
        screenshot(page, "enterprise-board-search-390-zh")
        page.click("[data-testid=board-mine] a:has-text('急需车身控制器用32位车规级MCU')")
        page.wait_for_url("**/docking/board/needs/**")
        check_page(page, watch, language="zh_CN")
        suggestions = page.locator("[data-testid=board-suggestions] [data-suggestion]")
        assert suggestions.count() >= 3
        first = suggestions.first.inner_text()
        assert "匹配度" in first and "相距" in first and "公里" in first
        screenshot(page, "enterprise-board-suggestions-390-zh")
        shanghai = suggestions.filter(has_text="上海示例车规芯片有限公司")
        shanghai.locator("textarea[name=body]").fill(QUESTION)
        shanghai.locator("button[type=submit]").click()
        page.wait_for_url("**/docking/board/threads/**")
        check_page(page, watch, language="zh_CN")
        assert QUESTION in page.locator("[data-testid=board-thread]").inner_text()
        thread_path = page.url.split(base_url, 1)[1]
        screenshot(page, "enterprise-board-thread-390-zh")
    finally:
        context.close()
    context, page, watch = open_as(browser, base_url, "chip_supplier", language="en", viewport=DESKTOP,
                                   next_path="/docking/board/threads")
    try:
        check_page(page, watch, language="en")
        page.click(f"[data-testid=board-threads] a[href='{thread_path}']")
        page.wait_for_url(f"**{thread_path}")
        check_page(page, watch, language="en")
        assert QUESTION in page.locator("[data-testid=board-thread]").inner_text()
        page.fill("[data-testid=answer] textarea[name=body]", ANSWER)
        page.click("[data-testid=answer] button[type=submit]")
        page.wait_for_url(f"**{thread_path}")
        check_page(page, watch, language="en")
        messages = page.locator(".board-message").all_inner_texts()
        assert QUESTION in messages[-2] and ANSWER in messages[-1]
        screenshot(page, "supplier-board-thread-1440-en")
    finally:
        context.close()


@pytest.mark.parametrize(("language", "viewport"), [("en", DESKTOP), ("zh_CN", PHONE)])
def test_the_board_pages_at_both_widths(browser, base_url, screenshot, language, viewport):
    context, page, watch = open_as(browser, base_url, "jilin", language=language, viewport=viewport,
                                   next_path="/docking/board/events")
    width = viewport["width"]
    try:
        check_page(page, watch, language=language)
        screenshot(page, f"province-board-events-{width}-{language.split('_')[0]}")
        page.click("[data-testid=board-events] a:has-text('吉林省汽车芯片供需对接会')")
        page.wait_for_url("**/docking/board/events/**")
        check_page(page, watch, language=language)
        figures = page.locator("[data-testid=event-figures]").inner_text()
        assert "3" in figures and "9,000.0" in figures  # three matches, two deals worth 3,600 + 5,400 (10,000 yuan)
        assert page.locator("[data-testid=event-matches] tbody tr").count() == 3
        screenshot(page, f"province-board-event-{width}-{language.split('_')[0]}")
        page.goto("/docking/board?kind=needs")
        check_page(page, watch, language=language)
        titles = page.locator("[data-testid=board-results]").inner_text()
        assert "新能源车型IGBT模块" in titles  # the OEM's authorities-only need: Jilin's authority sees it
    finally:
        context.close()
