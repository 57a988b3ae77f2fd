"""Settings of bench/clock_sweep.py and of the Celery workers it starts (not a package: the
bench puts bench/ on PYTHONPATH).

The production settings module with the bench's own queue, so that no other worker on a
shared Redis takes its tasks, and notification delivery routed to a queue no worker reads:
the bench measures the sweep (reminders written), not the mail server.

Each finished task of the sweep pushes its end time, and the CPU time it cost its
PostgreSQL backend, to a Redis list of the bench's own (`<queue>:done`): the bench waits on
that list, not on the database, so that waiting adds no load to the PostgreSQL it measures,
and it times the sweep up to the last range's commit. Celery closes the database connection
after each task, as in production (unless CELERY_DB_REUSE_MAX is set).
"""

import os
import time

from celery.signals import task_postrun

from mediation.settings.base import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_SWEEP_QUEUE"]
CELERY_TASK_ROUTES = {
    "mediation.notifications.tasks.deliver_notifications": {
        "queue": os.environ["BENCH_SWEEP_QUEUE"] + "-delivery"
    },
}
CELERY_TASK_IGNORE_RESULT = True
DONE_KEY = os.environ["BENCH_SWEEP_QUEUE"] + ":done"
_redis = []
_backend_cpu: dict[int, float] = {}  # CPU seconds of each backend this worker has used, at its last task's end


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:  # PostgreSQL on another machine or in another PID namespace: not measured
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@task_postrun.connect
def _task_done(sender=None, state=None, **_):
    """Runs before Celery's own task_postrun handler closes the database connection (it was
    connected first): reads the CPU the task cost its PostgreSQL backend."""
    if sender is None or not sender.name.startswith("mediation.clocks.tasks."):
        return
    from django.db import connection

    pg_cpu = 0.0
    if connection.connection is not None:
        pid = connection.connection.info.backend_pid
        now = _cpu_seconds(pid)
        pg_cpu, _backend_cpu[pid] = now - _backend_cpu.get(pid, 0.0), now
    if not _redis:
        import redis

        _redis.append(redis.Redis.from_url(CELERY_BROKER_URL))  # noqa: F405
    kind = "range" if sender.name.endswith(".sweep_clock_range") else "plan"
    _redis[0].rpush(DONE_KEY, f"{kind} {time.time():.6f} {state} {os.getpid()} {pg_cpu:.3f}")


if os.environ.get("CELERY_DB_REUSE_MAX"):
    # Celery closes the database connection after every task unless told to keep it for
    # 2 × CELERY_DB_REUSE_MAX tasks (celery.fixups.django).
    CELERY_DB_REUSE_MAX = int(os.environ["CELERY_DB_REUSE_MAX"])
