"""Ledger exports: a confirmation with the row count, then a progress page that refreshes
itself until the file is ready, then the download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from mediation.lib.idempotency import idempotent_post
from mediation.lib.security import no_store

from . import selectors, services
from .models import ExportStatus, LedgerKind
from .sheets import clean_params, describe_params

BACK = {
    LedgerKind.CASES: "case_list",
    LedgerKind.TASKS: "inbox",
    LedgerKind.OVERDUE: "clocks:overdue",
    LedgerKind.MATTERS: "supervision:matter_list",
}


@login_required
@idempotent_post
def start(request, kind):
    """The confirmation (GET) and the start of the export (POST, one export per click)."""
    if kind not in LedgerKind.values:
        raise Http404
    params = clean_params(kind, request.GET)
    if request.method == "POST":
        export = services.ledger_export_start(user=request.user, kind=kind, params=params)
        return redirect("ledgers:status", export.pk)
    back = reverse(BACK[kind])
    query = request.GET.urlencode()
    return render(
        request,
        "ledgers/start.html",
        {
            "kind": LedgerKind(kind),
            "params": describe_params(kind, params),
            "query": query,
            "rows": selectors.export_row_count(request.user, kind, params),
            "back": f"{back}?{query}" if query else back,
        },
    )


@login_required
def status(request, export_id):
    export = selectors.export_get_for_user(request.user, export_id)
    return render(
        request,
        "ledgers/status.html",
        {
            "export": export,
            "running": export.status in (ExportStatus.PENDING, ExportStatus.RUNNING),
            "done": export.status == ExportStatus.DONE,
        },
    )


@login_required
@no_store  # the ledger lists workers' names and phones
def download(request, export_id):
    export = selectors.export_get_for_user(request.user, export_id)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
