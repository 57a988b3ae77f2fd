"""Celery tasks of the typical-case library: thin wrappers that retry with backoff."""

from __future__ import annotations

from celery import shared_task

from .backends import SearchUnavailable

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
    from .indexing import index_ids

    return index_ids(ids)


@shared_task(name="search.tasks.reconcile_index", **RETRY)
def reconcile_index() -> dict:
    from .indexing import reconcile

    return reconcile()


@shared_task(name="search.tasks.alert_saved_searches", **RETRY)
def alert_saved_searches(typical_case_id: int) -> int:
    from .alerts import alert_saved_searches as run

    return run(typical_case_id)
