"""A large links import (registry/importing/bulk_write.py, bulk_postgres.py): its secondary indexes (on PostgreSQL
also its foreign keys) are dropped and built again inside the import's transaction; on SQLite its connection skips
the per-row foreign-key checks (every id is checked by the import). All-or-nothing must hold: an error at the last
row leaves the table, its indexes, keys and the schema exactly as before, and no pooled connection is left without
foreign-key checks."""

import pytest
from factories import enterprise_row, link_row, write_csv
from sqlalchemy.exc import IntegrityError

from chainkeeper.registry.importing import bulk_postgres, bulk_write, import_file, import_rows
from chainkeeper.registry.importing.bulk_write import DanglingReference, check_references

TRIGGER = {
    "sqlite": ["CREATE TRIGGER test_fail_last_link BEFORE INSERT ON supply_link WHEN NEW.annual_value = 777 "
               "BEGIN SELECT RAISE(ABORT, 'the last row fails'); END"],
    "postgresql": ["CREATE FUNCTION test_fail_last_link() RETURNS trigger AS $$ BEGIN IF NEW.annual_value = 777 THEN "
                   "RAISE EXCEPTION 'the last row fails'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER test_fail_last_link BEFORE INSERT ON supply_link FOR EACH ROW "
                   "EXECUTE FUNCTION test_fail_last_link()"],
}
DROP_TRIGGER = {"sqlite": ["DROP TRIGGER test_fail_last_link"],
                "postgresql": ["DROP TRIGGER test_fail_last_link ON supply_link", "DROP FUNCTION test_fail_last_link"]}
SCHEMA = {
    "sqlite": "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'supply_link' ORDER BY type, name",
    "postgresql": "SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint "
                  "WHERE conrelid = 'supply_link'::regclass UNION ALL SELECT 'index', indexname, indexdef "
                  "FROM pg_indexes WHERE tablename = 'supply_link' UNION ALL SELECT 'trigger', tgname, "
                  "pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'supply_link'::regclass AND NOT tgisinternal "
                  "ORDER BY 1, 2",
}


def run(engine, statements: list[str]) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def snapshot(engine) -> tuple:
    """The links (every column, by id), supply_link's schema entries (constraints, indexes, triggers) and, on
    SQLite, its integrity verdict."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM supply_link ORDER BY id").all()
        schema = connection.exec_driver_sql(SCHEMA[engine.dialect.name]).all()
        integrity = (connection.exec_driver_sql("PRAGMA integrity_check").scalar()
                     if engine.dialect.name == "sqlite" else "ok")
    return rows, schema, integrity


def every_pooled_connection_checks_foreign_keys(engine) -> bool:
    """SQLite: check out every connection the pool holds at once and ask each whether it enforces foreign keys."""
    if engine.dialect.name != "sqlite":
        return True
    connections = [engine.connect() for _ in range(max(1, engine.pool.checkedin()))]
    try:
        return all(c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1 for c in connections)
    finally:
        for connection in connections:
            connection.close()


@pytest.fixture
def firms(engine):
    rows = [enterprise_row() for _ in range(6)]
    assert import_rows(engine, "enterprises", rows).written
    return [row["uscc"] for row in rows]


def pairs(firms: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in firms for b in firms if a != b]


@pytest.mark.parametrize("rebuild_min", [1, 10**9], ids=["indexes rebuilt", "indexes kept"])
def test_error_at_the_last_row_leaves_table_and_indexes_as_before(engine, firms, tmp_path, monkeypatch,
                                                                 rebuild_min):
    monkeypatch.setattr(bulk_write, "REBUILD_MIN", rebuild_min)
    stored = pairs(firms)[:2]
    assert import_rows(engine, "links", [link_row(s, c) for s, c in stored]).created == 2
    sqlite_engine = engine
    run(engine, TRIGGER[engine.dialect.name])
    try:
        before = snapshot(sqlite_engine)
        rows = [link_row(s, c) for s, c in pairs(firms)[2:]]
        rows[-1]["annual_value"] = "777"
        path = tmp_path / "links.csv"
        write_csv(path, rows)
        with pytest.raises(Exception, match="the last row fails"):
            import_file(sqlite_engine, "links", path)
        assert snapshot(sqlite_engine) == before
        assert every_pooled_connection_checks_foreign_keys(sqlite_engine)
    finally:
        run(engine, DROP_TRIGGER[engine.dialect.name])


def test_rebuilt_indexes_are_the_migrations_own(engine, firms, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_write, "REBUILD_MIN", 1)
    sqlite_engine = engine
    rows_before, schema_before, _ = snapshot(sqlite_engine)
    path = tmp_path / "links.csv"
    write_csv(path, [link_row(s, c) for s, c in pairs(firms)])
    report = import_file(sqlite_engine, "links", path)
    assert report.created == len(pairs(firms)) == 30 and not rows_before
    rows, schema, integrity = snapshot(sqlite_engine)
    assert schema == schema_before and integrity == "ok" and len(rows) == 30
    with sqlite_engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(r[-1] for r in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM supply_link WHERE customer_id = 3").all())
            assert "ix_supply_link_customer_id" in plan
        # the rebuilt unique index still refuses a second link with the same key
        with pytest.raises(IntegrityError, match="(?i)unique|duplicate"):
            connection.exec_driver_sql(
                "INSERT INTO supply_link (supplier_id, customer_id, product_id, annual_value, essential) "
                "SELECT supplier_id, customer_id, product_id, 1, false FROM supply_link LIMIT 1")
    assert import_file(sqlite_engine, "links", path).updated == 30  # a re-import matches every link


@pytest.mark.parametrize("rebuild_min", [1, 10**9], ids=["indexes rebuilt", "indexes kept"])
def test_foreign_keys_are_checked_after_an_import(engine, firms, monkeypatch, rebuild_min):
    monkeypatch.setattr(bulk_write, "REBUILD_MIN", rebuild_min)
    assert import_rows(engine, "links", [link_row(s, c) for s, c in pairs(firms)]).created == 30
    assert every_pooled_connection_checks_foreign_keys(engine)
    with engine.connect() as connection, pytest.raises(IntegrityError, match="(?i)foreign key"):
        connection.exec_driver_sql("INSERT INTO supply_link (supplier_id, customer_id, annual_value, essential) "
                                   "VALUES (999999, 999998, 1, false)")


def test_postgres_writes_row_by_row_when_its_locks_are_busy(engine, firms, monkeypatch):
    """A reader holding supply_link: the import does not wait for it past the lock timeout, nor fail; it writes
    with the per-row checks."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's table locks")
    monkeypatch.setattr(bulk_write, "REBUILD_MIN", 1)
    monkeypatch.setattr(bulk_postgres, "LOCK_TIMEOUT", "50ms")
    before = snapshot(engine)[1]
    with engine.connect() as reader:
        reader.exec_driver_sql("SELECT count(*) FROM supply_link").scalar()  # holds ACCESS SHARE until rollback
        assert import_rows(engine, "links", [link_row(s, c) for s, c in pairs(firms)]).created == 30
        reader.rollback()
    assert snapshot(engine)[1] == before


def test_dangling_ids_are_refused():
    enterprises, products = {1, 2, 3}, {None, 7}
    check_references([(1, 2, None, 1.0, None, None, True), (3, 1, 7, 1.0, None, None, True)], enterprises, products)
    for bad in [(9, 2, None), (1, 9, None), (1, 2, 9)]:
        with pytest.raises(DanglingReference):
            check_references([(1, 2, 7, 1.0, None, None, True), (*bad, 1.0, None, None, True)], enterprises,
                             products)
