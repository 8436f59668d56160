"""USCC holes named by mutation testing: real codes with non-zero digits in the division code, the check weights
taken from the standard itself (3^i mod 31), county-level codes (Kunshan and others), and a letter at the third
character of the division code."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainkeeper.registry import uscc

REAL_CODES_WITH_DIGITS_IN_THE_DIVISION = [
    "91440606722473344C",  # Midea Group Co., Ltd. (Foshan, Shunde district 440606)
    "91350900587527783P",  # Contemporary Amperex Technology Co., Ltd. (Ningde 350900)
    "91440400192548256N",  # Gree Electric Appliances, Inc. of Zhuhai (440400)
    "91520000214434146R",  # Kweichow Moutai Co., Ltd. (Guizhou 520000)
]
COUNTIES = ["320583", "321182", "441900", "330782", "371681", "510114", "652901"]
"""Kunshan, Yangzhong, Dongguan, Yiwu, Yucheng, Xindu, Aksu: non-zero digits at characters 5, 7 and 8."""


def reference_check(body: str) -> str:
    """GB 32100-2015 written out from the standard: weight of position i is 3^i mod 31, sum mod 31."""
    total = sum(uscc.ALPHABET.index(char) * pow(3, i, 31) for i, char in enumerate(body))
    return uscc.ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize("code", REAL_CODES_WITH_DIGITS_IN_THE_DIVISION)
def test_real_codes_with_digits_in_the_division_are_valid(code):
    assert uscc.validate(code) == code and reference_check(code[:17]) == code[17]


@given(st.sampled_from(COUNTIES), st.text(alphabet=uscc.ALPHABET, min_size=9, max_size=9))
def test_check_character_matches_the_standard_at_county_level(county, org):
    body = f"91{county}{org}"
    assert uscc.check_character(body) == reference_check(body)
    assert uscc.is_valid(body + reference_check(body))


@pytest.mark.parametrize("position", [2, 3, 4, 5, 6, 7])
def test_a_letter_anywhere_in_the_division_is_a_region_error(position):
    """Even with a check character that fits: the division code must be six digits (characters 3-8)."""
    body = list("91320583MA1MBQMC8")
    body[position] = "A"
    code = "".join(body) + reference_check("".join(body))
    with pytest.raises(uscc.USCCError) as caught:
        uscc.validate(code)
    assert caught.value.code == "region"


def test_kunshan_codes_generated_for_the_demo_validate():
    rng = random.Random(7)
    for _ in range(200):
        code = uscc.generate("320583", rng)
        assert code[:8] == "91320583" and code[17] == reference_check(code[:17])
