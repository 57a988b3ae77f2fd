"""Ledger exports: asked for from a list, written by a Celery task with its progress stored."""

from __future__ import annotations

import logging
import tempfile
from itertools import islice

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import ExportStatus, LedgerExport
from .sheets import SHEETS, clean_params

logger = logging.getLogger(__name__)

# Rows fetched per database round trip and written between two progress updates.
CHUNK = 2000


@transaction.atomic
def ledger_export_start(*, user, kind: str, params) -> LedgerExport:
    """Record the export with the list's current filters; the file is written after commit."""
    from .tasks import ledger_export_build_task

    if kind not in SHEETS:
        raise ValueError(kind)
    export = LedgerExport.objects.create(
        kind=kind, params=clean_params(kind, params), requested_by=user
    )
    transaction.on_commit(lambda: ledger_export_build_task.delay(export.pk))
    return export


def ledger_export_build(export_id: int) -> LedgerExport:
    """Write the .xlsx in openpyxl's write-only mode, streaming the rows from the database in
    chunks: memory stays flat however many rows. Idempotent: a finished export is left alone."""
    export = LedgerExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return export
    sheet = SHEETS[export.kind](export.requested_by, export.params)
    total = sheet.queryset.count()
    LedgerExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, rows_total=total, rows_done=0
    )
    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            workbook = Workbook(write_only=True)
            ws = workbook.create_sheet(str(sheet.title)[:31])
            for i, column in enumerate(sheet.columns):
                ws.column_dimensions[_letter(i)].width = column.width
            bold = Font(bold=True)
            ws.append([_cell(ws, str(c.header), font=bold) for c in sheet.columns])
            formats = [c.number_format for c in sheet.columns]
            done = 0
            rows = sheet.queryset.iterator(chunk_size=CHUNK)
            while chunk := list(islice(rows, CHUNK)):
                for row in sheet.rows(chunk):
                    ws.append(
                        [
                            _cell(ws, v, number_format=f) if f and v is not None else v
                            for v, f in zip(row, formats, strict=True)
                        ]
                    )
                done += len(chunk)
                LedgerExport.objects.filter(pk=export.pk).update(rows_done=done)
            workbook.save(tmp.name)
            export.refresh_from_db()
            with open(tmp.name, "rb") as fh:
                export.file.save(f"ledger-{export.pk}.xlsx", File(fh), save=False)
        export.status, export.rows_done, export.finished_at = (
            ExportStatus.DONE,
            done,
            timezone.now(),
        )
        export.save(update_fields=["file", "status", "rows_done", "finished_at"])
    except Exception as exc:
        logger.exception("ledger export %s failed", export.pk)
        LedgerExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=_("导出失败：%(e)s") % {"e": exc.__class__.__name__}
        )
        export.refresh_from_db()
    return export


def _cell(ws, value, *, number_format=None, font=None):
    cell = WriteOnlyCell(ws, value=value)
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
