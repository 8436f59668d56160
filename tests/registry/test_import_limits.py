"""Import bounds (issue 10, findings 6, 11, 16, 20): rows, bytes, an XLSX's unpacked content and cells are bounded
before anything large is held; encoding problems are named for what they are."""

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from factories import enterprise_row, link_row, write_csv
from sqlalchemy import func, select
from xlsx_bombs import ENTERPRISE_HEADER, lying_bomb, workbook

import chainkeeper
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_file, import_rows
from chainkeeper.registry.importing.limits import MB, ImportLimits
from chainkeeper.registry.models import Enterprise

SRC = Path(chainkeeper.__file__).parents[1]  # the code under test, for the measuring process


def enterprises(engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(Enterprise))


def issues(report) -> list[tuple]:
    assert not report.written
    return [(i.row, i.column, i.code) for i in report.issues]


@pytest.fixture(scope="module")
def bombs(tmp_path_factory, xlsx_bomb):
    return {"string": xlsx_bomb, "lying": lying_bomb(tmp_path_factory.mktemp("bombs") / "lying.xlsx")}


def test_utf16_file_is_named_utf16(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row()], encoding="utf-16")
    report = import_file(engine, "enterprises", path, language="en")
    assert issues(report) == [(None, None, "encoding")]
    assert "UTF-16" in report.issues[0].message and "neither" not in report.issues[0].message


def test_bom_followed_by_gbk_is_named(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row(), enterprise_row(name="昆山恒达汽车零部件有限公司")], encoding="gbk")
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    message = import_file(engine, "enterprises", path, language="en").issues[0].message
    assert "byte-order mark" in message and "GBK" in message and "line 2" in message and "neither" not in message


def test_neither_encoding_says_where(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row()])
    path.write_bytes(path.read_bytes() + b"\x80\xff\xfe broken\n")
    message = import_file(engine, "enterprises", path, language="en").issues[0].message
    assert "line 3" in message and "80 ff" in message


@pytest.mark.parametrize("column", ["name", "contact_person"])
def test_csv_field_over_128_kib_is_a_cell_error(engine, tmp_path, column):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row(), enterprise_row(**{column: "字" * 140_000}), enterprise_row()])
    report = import_file(engine, "enterprises", path, language="en")
    assert issues(report) == [(3, column, "cell_too_long")] and "131,072" in report.issues[0].message
    assert enterprises(engine) == 0


def test_csv_row_over_the_record_limit_is_refused_without_holding_it(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row()])
    huge = ",".join(["x" * 100_000] * 12)  # every cell within the limit, the row over 1 Mi characters
    path.write_bytes(path.read_bytes() + huge.encode() + b"\n")
    assert issues(import_file(engine, "enterprises", path)) == [(3, None, "row_too_long")]


def test_rows_beyond_the_limit_stop_the_import(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row() for _ in range(5)])
    report = import_file(engine, "enterprises", path, limits=ImportLimits(rows=3, file_bytes=MB), language="en")
    assert issues(report) == [(5, None, "too_many_rows")] and "3" in report.issues[0].message
    assert enterprises(engine) == 0


def test_file_bigger_than_the_limit_is_refused_unread(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row() for _ in range(20)])
    report = import_file(engine, "enterprises", path, limits=ImportLimits(rows=100, file_bytes=1000))
    assert issues(report) == [(None, None, "too_large")]


def test_xlsx_declaring_too_many_rows_is_refused_at_once(engine, tmp_path):
    rows = [ENTERPRISE_HEADER] + [list(enterprise_row().values())[:5] for _ in range(6)]
    path = workbook(tmp_path / "e.xlsx", rows)
    assert issues(import_file(engine, "enterprises", path, limits=ImportLimits(rows=5, file_bytes=MB))) == [
        (None, None, "too_many_rows")]


def test_xlsx_cell_over_the_limit_is_a_cell_error(engine, tmp_path):
    long = list(enterprise_row().values())[:5]
    long[1] = "LONG"
    path = workbook(tmp_path / "e.xlsx", [ENTERPRISE_HEADER, list(enterprise_row().values())[:5], long],
                    replace={b">LONG<": ">{}<".format("名" * 140_000).encode()})
    assert issues(import_file(engine, "enterprises", path)) == [(3, "name", "cell_too_long")]


def test_xlsx_with_a_dtd_is_refused(engine, tmp_path):
    import zipfile

    path = workbook(tmp_path / "e.xlsx", [ENTERPRISE_HEADER])
    laughs = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(laughs, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                data = data.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook', 1)
            target.writestr(name, data)
    assert issues(import_file(engine, "enterprises", laughs)) == [(None, None, "xlsx")]


def test_lying_zip_headers_are_caught_while_unpacking(engine, bombs):
    report = import_file(engine, "enterprises", bombs["lying"], language="en")
    assert issues(report) == [(None, None, "xlsx")] and "CRC" in report.issues[0].message


MEASURE = """
import json, resource, sys, tracemalloc, zipfile
from pathlib import Path
from chainkeeper.db import make_engine
from chainkeeper.registry.importing import import_file
engine = make_engine(sys.argv[1])
kind, path, trace = sys.argv[2], Path(sys.argv[3]), sys.argv[4] == "trace"
import_file(engine, "products", path.with_name("warm.csv"))  # imports and first queries out of the measure
Path("/proc/self/clear_refs").write_text("5")  # the peak resident memory starts again from here
unpacked, real_read = [0], zipfile.ZipExtFile.read
def counted_read(part, n=-1):  # the bytes really unpacked from the archive's members
    data = real_read(part, n)
    unpacked[0] += len(data)
    return data
zipfile.ZipExtFile.read = counted_read
if trace:
    tracemalloc.start()
start = resource.getrusage(resource.RUSAGE_SELF)
report = import_file(engine, kind, path)  # the limits of chainkeeper import
end = resource.getrusage(resource.RUSAGE_SELF)
cpu = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)
peak = tracemalloc.get_traced_memory()[1] if trace else None
hwm = next(int(line.split()[1]) * 1024 for line in Path("/proc/self/status").read_text().splitlines()
           if line.startswith("VmHWM:"))
print(json.dumps({"cpu": cpu, "unpacked": unpacked[0], "peak": peak, "hwm": hwm, "codes": [i.code for i in report.issues],
                  "rows": report.rows, "written": report.written}))
"""


def measure(engine, kind: str, path: Path, *, trace: bool = False, address_space: int = 2048 * MB) -> dict:
    """Import ``path`` in a fresh process (its memory capped); its CPU seconds, the bytes it unpacked from the
    archive, peak resident memory during the import (``hwm``) and, with ``trace``, the peak of Python allocations."""
    (path.parent / "warm.csv").write_text("code,name\nP-WARM,warm\n")

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    url = engine.url.render_as_string(hide_password=False)
    env = os.environ | {"PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", MEASURE, url, kind, str(path), "trace" if trace else "-"],
                          capture_output=True, text=True,
                          env=env, preexec_fn=cap, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_zip_bomb_is_refused_after_a_few_megabytes_with_little_memory(engine, bombs):
    """A 412 KB workbook holding a 400 MB string: refused before openpyxl reads it (it used to take 3.7 GB), after
    unpacking a few MB of it: bytes and memory, not wall time (the machine may be loaded; ``cpu`` is in the result)."""
    result = measure(engine, "enterprises", bombs["string"], trace=True)
    assert result["codes"] == ["cell_too_large"]
    assert result["unpacked"] < 8 * MB and result["peak"] < 16 * MB and result["hwm"] < 300 * MB, result


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's peak-memory reset")
def test_memory_does_not_grow_with_the_file(sqlite_engine, tmp_path):
    """Records wait in a temporary file, not in memory: 4x the rows cost little more (it was ~1 KB per row)."""
    firms = [enterprise_row() for _ in range(1_000)]
    assert import_rows(sqlite_engine, "enterprises", firms).written
    codes = [firm["uscc"] for firm in firms]

    def links_file(count: int) -> Path:
        rows = [link_row(codes[k % 1000], codes[(k // 1000 + k % 1000 + 1) % 1000]) for k in range(count)]
        path = tmp_path / f"links{count}.csv"
        write_csv(path, rows)
        return path

    small, large = (measure(sqlite_engine, "links", links_file(n)) for n in (25_000, 100_000))
    assert small["written"] and large["written"] and large["rows"] == 100_000
    assert large["hwm"] - small["hwm"] < 32 * MB, (small, large)  # < 450 bytes per extra row (was ~800)
