"""The import page: upload a CSV/XLSX of enterprises, products or links; see row-level errors or what was written."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from chainkeeper.auth import policies
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import client_address, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.registry.importing import import_file
from chainkeeper.registry.importing.service import KINDS
from chainkeeper.web.deps import DbSession, own_transaction
from chainkeeper.web.pages.dashboard import forget_numbers
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Writer = Annotated[Principal, guard(policies.REGISTRY_WRITE)]
MAX_UPLOAD = 50 * 1024 * 1024
SHOWN_ISSUES = 500
KIND_NAMES = {"enterprises": _("Enterprises"), "products": _("Products"), "links": _("Supply links")}


def _form(request: Request, session, *, status_code: int = 200, **context) -> Response:
    return render(request, session, "import.html", status_code=status_code, kinds=KIND_NAMES,
                  shown=SHOWN_ISSUES, **context)


@router.get("/import")
def import_page(request: Request, session: DbSession, _writer: Writer) -> Response:
    """The upload form."""
    return _form(request, session, kind="enterprises", dry_run=False)


async def _read_upload(upload: UploadFile | None) -> bytes | None:
    """The uploaded bytes, or None when no file was chosen or it is too large."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_UPLOAD + 1)
    return data if len(data) <= MAX_UPLOAD else None


@router.post("/import")
@own_transaction
async def run_import(request: Request, session: DbSession, writer: Writer,
                     file: Annotated[UploadFile | None, File()] = None, kind: Annotated[str, Form()] = "",
                     dry_run: Annotated[bool, Form()] = False) -> Response:
    """Validate every row; write all of them (unless a dry run) only when none is bad."""
    language = request_language(request)
    data = await _read_upload(file)
    if kind not in KINDS or data is None:
        problem = _("Choose what the file holds.") if kind not in KINDS else _(
            "Choose a CSV or XLSX file (at most 50 MB).")
        return _form(request, session, status_code=422, kind=kind or "enterprises", dry_run=dry_run,
                     problem=translate(problem, language))
    actor = actor_of(writer, client_address(request))  # the import audits itself, in its own transaction
    report = await run_in_threadpool(import_file, request.app.state.engine, kind, file.filename, data=data,
                                     language=language, dry_run=dry_run, actor=actor)
    if report.ok and not dry_run:
        forget_numbers(request.app)
    return _form(request, session, status_code=200 if report.ok else 422, kind=kind, dry_run=dry_run,
                 report=report)
