"""The columnar link validator (issue 15) reports exactly what the row-by-row checker reports, on random bad files:
the same issues in the same order (file, row, column, code, message), the same records kept, the same row count,
the same stop at the issue limit, at a bad record and at an unreadable file."""

import pytest
from factories import enterprise_row, link_row, new_uscc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import columns as cols
from chainkeeper.registry.importing import import_rows, link_columns, rows
from chainkeeper.registry.importing.issues import BadRecord, UnreadableFile
from chainkeeper.registry.importing.links import LinkChecker
from chainkeeper.registry.importing.service import _load_lookups

COUNTY = Principal(user_id=99, username="t_county", display_name="t", roles=frozenset({Role.county}),
                   region_code="320583", enterprise_id=None)
KEYS = [column.key for column in cols.LINK_COLUMNS]
HEADERS = {column.key: column.aliases for column in cols.LINK_COLUMNS}


@pytest.fixture
def registry(engine):
    """Three Kunshan firms, two elsewhere, one product; the codes as text."""
    firms = [enterprise_row() for _ in range(3)] + [enterprise_row(county_code="220102") for _ in range(2)]
    assert import_rows(engine, "enterprises", firms).written
    assert import_rows(engine, "products", [{"code": "P-SEAT", "name": "座椅", "industry_code": "3670"}]).written
    return [firm["uscc"] for firm in firms]


def cell_strategies(codes: list[str]) -> dict[str, st.SearchStrategy]:
    """Per column: mostly good values, and every kind of bad or unusual one."""
    known = st.sampled_from(codes)
    uscc = st.one_of(known, known, known, known.map(str.lower), known.map(lambda c: f" {c} "),
                     st.just(new_uscc()), st.sampled_from(["", "123", "91320583ABCDEFGHIZ", "９１"]),
                     known.map(lambda c: c[:17] + ("0" if c[17] != "0" else "1")))
    number = st.sampled_from(["1000", "0", "2.5", " 7 ", "1,250,000.50", "3，5", "", "  ", "-1", "-0", "nan",
                              "inf", "-inf", "abc", "1e400", "1_000", "１２", "1e3"])
    return {
        "supplier_uscc": uscc, "customer_uscc": uscc,
        "product_code": st.sampled_from(["", "", "P-SEAT", " P-SEAT ", "P-NONE", "p-seat"]),
        "annual_value": number, "lead_time_days": number, "inventory_days": number,
        "essential": st.sampled_from(["1", "0", "", "是", "否", "YES", " yes ", "关键", "maybe"]),
    }


@st.composite
def link_files(draw, codes: list[str]):
    """A header (required columns, some optional ones, any order, Chinese or English names) and its rows: cells
    good or bad, rows short, repeated, blank of a column, and now and then a record the reader could not split."""
    optional = draw(st.lists(st.sampled_from(["product_code", "lead_time_days", "inventory_days", "essential"]),
                             unique=True))
    keys = draw(st.permutations(["supplier_uscc", "customer_uscc", "annual_value", *optional]))
    header = [draw(st.sampled_from(HEADERS[key])) for key in keys]
    cells = cell_strategies(codes)
    good = st.builds(lambda s, c: [link_row(s, c)[key] for key in keys], st.sampled_from(codes),
                     st.sampled_from(codes))
    drawn = st.builds(list, st.tuples(*(cells[key] for key in keys)))
    one_off = st.tuples(good, st.sampled_from(range(len(keys)))).flatmap(  # a good row with one cell redrawn
        lambda pair: cells[keys[pair[1]]].map(lambda cell: pair[0][:pair[1]] + [cell] + pair[0][pair[1] + 1:]))
    short = drawn.flatmap(lambda row: st.integers(0, len(row)).map(lambda n: row[:n]))
    bad = st.builds(BadRecord, st.sampled_from([None, 0, 2]), st.just("cell_too_long"),
                    st.just("a cell holds at most {limit} characters; this one is longer"),
                    st.just({"limit": "5"}), st.booleans())
    table = draw(st.lists(st.one_of(good, one_off, one_off, one_off, drawn, short, bad), min_size=1, max_size=40))
    if table and draw(st.booleans()):  # repeat some rows: duplicates within and across chunks
        table += draw(st.lists(st.sampled_from(table), max_size=6))
    return header, table


def run(validate, checker_args, header, table, *, fail_at, chunk=None):
    """Issues, kept records and count (or the error raised) of one validator over the table."""
    header_map = cols.map_header("links", header)
    lookups, language = checker_args
    issues, kept = [], []

    def numbered():
        for number, cells in enumerate(table, start=2):
            if number == fail_at:
                raise UnreadableFile("xlsx", "the file is not a readable XLSX workbook ({error})", error="x")
            yield number, cells

    extra = {} if chunk is None else {"chunk": chunk}
    keep = kept.extend if chunk is not None else kept.append
    try:
        count = validate("links.csv", header_map, numbered(), LinkChecker(lookups), language, issues,
                         keep=keep, columns=header, **extra)
    except UnreadableFile as error:
        count = error.code
    return issues, kept, count


@pytest.mark.parametrize("principal", [None, COUNTY], ids=["operator", "county"])
def test_columnar_validator_reports_exactly_what_the_row_checker_reports(engine, registry, principal, monkeypatch):
    limit = 6  # the issue limit, low enough to be reached by a random file
    monkeypatch.setattr(rows, "MAX_ISSUES", limit)
    monkeypatch.setattr(link_columns, "MAX_ISSUES", limit)
    with unit_of_work(engine) as session:
        lookups = {language: _load_lookups(session, "links", principal, language) for language in ("zh_CN", "en")}

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(link_files(registry), st.sampled_from(["zh_CN", "en"]), st.integers(1, 7), st.integers(2, 60))
    def check(file, language, chunk, fail_at):
        header, table = file
        args = (lookups[language], language)
        expected = run(rows.validate_rows, args, header, table, fail_at=fail_at)
        assert run(link_columns.validate_links, args, header, table, fail_at=fail_at, chunk=chunk) == expected

    check()


def test_a_clean_chunk_and_a_bad_one_give_the_row_checkers_errors(engine, registry):
    """A plain case, readable on its own: 4 good rows in a chunk, then a chunk with a duplicate, a self-link, a bad
    number and an unknown code (the row checker's messages, in English)."""
    a, b, c = registry[:3]
    table = [[a, b, "", "1"], [a, c, "", "2"], [b, c, "", "3"], [c, a, "", "4"],
             [a, b, "", "5"], [a, a, "", "6"], [b, a, "", "-1"], [new_uscc(), a, "", "7"]]
    header = ["supplier_uscc", "customer_uscc", "product_code", "annual_value"]
    with unit_of_work(engine) as session:
        args = (_load_lookups(session, "links", None, "en"), "en")
    issues, kept, count = run(link_columns.validate_links, args, header, table, fail_at=0, chunk=4)
    assert count == 8 and len(kept) == 4
    assert [(i.row, i.column, i.code) for i in issues] == [
        (6, None, "duplicate"), (7, "customer_uscc", "self_link"), (8, "annual_value", "negative"),
        (9, "supplier_uscc", "unknown_enterprise")]
    assert issues[0].message == "the same supplier, customer and product already appear in row 2"
    assert (issues, kept, count) == run(rows.validate_rows, args, header, table, fail_at=0)


def test_an_import_leaves_the_garbage_collector_as_it_found_it(engine, registry):
    """The collector is paused during an import (see rows.gc_paused), never left off, nor turned on by it."""
    import gc

    a, b = registry[:2]
    assert gc.isenabled()
    assert import_rows(engine, "links", [link_row(a, b)]).written
    assert gc.isenabled()
    gc.disable()
    try:
        assert not import_rows(engine, "links", [link_row(a, a)]).written
        assert not gc.isenabled()
    finally:
        gc.enable()
