"""English wording the sprint 11 walk found (lane walk12): form placeholders start with a capital, and no English
text leaves 专精特新 untranslated (its English term, as the enterprise labels say: specialised and innovative SME)."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).parents[3] / "src" / "chainkeeper"
PLACEHOLDER = re.compile(r"""placeholder="\{\{ _\(['"]([^'"]+)['"]\) \}\}""")
MESSAGE = re.compile(r"""_\(\s*(?:'[^']*'|"[^"]*")""")


def test_translated_placeholders_start_with_a_capital():
    found = {(path.name, text) for path in SOURCE.rglob("*.html") for text in PLACEHOLDER.findall(path.read_text())}
    assert len(found) >= 7
    assert sorted(item for item in found if item[1][0].islower()) == []


def test_no_english_message_leaves_the_ladder_untranslated():
    files = [*SOURCE.rglob("*.html"), *SOURCE.rglob("*.py")]
    assert [(path.name, text) for path in files for text in MESSAGE.findall(path.read_text())
            if "专精特新" in text] == []
