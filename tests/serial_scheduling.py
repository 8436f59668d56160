"""The suite on two cores (``pytest -n 2 --dist loadgroup``, the default in pyproject.toml): the scheduler.

xdist's own ``loadgroup`` reads each test's group from a suffix it writes into the test id on the worker; pytest 9.2
no longer reads that field, so every group is silently ignored (pytest-dev/pytest-xdist#1386) and the tests that must
not run side by side would be spread over both workers. This scheduler does not depend on it: the controller decides
from the test id alone (its file), so it works with any pytest.

* The tests under ``serial_paths`` (servers, Chromium, waits within a time limit) form ONE work unit: one worker runs
  them one after the other, so two of them never run at the same time and the session server and Chromium start once.
  That unit is handed out first (it is the longest), so it never becomes the tail of the run.
* Every other test file is a unit of its own (as ``--dist loadfile``): a module's fixtures are set up once, on one
  worker; the larger files are handed out first, so the two workers end close together.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling


class SerialGroupScheduling(LoadScopeScheduling):
    """``--dist loadscope`` whose scopes are: one ``group`` for the tests of ``serial_paths``, else the test's file."""

    def __init__(self, config, log=None, *, group: str, tests_dir: str, serial_paths: tuple[str, ...]):
        super().__init__(config, log)
        self.group = group
        self.serial_prefixes = tuple(f"{tests_dir}/{path}" for path in serial_paths)

    def _split_scope(self, nodeid: str) -> str:
        """The work unit of a test id: ``tests/browser/test_x.py::test_y[en]`` → the group; others → their file.

        A group suffix ``@name`` (xdist's own loadgroup, on pytest versions that still read it) is ignored."""
        path = nodeid.split("::", 1)[0]
        if path.startswith(self.serial_prefixes):
            return self.group
        return path

    def _assign_work_unit(self, node) -> None:
        """Hand out the serial group before any file (xdist orders the units by their number of tests)."""
        if self.group in self.workqueue:
            self.workqueue.move_to_end(self.group, last=False)
        super()._assign_work_unit(node)
