"""A private PostgreSQL cluster for fault injection: initdb into a temporary directory, started on a free port with
pg_ctl, so a test may restart or stop it without touching the shared server. Root runs the binaries as the
``postgres`` user (initdb refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@dataclass
class PrivatePostgres:
    """One cluster: its directory, port, and the commands to restart, stop and start it."""

    bin_dir: Path
    root: Path
    port: int
    user: str | None  # run the binaries as this OS user (None: the current one)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}\n{done.stderr}")
        return done

    def pg_ctl(self, action: str, *extra: str) -> None:
        self._run("pg_ctl", "-D", str(self.root / "db"), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                  "-m", "fast", action, *extra)

    def start(self) -> None:
        self.pg_ctl("start", "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off")

    def stop(self) -> None:
        self.pg_ctl("stop")

    def restart(self) -> None:
        self.pg_ctl("restart", "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off")


def private_postgres(port: int):
    """Yield a started :class:`PrivatePostgres` (skips with the reason when it cannot be made)."""
    bin_dir = _binaries()
    if bin_dir is None:
        if os.environ.get("CHAINKEEPER_REQUIRE_POSTGRES") == "1":
            pytest.fail("CHAINKEEPER_REQUIRE_POSTGRES=1 but no /usr/lib/postgresql/*/bin/pg_ctl to start a cluster")
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    user = None
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: initdb refuses root")
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="ck-pg-"))
    if user:
        shutil.chown(root, user)
    cluster = PrivatePostgres(bin_dir, root, port, user)
    try:
        cluster._run("initdb", "-D", str(root / "db"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                     "--locale=C.UTF-8")
        cluster.start()
        yield cluster
    finally:
        cluster._run("pg_ctl", "-D", str(root / "db"), "-m", "immediate", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)
