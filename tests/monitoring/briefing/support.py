"""The briefing tests' world: the desk's firms and users (built once per module and backend: creating the users'
password hashes is the slow part) with April 2022 cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from coordination.desk_support import MONDAY, build_desk, parts_case

from chainkeeper.auth.api import login_throttle
from chainkeeper.coordination.models import CaseCategory, CaseEvent
from chainkeeper.db import unit_of_work

BACKENDS = ("sqlite", "postgresql")


def april_world(engine):
    """Two cases filed on 18 April 2022 (one becomes overdue on the 20th), one filed in March."""
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        first = parts_case(desk, session)  # Changchun OEM ← Kunshan supplier
        parts_case(desk, session, blocking="ningbo", category=CaseCategory.logistics)
        parts_case(desk, session, now=MONDAY - timedelta(days=40))
        session.add(CaseEvent(case_id=first.id, at=MONDAY + timedelta(days=2), actor_name="system",
                              action="overdue", to_state="submitted"))
    return desk


@pytest.fixture(scope="module", params=BACKENDS)
def desk(request, migrated_engines):
    """The April world on each backend, for the whole module."""
    from conftest import clear_data

    engine = migrated_engines(request.param)
    clear_data(engine)
    login_throttle.reset()
    yield april_world(engine)
    clear_data(engine)
