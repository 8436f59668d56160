"""Field specs as data and the validation of values: every bad value named by its path, in both languages."""

import pytest
from reporting.support import EXAMPLE_FIELDS, GOOD

from chainkeeper.reporting.fields import FieldsInvalid, FieldSpec, parse_fields, validate

FIELDS = parse_fields(EXAMPLE_FIELDS)


def test_good_values_come_back_clean_and_typed():
    clean, errors = validate(FIELDS, GOOD)
    assert errors == []
    assert clean == {"output": 120, "value": 35.5, "utilisation": 80, "status": "normal",
                     "stock": [{"item": "芯片", "days": 4}], "note": "正常生产"}


def test_text_numbers_labels_and_blanks_are_understood():
    clean, errors = validate(FIELDS, {"output": " 1,200 ", "value": "", "utilisation": "95%", "status": "减产",
                                      "stock": [], "note": ""})
    assert errors == []
    assert clean == {"output": 1200, "value": None, "utilisation": 95, "status": "reduced", "stock": [],
                     "note": None}
    assert validate(FIELDS, {"output": 1, "status": "stopped"})[0]["status"] == "stopped"
    assert validate(FIELDS, {"output": 1, "status": "Stopped"})[0]["status"] == "stopped"


def test_every_bad_value_is_named_by_its_path():
    values = {"output": "12.5", "value": -1, "utilisation": 151, "status": "maybe", "note": "x" * 201,
              "stock": [{"item": "芯片", "days": 2}, {"item": "", "days": "abc"}, {"item": "钢", "days": 1, "x": 1}],
              "colour": "red"}
    _clean, errors = validate(FIELDS, values)
    found = {error.path: error.text("en") for error in errors}
    assert found == {
        "colour": "unknown field",
        "output": "enter a whole number",
        "value": "at least 0",
        "utilisation": "at most 150",
        "status": "choose one of: normal, reduced, stopped",
        "stock[1].item": "a value is required",
        "stock[1].days": "enter a number",
        "stock[2].x": "unknown field",
        "note": "at most 200 characters",
    }
    chinese = {error.path: error.text("zh_CN") for error in errors}
    assert all(chinese[path] != found[path] for path in found), chinese


def test_required_limits_and_shapes():
    errors = validate(FIELDS, {})[1]
    assert [(e.path, e.message) for e in errors] == [("output", "a value is required")]
    too_many = [{"item": "a", "days": 1}] * 6
    assert [e.path for e in validate(FIELDS, {"output": 1, "stock": too_many})[1]] == ["stock"]
    assert [e.path for e in validate(FIELDS, {"output": 1, "stock": "芯片"})[1]] == ["stock"]
    assert [e.path for e in validate(FIELDS, {"output": True})[1]] == ["output"]
    assert [e.path for e in validate(FIELDS, {"output": "nan"})[1]] == ["output"]
    assert validate(FIELDS, ["output"])[1][0].path == "values"
    assert [e.path for e in validate(FIELDS, {"output": 1, "utilisation": -3})[1]] == ["utilisation"]


def test_specs_round_trip_through_json():
    assert [spec.to_dict() for spec in FIELDS] == [FieldSpec.from_dict(d).to_dict() for d in EXAMPLE_FIELDS]
    assert FIELDS[4].columns[1].unit == "天" and FIELDS[3].choice_label("reduced", "en") == "Reduced"


def test_bad_definitions_are_refused_with_paths():
    bad = [{"key": "Output", "label_zh": "产量", "label_en": "Output", "kind": "integer"},
           {"key": "ok", "label_zh": "", "label_en": "x", "kind": "colour"},
           {"key": "ok", "label_zh": "a", "label_en": "a", "kind": "choice"},
           {"key": "t", "label_zh": "表", "label_en": "T", "kind": "table", "columns": [
               {"key": "inner", "label_zh": "内", "label_en": "In", "kind": "table"}]},
           {"key": "n", "label_zh": "n", "label_en": "n", "kind": "number", "min": 5, "max": 1}]
    with pytest.raises(FieldsInvalid) as refused:
        parse_fields(bad)
    paths = {error.path for error in refused.value.errors}
    assert paths == {"fields[0].key", "fields[1].label", "fields[1].kind", "fields[2].key", "fields[2].choices",
                     "fields[3].columns[0].kind", "fields[4].max"}
    with pytest.raises(FieldsInvalid):
        parse_fields([])


def test_a_table_without_columns_is_refused():
    with pytest.raises(FieldsInvalid) as refused:
        parse_fields([{"key": "t", "label_zh": "表", "label_en": "T", "kind": "table"}])
    assert [error.path for error in refused.value.errors] == ["fields[0].columns"]
