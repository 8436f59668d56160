"""One heading per page (sprint 10 walk): the top bar shows the page's title as its ``<h1>``; a page that wrote its own
``<h1>`` under it showed the title twice (the SME arrears complaints, docking, the matching board, the ladder, the
monitoring pages). A page whose heading says more than its title (a day, a state) fills the ``heading`` block."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).parents[3] / "src" / "chainkeeper" / "web" / "templates"
PAGES = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")
               if '{% extends "base.html" %}' in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PAGES)
def test_a_page_leaves_its_heading_to_the_top_bar(name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert "<h1" not in source, f"{name} writes a second <h1>; put it in {{% block heading %}} instead"


def test_the_heading_block_says_more_than_the_title_where_a_page_fills_it():
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)))
    env.globals["_"] = lambda text, **kw: text
    base = env.from_string('{% extends "base.html" %}{% block title %}Complaint 7{% endblock %}'
                           '{% block heading %}Complaint 7 · Accepted{% endblock %}')
    html = base.render(principal=None, language="en", language_names={}, request=_Request(), csrf_token="")
    assert html.count("<h1") == 1 and "Complaint 7 · Accepted</h1>" in html
    assert "<title>Complaint 7 · Chainkeeper</title>" in html


class _Request:
    class url:  # noqa: N801 - the shape of starlette's request.url the template reads
        path, query = "/", ""
