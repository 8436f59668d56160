"""The plate table: which plates a vehicle pass accepts, and why others are refused."""

import pytest

from chainkeeper.credentials.plates import (
    NOT_A_PLATE, PROVINCES, TRAILER_PLATE, UNKNOWN_PROVINCE, PlateError, plate_kind, validate_pass_plate,
)

ACCEPTED = [
    ("苏E12345", "苏E12345", "ordinary"), ("京A·8K2D9", "京A8K2D9", "ordinary"), ("粤b 12c45", "粤B12C45", "ordinary"),
    ("沪AD12345", "沪AD12345", "new_energy"), ("苏ED12345", "苏ED12345", "new_energy"),
    ("苏E12345D", "苏E12345D", "new_energy"), ("浙AF1234", "浙AF1234", "ordinary"), ("川AK12345", "川AK12345", "new_energy"),
    ("新A12345F", "新A12345F", "new_energy"),
]
REFUSED = [
    ("苏E1234挂", TRAILER_PLATE), ("港A12345", UNKNOWN_PROVINCE), ("AB12345", UNKNOWN_PROVINCE),
    ("苏I12345", NOT_A_PLATE), ("苏E1234O", NOT_A_PLATE), ("苏E1234", NOT_A_PLATE), ("苏E1234567", NOT_A_PLATE),
    ("苏ED1234A", NOT_A_PLATE), ("苏E12345Z", NOT_A_PLATE), ("", NOT_A_PLATE), ("苏E1234警", NOT_A_PLATE),
]


@pytest.mark.parametrize(("text", "normalized", "kind"), ACCEPTED)
def test_accepted_plates(text, normalized, kind):
    assert validate_pass_plate(text) == normalized
    assert plate_kind(normalized) == kind


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refused_plates(text, reason):
    with pytest.raises(PlateError) as refused:
        validate_pass_plate(text)
    assert refused.value.reason == reason


def test_every_mainland_province_has_an_abbreviation():
    assert len(PROVINCES) == 31 and len(set(PROVINCES.values())) == 31
    assert all(validate_pass_plate(f"{abbreviation}A12345") for abbreviation in PROVINCES)
