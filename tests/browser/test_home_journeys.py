"""Journeys from the home page: the ministry reads the national picture (home → a province's cases → the daily
picture) at 1440 px in Chinese and English; each role opens its home and follows one of its links, the enterprise on
a phone. Every page passes :func:`check_page`; a figure equals the rows its link opens."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

WIDTH = {id(DESKTOP): 1440, id(PHONE): 390}
LANG = {"zh_CN": "zh", "en": "en"}


def shot(screenshot, page, role: str, name: str, viewport, language: str) -> None:
    screenshot(page, f"{role}-{name}-{WIDTH[id(viewport)]}-{LANG[language]}")


def figure(page, key: str) -> tuple[str, int]:
    """The link and the count of a figure of the home page."""
    link = page.locator(f'a[data-item="{key}"]').first
    count = page.locator(f'[data-count="{key}"]').first.inner_text()
    return link.get_attribute("href"), int(count.replace(",", ""))


def follow(page, key: str) -> int:
    """Click a figure's link; returns the count the home page showed."""
    _url, count = figure(page, key)
    page.locator(f'a[data-item="{key}"]').first.click()
    page.wait_for_load_state("networkidle")
    return count


def case_rows(page) -> int:
    return page.locator("[data-testid=case-table] tbody tr[data-case]").count()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_ministry_reads_the_national_picture(browser, base_url, screenshot, language):
    context, page, watch = open_as(browser, base_url, "ministry", language=language, viewport=DESKTOP)
    try:
        shot(screenshot, page, "ministry", "home", DESKTOP, language)
        check_page(page, watch, language=language)
        for testid in ("cases-by-state", "cases-by-province", "resumption", "letter-flows"):
            assert page.locator(f"[data-testid={testid}]").is_visible()
        assert page.locator("#state-chart canvas, #state-chart svg").count() == 1  # the chart is drawn
        province = page.locator("[data-testid=cases-by-province] tbody tr[data-province]").first
        code = province.get_attribute("data-province")
        expected = follow(page, f"province-{code}")
        assert re.search(rf"region={code}\b", page.url) and case_rows(page) == expected
        shot(screenshot, page, "ministry", "province-cases", DESKTOP, language)
        check_page(page, watch, language=language)
        page.goto("/")
        page.locator('a[href="/desk/daily"]').first.click()
        page.wait_for_url("**/desk/daily")
        shot(screenshot, page, "ministry", "daily", DESKTOP, language)
        check_page(page, watch, language=language)
    finally:
        context.close()


ROLE_LINKS = [  # (user, viewport, language, the figure whose link it follows)
    ("oem", PHONE, "zh_CN", "open-cases"),
    ("oem", PHONE, "en", "open-cases"),
    ("kunshan", DESKTOP, "zh_CN", "to-accept"),
    ("suzhou", DESKTOP, "zh_CN", "applications-local"),
    ("jiangsu", DESKTOP, "zh_CN", "to-accept"),
    ("analyst", DESKTOP, "zh_CN", "state-closed"),
]


@pytest.mark.parametrize("username, viewport, language, key", ROLE_LINKS,
                         ids=[f"{u}-{WIDTH[id(v)]}-{lang}" for u, v, lang, _k in ROLE_LINKS])
def test_each_role_opens_its_home_and_follows_a_link(browser, base_url, screenshot, username, viewport, language,
                                                     key):
    context, page, watch = open_as(browser, base_url, username, language=language, viewport=viewport)
    try:
        shot(screenshot, page, username, "home", viewport, language)
        check_page(page, watch, language=language)
        if username == "analyst":
            assert page.locator('main a[href="/analysis"]').count() == 1
        url, expected = figure(page, key)
        follow(page, key)
        assert page.url.endswith(url)
        rows = case_rows(page) if url.startswith("/desk") else page.locator(
            "[data-testid=applications] tbody tr[data-application]").count()
        assert rows == expected
        shot(screenshot, page, username, "followed", viewport, language)
        check_page(page, watch, language=language)
    finally:
        context.close()
