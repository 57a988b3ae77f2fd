"""Celery tasks of the typical-case library: thin wrappers that retry with backoff,
and the after-commit helpers that queue them.

Imports run one way: services and importing → tasks → alerts → indexing → backends
(indexing and alerts never import this module).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from . import alerts, indexing
from .backends import SearchUnavailable

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (SearchUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(name="search.tasks.index_typical_cases", **RETRY)
def index_typical_cases(ids: list[int]) -> dict:
    return indexing.index_ids(ids)


@shared_task(name="search.tasks.reconcile_index", **RETRY)
def reconcile_index() -> dict:
    return indexing.reconcile()


@shared_task(name="search.tasks.alert_saved_searches", **RETRY)
def alert_saved_searches(typical_case_id: int) -> int:
    return alerts.alert_saved_searches(typical_case_id)


def queue_index(ids: Iterable[int]) -> None:
    """After the current transaction commits, queue indexing of `ids`."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return

    def enqueue():
        for start in range(0, len(ids), indexing.BATCH):
            _safe_delay(index_typical_cases, ids[start:start + indexing.BATCH])

    transaction.on_commit(enqueue)


def queue_alerts(typical_case_id: int) -> None:
    def enqueue():
        _safe_delay(alert_saved_searches, typical_case_id)

    transaction.on_commit(enqueue)


def _safe_delay(task, *args) -> None:
    """Queue a task; a failure to queue (or, eagerly, to run) never undoes the write that caused it."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - the reconciliation sweep repairs whatever this misses
        logger.warning("search: %s%r failed to run; the reconciliation sweep will catch up",
                       task.name, args, exc_info=True)
