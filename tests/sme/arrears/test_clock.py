"""The time limits on the desk's clock: the desk tick flags a complaint past its acceptance limit once (event and
audit), not before the limit, and a step clears the flag as the next limit starts."""

from __future__ import annotations

from datetime import datetime

import pytest
from sme.arrears.support import CST, build_world, file, step

from chainkeeper.coordination.tick import run_tick
from chainkeeper.db import unit_of_work
from chainkeeper.sme.arrears import service
from chainkeeper.sme.arrears.workflow import Action


@pytest.fixture
def world(engine):
    return build_world(engine)


def overdue(world, cid) -> bool:
    with unit_of_work(world.engine) as session:
        return service.get(session=session, principal=world.caller("ministry").principal, complaint_id=cid).overdue


def test_the_desk_tick_flags_a_late_acceptance_once(world):
    cid = file(world)  # Monday 1 Sep 2025 10:00 -> accept by close of Wednesday 10 Sep
    tick = dict(assess=False, deliver=False, warn=False)
    assert run_tick(world.engine, now=datetime(2025, 9, 10, 17, 59, tzinfo=CST), **tick).arrears_overdue == 0
    assert not overdue(world, cid)
    assert run_tick(world.engine, now=datetime(2025, 9, 10, 18, 1, tzinfo=CST), **tick).arrears_overdue == 1
    assert run_tick(world.engine, now=datetime(2025, 9, 11, 9, tzinfo=CST), **tick).arrears_overdue == 0
    assert overdue(world, cid)
    step(world, "jiangsu", cid, Action.accept, now=datetime(2025, 9, 11, 9, 30, tzinfo=CST))
    assert not overdue(world, cid)
    with unit_of_work(world.engine) as session:
        c = service.get(session=session, principal=world.caller("ministry").principal, complaint_id=cid)
        assert [e.action for e in service.events(session, c)] == ["file", "overdue", "accept"]
        # 10 working days from Thursday 11 Sep: 12, 15-19, 22-25 -> close of Thursday 25 Sep
        assert c.transfer_due_at == datetime(2025, 9, 25, 18, tzinfo=CST)
