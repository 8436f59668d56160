"""``chainkeeper backup DEST``, ``chainkeeper restore SRC`` and ``chainkeeper db downgrade|current``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainkeeper.backup import BackupError, create_backup, restore_backup
from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.config import get_settings
from chainkeeper.db import current_revision, downgrade
from chainkeeper.i18n import _, translate


def _fail(error: BackupError) -> typer.Exit:
    error_console.print(translate(error.message, language(None), **error.params), markup=False, highlight=False)
    return typer.Exit(code=1)


def backup(
    destination: Annotated[Path, typer.Argument(help="A new directory, or a file ending in .tar or .tar.gz.")],
    no_database: Annotated[bool, typer.Option("--no-database", help="Only the data directory's files.")] = False,
) -> None:
    """Back up the database (SQLite online backup, or pg_dump), signing keys, attachments and every other file of
    the data directory, with a manifest of checksums."""
    engine = open_engine(migrate=False)
    try:
        manifest = create_backup(engine, get_settings().data_dir, destination, database=not no_database)
    except BackupError as error:
        raise _fail(error) from None
    finally:
        engine.dispose()
    console.print(translate(_("backup written to {path}: {files} files, database at migration {revision}"),
                            language(None), path=destination, files=len(manifest.files),
                            revision=manifest.database.get("revision")))


def restore(
    source: Annotated[Path, typer.Argument(help="A backup directory or archive made by `chainkeeper backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a data directory (and database) that holds "
                                                         "data; its contents are moved aside, not deleted.")] = False,
) -> None:
    """Restore a backup into the configured data directory and database, after verifying every checksum."""
    engine = open_engine(migrate=False)
    try:
        manifest, aside = restore_backup(engine, get_settings().data_dir, source, force=force)
    except BackupError as error:
        raise _fail(error) from None
    finally:
        engine.dispose()
    lang = language(None)
    if aside is not None:
        console.print(translate(_("the previous contents were moved to {path}"), lang, path=aside))
    console.print(translate(_("restored the backup of {created} (migration {revision}); run `chainkeeper audit "
                              "verify` and start the server"), lang, created=manifest.created_at,
                            revision=manifest.database.get("revision")))


def db_downgrade(revision: Annotated[str, typer.Argument(help="The migration to go back to, e.g. 0010_desk_queue_"
                                                              "indexes, -1 for one step, or base.")]) -> None:
    """Undo migrations down to REVISION (take a backup first: a downgrade drops the newer tables' data)."""
    engine = open_engine(migrate=False)
    try:
        downgrade(engine, revision)
        console.print(translate(_("database is at migration {revision}"), language(None),
                                revision=current_revision(engine) or "base"))
    finally:
        engine.dispose()


def db_current() -> None:
    """Show the migration the database is at."""
    engine = open_engine(migrate=False)
    try:
        console.print(current_revision(engine) or "base")
    finally:
        engine.dispose()
