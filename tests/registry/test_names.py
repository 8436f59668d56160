"""Name normalisation for matching and duplicate detection."""

import pytest

from chainkeeper.registry.names import normalize_name


@pytest.mark.parametrize("variant", [
    "苏州恒达汽车零部件有限公司",
    "蘇州恆達汽車零部件有限公司",  # traditional characters
    "苏州恒达汽车零部件有限责任公司",  # suffix variant
    "苏州恒达汽车零部件股份有限公司",
    " 苏州 恒达 汽车零部件有限公司\t",  # whitespace
    "苏州恒达汽车零部件有限公司".translate(str.maketrans("汽", "汽")),
])
def test_variants_share_one_key(variant):
    assert normalize_name(variant) == normalize_name("苏州恒达汽车零部件有限公司")


def test_brackets_and_full_width_letters():
    assert normalize_name("恒达（昆山）ＡＢＣ有限公司") == normalize_name("恒达(昆山)abc有限公司")
    assert normalize_name("恒达【昆山】有限公司") == "恒达(昆山)有限公司"


def test_different_names_stay_different():
    assert normalize_name("苏州恒达汽车零部件有限公司") != normalize_name("苏州恒通汽车零部件有限公司")
