"""The analyst's workspace in a real browser: an analyst builds and runs a scenario, reads it, compares it with the
demo's April 2022 run and exports it; a Jiangsu authority runs its own scenario and sees other provinces as totals."""

from __future__ import annotations

import io
import os
import re

import pytest
from openpyxl import load_workbook

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a test dependency
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

APRIL_2022 = "上海 2022年4月"


def _signed_in(browser, base_url, username, **options):
    """``open_as`` (kept as a name of this module's journeys)."""
    return open_as(browser, base_url, username, **options)


def _run_scenario(page, *, province: str | None, cut: str, duration: str, horizon: str, title: str) -> str:
    """Fill the form, start the job, follow its progress bar until the result is shown; the run's path."""
    form = page.locator("[data-testid=scenario-form]")
    form.locator("input[name=title]").fill(title)
    if province:
        form.locator("#rp-region_1").locator("xpath=ancestor::div[@data-region-picker]") \
            .locator("select[data-level='1']").select_option(label=province)
    form.locator("input[name=cut]").fill(cut)
    form.locator("input[name=duration]").fill(duration)
    form.locator("input[name=horizon]").fill(horizon)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/analysis/runs/\d+$"))
    expect(page.locator("#run-chart canvas")).to_be_visible(timeout=60_000)  # the job ended and the page reloaded
    return re.sub(r"^https?://[^/]+", "", page.url)


def _result(page, path: str) -> dict:
    return page.request.get(f"/api/v1/analysis{path.removeprefix('/analysis')}/result").json()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_analyst_runs_compares_and_exports(browser, base_url, screenshot, language):
    context, page, watch = _signed_in(browser, base_url, "analyst", language=language, next_path="/analysis")
    check_page(page, watch, language=language)
    screenshot(page, f"analyst-analysis-1440-{language}")
    expect(page.locator("[data-testid=run-list]")).to_contain_text(APRIL_2022)
    path = _run_scenario(page, province="江苏省", cut="100", duration="20", horizon="30",
                         title=f"江苏停产 20 天 {language}")
    check_page(page, watch, language=language)
    expect(page.locator("[data-testid=run-summary]")).to_be_visible()
    expect(page.locator("#run-chart")).to_have_attribute("aria-label", re.compile("90"))
    page.locator("[data-testid=chart-table] summary").click()
    expect(page.locator("[data-testid=chart-table] tbody tr")).to_have_count(30)
    hits = page.locator("[data-testid=hit-table] tbody tr")
    assert hits.count() > 0 and "—" not in hits.first.locator("td").nth(0).inner_text()
    screenshot(page, f"analyst-result-1440-{language}")

    with page.expect_download() as download:
        page.locator("[data-testid=export-xlsx]").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    firms = list(book.worksheets[0].iter_rows(values_only=True))
    names = {row[1] for row in firms[1:]}
    assert names and all(isinstance(row[7], (int, float)) and row[7] == round(row[7], 1) for row in firms[1:])
    assert names == {hit["name"] for hit in _result(page, path)["enterprises"]}

    compare = page.locator("[data-testid=compare-form]")
    april = compare.locator("select[name=b] option", has_text=APRIL_2022).first.get_attribute("value")
    compare.locator("select[name=b]").select_option(april)
    compare.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/analysis/compare\?"))
    expect(page.locator("#compare-chart canvas")).to_be_visible()
    expect(page.locator("[data-testid=compare-regions]")).to_contain_text("上海市")
    check_page(page, watch, language=language)
    screenshot(page, f"analyst-compare-1440-{language}")

    page.goto("/analysis/esri?chain=auto&region=31")
    expect(page.locator("[data-testid=esri-table] tbody tr").first).to_be_visible()
    check_page(page, watch, language=language)
    screenshot(page, f"analyst-esri-1440-{language}")
    context.close()


def test_the_result_page_on_a_phone(browser, base_url, screenshot):
    context, page, watch = _signed_in(browser, base_url, "analyst", viewport=PHONE, next_path="/analysis")
    page.locator("[data-testid=run-list] a", has_text=APRIL_2022).click()
    expect(page.locator("#run-chart canvas")).to_be_visible()
    screenshot(page, "analyst-result-390-zh_CN")
    check_page(page, watch)
    context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_jiangsu_sees_other_provinces_only_as_totals(browser, base_url, screenshot, language):
    context, page, watch = _signed_in(browser, base_url, "jiangsu", language=language, viewport=DESKTOP,
                                   next_path="/analysis")
    check_page(page, watch, language=language)
    path = _run_scenario(page, province=None, cut="100", duration="10", horizon="20",
                         title=f"江苏自查 {language}")  # the picker starts on the user's own province
    check_page(page, watch, language=language)
    result = _result(page, path)
    assert result["enterprises"] and all(hit["uscc"][2:4] == "32" for hit in result["enterprises"])
    for link in page.locator("[data-testid=hit-table] a").all():
        assert link.get_attribute("href")[len("/enterprises/") + 2:][:2] == "32"
    screenshot(page, f"jiangsu-result-1440-{language}")

    page.goto("/analysis")
    page.locator("[data-testid=run-list] a", has_text=APRIL_2022).click()  # the demo's national run
    expect(page.locator("[data-testid=outside-table]")).to_contain_text("上海市")
    for link in page.locator("[data-testid=hit-table] a").all():
        assert link.get_attribute("href")[len("/enterprises/") + 2:][:2] == "32"
    check_page(page, watch, language=language)
    screenshot(page, f"jiangsu-april2022-1440-{language}")
    context.close()
