"""The suite on two workers: the tests of SERIAL_PATHS run on one worker, one after the other, first (conftest.py,
serial_scheduling.py); every test that starts a server or measures wall time is in SERIAL_PATHS."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import SERIAL_PATHS

TESTS = Path(__file__).parent
INNER_CONFTEST = f"""
import sys

import pytest

sys.path.insert(0, {str(TESTS)!r})
from serial_scheduling import SerialGroupScheduling


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    return SerialGroupScheduling(config, log, group="serial", tests_dir="tests", serial_paths=("servers/", "test_timed.py"))
"""
PASSED = re.compile(r"\[(gw\d)\] \[ *\d+%\] PASSED (\S+)")


def _inner_suite(root: Path) -> None:
    """A serial directory and file (the xdist_group marks too, which xdist's loadgroup would use) and many others."""
    (root / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    tests = root / "tests"
    (tests / "servers").mkdir(parents=True)
    (tests / "conftest.py").write_text(INNER_CONFTEST)
    serial = "import pytest\n\n@pytest.mark.xdist_group('serial')\n@pytest.mark.parametrize('n', range({}))\ndef test_s(n):\n    pass\n"
    (tests / "servers" / "test_live.py").write_text(serial.format(3))
    (tests / "test_timed.py").write_text(serial.format(2))
    for number in range(6):  # larger than the serial unit: xdist alone would hand these out first
        (tests / f"test_file{number}.py").write_text(
            "import pytest\n\n@pytest.mark.parametrize('n', range(8))\ndef test_f(n):\n    pass\n")


def test_serial_paths_run_on_one_worker_first_and_the_rest_on_both(tmp_path):
    _inner_suite(tmp_path)
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "tests"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    runs = PASSED.findall(done.stdout)
    assert len(runs) == 5 + 6 * 8, done.stdout[-3000:]
    serial = [(worker, test) for worker, test in runs if test.startswith(("tests/servers/", "tests/test_timed.py"))]
    workers = {worker for worker, _test in serial}
    assert len(workers) == 1, serial  # xdist's own loadgroup under pytest 9.2 spreads them over both workers
    (worker,) = workers
    assert [test for w, test in runs if w == worker][:5] == [test for _w, test in serial]  # handed out first
    assert {w for w, test in runs if test.startswith("tests/test_file")} == {"gw0", "gw1"}


SERVER_OR_CLOCK = re.compile(r"live_server\(|\"serve\"|private_postgres\(|sync_playwright\(|\bbase_url\b"
                             r"|def \w+\([^)]*\bbrowser\b"  # the session Chromium
                             r"|(perf_counter|monotonic|time)\(\) - \w+ <|\[\"seconds\"\] <")  # a wall-clock limit


def test_every_test_that_starts_a_server_or_measures_time_is_in_serial_paths():
    """Two of them side by side compete for the cores (a server must answer within 60 s; an import within 1 s)."""
    outside = []
    for path in sorted(TESTS.rglob("test_*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if relative.startswith(SERIAL_PATHS) or path == Path(__file__):
            continue
        if SERVER_OR_CLOCK.search(path.read_text()):
            outside.append(relative)
    assert outside == []
