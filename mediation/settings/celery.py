"""Celery: Redis (or any broker URL) in production, a plain folder otherwise.

The filesystem transport needs no broker server, so `make run` starts a real
worker and beat on a laptop.
"""

import os
from datetime import timedelta
from pathlib import Path

_var = Path(os.environ.get("CONCORD_VAR_DIR", Path(__file__).resolve().parent.parent.parent / "var"))

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = Path(os.environ.get("CELERY_FILESYSTEM_DIR", _var / "celery-queue"))
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "store_processed": False,
        # Broadcast (pidbox) tables go beside the queue, not into the working directory.
        "control_folder": str(_queue_dir / "control"),
    }
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "django-db")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0") == "1"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Interval of the statutory-clock reminder sweep (seconds).
CONCORD_CLOCK_SWEEP_SECONDS = int(os.environ.get("CONCORD_CLOCK_SWEEP_SECONDS", "300"))

# Interval of the outbox sweep that retries email/SMS not yet delivered (seconds).
CONCORD_OUTBOX_SWEEP_SECONDS = int(os.environ.get("CONCORD_OUTBOX_SWEEP_SECONDS", "60"))

# How long a form's one-time token is remembered (one click, one record).
CONCORD_SUBMISSION_TOKEN_DAYS = int(os.environ.get("CONCORD_SUBMISSION_TOKEN_DAYS", "30"))

CELERY_BEAT_SCHEDULE = {
    "fire-viewflow-timers": {
        "task": "workflows.tasks.fire_due_timers",
        "schedule": timedelta(seconds=60),
    },
    "sweep-statutory-clocks": {
        "task": "mediation.clocks.tasks.sweep_clocks",
        "schedule": timedelta(seconds=CONCORD_CLOCK_SWEEP_SECONDS),
    },
    "mark-defaulted-agreements": {
        "task": "mediation.cases.tasks.mark_defaults",
        "schedule": timedelta(hours=6),
    },
    "deliver-notification-outbox": {
        "task": "mediation.notifications.tasks.deliver_outbox",
        "schedule": timedelta(seconds=CONCORD_OUTBOX_SWEEP_SECONDS),
    },
    "sweep-orphan-uploads": {
        "task": "mediation.cases.tasks.sweep_orphan_uploads",
        "schedule": timedelta(hours=6),
    },
    "purge-submission-tokens": {
        "task": "mediation.cases.tasks.purge_submission_tokens",
        "schedule": timedelta(days=1),
    },
    "reconcile-search-index": {
        "task": "search.tasks.reconcile_index",
        "schedule": timedelta(minutes=30),
    },
}
