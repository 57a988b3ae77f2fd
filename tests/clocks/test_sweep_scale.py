"""The reminder sweep at scale: ranges handled exactly once, HOT cursor updates, several real
workers (docs/reminder_sweep.md, bench/clock_sweep.py)."""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import namedtuple
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mediation.clocks.models import Clock, ReminderStage
from mediation.clocks.reminders import (
    Directory,
    _save_cursor,
    clocks_sweep,
    clocks_sweep_plan,
    clocks_sweep_range,
    next_reminder_day,
    sweep_context,
)
from mediation.notifications.models import Delivery, Notification
from tests.factories.clocks import bare_case, start

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
# D3: 15 calendar days, reminder on day 12. Started 2026-03-02: warns on 3-14, due 3-17.
STARTED, WARN, DUE = D(2026, 3, 2), D(2026, 3, 14), D(2026, 3, 17)


def at(day: datetime.date, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI), tick=False)


def due_clocks(ankang, people, n: int) -> list[Clock]:
    return [start(bare_case(ankang["union:610902"], people["intake"]), "D3", STARTED, owner=people["mediator"])
            for _ in range(n)]


def warned(clock_ids) -> set[int]:
    keys = Notification.objects.filter(verb="clock.warning").values_list("dedupe_key", flat=True)
    return {int(key.split(":")[1]) for key in keys} & set(clock_ids)


def test_a_range_sends_the_reminders_of_its_clocks_once_and_no_others(ankang, people):
    ids = sorted(c.pk for c in due_clocks(ankang, people, 9))
    with at(WARN):
        plan = clocks_sweep_plan(today=WARN, batch_size=3)
        assert plan == [(ids[0], ids[3] - 1), (ids[3], ids[6] - 1), (ids[6], None)]
        lo, hi = plan[1]
        first = clocks_sweep_range(lo=lo, hi=hi, today=WARN, batch_size=3)
        again = clocks_sweep_range(lo=lo, hi=hi, today=WARN, batch_size=3)
    assert (first.clocks, first.batches, first.notifications) == (3, 1, 6)  # owner + committee head each
    assert (again.clocks, again.notifications) == (0, 0)  # its clocks moved past today
    assert warned(ids) == set(ids[3:6])
    stages = dict(Clock.objects.filter(pk__in=ids).values_list("pk", "reminder_stage"))
    assert {pk for pk, stage in stages.items() if stage == ReminderStage.WARNING} == set(ids[3:6])
    with at(WARN):
        rest = clocks_sweep(batch_size=3)
    assert (rest.clocks, rest.notifications) == (6, 12)
    assert warned(ids) == set(ids)
    assert Notification.objects.filter(verb="clock.warning").count() == 18  # 9 × 2, none twice


def test_a_range_larger_than_a_batch_takes_several_transactions(ankang, people):
    ids = sorted(c.pk for c in due_clocks(ankang, people, 5))
    with at(WARN):
        stats = clocks_sweep_range(lo=ids[0], hi=None, today=WARN, batch_size=2)
    assert (stats.clocks, stats.batches, stats.notifications) == (5, 3, 10)
    assert set(Clock.objects.filter(pk__in=ids).values_list("next_reminder_on", flat=True)) == {DUE}


def test_one_notification_per_recipient_with_the_case_number_and_link(ankang, people):
    """The grouped insert (one text per clock) still gives each recipient a row of their own."""
    case = bare_case(ankang["union:610902"], people["intake"])
    start(case, "D3", STARTED)  # no owner: the agency's handlers and its committee head
    with at(WARN):
        clocks_sweep()
    rows = list(Notification.objects.filter(verb="clock.warning").order_by("recipient_id"))
    assert len(rows) == len({n.recipient_id for n in rows}) >= 2
    assert {n.url for n in rows} == {f"/cases/{case.pk}/"}
    assert all(case.case_no in n.text and "2026年3月17日" in n.text for n in rows)
    assert Delivery.objects.filter(notification__in=rows).count() == len(rows)  # one email each


def test_the_cursor_update_agrees_with_next_reminder_day(ankang, people):
    """The cursor's next day is worked out by the database on PostgreSQL (reminders._save_cursor):
    for every stage it must be the day `next_reminder_day` gives (services use that one)."""
    clocks = due_clocks(ankang, people, 4)
    rows = list(Clock.objects.filter(pk__in=[c.pk for c in clocks]).order_by("pk"))
    stages = [ReminderStage.NONE, ReminderStage.WARNING, ReminderStage.DUE, ReminderStage.OVERDUE]
    _save_cursor(rows, [int(stage) for stage in stages])
    for clock, stage in zip(rows, stages, strict=True):
        clock.refresh_from_db()
        assert clock.reminder_stage == stage
        assert clock.next_reminder_on == next_reminder_day(stage, clock.warn_on, clock.due_on)
    assert [c.next_reminder_on for c in rows] == [WARN, DUE, DUE + datetime.timedelta(days=1), None]


def test_the_ranges_of_one_sweep_share_its_directory_in_a_worker(db):
    with at(WARN):
        first = sweep_context("sweep-a", WARN)
        assert sweep_context("sweep-a", WARN) is first
        assert sweep_context("sweep-b", WARN) is not first  # the next sweep reloads staff and calendars
        assert sweep_context(None, WARN) is not sweep_context(None, WARN)


def test_recipients_are_worked_out_once_per_combination(ankang, people, django_assert_num_queries):
    directory = Directory()
    Row = namedtuple("Row", "owner_id agency_id case_agency_id")
    row = Row(people["mediator"].pk, None, ankang["union:610902"].pk)
    with django_assert_num_queries(0):
        warning = directory.recipients(row, ReminderStage.WARNING)
        again = directory.recipients(Row(*row), ReminderStage.WARNING)
        overdue = directory.recipients(row, ReminderStage.OVERDUE)
    assert again is warning
    assert set(warning) == {people["mediator"].pk, people["head"].pk}
    assert set(overdue) == set(warning) | {people["supervisor"].pk}


def test_no_index_holds_a_column_the_sweep_writes():
    """The sweep's UPDATE must stay a HOT update on PostgreSQL: an index (or an index
    predicate) on reminder_stage or next_reminder_on would make it rewrite every index."""
    written = {"reminder_stage", "next_reminder_on"}
    meta = Clock._meta
    for index in [*meta.indexes, *meta.constraints]:
        columns = set(getattr(index, "fields", ()) or ())
        condition = getattr(index, "condition", None)
        if condition is not None:
            columns |= {child[0].split("__")[0] for child in condition.flatten() if isinstance(child, tuple)}
        assert not columns & written, index.name
    assert not any(meta.get_field(name).db_index for name in written)


@pytest.mark.postgres
def test_the_cursor_update_is_a_hot_update_on_postgresql(ankang, people):
    if connection.vendor != "postgresql":
        pytest.skip("HOT updates are PostgreSQL's")
    ids = [c.pk for c in due_clocks(ankang, people, 6)]

    def counters():
        with connection.cursor() as cursor:  # this transaction's own counts, not yet flushed
            cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                           "WHERE relname = 'clocks_clock'")
            return cursor.fetchone()

    before = counters()
    with at(WARN):
        assert clocks_sweep().clocks == 6
    after = counters()
    assert after[0] - before[0] == 6  # one cursor update per clock …
    assert after[1] - before[1] == 6  # … each of them HOT: no index entry written
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'clocks_clock'")
        assert "fillfactor=50" in (cursor.fetchone()[0] or [])
    assert warned(ids) == set(ids)


ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).with_name("celery")


@pytest.mark.services
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_real_workers_send_each_reminder_once(people, ankang, tmp_path):
    """Two `celery worker` processes share the ranges of two sweeps queued at once (two beats),
    and every range is also delivered a second time: each reminder arrives once."""
    if connection.vendor != "postgresql":
        pytest.skip("two workers writing at once need PostgreSQL (SQLite serialises writers)")
    today = timezone.localdate()
    clocks = [start(bare_case(ankang["union:610902"], people["intake"]), "D3", today - datetime.timedelta(days=12),
                    owner=people["mediator"]) for _ in range(15)]
    assert all(c.warn_on == today for c in clocks)
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.clocks.worker_settings",
        "DATABASE_URL": f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        "CELERY_BROKER_URL": broker if broker.startswith("redis://") else "filesystem://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "queue"),
        "CONCORD_VAR_DIR": str(tmp_path / "var"),
        "CLOCKS_TEST_QUEUE": f"clocks-test-{uuid.uuid4().hex[:12]}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    logs = [tmp_path / f"worker{i}.log" for i in (1, 2)]
    workers = [
        subprocess.Popen(
            [str(CELERY), "-A", "mediation", "worker", "-P", "solo", "-n", f"w{i}-{env['CLOCKS_TEST_QUEUE']}@%h",
             "-l", "info", "-Q", env["CLOCKS_TEST_QUEUE"], "--without-mingle", "--without-gossip",
             "--without-heartbeat", "--prefetch-multiplier", "1"],
            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        for i, log in enumerate(logs, 1)
    ]

    def tail() -> str:
        return "\n".join(log.read_text(errors="replace")[-2000:] for log in logs if log.exists())

    def wait(predicate, what: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            if predicate():
                return
            if any(w.poll() is not None for w in workers):
                pytest.fail(f"a worker stopped while waiting for {what}:\n{tail()}")
            time.sleep(0.3)
        pytest.fail(f"timed out waiting for {what}:\n{tail()}")

    def results() -> tuple[list[dict], list[dict]]:
        """The stored results of the sweeps (their plan) and of the range tasks."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT result FROM django_celery_results_taskresult WHERE status = 'SUCCESS'")
            found = [json.loads(row[0]) for row in cursor.fetchall()]
        found = [r for r in found if isinstance(r, dict)]
        return [r for r in found if set(r) == {"batches"}], [r for r in found if "clocks" in r]

    try:
        deadline = time.monotonic() + 60
        wait(lambda: all(log.exists() and " ready." in log.read_text(errors="replace") for log in logs),
             "the workers", deadline)
        # The tasks are sent through the workers' broker and queue (this process's app is eager).
        sender = subprocess.run(
            [sys.executable, "-c", (
                "import django; django.setup()\n"
                "from mediation.clocks.reminders import clocks_sweep_plan\n"
                "from mediation.clocks.tasks import sweep_clock_range, sweep_clocks\n"
                "from django.utils import timezone\n"
                "today = timezone.localdate()\n"
                "plan = clocks_sweep_plan(today=today, batch_size=2)\n"
                "sweep_clocks.apply_async(kwargs={'batch_size': 2})\n"
                "sweep_clocks.apply_async(kwargs={'batch_size': 2})\n"
                "for lo, hi in plan:\n"
                "    sweep_clock_range.apply_async(args=[lo, hi, today.isoformat(), 2, 'redelivered'])\n"
                "print(len(plan))\n")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
        planned = int(sender.stdout.strip().splitlines()[-1])
        assert planned == 8  # 15 clocks in ranges of 2

        def all_done() -> bool:
            beats, ranges = results()
            return len(beats) == 2 and len(ranges) == sum(b["batches"] for b in beats) + planned

        wait(all_done, "every task of both sweeps", deadline)
    finally:
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
        for w in workers:
            try:
                w.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(w.pid, signal.SIGKILL)
                w.wait(5)

    _, ranges = results()
    assert sum(r["notifications"] for r in ranges) == 30
    assert all("sweep_clock_range[" in log.read_text(errors="replace") for log in logs), "both workers took ranges"
    sent = Notification.objects.filter(verb="clock.warning")
    assert sent.count() == 30  # 15 clocks × (owner + committee head), whoever ran which range how often
    assert sent.values("recipient_id", "dedupe_key").distinct().count() == 30
    assert Delivery.objects.filter(notification__verb="clock.warning").count() == 30
    assert set(Clock.objects.filter(pk__in=[c.pk for c in clocks]).values_list("reminder_stage", flat=True)) == {
        ReminderStage.WARNING}
