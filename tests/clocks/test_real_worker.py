"""End to end: a real `celery -A mediation worker -B` sweeps the clocks; a reminder arrives once.

The worker and its embedded beat run as a subprocess against a real broker: Redis when
CELERY_BROKER_URL is redis:// (CI's PostgreSQL + Redis pass), otherwise the filesystem
transport. The database must be one the subprocess can open: on PostgreSQL it is the
test database itself (committed data: transaction=True); on SQLite, pytest-django's
in-memory test database is copied into a file (sqlite3 backup) after seeding, and the
worker writes there. The beat runs the sweep every second from the real
CELERY_BEAT_SCHEDULE entry; the test waits for several sweeps after the reminder and
checks that each recipient got it exactly once, and that it was delivered by email.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mediation.clocks import services
from tests.factories.clocks import bare_case, start

ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).with_name("celery")
DEADLINE = 50  # seconds, for the whole wait


def _database_url(tmp_path: Path) -> tuple[str, callable]:
    """A URL the worker can use, and a function counting rows with raw SQL in that database."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

        def count(sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]

        return url, count
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()

    def count(sql):
        with sqlite3.connect(path, timeout=20) as db:
            return db.execute(sql).fetchone()[0]

    return f"sqlite:///{path}", count


def _wait(predicate, what: str, log: Path, deadline: float):
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    pytest.fail(f"timed out waiting for {what}; worker log tail:\n{tail}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_worker_and_beat_send_the_80_percent_reminder_exactly_once(people, ankang, tmp_path):
    today = timezone.localdate()
    case = bare_case(ankang["union:610902"], people["intake"])
    # D3: 15 days, reminder on day 12. Started 12 days ago: at 80 % today.
    due = start(case, "D3", today - datetime.timedelta(days=12), owner=people["mediator"])
    assert due.warn_on == today < due.due_on
    # Not yet at 80 %, and paused at 80 %: neither may fire.
    start(bare_case(ankang["union:610902"], people["intake"]), "D3", today - datetime.timedelta(days=5),
          owner=people["mediator"])
    paused_case = bare_case(ankang["union:610902"], people["intake"])
    start(paused_case, "D3", today - datetime.timedelta(days=12), owner=people["mediator"])
    services.clock_pause(subject=paused_case, rule_code="D3", reason="等待工伤认定", on=today, actor=people["head"])

    url, count = _database_url(tmp_path)
    broker = os.environ.get("CELERY_BROKER_URL", "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.clocks.worker_settings",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker if broker.startswith("redis://") else "filesystem://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "queue"),
        "CONCORD_VAR_DIR": str(tmp_path / "var"),
        "CONCORD_CLOCK_SWEEP_SECONDS": "1",
        "CLOCKS_TEST_QUEUE": f"clocks-test-{uuid.uuid4().hex[:12]}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = tmp_path / "worker.log"
    sweeps = "SELECT COUNT(*) FROM django_celery_results_taskresult WHERE status = 'SUCCESS' AND result LIKE '%batches%'"
    warnings = "SELECT COUNT(*) FROM notifications_notification WHERE verb = 'clock.warning'"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(CELERY), "-A", "mediation", "worker", "-B", "-P", "solo", "-l", "info", "-Q",
             env["CLOCKS_TEST_QUEUE"], "--without-mingle", "--without-gossip", "--without-heartbeat",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + DEADLINE
            _wait(lambda: count(warnings) >= 2, "the reminder", log, deadline)
            # The result of the sweep that sent it may be stored just after its notifications commit:
            # counting from here, three more sweeps certainly ran after the reminder was there.
            seen = count(sweeps)
            _wait(lambda: count(sweeps) >= seen + 3, "three more sweeps", log, deadline)
            _wait(lambda: count("SELECT COUNT(*) FROM notifications_notification WHERE verb = 'clock.warning' "
                                "AND emailed_at IS NOT NULL") == 2, "email delivery", log, deadline)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(5)

    # Exactly once per recipient (the owner and the committee head), whatever the number of sweeps.
    assert count(warnings) == 2
    rows = (f"SELECT COUNT(DISTINCT recipient_id) FROM notifications_notification "
            f"WHERE verb = 'clock.warning' AND dedupe_key = 'clock:{due.pk}:warning:{due.due_on:%Y%m%d}'")
    assert count(rows) == 2
    assert count("SELECT COUNT(*) FROM notifications_notification WHERE verb LIKE 'clock.%'") == 2
