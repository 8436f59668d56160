"""What the README and the docs show a reader works: the example USCCs validate, the quick start stays two commands."""

import re
from pathlib import Path

from chainkeeper.registry.uscc import is_valid

ROOT = Path(__file__).parents[1]
USCC_LIKE = re.compile(r"\b\d{2}\d{6}[0-9A-Z]{10}\b")  # registration authority + type, county code, the rest


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_example_uscc_in_the_docs_is_valid():
    examples = {(path.name, code) for path in documents() for code in USCC_LIKE.findall(path.read_text())
                if not code.isdigit()}
    assert examples, "the README shows no example USCC"
    assert sorted(found for found in examples if not is_valid(found[1])) == []


def test_the_quick_start_is_two_commands_and_the_venv_is_optional():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first_block = quick.split("```sh", 1)[1].split("```", 1)[0].strip()
    assert first_block.count("&&") == 1 and "\n" not in first_block
    assert "python3 -m venv .venv && . .venv/bin/activate" in quick
