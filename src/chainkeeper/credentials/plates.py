"""Chinese motor-vehicle plates (GA 36): which plates a vehicle pass accepts.

A pass names the vehicle that pulls the load, so it takes:

* ordinary plates, 7 characters: province abbreviation, issuing-office letter, 5 letters/digits (``苏E12345``);
* new-energy plates, 8 characters: small vehicles put the energy letter first (``苏ED12345``), large vehicles
  last (``苏E12345D``); pure electric D/A/B/C/E, other new energy F/G/H/J/K.

Trailer plates (``苏E1234挂``) are refused with their own reason: for a semi-trailer the tractor's plate is
required (the trailer's plate may be recorded separately). Letters I and O never appear. Spaces, dots and dashes
are dropped and letters upper-cased before checking.
"""

from __future__ import annotations

import re

from chainkeeper.i18n import _

PROVINCES = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23",
    "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
    "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "贵": "52",
    "云": "53", "藏": "54", "陕": "61", "甘": "62", "青": "63", "宁": "64", "新": "65",
}
"""Plate abbreviation → province code (Hong Kong, Macao and Taiwan issue no mainland plates)."""

_LETTER = "A-HJ-NP-Z"  # no I, no O
_ALNUM = f"{_LETTER}0-9"
_ENERGY = "ABCDEFGHJK"
_PROVINCE = "".join(PROVINCES)
ORDINARY = re.compile(f"^[{_PROVINCE}][{_LETTER}][{_ALNUM}]{{5}}$")
NEW_ENERGY = re.compile(f"^[{_PROVINCE}][{_LETTER}]([{_ENERGY}][{_ALNUM}][0-9]{{4}}|[0-9]{{5}}[{_ENERGY}])$")
TRAILER = re.compile(f"^[{_PROVINCE}][{_LETTER}][{_ALNUM}]{{4}}挂$")
_NOISE = re.compile(r"[\s·.\-_•]")

NOT_A_PLATE = _("not a valid Chinese vehicle plate")
TRAILER_PLATE = _("a trailer plate: give the tractor's plate for a semi-trailer")
UNKNOWN_PROVINCE = _("the plate does not start with a province abbreviation")


class PlateError(ValueError):
    """The text is not a plate a pass accepts; ``reason`` is a translatable sentence."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalize_plate(text: str) -> str:
    """``text`` without separators, letters upper-cased."""
    return _NOISE.sub("", text or "").upper()


def plate_kind(plate: str) -> str | None:
    """``ordinary``, ``new_energy``, ``trailer`` or None for a normalized plate."""
    for name, pattern in (("ordinary", ORDINARY), ("new_energy", NEW_ENERGY), ("trailer", TRAILER)):
        if pattern.match(plate):
            return name
    return None


def validate_pass_plate(text: str) -> str:
    """The normalized plate of a pulling vehicle, or :class:`PlateError` with the reason."""
    plate = normalize_plate(text)
    kind = plate_kind(plate)
    if kind == "trailer":
        raise PlateError(TRAILER_PLATE)
    if kind is None:
        raise PlateError(UNKNOWN_PROVINCE if plate and plate[0] not in PROVINCES else NOT_A_PLATE)
    return plate


def validate_trailer_plate(text: str) -> str:
    """The normalized trailer plate (``…挂``), or :class:`PlateError`."""
    plate = normalize_plate(text)
    if plate_kind(plate) != "trailer":
        raise PlateError(NOT_A_PLATE)
    return plate
