"""Parsers for single cells; each returns a value or raises :class:`CellError` saying what is wrong."""

from __future__ import annotations

import math
import re

from chainkeeper.i18n import _
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Label, SizeClass


class CellError(Exception):
    """A bad cell: a code and a translatable message with its parameters."""

    def __init__(self, code: str, message: str, /, **params: object):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


SIZE_WORDS = {
    "large": SizeClass.large, "大型": SizeClass.large, "大": SizeClass.large,
    "medium": SizeClass.medium, "中型": SizeClass.medium, "中": SizeClass.medium,
    "small": SizeClass.small, "小型": SizeClass.small, "小": SizeClass.small,
    "micro": SizeClass.micro, "微型": SizeClass.micro, "微": SizeClass.micro,
}
LABEL_WORDS = {label.value: label for label in Label} | {
    "龙头企业": Label.leading, "龙头": Label.leading,
    "关键节点企业": Label.key_node, "关键节点": Label.key_node,
    "专精特新": Label.specialized, "专精特新中小企业": Label.specialized,
    "小巨人": Label.little_giant, "专精特新小巨人": Label.little_giant,
    "单项冠军": Label.single_champion, "制造业单项冠军": Label.single_champion,
    "外资企业": Label.foreign_invested, "外资": Label.foreign_invested, "外商投资企业": Label.foreign_invested,
}
BOOL_WORDS = {
    "1": True, "true": True, "yes": True, "y": True, "是": True, "关键": True,
    "0": False, "false": False, "no": False, "n": False, "否": False, "": False,
}
_LIST_SEPARATORS = re.compile(r"[;；,，、|/]")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,30}$")


def required_text(text: str, *, max_length: int = 200) -> str:
    """A non-empty text of at most ``max_length`` characters."""
    text = text.strip()
    if not text:
        raise CellError("required", _("a value is required"))
    if len(text) > max_length:
        raise CellError("too_long", _("at most {limit} characters, got {length}"), limit=max_length, length=len(text))
    return text


_USCC_PROBLEMS = {
    "length": _("{code} is not a valid unified social credit code: it must have 18 characters"),
    "region": _("{code} is not a valid unified social credit code: characters 3-8 must be a region code"),
    "character": _("{code} is not a valid unified social credit code: it contains a character not allowed (I, O, Z, S, V)"),
}


def uscc(text: str) -> str:
    """A valid unified social credit code, normalised."""
    try:
        return uscc_codes.validate(required_text(text, max_length=40))
    except uscc_codes.USCCError as error:
        if error.code == "check":
            raise CellError(
                "uscc_check", _("invalid check character in {code}: expected {expected}"),
                code=text.strip(), expected=error.expected,
            ) from None
        raise CellError("uscc", _USCC_PROBLEMS.get(error.code, _USCC_PROBLEMS["length"]), code=text.strip()) from None


def number(text: str, *, required: bool) -> float | None:
    """A finite, non-negative number (thousands separators allowed); None for an empty optional cell."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        if required:
            raise CellError("required", _("a value is required"))
        return None
    try:
        value = float(text)
    except ValueError:
        raise CellError("number", _("{value} is not a number"), value=text) from None
    if not math.isfinite(value):
        raise CellError("number", _("{value} is not a number"), value=text)
    if value < 0:
        raise CellError("negative", _("must not be negative, got {value}"), value=text)
    return value


def boolean(text: str) -> bool:
    """Yes/no in English, Chinese or as 1/0; empty means no."""
    key = text.strip().lower()
    if key not in BOOL_WORDS:
        raise CellError("boolean", _("{value} is not yes/no (use 1/0, yes/no or 是/否)"), value=text)
    return BOOL_WORDS[key]


def size(text: str) -> SizeClass:
    """A size class: large/medium/small/micro or 大型/中型/小型/微型."""
    key = required_text(text, max_length=16).lower()
    if key not in SIZE_WORDS:
        raise CellError("size", _("{value} is not a size class (large, medium, small, micro)"), value=text)
    return SIZE_WORDS[key]


def labels(text: str) -> list[Label]:
    """A list of labels separated by ; , 、 or |."""
    found: list[Label] = []
    for word in filter(None, (w.strip() for w in _LIST_SEPARATORS.split(text))):
        label = LABEL_WORDS.get(word.lower()) or LABEL_WORDS.get(word)
        if label is None:
            raise CellError("label", _("{value} is not a known label"), value=word)
        if label not in found:
            found.append(label)
    return found


def phone(text: str) -> str:
    """A telephone number (digits, spaces, dashes, a leading +) or empty."""
    text = text.strip()
    if text and not _PHONE.match(text):
        raise CellError("phone", _("{value} is not a telephone number"), value=text)
    return text
