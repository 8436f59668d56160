"""Journeys of the monthly indicators (issue 12): Shanghai's provincial authority reads the indicators page — its own
April collapse, then the national series with the ranking — in English at 1440 px and in Chinese on a phone; the
ministry uploads a bureau-shaped GBK export in Chinese (a bad file first: every problem named, nothing written).
The ministry's file holds the shipped national figures, so the shared demo server's data are unchanged."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

from chainkeeper.monitoring.indicators.demo import published_2022  # noqa: E402

PAGE = "/monitoring/indicators"


def nbs_export(months: list[str], label: str, values: list[str]) -> bytes:
    """A data.stats.gov.cn CSV export: GBK, metadata lines, the table, the footer."""
    lines = ["数据库：月度数据", "时间：2022年", ",".join(["指标", *months]), ",".join([label, *values]),
             "注：1月数据与2月合并发布。", "数据来源：国家统计局"]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def choose(page, **values) -> None:
    form = page.locator("[data-testid=indicator-choosers]")
    for name, value in values.items():
        form.locator(f"select[name={name}]").select_option(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language, viewport", [("en", DESKTOP), ("zh_CN", PHONE)])
def test_a_province_reads_the_indicators_page(browser, base_url, screenshot, language, viewport):
    context, page, watch = open_as(browser, base_url, "shanghai", language=language, viewport=viewport,
                                   next_path=PAGE)
    width, lang = viewport["width"], "en" if language == "en" else "zh"
    try:
        assert page.locator("select[name=region]").first.input_value() == "31"  # its own region first
        choose(page, indicator="gio_yoy")
        assert "-61.5" in page.locator("[data-testid=series-table]").inner_text()
        assert "上海市" in page.locator("[data-testid=indicator-ranking]").inner_text()
        check_page(page, watch, language=language)
        choose(page, indicator="iva_yoy", region="00", period="2022-04")
        rows = page.locator("[data-testid=series-table] tbody tr")
        assert rows.count() == 10  # Jan–Feb … November, as shipped
        first_month = "2022 Jan–Feb" if language == "en" else "2022年1—2月"
        assert rows.last.locator("th").inner_text() == first_month
        assert page.locator("#indicator-chart canvas, #indicator-chart svg").count() == 1  # the chart is drawn
        assert "安徽省" in page.locator("[data-testid=indicator-ranking]").inner_text()
        assert page.locator("[data-testid=indicator-import]").count() == 1  # a province may import its own
        screenshot(page, f"province-indicators-{width}-{lang}")
        check_page(page, watch, language=language)
    finally:
        context.close()


def test_the_ministry_imports_a_bureau_export(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "ministry", language="zh_CN", viewport=DESKTOP,
                                   next_path=PAGE)
    try:
        form = page.locator("[data-testid=import-form]")
        form.locator("select[name=indicator]").select_option("iva_yoy")
        form.locator("select[name=region]").select_option("00")
        bad = nbs_export(["2022年4月", "2022年13月"], "规模以上工业增加值同比增长(%)", ["-2.9", "1"])
        form.locator("input[name=file]").set_input_files(files=[{"name": "A0101.csv", "mimeType": "text/csv",
                                                                 "buffer": bad}])
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        issues = page.locator("[data-testid=import-result] [data-testid=issues]")
        assert "2022年13月" in issues.inner_text() and "不是有效的月份" in issues.inner_text()
        # the refusal answers 422 on purpose; Chromium logs every 4xx page load as a console error
        watch.console_errors[:] = [text for text in watch.console_errors if "status of 422" not in text]
        check_page(page, watch, language="zh_CN", allowed_statuses=(422,))
        shipped = {o.period: o.value for o in published_2022()["iva_yoy"] if o.region_code == "00"}
        months = [f"2022-{m:02d}" for m in range(1, 12)]
        good = nbs_export([f"2022年{int(m[5:])}月" for m in months], "规模以上工业增加值同比增长(%)",
                          [str(shipped.get(m, "")) for m in months])
        form = page.locator("[data-testid=import-form]")
        form.locator("select[name=indicator]").select_option("iva_yoy")
        form.locator("select[name=region]").select_option("00")
        form.locator("input[name=file]").set_input_files(files=[{"name": "A0101.csv", "mimeType": "text/csv",
                                                                 "buffer": good}])
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        result = page.locator("[data-testid=import-result]").inner_text()
        assert "已导入 10 个数据" in result and "替换 10 个" in result
        screenshot(page, "ministry-indicators-import-1440-zh")
        check_page(page, watch, language="zh_CN")
    finally:
        context.close()


def test_jiangsu_opens_the_indicators_on_its_own_figures(browser, base_url, screenshot):
    """Jiangsu's first view is an indicator with Jiangsu's figures (its Q1 2022 value added, +6.4%), not the empty
    monthly series: a region opens on the first indicator it has figures of."""
    context, page, watch = open_as(browser, base_url, "jiangsu", language="zh_CN", viewport=DESKTOP, next_path=PAGE)
    try:
        assert page.locator("select[name=region]").first.input_value() == "32"
        assert page.locator("select[name=indicator]").first.input_value() == "iva_cum_yoy"
        assert "6.4" in page.locator("[data-testid=series-table]").inner_text()
        screenshot(page, "jiangsu-indicators-1440-zh")
        check_page(page, watch)
    finally:
        context.close()
