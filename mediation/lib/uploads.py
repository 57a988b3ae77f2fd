"""Attachment checks (size and type, decided by the file's content, not its name), and
uploaded files that live only as long as the transaction that stored them.

A FileField writes its file to storage when the row is saved, inside the transaction; if
that transaction rolls back, the row is gone but the file stays. `discard_on_rollback`
marks such a file; `remove_uncommitted` — run when each request and each Celery task ends —
deletes the marked files whose transaction rolled back. A process that dies mid-transaction
runs neither: `sweep_orphans`, from a beat job, deletes files that no row references once
they are older than a grace period.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
import zipfile
from collections.abc import Collection

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import request_finished
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}


def _office_type(upload) -> str | None:
    """DOCX and XLSX are ZIP files; tell them apart by their parts."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def inspect_upload(upload) -> tuple[str, str]:
    """Return (content_type, sha256) or raise ValidationError with a message for the user."""
    limit = settings.CONCORD_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size).1f MB，超过 %(limit)d MB 的上限。")
            % {"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip" or (mime and mime.startswith("application/vnd.openxmlformats")) or head[:2] == b"PK":
        mime = _office_type(upload)
    if mime not in ALLOWED:
        raise ValidationError(
            _("文件“%(name)s”的内容不是允许的类型（PDF、JPEG、PNG、DOCX、XLSX）。") % {"name": upload.name},
            code="bad_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return mime, digest.hexdigest()


# ---------------------------------------------------------------- files of rolled-back transactions

_local = threading.local()


class _Stored:
    """One file written inside a transaction; called (by on_commit) when it commits."""

    def __init__(self, storage, name: str, alias: str) -> None:
        self.storage, self.name, self.alias = storage, name, alias
        self.committed = False

    def __call__(self) -> None:
        self.committed = True


def _pending() -> list[_Stored]:
    if not hasattr(_local, "pending"):
        _local.pending = []
    return _local.pending


def discard_on_rollback(fieldfile, using: str | None = None) -> None:
    """Call right after saving a row with an uploaded file: unless the surrounding
    transaction commits, the file is deleted when the request or task ends."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block or not fieldfile.name:
        return  # autocommit: the row is already stored
    marker = _Stored(fieldfile.storage, fieldfile.name, connection.alias)
    transaction.on_commit(marker, using=using)
    _pending().append(marker)


def _still_waiting(marker: _Stored) -> bool:
    """Its transaction is still open and has not rolled back the part that stored it
    (Django drops the on-commit callbacks of a rolled-back savepoint)."""
    connection = connections[marker.alias]
    return connection.in_atomic_block and any(entry[1] is marker for entry in connection.run_on_commit)


def remove_uncommitted() -> int:
    """Delete the marked files whose transaction rolled back; returns how many."""
    pending, keep, removed = _pending(), [], 0
    for marker in pending:
        if marker.committed:
            continue
        if _still_waiting(marker):
            keep.append(marker)
            continue
        try:
            marker.storage.delete(marker.name)
            removed += 1
        except OSError as exc:  # the sweep will try again
            log.warning("could not remove the upload %s of a rolled-back transaction: %s", marker.name, exc)
    pending[:] = keep
    return removed


def forget_uncommitted() -> None:
    """Drop the marks without deleting anything: for a unit of work that ends without a request
    or task end (a test rolled back by its runner), so that a stale mark cannot later delete a new
    file that happens to reuse its name."""
    _pending().clear()


def _at_end(**kwargs) -> None:
    remove_uncommitted()


request_finished.connect(_at_end, dispatch_uid="concord_uploads_remove_uncommitted")
try:
    from celery.signals import task_postrun

    task_postrun.connect(_at_end, dispatch_uid="concord_uploads_remove_uncommitted", weak=False)
except ImportError:  # pragma: no cover - Celery is a dependency
    pass


def sweep_orphans(*, storage, directory: str, referenced: Collection[str],
                  older_than: datetime.timedelta = datetime.timedelta(hours=1)) -> list[str]:
    """Delete the files under `directory` of `storage` that no row references (`referenced`:
    the stored names) and that are older than `older_than` — a file younger than that may
    belong to a transaction still running. Returns the names removed."""
    cutoff = timezone.now() - older_than
    removed: list[str] = []

    def walk(path: str) -> None:
        try:
            dirs, files = storage.listdir(path)
        except FileNotFoundError:
            return
        for d in dirs:
            walk(f"{path}/{d}" if path else d)
        for f in files:
            name = f"{path}/{f}" if path else f
            if name in referenced or storage.get_modified_time(name) > cutoff:
                continue
            storage.delete(name)
            removed.append(name)

    walk(directory)
    return removed
