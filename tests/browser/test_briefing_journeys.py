"""Journeys of the monthly briefing: the ministry opens the archive from the menu, reads the national April 2022
briefing in English at 1440 px and downloads its PDF; Shanghai's authority opens its own briefing from its home
page on a phone, in Chinese. Every page passes :func:`check_page`."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402


def test_the_ministry_reads_the_april_briefing_and_downloads_the_pdf(browser, base_url, screenshot, tmp_path):
    context, page, watch = open_as(browser, base_url, "ministry", language="en", viewport=DESKTOP)
    try:
        page.locator('nav a[href="/monitoring/briefings"]').first.click()
        page.wait_for_url("**/monitoring/briefings")
        check_page(page, watch, language="en")
        screenshot(page, "ministry-briefings-1440-en")
        page.locator('tr[data-briefing="2022-04-00-1"] a').first.click()
        page.wait_for_load_state("networkidle")
        assert "Monthly briefing 2022-04: National" in page.locator("[data-testid=briefing-title]").inner_text()
        figures = page.locator("[data-testid=indicators-figures]").inner_text()
        assert "-2.9 %" in figures  # April 2022: industrial value added −2.9% year on year
        desk = page.locator("[data-testid=desk-figures] li").all_inner_texts()  # the story's solved case, in April
        assert "Cases resolved" in desk[1] and desk[1].split()[0] == "1", desk
        assert page.locator("#indicators-iva_year canvas, #indicators-iva_year svg").count() == 1  # drawn
        check_page(page, watch, language="en")
        screenshot(page, "ministry-briefing-1440-en")
        with page.expect_download() as download:
            page.locator("[data-testid=download-pdf]").click()
        path = tmp_path / "briefing.pdf"
        download.value.save_as(path)
        assert path.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            assert "Monthly briefing 2022-04" in text and "Blocking points at the desk" in text
    finally:
        context.close()


def test_a_province_reads_its_own_briefing_on_a_phone(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "shanghai", language="zh_CN", viewport=PHONE)
    try:
        live = page.locator("[data-testid=home-live]")
        assert live.is_visible()
        screenshot(page, "shanghai-home-390-zh")
        live.locator('a[data-live="briefing-latest"]').click()
        page.wait_for_load_state("networkidle")
        assert "上海市2022-04月度通报" in page.locator("[data-testid=briefing-title]").inner_text()
        check_page(page, watch, language="zh_CN")
        screenshot(page, "shanghai-briefing-390-zh")
        page.context.add_cookies([{"name": "ck_lang", "value": "en", "url": base_url}])
        page.reload()  # in English the key-groups figures did not fit in one row: the page scrolled sideways (walk)
        check_page(page, watch, language="en", axe=False)
        page.context.add_cookies([{"name": "ck_lang", "value": "zh_CN", "url": base_url}])
        page.goto("/monitoring/briefings")
        rows = page.locator("[data-testid=briefings] tbody tr[data-briefing]")
        assert rows.count() >= 1 and all(
            rows.nth(i).get_attribute("data-briefing").split("-")[2] == "31" for i in range(rows.count()))
        check_page(page, watch, language="zh_CN")
        screenshot(page, "shanghai-briefings-390-zh")
    finally:
        context.close()
