"""Free text in credential requests refuses control characters (they would end up on printed passes)."""

import pytest
from pydantic import ValidationError

from chainkeeper.credentials.schemas import CrewIn, RevokeIn


def test_control_characters_are_refused():
    with pytest.raises(ValidationError, match="control characters"):
        RevokeIn(reason="stolen\x00")
    with pytest.raises(ValidationError, match="control characters"):
        CrewIn(name="王\x1b建国", phone="13912345678")
    assert CrewIn(name="王建国", phone="13912345678").name == "王建国"
