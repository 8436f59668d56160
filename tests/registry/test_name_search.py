"""Name search through the trigram/bigram indexes finds exactly what a substring scan of normalised names finds."""

import pytest
from factories import enterprise_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, update

from chainkeeper.db import unit_of_work
from chainkeeper.registry import service
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.name_search import BIGRAM_TABLE, FTS_TABLE, name_indexes
from chainkeeper.registry.names import normalize_name

# simplified and traditional forms, legal-form pieces, full-width and ASCII, and characters LIKE and FTS5 treat
# specially: the corpus shares many substrings, so needles of every length find something
PIECES = ["苏州", "蘇州", "恒达", "恆達", "汽车", "汽車", "零部件", "华东", "華東", "紧固件", "有限公司", "有限责任公司",
          "股份有限公司", "（昆山）", "ＡＢＣ", "abc", "A_B", "50%", '"引号"', "/斜", "科技", "天津"]
ALPHABET = sorted(set("".join(PIECES))) + [" ", "x", "*", "'"]


def corpus(size: int = 120) -> list[str]:
    """Deterministic names glued from :data:`PIECES`."""
    names = []
    for i in range(size):
        parts = [PIECES[(i * 7 + k * 3) % len(PIECES)] for k in range(2 + i % 3)]
        names.append("".join(parts) + PIECES[10 + i % 3])
    return names + ["苏州恒达汽车零部件有限公司", "天津华东紧固件有限公司"]


def search(engine, q: str) -> set[str]:
    with unit_of_work(engine) as session:
        found = service.list_enterprises(session=session, where=service.EnterpriseFilter(q=q), page_size=500)
        assert found.total == len(found.items)
        return {e.uscc for e in found.items}


def brute_force(engine, q: str) -> set[str]:
    needle = normalize_name(q.strip())
    with unit_of_work(engine) as session:
        rows = session.execute(select(Enterprise.uscc, Enterprise.normalized_name)).all()
    return {uscc for uscc, name in rows if needle in name}


@pytest.fixture
def named(engine):
    """The engine with the corpus imported (through the bulk import path)."""
    report = import_rows(engine, "enterprises", [enterprise_row(name=name) for name in corpus()])
    assert report.written
    return engine


def test_the_sqlite_database_has_both_indexes_and_their_triggers(sqlite_engine):
    with unit_of_work(sqlite_engine) as session:
        assert name_indexes(session) == {FTS_TABLE, BIGRAM_TABLE}
        triggers = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert {f"enterprise_name_{event}" for event in ("ai", "ad", "au")} <= triggers


@pytest.mark.parametrize("q", ["蘇州恆達", "苏州", "華東紧固", "汽", "零部件有限", "ａｂｃ", "A_B", "50%", '"引', "/斜",
                               "有限责任公司", "股份有限", "(昆山)", " 天津 ", "无此名称", "x"])
def test_same_results_as_a_scan(named, q):
    assert search(named, q) == brute_force(named, q)


def test_traditional_query_finds_simplified_name(named):
    found = search(named, "蘇州恆達汽車")
    assert found and found == brute_force(named, "苏州恒达汽车")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
def test_any_query_matches_the_brute_force_filter(named, q):
    assert search(named, q) == brute_force(named, q)


def _renamed(engine, uscc: str, name: str) -> None:
    with unit_of_work(engine) as session:
        session.execute(update(Enterprise).where(Enterprise.uscc == uscc)
                        .values(name=name, normalized_name=normalize_name(name)))


def test_the_index_follows_updates_and_deletes(engine):
    first, second = enterprise_row(name="昆山甲乙丙有限公司"), enterprise_row(name="昆山丁戊己有限公司")
    assert import_rows(engine, "enterprises", [first, second]).written
    assert search(engine, "甲乙丙") == {first["uscc"]} and search(engine, "甲乙") == {first["uscc"]}
    assert import_rows(engine, "enterprises", [first | {"name": "昆山庚辛壬有限公司"}]).written  # import update
    assert search(engine, "甲乙") == set() and search(engine, "庚辛壬") == {first["uscc"]}
    _renamed(engine, second["uscc"], "昆山甲乙丙丁有限公司")  # a plain UPDATE
    assert search(engine, "甲乙丙") == {second["uscc"]} and search(engine, "戊己") == set()
    with unit_of_work(engine) as session:
        session.execute(delete(Enterprise).where(Enterprise.uscc == second["uscc"]))
    assert search(engine, "甲乙丙") == set() and search(engine, "甲乙") == set()
    assert search(engine, "庚辛") == {first["uscc"]}


def test_the_index_follows_orm_inserts(engine):
    template = enterprise_row(name="模板")
    assert import_rows(engine, "enterprises", [template]).written
    with unit_of_work(engine) as session:
        base = session.scalar(select(Enterprise).where(Enterprise.uscc == template["uscc"]))
        session.add(Enterprise(uscc="91320583MA1XXXXX0X"[:18], name="宁波癸子丑有限公司",
                               normalized_name=normalize_name("宁波癸子丑有限公司"), county_code=base.county_code,
                               city_code=base.city_code, province_code=base.province_code,
                               industry_code=base.industry_code, size=base.size))
    assert len(search(engine, "癸子丑")) == 1 and len(search(engine, "子丑")) == 1


def test_the_migration_indexes_existing_rows(tmp_path):
    from alembic import command

    from chainkeeper.db import alembic_config, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    row = enterprise_row(name="昆山子丑寅卯有限公司")
    assert import_rows(engine, "enterprises", [row]).written
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    for step, revision in ((command.downgrade, "0010"), (command.upgrade, "head")):
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)
    try:
        assert search(engine, "丑寅卯") == {row["uscc"]} and search(engine, "寅卯") == {row["uscc"]}
    finally:
        engine.dispose()
