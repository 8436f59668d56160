"""Enterprise name normalisation for matching and duplicate detection.

Full-width → half-width, traditional → simplified (OpenCC), one kind of bracket, no whitespace, and one spelling
of the common legal-form suffixes, so that ``蘇州恆達汽車零部件有限責任公司`` and ``苏州恒达汽车零部件有限公司``
normalise to the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc_purepy import OpenCC

_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")"})
_WHITESPACE = re.compile(r"\s+")
_SUFFIXES = (("股份有限公司", "有限公司"), ("有限责任公司", "有限公司"))


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters converted to simplified ones.

    >>> to_simplified("蘇州恆達")
    '苏州恒达'
    """
    return _converter().convert(text)


def normalize_name(name: str) -> str:
    """The matching key of an enterprise name.

    >>> normalize_name(" 蘇州恆達汽車零部件有限責任公司（昆山） ")
    '苏州恒达汽车零部件有限公司(昆山)'
    >>> normalize_name("ＡＢＣ Auto 股份有限公司")
    'abcauto有限公司'
    """
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    text = _WHITESPACE.sub("", text).lower()
    text = to_simplified(text)
    for variant, canonical in _SUFFIXES:
        text = text.replace(variant, canonical)
    return text
