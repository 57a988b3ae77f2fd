"""Settings of bench/clock_sweep.py and of the Celery workers it starts (not a package: the
bench puts bench/ on PYTHONPATH).

The production settings module with the bench's own queue, so that no other worker on a
shared Redis takes its tasks, and notification delivery routed to a queue no worker reads:
the bench measures the sweep (reminders written), not the mail server.
"""

import os

from mediation.settings.base import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_SWEEP_QUEUE"]
CELERY_TASK_ROUTES = {
    "mediation.notifications.tasks.deliver_notifications": {
        "queue": os.environ["BENCH_SWEEP_QUEUE"] + "-delivery"
    },
}
CELERY_TASK_IGNORE_RESULT = True
