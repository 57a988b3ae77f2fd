"""Attachment checks: size and type, decided by the file's content, not its name."""

from __future__ import annotations

import hashlib
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
