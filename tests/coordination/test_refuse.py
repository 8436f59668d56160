"""`refuse`: an error whose message names its field when the template asks for it."""

from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.errors import ValidationFailed


def test_a_template_naming_its_field_is_filled_with_it():
    error = refuse(ValidationFailed, "{field} is required (at most {limit} characters)", field="name_zh", limit=120)
    assert str(error) == "name_zh is required (at most 120 characters)"  # was a KeyError: 'field'
    assert error.details == [{"field": "name_zh", "message": str(error)}]
    assert error_text(error, "en") == "name_zh is required (at most 120 characters)"


def test_a_template_without_the_field_keeps_it_out_of_the_message():
    error = refuse(ValidationFailed, "the quantity must be above 0", field="quantity")
    assert str(error) == "the quantity must be above 0" and error.details[0]["field"] == "quantity"
