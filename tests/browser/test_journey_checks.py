"""The journey checks themselves: each one fails on a page built to break it, and passes on a clean page."""

from __future__ import annotations

import pytest

from browser.journey import DESKTOP, PHONE, Watch, check_page

CLEAN = """<!doctype html><html lang="zh-CN"><head><title>核验</title></head><body><main>
<h1>证书核验</h1><p>请扫描二维码。</p><a href="#x">返回首页</a></main></body></html>"""


@pytest.fixture
def blank(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _problems(page, html: str, language: str = "zh_CN", **options) -> str:
    page.set_content(html)
    try:
        check_page(page, Watch(), language=language, **options)
    except AssertionError as failure:
        return str(failure)
    return ""


def test_a_clean_page_passes(blank):
    assert _problems(blank, CLEAN) == ""


@pytest.mark.parametrize("html, expected", [
    (CLEAN.replace("请扫描二维码。", "invalid literal for int() with base 10"), "untranslated"),
    (CLEAN.replace("请扫描二维码。", '<div style="width:900px">宽</div>'), "scrolls sideways"),
    (CLEAN.replace("<main>", '<nav style="position:fixed;top:0"><a href="#m">菜单</a></nav>'
                              '<main style="position:relative;z-index:2;background:#fff;padding-top:1px">'),
     "lies under"),
    (CLEAN.replace("请扫描二维码。", '<div style="width:60px;white-space:nowrap">核验结果有效直到二零二三年</div>'),
     "overflows its box"),
    (CLEAN.replace('<a href="#x">返回首页</a>', '<img src="x.png">'), "a11y: image-alt"),
])
def test_each_check_fails_on_a_page_built_to_break_it(blank, html, expected):
    assert expected in _problems(blank, html)


def test_an_english_page_with_a_chinese_interface_string_fails(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    assert "untranslated" in _problems(page, CLEAN.replace("请扫描二维码。", "修改密码"), language="en")
    context.close()
