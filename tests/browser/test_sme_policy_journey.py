"""SME policies in a real browser (issue 14): a Kunshan SME finds on its phone the policies it qualifies for, reads
why, sees what its near misses lack, completes its profile, and checks its size; the same pages at 1440 px in English.
"""

from __future__ import annotations

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402


def test_an_sme_finds_the_policies_it_qualifies_for_on_a_phone(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "policy_sme", language="zh_CN", viewport=PHONE,
                                   next_path="/sme/policies")
    try:
        check_page(page, watch, language="zh_CN")
        qualified = page.locator("[data-testid=qualified] li.card")
        assert qualified.count() == 6
        assert "政府采购促进中小企业发展管理办法" in page.locator("[data-testid=qualified]").inner_text()
        near = page.locator("[data-testid=near-misses]").inner_text()
        assert "高新技术企业研发奖励（示例）" in near and "需具备以下标签之一" in near
        screenshot(page, "enterprise-sme-policies-390-zh")
        page.fill("[data-testid=policy-search] input[name=q]", "研发奖励")
        page.click("[data-testid=policy-search] button")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language="zh_CN")
        assert "江苏省专精特新中小企业研发投入奖励（示例）" in page.locator("[data-testid=library]").inner_text()
        page.click("[data-testid=library] a:has-text('江苏省专精特新中小企业研发投入奖励')")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language="zh_CN")
        fares = page.locator("[data-testid=fares]").inner_text()
        assert "贵企业符合条件" in fares and "研发费用占营业收入 4.6%" in fares
        page.goto("/sme/policies/profile")
        check_page(page, watch, language="zh_CN")
        page.check("input[name=extra_labels][value=high_tech]")
        page.click("[data-testid=profile-form] button[type=submit]")
        page.wait_for_url("**/sme/policies")
        check_page(page, watch, language="zh_CN")
        assert "高新技术企业研发奖励（示例）" in page.locator("[data-testid=qualified]").inner_text()
        page.goto("/sme/size")
        check_page(page, watch, language="zh_CN")
        page.fill("[name=employees]", "120")
        page.fill("[name=revenue_wan]", "8600")
        page.click("[data-testid=size-form] button[type=submit]")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language="zh_CN")
        assert page.locator("[data-testid=size-class]").inner_text() == "小型"
        screenshot(page, "enterprise-sme-size-390-zh")
    finally:
        context.close()


def test_the_policy_pages_at_1440_in_english(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "jiangsu", language="en", viewport=DESKTOP,
                                   next_path="/sme/policies")
    try:
        check_page(page, watch, language="en")
        page.click("a[href='/sme/policies/new']")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language="en")
        page.fill("[data-testid=policy-form] [name=code]", "JS-BROWSER")
        page.fill("[data-testid=policy-form] [name=title]", "苏州专精特新示例政策")
        page.fill("[data-testid=policy-form] [name=issuer]", "苏州（示例）")
        page.fill("[data-testid=policy-form] [name=region_scope]", "3205")
        page.fill("[data-testid=policy-form] [name=valid_to]", "2027-02-30")
        page.click("[data-testid=policy-form] button[type=submit]")
        page.wait_for_load_state("networkidle")
        # the refusal answers 422 on purpose; Chromium logs every 4xx page load as a console error
        watch.console_errors[:] = [text for text in watch.console_errors if "status of 422" not in text]
        check_page(page, watch, language="en", allowed_statuses=(422,))
        assert "a date reads YYYY-MM-DD" in page.locator("#problem-valid_to").inner_text()
        screenshot(page, "province-policy-form-1440-en")
        page.fill("[data-testid=policy-form] [name=valid_to]", "2027-02-28")
        page.click("[data-testid=policy-form] button[type=submit]")
        page.wait_for_url("**/sme/policies/*")
        check_page(page, watch, language="en")
        assert "苏州专精特新示例政策" in page.locator("[data-testid=policy]").inner_text()
        page.goto("/sme/size?industry_code=E&revenue_wan=7000&assets_wan=6000")
        check_page(page, watch, language="en")
        assert page.locator("[data-testid=size-class]").inner_text() == "medium"
        screenshot(page, "province-sme-size-1440-en")
    finally:
        context.close()
