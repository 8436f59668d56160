"""The units goods are counted in, as a reader of ``language`` reads them.

Posts on the matching board carry the unit their enterprise typed (片, 只, 万片 …). Chinese readers see it as typed;
English readers see the common measure words in English, through the catalogue (the words of the seeded catalogue's
``unit_en``, ``docking/data/catalogue.json``); a unit not listed here stays as typed.
"""

from __future__ import annotations

from chainkeeper.i18n import _, translate

PIECES, TEN_THOUSAND = _("pcs"), _("10k pcs")
MEASURE_WORDS = {
    "件": PIECES, "只": PIECES, "片": PIECES, "个": PIECES, "颗": PIECES, "支": PIECES, "枚": PIECES, "副": PIECES,
    "万件": TEN_THOUSAND, "万只": TEN_THOUSAND, "万片": TEN_THOUSAND, "万个": TEN_THOUSAND, "万颗": TEN_THOUSAND,
    "台": _("units"), "套": _("sets"), "双": _("pairs"), "吨": _("t"), "千克": _("kg"), "公斤": _("kg"),
    "盒": _("boxes"), "箱": _("cartons"), "瓶": _("bottles"), "袋": _("bags"), "人份": _("tests"), "辆": _("vehicles"),
}


def unit_name(unit: str, language: str) -> str:
    """``unit`` for a reader of ``language``: a known measure word in English, anything else as typed."""
    if language != "en":
        return unit
    known = MEASURE_WORDS.get(unit.strip())
    return translate(known, language) if known is not None else unit


def unit_names(language: str) -> dict[str, str]:
    """Every known measure word and its name in ``language`` (for a page that shows many posts)."""
    return {unit: unit_name(unit, language) for unit in MEASURE_WORDS}


__all__ = ["MEASURE_WORDS", "unit_name", "unit_names"]
