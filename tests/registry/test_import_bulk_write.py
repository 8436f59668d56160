"""A large links import into SQLite (registry/importing/bulk_write.py): its secondary indexes are dropped and built
again inside the import's transaction, and its connection skips SQLite's per-row foreign-key checks (every id is
checked by the import). All-or-nothing must hold: an error at the last row leaves the table, its indexes and the
schema exactly as before, and no pooled connection is left without foreign-key checks."""

import sqlite3

import pytest
from factories import enterprise_row, link_row, write_csv
from sqlalchemy.exc import IntegrityError

from chainkeeper.registry.importing import bulk_write, import_file, import_rows
from chainkeeper.registry.importing.bulk_write import DanglingReference, check_references

TRIGGER = ("CREATE TRIGGER test_fail_last_link BEFORE INSERT ON supply_link WHEN NEW.annual_value = 777 "
           "BEGIN SELECT RAISE(ABORT, 'the last row fails'); END")


def snapshot(engine) -> tuple:
    """The links (every column, by id), supply_link's schema entries and SQLite's integrity verdict."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM supply_link ORDER BY id").all()
        schema = connection.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'supply_link' ORDER BY type, name").all()
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    return rows, schema, integrity


def every_pooled_connection_checks_foreign_keys(engine) -> bool:
    """Check out every connection the pool holds at once and ask each whether it enforces foreign keys."""
    connections = [engine.connect() for _ in range(max(1, engine.pool.checkedin()))]
    try:
        return all(c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1 for c in connections)
    finally:
        for connection in connections:
            connection.close()


@pytest.fixture
def firms(sqlite_engine):
    rows = [enterprise_row() for _ in range(6)]
    assert import_rows(sqlite_engine, "enterprises", rows).written
    return [row["uscc"] for row in rows]


def pairs(firms: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in firms for b in firms if a != b]


@pytest.mark.parametrize("rebuild_min", [1, 10**9], ids=["indexes rebuilt", "indexes kept"])
def test_error_at_the_last_row_leaves_table_and_indexes_as_before(sqlite_engine, firms, tmp_path, monkeypatch,
                                                                 rebuild_min):
    monkeypatch.setattr(bulk_write, "REBUILD_MIN", rebuild_min)
    stored = pairs(firms)[:2]
    assert import_rows(sqlite_engine, "links", [link_row(s, c) for s, c in stored]).created == 2
    with sqlite_engine.begin() as connection:
        connection.exec_driver_sql(TRIGGER)
    try:
        before = snapshot(sqlite_engine)
        rows = [link_row(s, c) for s, c in pairs(firms)[2:]]
        rows[-1]["annual_value"] = "777"
        path = tmp_path / "links.csv"
        write_csv(path, rows)
        with pytest.raises((IntegrityError, sqlite3.IntegrityError), match="the last row fails"):
            import_file(sqlite_engine, "links", path)
        assert snapshot(sqlite_engine) == before
        assert every_pooled_connection_checks_foreign_keys(sqlite_engine)
    finally:
        with sqlite_engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER test_fail_last_link")


def test_rebuilt_indexes_are_the_migrations_own(sqlite_engine, firms, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_write, "REBUILD_MIN", 1)
    rows_before, schema_before, _ = snapshot(sqlite_engine)
    path = tmp_path / "links.csv"
    write_csv(path, [link_row(s, c) for s, c in pairs(firms)])
    report = import_file(sqlite_engine, "links", path)
    assert report.created == len(pairs(firms)) == 30 and not rows_before
    rows, schema, integrity = snapshot(sqlite_engine)
    assert schema == schema_before and integrity == "ok" and len(rows) == 30
    with sqlite_engine.connect() as connection:
        plan = " ".join(r[-1] for r in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM supply_link WHERE customer_id = 3").all())
        assert "ix_supply_link_customer_id" in plan
        # the rebuilt unique index still refuses a second link with the same key
        with pytest.raises(IntegrityError):
            connection.exec_driver_sql(
                "INSERT INTO supply_link (supplier_id, customer_id, product_id, annual_value, essential) "
                "SELECT supplier_id, customer_id, product_id, 1, 0 FROM supply_link LIMIT 1")
    assert import_file(sqlite_engine, "links", path).updated == 30  # a re-import matches every link


def test_connections_check_foreign_keys_after_an_import(sqlite_engine, firms):
    assert import_rows(sqlite_engine, "links", [link_row(s, c) for s, c in pairs(firms)]).created == 30
    assert every_pooled_connection_checks_foreign_keys(sqlite_engine)
    with sqlite_engine.connect() as connection, pytest.raises(IntegrityError, match="FOREIGN KEY"):
        connection.exec_driver_sql("INSERT INTO supply_link (supplier_id, customer_id, annual_value, essential) "
                                   "VALUES (999999, 999998, 1, 0)")


def test_dangling_ids_are_refused():
    enterprises, products = {1, 2, 3}, {None, 7}
    check_references([(1, 2, None, 1.0, None, None, True), (3, 1, 7, 1.0, None, None, True)], enterprises, products)
    for bad in [(9, 2, None), (1, 9, None), (1, 2, 9)]:
        with pytest.raises(DanglingReference):
            check_references([(1, 2, 7, 1.0, None, None, True), (*bad, 1.0, None, None, True)], enterprises,
                             products)
