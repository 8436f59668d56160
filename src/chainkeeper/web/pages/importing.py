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
from chainkeeper.registry.importing.access import describe_scope
from chainkeeper.registry.importing.limits import MB, web_limits
from chainkeeper.registry.importing.service import KINDS
from chainkeeper.web.deps import DbSession, own_transaction
from chainkeeper.web.pages.dashboard import forget_numbers
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Writer = Annotated[Principal, guard(policies.REGISTRY_WRITE)]
SHOWN_ISSUES = 500
KIND_NAMES = {"enterprises": _("Enterprises"), "products": _("Products"), "links": _("Supply links")}


def _form(request: Request, session, writer: Principal, *, status_code: int = 200, **context) -> Response:
    limits = web_limits()
    return render(request, session, "import.html", status_code=status_code, kinds=KIND_NAMES,
                  shown=SHOWN_ISSUES, max_rows=f"{limits.rows:,}", max_mb=limits.file_bytes // MB,
                  scope=describe_scope(writer, request_language(request)), **context)


@router.get("/import")
def import_page(request: Request, session: DbSession, writer: Writer) -> Response:
    """The upload form."""
    return _form(request, session, writer, kind="enterprises", dry_run=False)


def _chosen(upload: UploadFile | None) -> bool:
    """True when a file was chosen (its size is checked by the reader, which streams it from the spooled upload)."""
    return upload is not None and bool(upload.filename)


@router.post("/import")
@own_transaction
async def run_import(request: Request, session: DbSession, writer: Writer,
                     file: Annotated[UploadFile | None, File()] = None, kind: Annotated[str, Form()] = "",
                     dry_run: Annotated[bool, Form()] = False) -> Response:
    """Validate every row; write all of them (unless a dry run) only when none is bad."""
    language = request_language(request)
    limits = web_limits()
    if kind not in KINDS or not _chosen(file):
        problem = _("Choose what the file holds.") if kind not in KINDS else _(
            "Choose a CSV or XLSX file (at most {size} MB).")
        return _form(request, session, writer, status_code=422, kind=kind or "enterprises", dry_run=dry_run,
                     problem=translate(problem, language, size=limits.file_bytes // MB))
    actor = actor_of(writer, client_address(request))  # the import audits itself, in its own transaction
    report = await run_in_threadpool(import_file, request.app.state.engine, kind, file.filename, data=file.file,
                                     language=language, dry_run=dry_run, actor=actor, principal=writer,
                                     limits=limits)
    if report.ok and not dry_run:
        forget_numbers(request.app)
    return _form(request, session, writer, status_code=200 if report.ok else 422, kind=kind, dry_run=dry_run,
                 report=report)
