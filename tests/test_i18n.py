"""Every user-visible string in the source has a Chinese translation with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from chainkeeper.i18n import normalize_language, translate, translations

SOURCE = Path(__file__).parents[1] / "src" / "chainkeeper"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def source_messages() -> set[str]:
    found = extract_from_dir(SOURCE, method_map=[("**.py", "python")], keywords={"_": None, "translate": None})
    return {message if isinstance(message, str) else message[0] for _f, _l, message, _c, _x in found}


def test_source_has_messages():
    assert "a value is required" in source_messages()


def test_every_message_is_translated_to_chinese():
    catalog = translations("zh_CN")
    missing = sorted(m for m in source_messages() if catalog.gettext(m) == m)
    assert missing == []


def test_placeholders_survive_translation():
    catalog = translations("zh_CN")
    for message in source_messages():
        assert set(PLACEHOLDER.findall(catalog.gettext(message))) == set(PLACEHOLDER.findall(message)), message


def test_language_choice():
    assert normalize_language("en-US") == "en" and normalize_language(None) == "zh_CN"
    assert translate("row {row}", "zh-CN", row=5) == "第 5 行"
    assert translate("row {row}", "en", row=5) == "row 5"


def test_the_template_lists_every_message_of_the_code_and_the_pages():
    """Failed before (lane walk13): ``locale/messages.pot`` lacked 565 messages the catalogue translates, so a
    ``pybabel update`` from it (README) would have thrown their translations away."""
    from babel.messages.extract import DEFAULT_KEYWORDS
    from babel.messages.pofile import read_po

    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]  # babel.cfg, from src/chainkeeper
    found = extract_from_dir(SOURCE, method_map=method_map, keywords=DEFAULT_KEYWORDS | {"_": None, "translate": None})
    extracted = {message if isinstance(message, str) else message[0] for _f, _l, message, _c, _x in found}
    with (SOURCE / "locale" / "messages.pot").open("rb") as handle:
        listed = {message.id for message in read_po(handle) if message.id}
    assert sorted(extracted - listed) == []
    catalog = translations("zh_CN")
    assert sorted(message for message in listed if catalog.gettext(message) == message) == []
