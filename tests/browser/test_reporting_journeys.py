"""Journeys of the reporting framework (issue 12): the Changchun OEM's user fills today's daily-scheduling report
on a phone in Chinese (a wrong value first: the field is named; a second inventory row added), sees its badge and
history; Jilin's provincial authority reads today's status at 1440 px in English. The report type and the
assignment come from the demo (lane B's ``daily_scheduling``)."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

TYPE = "daily_scheduling"


def test_an_enterprise_reports_on_a_phone_and_the_province_sees_it(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "oem", language="zh_CN", viewport=PHONE,
                                   next_path="/reports")
    try:
        item = page.locator(f"[data-type={TYPE}]")
        assert "未到截止" in item.inner_text() or "未报" in item.inner_text()
        check_page(page, watch, language="zh_CN")
        item.get_by_role("link", name="填报今日报表").click()
        form = page.locator("[data-testid=report-form]")
        form.locator("[name='f.output_units']").fill("1200")
        form.locator("[name='f.output_value']").fill("35000")
        form.locator("[name='f.capacity_utilisation']").fill("180")  # more than 150: refused, named
        form.locator("[name='f.staff_on_site']").fill("2100")
        form.locator("[name='f.staff_normal']").fill("2600")
        form.locator("[name='f.logistics']").select_option("constrained")
        form.locator("[name='t.inventory.0.input_industry']").fill("3670")
        form.locator("[name='t.inventory.0.days']").fill("4")
        form.get_by_role("button", name="添加一行").click()
        form = page.locator("[data-testid=report-form]")
        form.locator("[name='t.inventory.1.input_industry']").fill("3973")
        form.locator("[name='t.inventory.1.part']").fill("车规级芯片")
        form.locator("[name='t.inventory.1.days']").fill("2.5")
        form.locator("[name='f.problem']").fill("芯片供应紧张")
        form.get_by_role("button", name="提交报表").click()
        error = page.locator("#f-capacity_utilisation-error")
        assert error.inner_text() == "不能大于 150"
        screenshot(page, "enterprise-report-error-390-zh")
        watch.console_errors[:] = [e for e in watch.console_errors if "422" not in e]  # the refused form's answer
        check_page(page, watch, language="zh_CN", allowed_statuses=(422,))
        page.locator("[name='f.capacity_utilisation']").fill("82")
        page.get_by_role("button", name="提交报表").click()
        page.wait_for_url("**/reports/entry/**")
        assert page.locator(".rp-badge").first.inner_text() in ("按时", "迟报")  # after the 17:00 cut-off: late
        assert "车规级芯片" in page.inner_text("main")
        screenshot(page, "enterprise-report-390-zh")
        check_page(page, watch, language="zh_CN")
    finally:
        context.close()
    context, page, watch = open_as(browser, base_url, "jilin", language="en", viewport=DESKTOP,
                                   next_path=f"/reports/{TYPE}/status")
    try:
        table = page.locator("[data-testid=status-table]")
        on_time_or_late = table.locator("tr.rp-state-on-time, tr.rp-state-late")
        assert on_time_or_late.count() >= 1  # the OEM's report of today
        assert page.get_by_role("button", name="Remind now those who have not reported").count() == 1
        screenshot(page, "authority-status-1440-en")
        check_page(page, watch, language="en")
    finally:
        context.close()
