"""What the sprint 12 walk left (lane walk13), kept as journeys in Chromium on the demo.

- the role tag and the queue's tags read lower case in English ("enterprise user", "overdue"); the queue gave
  due times to the second;
- the ladder's tiers squeezed four columns into 390 px (a word a line): one labelled card per tier now;
- the board read "Lead time: 1 days" and placed a Shanghai district under 市辖区 (the table's placeholder).
"""

from __future__ import annotations

import re

from browser.journey import PHONE, check_page, open_as

TIERS_JS = """() => {
  const wrap = document.querySelector('[data-testid=tiers]').parentElement;
  const cells = [...document.querySelectorAll('[data-testid=tiers] tbody tr:first-child td[data-label]')];
  return {sideways: wrap.scrollWidth - wrap.clientWidth,
          labels: cells.map(td => getComputedStyle(td, '::before').content)};
}"""


def test_an_sme_reads_the_ladder_and_the_board_on_a_phone_in_english(browser, base_url, screenshot):
    context, page, watch = open_as(browser, base_url, "ladder_sme", language="en", viewport=PHONE,
                                   next_path="/sme/ladder")
    check_page(page, watch, language="en")
    assert page.locator("header .tag").first.inner_text() == "Enterprise user"
    tiers = page.evaluate(TIERS_JS)
    assert tiers["sideways"] <= 1 and tiers["labels"] == ['"Tier: "', '"Recognised by: "', '"What it takes: "'], tiers
    screenshot(page, "ladder-tiers-cards-390-en")
    page.goto("/docking/board")
    check_page(page, watch, language="en")
    board = page.locator("main").inner_text()
    assert re.search(r"Lead time: 1 day(?!s)", board), board
    assert "1 days" not in board and "市辖区" not in board
    context.close()


def test_the_queue_gives_capitalised_tags_and_due_times_in_minutes(browser, base_url):
    context, page, watch = open_as(browser, base_url, "suzhou", language="en", viewport=PHONE, next_path="/desk")
    check_page(page, watch, language="en")
    tags = page.locator("[data-testid=case-table] .tag").all_inner_texts()
    assert all(tag[:1].isupper() for tag in tags), tags
    dues = page.locator("[data-testid=case-table] td[data-label=Due]").all_inner_texts()
    assert dues and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d|—", due) for due in dues), dues
    context.close()
