"""Celery tasks of the clocks: the periodic reminder sweep (CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from .reminders import clocks_sweep


@shared_task(bind=True, max_retries=3, retry_backoff=True, acks_late=True)
def sweep_clocks(self) -> dict[str, int]:
    """Safe to run twice at once or to retry: each reminder is inserted once (see reminders)."""
    try:
        return asdict(clocks_sweep())
    except Exception as exc:  # e.g. the database was briefly unreachable
        raise self.retry(exc=exc) from exc
