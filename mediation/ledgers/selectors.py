"""Reads of ledger exports: only the person who asked for an export sees it (same 404 otherwise)."""

from __future__ import annotations

from django.http import Http404

from .models import LedgerExport
from .sheets import SHEETS


def export_get_for_user(user, export_id) -> LedgerExport:
    try:
        return LedgerExport.objects.get(pk=export_id, requested_by=user)
    except (LedgerExport.DoesNotExist, ValueError, TypeError):
        raise Http404("No export matches the given query.") from None


def export_row_count(user, kind: str, params: dict) -> int:
    """How many rows the export will have (shown before it starts)."""
    return SHEETS[kind](user, params).queryset.count()
