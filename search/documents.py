"""The search document of a typical case: the same dict feeds both backends."""

from __future__ import annotations

from django.utils import timezone

from .models import TypicalCase
from .permissions import document_access

# Stored fields shown in results and on the similar-case lists.
DISPLAY_FIELDS = (
    "id", "title", "county", "year", "dispute_type", "outcome", "channel", "agencies", "tags",
    "amount", "workers_count", "summary", "handling", "significance", "status", "published_at", "topics",
)


def sort_date(year: int, published_at) -> int:
    """Newest first by the case's year, then by publication time."""
    seconds = int(published_at.timestamp()) if published_at else 0
    return int(year) * 10**10 + seconds


def document_for(tc: TypicalCase, topics: list[str] | None = None) -> dict:
    """The search document; `topics` (names) may be passed for a case not in the database (benchmarks)."""
    body = "\n".join(t for t in (tc.summary, tc.handling, tc.significance, tc.legal_basis) if t)
    published = timezone.localtime(tc.published_at).isoformat() if tc.published_at else None
    doc = {
        "id": tc.id,
        "version": tc.version,
        "status": tc.status,
        "title": tc.title,
        "tags": [str(t) for t in tc.tags],
        "topics": list(topics) if topics is not None else tc.topic_names,
        "body": body,
        "summary": tc.summary,
        "handling": tc.handling,
        "significance": tc.significance,
        "county": tc.county_label,
        "county_code": tc.county,
        "year": int(tc.year),
        "dispute_type": tc.dispute_type_label,
        "agencies": tc.agency_labels,
        "channel": tc.channel_label,
        "outcome": tc.outcome_label,
        "amount": float(tc.amount_yuan),
        "workers_count": int(tc.workers_count),
        "published_at": published,
        "sort_date": sort_date(tc.year, tc.published_at),
    }
    doc.update(document_access(tc))
    return doc
