"""Translation of user-visible strings (gettext catalogs read with Babel).

Source strings are English. Catalogs live in ``locale/<lang>/LC_MESSAGES/messages.po`` and are compiled in
memory on first use, so no build step is needed. zh_CN is the default language.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")


def normalize_language(language: str | None) -> str:
    """Map ``zh``, ``zh-CN``, ``en-US`` … onto a supported language; unknown → the default."""
    if not language:
        return DEFAULT_LANGUAGE
    tag = language.replace("-", "_").lower()
    if tag.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


@lru_cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language`` (a null catalog for English or a missing file)."""
    path = resources.files("chainkeeper") / "locale" / language / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = Translations()
    for message in catalog:
        if message.id and message.string and not message.fuzzy:
            compiled._catalog[message.id] = message.string
    return compiled


def translate(message: str, language: str | None = None, **params: object) -> str:
    """``message`` in ``language`` with ``{name}`` placeholders filled from ``params``.

    >>> translate("Row {row}", "en", row=3)
    'Row 3'
    """
    text = translations(normalize_language(language)).gettext(message)
    return text.format(**params) if params else text


def _(message: str) -> str:
    """Mark a string for extraction without translating it now (translated later with :func:`translate`)."""
    return message


def sentence_start(text: str) -> str:
    """``text`` as the start of a sentence: its first letter upper case, the rest untouched (a label written for
    the middle of a sentence, "innovative SME", shown first: "Innovative SME"; Chinese is unchanged)."""
    return text[:1].upper() + text[1:]
