"""Daily scheduling in a real browser (issue 12): an enterprise reports on its phone, a province reads its picture
and drills into the enterprises behind the resumption rate, and a reported problem becomes a desk case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

FIRST, LAST = date(2022, 4, 11), date(2022, 4, 24)


def test_an_enterprise_reports_its_day_on_a_phone(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "oem", language="zh_CN", viewport=PHONE,
                                   next_path="/reports/daily_scheduling/fill")
    try:
        check_page(page, watch, language="zh_CN")
        for key, value in {"output_units": "120", "output_value": "1800", "capacity_utilisation": "85",
                           "staff_on_site": "3800", "staff_normal": "4200"}.items():
            page.fill(f"[name='f.{key}']", value)
        page.select_option("[name='f.logistics']", "constrained")
        page.fill("[name='f.problem']", "昆山线束供应商员工无法返岗，线束库存仅剩两天")
        page.click("[data-table='inventory'] button.rp-add")
        page.fill("[name='t.inventory.0.input_industry']", "3670")
        page.fill("[name='t.inventory.0.part']", "线束")
        page.fill("[name='t.inventory.0.days']", "2")
        if page.locator("#reason").count():  # today's report exists already (another journey filed it): a correction
            page.fill("#reason", "补充当日问题与线束库存")
        screenshot(page, "enterprise-daily-report-390-zh")
        page.click("button.rp-submit")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language="zh_CN")
        assert "/reports/daily_scheduling/fill" not in page.url or page.locator(".rp-error").count() == 0
        text = page.locator("main, body").first.inner_text()
        assert "昆山线束供应商员工无法返岗" in text and "3670" in text
    finally:
        context.close()


def _problem_day(page) -> tuple[date, int]:
    """A demo day on which an enterprise the caller sees reported a problem (read through the API)."""
    day = LAST
    while day >= FIRST:
        found = page.request.get(f"/api/v1/monitoring/picture?day={day.isoformat()}").json()
        with_problem = [row for row in found["enterprises"] if row["problem"]]
        if with_problem:
            return day, with_problem[0]["report_id"]
        day -= timedelta(days=1)
    raise AssertionError("no problem reported in the demo fortnight")


def test_a_province_reads_its_picture_and_makes_a_problem_a_case(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "shanghai", language="en", viewport=DESKTOP,
                                   next_path="/monitoring/picture")
    try:
        check_page(page, watch, language="en")
        day, report_id = _problem_day(page)
        page.goto(f"/monitoring/picture?day={day.isoformat()}")
        page.wait_for_selector("#index-chart canvas, #index-chart svg")
        check_page(page, watch, language="en")
        regions = page.locator("[data-testid=picture-regions] tbody tr[data-region]")
        assert regions.count() >= 1 and all(code.startswith("31") for code in
                                           regions.evaluate_all("rows => rows.map(r => r.dataset.region)"))
        screenshot(page, "province-picture-1440-en")
        page.click("a[data-figure=resumption]")
        page.wait_for_url("**/monitoring/picture/enterprises?**figure=resumption**")
        check_page(page, watch, language="en")
        rows = page.locator("[data-testid=behind] tbody tr[data-enterprise]")
        assert rows.count() >= 1
        screenshot(page, "province-resumption-enterprises-1440-en")
        page.click("text=Back to the picture")
        page.click(f"[data-testid=picture-problems] a[href='/monitoring/scheduling/reports/{report_id}']")
        check_page(page, watch, language="en")
        screenshot(page, "province-daily-report-1440-en")
        page.click("[data-testid=open-case]")
        page.wait_for_url("**/desk/cases/**")
        check_page(page, watch, language="en")
        assert f"/monitoring/scheduling/reports/{report_id}" in page.content()
        page.goto(f"/monitoring/scheduling/reports/{report_id}")
        assert page.locator("[data-testid=report-case] a").get_attribute("href").startswith("/desk/cases/")
    finally:
        context.close()


def test_the_ministry_reads_the_picture_on_a_phone_in_chinese(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "ministry", language="zh_CN", viewport=PHONE,
                                   next_path="/monitoring/picture")
    try:
        page.wait_for_selector("#region-chart canvas, #region-chart svg")
        check_page(page, watch, language="zh_CN")
        screenshot(page, "ministry-picture-390-zh")
        page.click("[data-testid=picture-groups] tbody a >> nth=0")
        page.wait_for_url("**group=**")
        check_page(page, watch, language="zh_CN")
        page.click("a[data-figure=reported]")
        check_page(page, watch, language="zh_CN")
        screenshot(page, "ministry-reports-missing-390-zh")
    finally:
        context.close()
