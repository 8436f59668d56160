"""What every browser journey checks on every page it visits.

A journey is one role doing its daily job from login to done. :func:`open_as` gives a browser page for a user (or
for nobody: a checkpoint officer), in a language and at a width; the page records every console error, uncaught
script error and 4xx/5xx response. :func:`check_page` then fails on:

- a console or script error, or a 4xx/5xx response (``allowed_statuses`` names the ones the journey provokes);
- an untranslated string: on a Chinese page any English source string of the catalog (``messages.po``) that is shown
  as it is, or an English phrase of three or more words; on an English page any Chinese translation of the catalog;
- an element outside the viewport: the page scrolls sideways, or a visible link, button or field sticks out of the
  screen (outside a scrolling container) or lies under something else at its centre (a menu drawn under the page);
- a serious or critical accessibility violation found by axe-core (WCAG 2.1 A and AA rules), vendored in ``vendor/``.

Screenshots of a journey's key pages go to ``docs/screenshots/`` with ``CHAINKEEPER_SCREENSHOTS=1`` (see the
``screenshot`` fixture in ``conftest.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from chainkeeper.auth.demo import demo_password

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CATALOG = Path(__file__).parents[2] / "src" / "chainkeeper" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+){2,}\b")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Visible text of the page without what is data rather than interface: form values, code, and anything marked
# translate="no" (enterprise names, USCCs, free text typed by users).
_VISIBLE_TEXT_JS = """() => {
  const skip = el => el.closest('script,style,code,kbd,pre,textarea,[translate=no],[data-user-text]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip(el) || !node.textContent.trim()) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    parts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],input[type=submit]')) {
    if (skip(el)) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'value']) {
      if (name === 'value' && el.type !== 'submit') continue;
      const value = el.getAttribute(name);
      if (value && value.trim()) parts.push(value.trim());
    }
  }
  return parts;
}"""

_OFF_SCREEN_JS = """() => {
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  const scrolls = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const describe = el => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || '').trim().slice(0, 40)}"`;
  for (const el of document.querySelectorAll('a[href],button,input:not([type=hidden]),select,textarea')) {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (el.closest('[aria-hidden=true],.sr-only,.skip-link')) continue;
    if (!scrolls(el) && (box.left < -1 || box.right > width + 1))
      problems.push(`${describe(el)} sticks out of the screen (${Math.round(box.left)}..${Math.round(box.right)}px)`);
    const x = Math.min(Math.max(box.left + box.width / 2, 0), width - 1), y = box.top + box.height / 2;
    if (y < 0 || y >= height || scrolls(el)) continue;
    const top = document.elementFromPoint(x, y);
    if (top && top !== el && !el.contains(top) && !top.contains(el) && !(el.labels && [...el.labels].some(l => l.contains(top))))
      problems.push(`${describe(el)} lies under ${top.tagName.toLowerCase()}.${top.className || ''}`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.overflowX !== 'visible' || el.clientWidth === 0 || scrolls(el)) continue;
    if (el.closest('svg,canvas,[aria-hidden=true],.sr-only,.skip-link')) continue;
    if (el.scrollWidth > el.clientWidth + 2 && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
      problems.push(`the text of ${describe(el)} overflows its box (${el.scrollWidth}px in ${el.clientWidth}px)`);
  }
  return problems;
}"""


@dataclass
class Watch:
    """What went wrong on a page while the journey used it."""

    console_errors: list[str] = field(default_factory=list)
    bad_responses: list[tuple[int, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _catalog() -> tuple[frozenset[str], frozenset[str]]:
    """(English source strings, their Chinese translations) worth looking for: two words or more, no placeholders."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    english, chinese = set(), set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or "{" in message.id or "%" in message.id:
            continue
        if len(message.id.split()) >= 2 and message.string != message.id:
            english.add(message.id)
        if message.string and len(message.string) >= 4 and CJK.search(message.string) and "{" not in message.string:
            chinese.add(message.string)
    return frozenset(english), frozenset(chinese)


def open_as(browser, base_url: str, username: str | None, *, language: str = "zh_CN", viewport=DESKTOP,
            next_path: str = "/"):
    """A signed-in page (or an anonymous one for ``username=None``) in ``language`` at ``viewport``.

    Returns ``(context, page, watch)``; close the context when done.
    """
    context = browser.new_context(base_url=base_url, viewport=viewport, bypass_csp=True,
                                  locale="zh-CN" if language == "zh_CN" else "en-US",
                                  is_mobile=viewport["width"] < 600, has_touch=viewport["width"] < 600)
    context.add_cookies([{"name": "ck_lang", "value": language, "url": base_url}])
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch()
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and watch.bad_responses.append((r.status, r.url)))
    if username is not None:
        page.goto(f"/login?next={next_path}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", demo_password(username))
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(lambda url: "/login" not in url)
    else:
        page.goto(next_path)
    return context, page, watch


def untranslated(texts: list[str], language: str) -> list[str]:
    """The interface strings in ``texts`` that are not in ``language``."""
    english, chinese = _catalog()
    found = []
    for text in texts:
        if language == "zh_CN":
            if text in english or (ENGLISH_PHRASE.search(text) and not CJK.search(text)):
                found.append(text)
        elif text in chinese:
            found.append(text)
    return found


def accessibility_violations(page) -> list[str]:
    """Serious and critical axe-core violations (WCAG 2.1 A/AA) on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
      const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                         resultTypes: ['violations']});
      return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
    }""")
    return list(result)


def check_page(page, watch: Watch, *, language: str = "zh_CN", allowed_statuses: tuple[int, ...] = (),
               axe: bool = True) -> None:
    """Fail with every problem of the page as it is now (see the module docstring)."""
    page.wait_for_load_state("networkidle")
    problems = [f"console: {text}" for text in watch.console_errors]
    problems += [f"HTTP {status}: {url}" for status, url in watch.bad_responses if status not in allowed_statuses]
    problems += [f"untranslated: {text!r}" for text in untranslated(page.evaluate(_VISIBLE_TEXT_JS), language)]
    problems += page.evaluate(_OFF_SCREEN_JS)
    if axe:
        problems += [f"a11y: {v}" for v in accessibility_violations(page)]
    watch.console_errors.clear()
    watch.bad_responses.clear()
    assert not problems, f"{page.url} ({language}, {page.viewport_size['width']}px):\n  " + "\n  ".join(problems)
