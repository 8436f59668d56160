"""``chainkeeper keys``, ``chainkeeper verify``, ``chainkeeper credentials`` and ``chainkeeper passes``.

``keys`` and ``verify`` never open the database: a checkpoint verifies with public key files and a revocation
list only. No command prints private key material.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chainkeeper.cli.common import console, error_console
from chainkeeper.errors import ChainkeeperError

keys_app = typer.Typer(help="Signing keys of certificates and passes (files under <data dir>/keys).")
credentials_app = typer.Typer(help="Signed certificates and passes.")
passes_app = typer.Typer(help="Vehicle passes.")

KeysDir = Annotated[Path | None, typer.Option("--keys-dir", help="Key directory (default: <data dir>/keys).")]


def _keys_dir(choice: Path | None) -> Path:
    from chainkeeper.core.keys import default_keys_dir

    return choice or default_keys_dir()


def _fail(error: Exception) -> None:
    error_console.print(f"[red]{error}[/red]", markup=True, highlight=False)
    raise typer.Exit(code=1)


@keys_app.command("generate")
def keys_generate(keys_dir: KeysDir = None) -> None:
    """Create the first Ed25519 signing key (refused when one exists)."""
    from chainkeeper.core.keys import generate_key

    try:
        kid = generate_key(_keys_dir(keys_dir))
    except ChainkeeperError as error:
        _fail(error)
    console.print(f"signing key {kid} created in {_keys_dir(keys_dir)}")


@keys_app.command("rotate")
def keys_rotate(keys_dir: KeysDir = None) -> None:
    """Create a new signing key; older keys stay and keep verifying what they signed."""
    from chainkeeper.core.keys import rotate_key

    console.print(f"signing key {rotate_key(_keys_dir(keys_dir))} is now current")


@keys_app.command("export-public")
def keys_export_public(out_dir: Annotated[Path, typer.Argument(help="Directory to write *.pub files to.")],
                       keys_dir: KeysDir = None) -> None:
    """Copy every public key (never a private one) to OUT_DIR for checkpoints."""
    from chainkeeper.core.keys import export_public

    written = export_public(_keys_dir(keys_dir), out_dir)
    console.print(f"{len(written)} public keys written to {out_dir}")


def verify(
    payload: Annotated[str, typer.Argument(help="The scanned payload (CK1.…) or a verify URL carrying it.")],
    public_key: Annotated[Path, typer.Option("--public-key", help="A .pub file or a directory of them.")],
    revocations: Annotated[Path | None, typer.Option("--revocations", help="A signed revocation list.")] = None,
    today: Annotated[str | None, typer.Option(help="Check as of this date (YYYY-MM-DD; default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
) -> None:
    """Verify a payload offline, without the database; exit 0 only when it is valid."""
    from chainkeeper.core.keys import load_public_keys
    from chainkeeper.credentials.payload import verify_payload
    from chainkeeper.credentials.revocations import load_revocations

    try:
        keys = load_public_keys(public_key)
        if not keys:
            raise ChainkeeperError(f"no public key found at {public_key}")
        revoked = load_revocations(revocations, keys) if revocations else set()
        day = date.fromisoformat(today) if today else date.today()
    except (ChainkeeperError, ValueError) as error:
        _fail(error)
    verdict = verify_payload(payload, public_keys=keys, revoked_ids=revoked, today=day)
    _print_verdict(verdict, as_json)
    raise typer.Exit(code=0 if verdict.ok else 1)


def _print_verdict(verdict, as_json: bool) -> None:
    claims = verdict.claims.as_dict() if verdict.claims else None
    if as_json:
        print(json.dumps({"status": verdict.status, "reason": verdict.reason, "claims": claims}, ensure_ascii=False))
        return
    console.print(f"{verdict.status.upper()}: {verdict.reason}", markup=False, highlight=False)
    for name, value in (claims or {}).items():
        console.print(f"  {name}: {value}", markup=False, highlight=False)


@credentials_app.command("revocations")
def export_revocation_list(out: Annotated[Path, typer.Option("--out", help="File to write the signed list to.")],
                           keys_dir: KeysDir = None) -> None:
    """Write the signed revocation list that offline verifiers load with --revocations."""
    from chainkeeper.cli.common import open_engine
    from chainkeeper.credentials.revocations import export_revocations
    from chainkeeper.db import unit_of_work

    try:
        with unit_of_work(open_engine()) as session:
            document = export_revocations(session=session, key_dir=_keys_dir(keys_dir))
    except ChainkeeperError as error:
        _fail(error)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"{len(document['revoked'])} revoked credentials written to {out}")


@passes_app.command("list")
def list_passes(status: Annotated[str | None, typer.Option(help="pending, approved, rejected or revoked.")] = None,
                ) -> None:
    """The newest vehicle passes (at most 200)."""
    from chainkeeper.cli.common import open_engine
    from chainkeeper.credentials.models import PassStatus
    from chainkeeper.credentials.passes import list_passes as newest
    from chainkeeper.db import unit_of_work

    table = Table("id", "number", "status", "plate", "origin", "destination", "goods", "valid")
    with unit_of_work(open_engine()) as session:
        for item in newest(session=session, status=PassStatus(status) if status else None):
            table.add_row(str(item.id), item.pass_number or "", item.status.value, item.plate, item.origin_code,
                          item.destination_code, item.goods_category, f"{item.valid_from} – {item.valid_until}")
    console.print(table)
