"""Celery tasks of the clocks: the periodic reminder sweep (CELERY_BEAT_SCHEDULE).

The beat task plans the sweep (id ranges of BATCH_SIZE clocks needing a reminder)
and hands each range to `sweep_clock_range`, so several workers share a large day. The
ranges carry the sweep's name: a worker process loads the staff directory and the
calendars once per sweep, not once per range.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import asdict

from celery import group, shared_task
from django.utils import timezone

from .reminders import BATCH_SIZE, clocks_sweep_plan, clocks_sweep_range


@shared_task(bind=True, max_retries=3, retry_backoff=True, acks_late=True)
def sweep_clocks(self, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Plan today's reminders and queue one task per range. Safe to run twice at once or to
    retry: each reminder is inserted once (see reminders)."""
    today = timezone.localdate()
    try:
        ranges = clocks_sweep_plan(today=today, batch_size=batch_size)
    except Exception as exc:  # e.g. the database was briefly unreachable
        raise self.retry(exc=exc) from exc
    if ranges:
        sweep = uuid.uuid4().hex
        group(sweep_clock_range.s(lo, hi, today.isoformat(), batch_size, sweep) for lo, hi in ranges).apply_async()
    return {"batches": len(ranges)}


@shared_task(bind=True, max_retries=3, retry_backoff=True, acks_late=True)
def sweep_clock_range(
    self, lo: int, hi: int | None, today: str, batch_size: int = BATCH_SIZE, sweep: str | None = None,
) -> dict[str, int]:
    """One range of the sweep `sweep` planned on `today` (ISO date)."""
    try:
        stats = clocks_sweep_range(lo=lo, hi=hi, today=datetime.date.fromisoformat(today), batch_size=batch_size,
                                   sweep=sweep)
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    return asdict(stats)
