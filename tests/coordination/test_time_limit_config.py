"""The documented time-limit spellings, read through the configuration loader (environment and TOML file):
"same_day" is the close of the working day; a wrong value is one clear SlaError naming category, limit and value,
never a TypeError."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from chainkeeper.config import Settings
from chainkeeper.coordination.policy import desk_policy
from chainkeeper.coordination.sla import SlaError, SlaPolicy

MONDAY_10 = datetime(2024, 3, 4, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai, a working day


@pytest.mark.parametrize("source", ["env", "toml"])
def test_same_day_from_the_configuration(source, monkeypatch, tmp_path):
    if source == "env":
        monkeypatch.setenv("CHAINKEEPER_DESK_TIME_LIMITS",
                           '{"logistics": {"accept": "same_day", "resolve": "same_day"}, "policy": {"resolve": "5wd"}}')
    else:
        config = tmp_path / "chainkeeper.toml"
        config.write_text('[desk_time_limits.logistics]\naccept = "same_day"\nresolve = "same_day"\n'
                          '[desk_time_limits.policy]\nresolve = "5wd"\n', encoding="utf-8")
        monkeypatch.setenv("CHAINKEEPER_CONFIG", str(config))
    policy = desk_policy(Settings(data_dir=tmp_path))
    limits = policy.sla.limits["logistics"]
    assert str(limits.accept) == str(limits.resolve) == "same_day"
    deadline = limits.resolve.deadline(MONDAY_10, policy.calendar)
    assert (deadline.date().isoformat(), deadline.hour) == ("2024-03-04", 18)
    assert str(policy.sla.limits["policy"].resolve) == "5wd"


@pytest.mark.parametrize("value", ["same-day", "SAME_DAY", "0h", 3, None, ["same_day"], {"same_day": 1}])
def test_a_wrong_spelling_is_one_clear_error(value):
    with pytest.raises(SlaError) as caught:
        SlaPolicy.from_mapping({"logistics": {"resolve": value}})
    assert "logistics" in str(caught.value) and "resolve" in str(caught.value)
