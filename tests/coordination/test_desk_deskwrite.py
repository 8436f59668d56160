"""Issue 15 (lane deskwrite, sprint 14): the queue page read again after a filing keeps its bulk assignment's choices
(the liaisons of the caller's region and their regions' names read no case): they are rendered once per region and
language, and the markup is the old template loop's, byte for byte."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)

from chainkeeper.coordination import pages
from chainkeeper.web.json_api import KEPT_ANSWERS
from chainkeeper.web.pages import scoped_cache
from chainkeeper.web.pages.rendering import environment

OLD_LOOP = ('{% for person in liaisons %}<option value="{{ person.id }}" translate="no">{{ person.display_name }} · '
            '{{ liaison_regions.get(person.region_code, person.region_code) }}</option>{% endfor %}')
"""The options as desk/queue.html wrote them before (the oracle)."""


@pytest.fixture(autouse=True)
def _no_expiry(monkeypatch):
    """Kept views do not expire during a test (a slow machine passes their 10 s): only a write ends them."""
    monkeypatch.setattr(scoped_cache, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    KEPT_ANSWERS.clear()


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_kept_options_are_the_old_loops_bytes(language):
    liaisons = [SimpleNamespace(id=7, display_name="苏州 <联络员> & Co", region_code="3205"),
                SimpleNamespace(id=12, display_name='O"Brien', region_code="320583"),
                SimpleNamespace(id=3, display_name="无地区", region_code=None)]
    names = {"3205": "苏州市", "320583": "昆山市 & <b>"}
    old = environment(language).from_string(OLD_LOOP).render(liaisons=liaisons, liaison_regions=names)
    assert str(pages.kept_options(language, liaisons, names)) == old
    assert str(pages.kept_options(language, [], {})) == ""


def test_a_filing_re_renders_the_queue_but_not_its_liaison_choices(desk, monkeypatch):
    suzhou, oem = client_for(desk, "suzhou"), client_for(desk, "oem")  # signed in first: a sign-in is a write
    first = suzhou.get("/desk").text
    assert 'name="liaison_id"' in first and "<option value=" in first
    rendered = []
    original = pages.kept_options
    monkeypatch.setattr(pages, "kept_options", lambda *args: rendered.append(args) or original(*args))
    case = file(desk, oem)  # the OEM's case on a Kunshan firm: Suzhou sees it, its queue page ends
    again = suzhou.get("/desk").text
    assert case["ledger_no"] in again and case["ledger_no"] not in first
    assert rendered == [], "the liaisons' choices read no case: a filing must leave them kept"
    start, end = 'name="liaison_id" required>', "</select>"
    assert again.split(start)[1].split(end)[0] == first.split(start)[1].split(end)[0]
