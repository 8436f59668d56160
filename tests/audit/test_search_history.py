"""Searching the log (filters, time range, pagination newest first) and the history of one object."""

from datetime import timedelta

import pytest
from audit.audit_support import ALICE, BOB

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.audit.service import history, record, search
from chainkeeper.db import unit_of_work

EVENTS = [  # actor, action, object type, object id
    (ALICE, "create", "enterprise", 1), (ALICE, "update", "enterprise", 1), (BOB, "login", "user", 8),
    (BOB, "update", "enterprise", 2), (SYSTEM, "transition", "enterprise", 1), (ALICE, "export", "user", 8),
    (BOB, "update", "enterprise", 1),
]


@pytest.fixture
def log(audit_engine):
    """The events above, one transaction each; returns them as recorded."""
    recorded = []
    for actor, action, object_type, object_id in EVENTS:
        with unit_of_work(audit_engine) as session:
            recorded.append(record(session=session, actor=actor, action=action, object_type=object_type,
                                   object_id=object_id, after={"step": len(recorded) + 1}))
    return recorded


def _seqs(engine, **filters):
    with unit_of_work(engine) as session:
        page = search(session=session, **filters)
    return [event.seq for event in page.items]


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, [7, 6, 5, 4, 3, 2, 1]),
    ({"actor_name": "alice"}, [6, 2, 1]),
    ({"actor_name": "鲍勃"}, [7, 4, 3]),
    ({"action": "update"}, [7, 4, 2]),
    ({"object_type": "user"}, [6, 3]),
    ({"object_type": "enterprise", "object_id": 1}, [7, 5, 2, 1]),
    ({"object_type": "enterprise", "object_id": "1", "action": "update", "actor_name": "鲍勃"}, [7]),
    ({"actor_name": "nobody"}, []),
])
def test_search_filters(audit_engine, log, filters, expected):
    assert _seqs(audit_engine, **filters) == expected


def test_search_time_range(audit_engine, log):
    third, sixth = log[2].occurred_at, log[5].occurred_at
    assert _seqs(audit_engine, since=third) == [7, 6, 5, 4, 3]
    assert _seqs(audit_engine, until=third) == [2, 1]
    assert _seqs(audit_engine, since=third, until=sixth) == [5, 4, 3]
    assert _seqs(audit_engine, since=third.replace(tzinfo=None)) == [7, 6, 5, 4, 3]  # naive is UTC
    assert _seqs(audit_engine, since=log[-1].occurred_at + timedelta(seconds=1)) == []


def test_search_pages_newest_first(audit_engine, log):
    with unit_of_work(audit_engine) as session:
        pages = [search(session=session, page=number, page_size=3) for number in (1, 2, 3, 4)]
    assert [[event.seq for event in page.items] for page in pages] == [[7, 6, 5], [4, 3, 2], [1], []]
    assert {page.total for page in pages} == {7}
    assert (pages[1].page, pages[1].page_size) == (2, 3)


def test_history_of_one_object_oldest_first(audit_engine, log):
    with unit_of_work(audit_engine) as session:
        events = history(session=session, object_type="enterprise", object_id=1)
        assert history(session=session, object_type="user", object_id=1) == []
    assert [event.seq for event in events] == [1, 2, 5, 7]
    assert [event.action for event in events] == ["create", "update", "transition", "update"]
    assert [event.after_values["step"] for event in events] == [1, 2, 5, 7]
