"""Backup and restore of a whole installation: the database, the signing keys, attachments and every other file of
the data directory (audit checkpoints, the holiday calendar …), with a manifest of SHA-256 checksums.

Layout of a backup (a directory, or the same inside a ``.tar`` / ``.tar.gz``)::

    manifest.json          format, creation time, version, database kind and migration, every file's checksum
    database/chainkeeper.db   SQLite: a consistent copy taken with SQLite's online backup API
    database/chainkeeper.pgdump  PostgreSQL: ``pg_dump --format=custom`` (when pg_dump is on PATH)
    files/…                the data directory's files (keys/, attachments/, …) except the SQLite database itself

A restore verifies every checksum before it touches anything, and refuses a non-empty data directory unless forced
(then the previous contents are moved aside to ``<data_dir>.before-restore-<time>``, never deleted).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine

from chainkeeper import __version__
from chainkeeper.db import current_revision
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database/chainkeeper.db"
PG_FILE = "database/chainkeeper.pgdump"
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(ChainkeeperError):
    """A backup or restore cannot go on; ``message`` (untranslated) with ``params`` says why."""

    code = "backup_failed"

    def __init__(self, message: str, **params: object):
        super().__init__(message.format(**params))
        self.message, self.params = message, params


@dataclass
class Manifest:
    """What a backup holds."""

    created_at: str
    version: str
    database: dict
    files: dict[str, dict] = field(default_factory=dict)  # relative path → {"sha256", "size"}
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sqlite_path(engine: Engine) -> Path | None:
    """The SQLite database file behind ``engine``, or None for another database."""
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        return None
    return Path(engine.url.database).resolve()


def libpq_url(engine: Engine) -> str:
    """The engine's URL as pg_dump and pg_restore take it (no SQLAlchemy driver suffix)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


# ------------------------------------------------------------------------------------------------------- backup


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (writers may go on meanwhile)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.execute("PRAGMA busy_timeout=10000")
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _dump_postgres(engine: Engine, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError(_("pg_dump is not on PATH: install the PostgreSQL client of the server's version, or back "
                            "up the database yourself (see docs/operations.md) and pass --no-database"))
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), libpq_url(engine)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(_("pg_dump failed: {error}"), error=done.stderr.strip()[-500:])


def _data_files(data_dir: Path, skip: set[Path]) -> list[Path]:
    if not data_dir.is_dir():
        return []
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and p.resolve() not in skip)


def create_backup(engine: Engine, data_dir: Path, destination: Path, *, database: bool = True) -> Manifest:
    """Back up the database and the data directory to ``destination`` (a new directory, or a .tar / .tar.gz)."""
    archive = destination.name.endswith((".tar", ".tar.gz", ".tgz"))
    if destination.exists() and (archive or any(destination.iterdir())):
        raise BackupError(_("{path} already exists; choose a new place for the backup"), path=destination)
    with tempfile.TemporaryDirectory(prefix="chainkeeper-backup-") as scratch:
        root = Path(scratch) if archive else destination
        root.mkdir(parents=True, exist_ok=True)
        db_file = sqlite_path(engine)
        info: dict = {"kind": engine.dialect.name, "revision": current_revision(engine)}
        if database and db_file is not None:
            _copy_sqlite(db_file, root / SQLITE_FILE)
            info["file"] = SQLITE_FILE
        elif database:
            _dump_postgres(engine, root / PG_FILE)
            info["file"] = PG_FILE
        skip = {Path(f"{db_file}{suffix}") for suffix in ("", *_SQLITE_SIDE_FILES)} if db_file else set()
        for path in _data_files(data_dir, {p.resolve() for p in skip}):
            target = root / "files" / path.relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        manifest = Manifest(datetime.now(timezone.utc).isoformat(timespec="seconds"), __version__, info)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            manifest.files[path.relative_to(root).as_posix()] = {"sha256": sha256(path), "size": path.stat().st_size}
        (root / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        if archive:
            mode = "w:gz" if destination.name.endswith(("gz", ".tgz")) else "w"
            destination.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(destination, mode) as tar:
                for path in sorted(root.iterdir()):
                    tar.add(path, arcname=path.name)
    return manifest


# ------------------------------------------------------------------------------------------------------ restore


def _unpack(source: Path, scratch: Path) -> Path:
    if source.is_dir():
        return source
    if not tarfile.is_tarfile(source):
        raise BackupError(_("{path} is neither a backup directory nor a tar archive"), path=source)
    with tarfile.open(source) as tar:
        tar.extractall(scratch, filter="data")  # refuses absolute paths, "..", devices and links out of the tree
    return scratch


def verify_backup(root: Path) -> Manifest:
    """The manifest, after checking that every file it lists is there with its checksum (and nothing else)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(_("{path} has no readable manifest.json: {error}"), path=root, error=error) from None
    if manifest.format != FORMAT:
        raise BackupError(_("unknown backup format {format}"), format=manifest.format)
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {MANIFEST}
    for name in sorted(set(manifest.files) | present):
        expected = manifest.files.get(name)
        path = root / name
        if expected is None or not path.is_file() or sha256(path) != expected["sha256"]:
            raise BackupError(_("the backup is damaged: {file} does not match its checksum in the manifest"),
                              file=name)
    return manifest


def _move_aside(data_dir: Path) -> Path:
    aside = data_dir.with_name(f"{data_dir.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
    aside.mkdir(parents=True)
    for entry in list(data_dir.iterdir()):
        shutil.move(str(entry), aside / entry.name)
    return aside


def _restore_postgres(engine: Engine, dump: Path) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError(_("pg_restore is not on PATH: install the PostgreSQL client of the server's version"))
    done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           "--dbname", libpq_url(engine), str(dump)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(_("pg_restore failed: {error}"), error=done.stderr.strip()[-500:])


def restore_backup(engine: Engine, data_dir: Path, source: Path, *, force: bool = False) -> tuple[Manifest, Path | None]:
    """Restore ``source`` into ``data_dir`` and the database behind ``engine``; returns the manifest and where the
    previous contents went (with ``force``)."""
    with tempfile.TemporaryDirectory(prefix="chainkeeper-restore-") as scratch:
        root = _unpack(source, Path(scratch))
        manifest = verify_backup(root)
        kind = manifest.database.get("kind")
        if manifest.database.get("file") and kind != engine.dialect.name:
            raise BackupError(_("the backup holds a {kind} database but the configured one is {configured}"),
                              kind=kind, configured=engine.dialect.name)
        db_file = sqlite_path(engine)
        occupied = data_dir.is_dir() and any(data_dir.iterdir())
        occupied = occupied or (db_file is not None and db_file.exists())
        if kind == "postgresql" and current_revision(engine) is not None:
            occupied = True
        if occupied and not force:
            raise BackupError(_("{path} is not empty (or the database holds data); restore with --force to move the "
                                "current contents aside"), path=data_dir)
        aside = _move_aside(data_dir) if data_dir.is_dir() and any(data_dir.iterdir()) else None
        engine.dispose()
        if db_file is not None and db_file.exists():  # a database outside the data directory
            for suffix in ("", *_SQLITE_SIDE_FILES):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        data_dir.mkdir(parents=True, exist_ok=True)
        files = root / "files"
        if files.is_dir():
            shutil.copytree(files, data_dir, dirs_exist_ok=True)
        if manifest.database.get("file") == SQLITE_FILE and db_file is not None:
            db_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / SQLITE_FILE, db_file)
        elif manifest.database.get("file") == PG_FILE:
            _restore_postgres(engine, root / PG_FILE)
    return manifest, aside
