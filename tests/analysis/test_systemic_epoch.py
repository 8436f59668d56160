"""Key nodes: the registry's fingerprint (a scan of every link) is checked once per data epoch, not on every call
(issue 15, sprint 10); a write ends the shortcut at once, and the ranking is the one a full check gives."""

from sqlalchemy import event, update

from chainkeeper.analysis import systemic
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import SupplyLink


def _ranking(engine, desk) -> tuple[list, int]:
    """The national top 10 and how many fingerprint scans of the links it ran."""
    scans = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        if "FROM supply_link" in statement and "sum(" in statement.lower():
            scans.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        with unit_of_work(engine) as session:
            rows = systemic.systemic_ranking(session=session, principal=desk.caller("analyst").principal,
                                             chain=None, region=None, top=10)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return [(row.uscc, row.esri) for row in rows], len(scans)


def test_the_fingerprint_is_checked_once_per_data_epoch(engine, desk):
    first, _scans = _ranking(engine, desk)
    again, scans = _ranking(engine, desk)
    assert again == first and scans == 0, "nothing was written: the last check stands"
    with unit_of_work(engine) as session:  # a write: the next call checks again and sees the new value
        session.execute(update(SupplyLink).values(annual_value=SupplyLink.annual_value * 2))
    changed, scans = _ranking(engine, desk)
    assert scans == 1
    systemic._CHECKED.clear()
    assert _ranking(engine, desk) == (changed, 1)
