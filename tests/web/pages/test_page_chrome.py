"""The fixed part of every page (issue 15): the enterprise user's scope label costs one light statement, a read page
takes one trip to the thread pool, and the templates' remembered translations give exactly what jinja2's own gettext
gives."""

from __future__ import annotations

import pytest
from jinja2 import Environment
from web.pages.page_support import sign_in, statements_of

from chainkeeper.i18n import translations
from chainkeeper.web.pages.rendering import memo_gettext


def test_an_enterprise_user_page_reads_only_its_enterprise_name(engine, world, client):
    """Before: the scope label loaded the whole Enterprise and then its labels (a second SELECT) on every page."""
    sign_in(client, "user_enterprise")
    page = client.get("/verify")
    assert world.kunshan["name"] in page.text  # the scope label: the user's enterprise
    statements = [s for s in statements_of(engine, client, "/verify") if s.lstrip().upper().startswith("SELECT")]
    assert len(statements) == 1, statements
    assert "enterprise_label" not in statements[0]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("source", [
    "{{ _('Home') }}|{{ _('Home') }}",
    "{{ _('Row {row}') }}|{{ _('100%% sure') }}",
    "{{ _('<b>%(name)s</b>', name='<i>x</i>') }}|{{ _(missing) }}|{{ _(label) }}|{{ _(label) }}",
    "{% autoescape false %}{{ _('<b>%(name)s</b>', name='<i>x</i>') }}{{ _('Home') }}{% endautoescape %}"
    "{{ _('Home') }}",
    "{{ gettext('Sign out') }}|{{ _('Sign out') }}",
])
def test_remembered_translations_are_jinja2s_own(language, source):
    """Same text, same escaping, same ``%`` handling, autoescape on and off, twice in a row (from the memo)."""
    catalog = translations(language)
    plain = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    plain.install_gettext_translations(catalog, newstyle=True)
    fast = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    fast.install_gettext_translations(catalog, newstyle=True)
    gettext = memo_gettext(catalog.gettext)
    fast.globals.update(_=gettext, gettext=gettext)
    for _round in range(2):
        expected = plain.from_string(source).render(label="<Enterprise registry>")
        assert fast.from_string(source).render(label="<Enterprise registry>") == expected


@pytest.mark.parametrize("user, path", [("user_province", "/enterprises"), ("user_ministry", "/whitelists"),
                                        ("user_enterprise", "/verify"), ("user_county", "/desk")])
def test_a_read_page_takes_one_thread_hop(world, client, hops, user, path):
    """Before: the route, then the commit of its read transaction, each a trip (the commit now ends the route)."""
    sign_in(client, user)
    first = client.get(path)
    assert first.status_code == 200
    hops.clear()
    again = client.get(path)
    assert again.status_code == 200 and again.text == first.text
    assert len(hops) == 1, hops


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_sidebar_never_shows_two_entries_under_one_name(language):
    """Before: the matching board and the docking hub were both "供需对接" in Chinese, two links a reader could not
    tell apart."""
    from chainkeeper.i18n import translate
    from chainkeeper.web.pages.rendering import NAVIGATION

    names = [translate(label, language) for _path, label, _policy in NAVIGATION]
    assert len(set(names)) == len(names), sorted(name for name in names if names.count(name) > 1)
