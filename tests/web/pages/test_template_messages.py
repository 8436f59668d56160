"""Every string of the page templates is extracted with Babel's Jinja2 extractor and has a Chinese translation."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from chainkeeper.i18n import translations

TEMPLATES = Path(__file__).parents[3] / "src" / "chainkeeper" / "web" / "templates"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


def template_messages() -> set[str]:
    found = extract_from_dir(TEMPLATES, method_map=[("**.html", "jinja2.ext:babel_extract")], options_map=OPTIONS)
    return {message if isinstance(message, str) else message[0] for _f, _l, message, _c, _x in found}


def test_templates_have_messages():
    messages = template_messages()
    assert {"Sign in", "Enterprise registry", "Audit log"} <= messages
    assert len(messages) > 100


def test_every_template_message_is_translated_to_chinese():
    catalog = translations("zh_CN")
    assert sorted(m for m in template_messages() if catalog.gettext(m) == m) == []


def test_placeholders_survive_translation():
    catalog = translations("zh_CN")
    for message in template_messages():
        assert set(PLACEHOLDER.findall(catalog.gettext(message))) == set(PLACEHOLDER.findall(message)), message
