"""专精特新 ladder journeys (issue 14), in Chromium on the demo: an SME self-assesses and applies on a phone; the
county → city → province review of a Kunshan application. Every page passes check_page at 1440 and 390 px, in
zh_CN and en where text matters.

The demo (sme/ladder/demo.py): ``ladder_sme`` is 昆山示例精密机械 (an innovative SME, no application yet); 昆山示例电子材料
has a 专精特新 application waiting at the Kunshan county review.
"""

from __future__ import annotations

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

SIZES = {"1440": DESKTOP, "390": PHONE}
FIGURES = {"employees": "180", "assets_wan": "9000", "revenue_wan": "8000", "rd_expense_wan": "400",
           "main_share_pct": "85", "main_growth_2y_pct": "9", "years_in_niche": "7", "net_margin_pct": "7",
           "debt_ratio_pct": "45", "local_points": "10", "rd_staff_pct": "15"}
CHOICES = {"product_field": "six_bases", "digital_level": "2", "ip_class": "own_i", "rd_institution": "provincial"}


def _fill(page) -> None:
    form = page.locator("[data-testid=assess-form]")
    for name, value in FIGURES.items():
        form.locator(f"input[name={name}]").fill(value)
    for name, value in CHOICES.items():
        form.locator(f"select[name={name}]").select_option(value)
    for code in ("q_iso9001", "q_brand"):
        form.locator(f"input[name=achievements][value={code}]").check()
    form.locator("button[type=submit]").click()


def apply_or_open(page) -> None:
    """Apply from the assessment, or (when another journey on this server applied first) open the application under
    review that the page links instead of the form."""
    if page.locator("[data-testid=pending-application]").count():
        page.locator("[data-testid=pending-application] a").click()
    else:
        page.locator("[data-testid=apply-form] button").click()


def test_an_sme_self_assesses_and_applies_on_a_phone(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "ladder_sme", viewport=PHONE, next_path="/sme/ladder")
    expect(page.locator("[data-testid=my-recognitions]")).to_contain_text("创新型中小企业")
    check_page(page, watch)
    screenshot(page, "sme-ladder-390-zh")
    page.locator("[data-testid=assess-specialized]").click()
    _fill(page)
    expect(page.locator("[data-testid=score]")).to_have_text("75.0")
    expect(page.locator("[data-testid=verdict]")).to_contain_text("已达标")
    expect(page.locator("[data-testid=group-innovation] tr[data-line=s_rd]")).to_contain_text("8.0 / 10")
    check_page(page, watch)
    screenshot(page, "sme-ladder-assess-390-zh")
    apply_or_open(page)
    expect(page.locator("[data-testid=state]")).to_have_text("待县（区）审核")
    check_page(page, watch)
    screenshot(page, "sme-ladder-application-390-zh")
    context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("width", ["1440", "390"])
def test_the_assessment_explained_in_both_languages(browser, base_url, screenshot, language, width):
    lang = "zh" if language == "zh_CN" else "en"
    context, page, watch = open_as(browser, base_url, "ladder_sme", language=language, viewport=SIZES[width],
                                   next_path="/sme/ladder/assess?tier=specialized")
    _fill(page)
    expect(page.locator("[data-testid=score]")).to_have_text("75.0")
    check_page(page, watch, language=language)
    screenshot(page, f"sme-ladder-assess-{width}-{lang}")
    context.close()


def _open_waiting(page, state: str, firm: str = "昆山示例电子材料有限公司") -> None:
    page.goto(f"/sme/ladder/applications?state={state}")
    page.locator("[data-testid=applications] tr", has_text=firm).locator("a").first.click()


def test_the_county_city_province_review(browser, base_url, screenshot):
    for who, state, step, after in (("kunshan", "submitted", "pass", "待市级审核"),
                                    ("suzhou", "county_passed", "pass", "待省级审核"),
                                    ("jiangsu", "city_passed", "recognise", "已认定")):
        context, page, watch = open_as(browser, base_url, who, next_path="/sme/ladder")
        check_page(page, watch)
        screenshot(page, f"{who}-ladder-1440-zh")
        _open_waiting(page, state)
        expect(page.locator("body")).to_contain_text("昆山示例电子材料有限公司")
        page.locator(f"[data-testid=step-{step}]").click()
        expect(page.locator("[data-testid=state]")).to_have_text(after)
        check_page(page, watch)
        context.close()
    context, page, watch = open_as(browser, base_url, "jiangsu", language="en", viewport=PHONE,
                                   next_path="/sme/ladder/recognitions?tier=specialized")
    expect(page.locator("[data-testid=recognitions]")).to_contain_text("昆山示例电子材料有限公司")
    check_page(page, watch, language="en")
    screenshot(page, "jiangsu-ladder-recognitions-390-en")
    page.goto("/sme/ladder")
    check_page(page, watch, language="en")
    screenshot(page, "jiangsu-ladder-390-en")
    context.close()
