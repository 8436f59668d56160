"""USCC validation (GB 32100-2015): real codes, generated codes, and every single-character error."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainkeeper.registry import uscc

REAL_CODES = [
    "91350100M000100Y43",  # the standard's worked example
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "9144030071526726XG",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "91330100799655058B",  # Alibaba (China) Co., Ltd.
    "91110000802100433B",  # China Petroleum & Chemical Corporation
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert uscc.validate(code) == code


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(uscc.USCCError) as caught:
        uscc.validate("91350100M000100Y44")
    assert caught.value.expected == "3"
    assert "'3'" in str(caught.value)


@pytest.mark.parametrize("bad, problem", [
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("9135A100M000100Y43", "region"),
    ("91350100M00010OY43", "character"),  # letter O is not in the alphabet
])
def test_malformed_codes_are_rejected(bad, problem):
    with pytest.raises(uscc.USCCError) as caught:
        uscc.validate(bad)
    assert caught.value.code == problem


def test_lower_case_and_full_width_input_is_normalised():
    assert uscc.validate(" ９１350100m000100y43 ") == "91350100M000100Y43"


counties = st.sampled_from(["110101", "310115", "320583", "440305", "500112"])


@given(counties, st.integers(min_value=0, max_value=2**32))
def test_generated_codes_are_valid(county, seed):
    code = uscc.generate(county, random.Random(seed))
    assert uscc.is_valid(code) and code[2:8] == county


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=16), st.data())
def test_every_single_substitution_is_detected(seed, position, data):
    code = uscc.generate("320583", random.Random(seed))
    replacement = data.draw(st.sampled_from([c for c in uscc.ALPHABET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1:]
    assert not uscc.is_valid(changed)
