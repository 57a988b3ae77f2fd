"""The reminder sweep: who is told, when, and exactly once."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from mediation.clocks import services
from mediation.clocks.models import Clock, ReminderStage
from mediation.clocks.reminders import clocks_sweep, clocks_sweep_plan
from mediation.clocks.tasks import sweep_clock_range, sweep_clocks
from mediation.notifications.models import Notification
from mediation.notifications.services import Message, notify_many
from tests.factories.clocks import bare_case, start

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def case(ankang, people):
    return bare_case(ankang["union:610902"], people["intake"], lead_mediator=people["mediator"])


def recipients(verb):
    return set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def test_warning_at_eighty_percent_goes_to_owner_and_committee_head(case, people):
    clock = start(case, "D3", D(2026, 3, 2), owner=people["mediator"])  # due 3-17, warning on day 12 = 3-14
    with at(D(2026, 3, 13)):
        assert clocks_sweep().notifications == 0
    with at(D(2026, 3, 14)):
        stats = clocks_sweep()
    assert (stats.clocks, stats.notifications) == (1, 2)
    assert recipients("clock.warning") == {"hb_mediator", "hb_head"}
    text = Notification.objects.filter(verb="clock.warning").first().text
    assert case.case_no in text and "2026年3月17日" in text and "剩余3天" in text
    assert Notification.objects.filter(verb="clock.warning").first().url == f"/cases/{case.pk}/"
    clock.refresh_from_db()
    assert (clock.reminder_stage, clock.next_reminder_on) == (ReminderStage.WARNING, D(2026, 3, 17))


def test_working_day_warning_counts_working_days(case, people):
    start(case, "D2", D(2026, 2, 12), owner=people["head"])  # 3 W: 2-13, 2-14 (make-up), 2-24; warn day 2 = 2-14
    with at(D(2026, 2, 14)):
        clocks_sweep()
    assert "剩余1个工作日" in Notification.objects.get(verb="clock.warning").text


def test_due_day_and_overdue_reach_the_city_supervisor_only_when_overdue(case, people):
    start(case, "D3", D(2026, 3, 2), owner=people["mediator"])
    with at(D(2026, 3, 17)):
        clocks_sweep()
    assert recipients("clock.due") == {"hb_mediator", "hb_head"}
    assert recipients("clock.warning") == set()  # the due-day reminder replaces a missed warning
    with at(D(2026, 3, 19)):
        clocks_sweep()
    assert recipients("clock.overdue") == {"hb_mediator", "hb_head", "city_supervisor"}
    assert "已逾期2天" in Notification.objects.filter(verb="clock.overdue").first().text
    with at(D(2026, 3, 25)):
        assert clocks_sweep().clocks == 0  # nothing more to say about this due date


def test_unassigned_clock_goes_to_the_agency_handlers(case, people, ankang):
    referral_agency = ankang["arbitration:610902"]
    start(case, "D13", D(2026, 3, 2), agency=referral_agency)  # no owner: the task is not taken yet
    with at(D(2026, 3, 6)):
        clocks_sweep()
    # Liaison of the arbitration institute, plus the committee head of the case's union.
    assert recipients("clock.warning") == {"hb_arb", "hb_head"}


def test_paused_clock_never_fires(case, people):
    start(case, "D3", D(2026, 3, 2), owner=people["mediator"])
    services.clock_pause(subject=case, rule_code="D3", reason="等待工伤认定", on=D(2026, 3, 5),
                         actor=people["head"])
    for day in (D(2026, 3, 14), D(2026, 3, 17), D(2026, 3, 30)):
        with at(day):
            assert clocks_sweep().notifications == 0
    assert not Notification.objects.filter(verb__startswith="clock.").exists()
    # Resumed, the moved dates fire.
    services.clock_resume(subject=case, rule_code="D3", on=D(2026, 4, 1), actor=people["head"])
    with at(D(2026, 4, 14)):  # due 3-17 + 27 paused days = 4-13, so 4-14 is overdue
        clocks_sweep()
    assert recipients("clock.overdue") == {"hb_mediator", "hb_head", "city_supervisor"}


def test_stopped_clock_never_fires(case, people):
    start(case, "D3", D(2026, 3, 2), owner=people["mediator"])
    services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 10))
    with at(D(2026, 3, 20)):
        assert clocks_sweep().notifications == 0


def test_two_sweeps_in_a_row_send_one_reminder(case, people, django_capture_on_commit_callbacks):
    start(case, "D3", D(2026, 3, 2), owner=people["mediator"])
    with at(D(2026, 3, 14)), django_capture_on_commit_callbacks(execute=True):
        first = clocks_sweep()
        # A second beat process whose cursor is stale: the reminder row decides.
        Clock.objects.update(reminder_stage=ReminderStage.NONE, next_reminder_on=D(2026, 3, 14))
        second = clocks_sweep()
        sweep_clocks.apply()  # and a retried Celery task
    assert (first.notifications, second.notifications) == (2, 0)
    assert Notification.objects.filter(verb="clock.warning").count() == 2
    assert len(mail.outbox) == 2  # one email per recipient, delivered after commit


def test_notify_many_inserts_a_dedupe_key_once(people):
    msg = [Message(people["head"].pk, "clock.warning", "提醒", "", "clock:1:warning:20260317")]
    assert len(notify_many(messages=msg, email=False)) == 1
    assert notify_many(messages=msg, email=False) == []
    assert Notification.objects.count() == 1


def test_sweep_query_count_is_bounded_per_batch(ankang, people, django_assert_max_num_queries):
    for _ in range(12):
        c = bare_case(ankang["union:610902"], people["intake"])
        start(c, "D3", D(2026, 3, 2), owner=people["mediator"])
    with at(D(2026, 3, 14)):
        with django_assert_max_num_queries(40) as ctx:
            stats = clocks_sweep(batch_size=5)
    assert (stats.clocks, stats.batches, stats.notifications) == (12, 3, 24)
    real = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # Once: closing the parties' windows that ran out (one UPDATE), the plan (the ids of the clocks
    # due, cut into ranges of 5), the staff directory and the calendar (2). Per range: select its
    # clocks, insert-or-skip the notifications (INSERT … RETURNING), queue their emails in the outbox,
    # update the cursor (4). A range that ends on its last id or holds fewer than 5 needs no more.
    assert len(real) == 1 + 1 + 1 + 2 + 4 * 3


def test_calendar_missing_is_mentioned_in_the_reminder(case, people):
    start(case, "D3", D(2027, 3, 1), owner=people["mediator"])
    with at(D(2027, 3, 13)):
        clocks_sweep()
    assert "2027年节假日安排未载入" in Notification.objects.get(verb="clock.warning",
                                                              recipient=people["mediator"]).text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_one_reminder(ankang, people):
    """Two sweeps at the same moment in two connections (real concurrency needs PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, see the sequential test above")
    for _ in range(40):
        c = bare_case(ankang["union:610902"], people["intake"])
        start(c, "D3", D(2026, 3, 2), owner=people["mediator"])
    barrier, results, errors = threading.Barrier(2), [], []

    def sweep():
        from django.db import connection as conn
        try:
            barrier.wait()
            with at(D(2026, 3, 14)):
                results.append(clocks_sweep(batch_size=7))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(r.notifications for r in results) == 80  # 40 clocks × (owner + head), no duplicates
    assert Notification.objects.filter(verb="clock.warning").count() == 80


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_of_the_same_reminder_keep_one(people):
    """The database, not the sweep's row locks, is the last word: racing inserts of one key."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for truly concurrent writers")
    barrier, created = threading.Barrier(4), []
    msg = [Message(people["head"].pk, "clock.overdue", "逾期", "", "clock:9:overdue:20260317")]

    def insert():
        from django.db import connection as conn
        try:
            barrier.wait()
            created.append(len(notify_many(messages=msg, email=False)))
        finally:
            conn.close()

    threads = [threading.Thread(target=insert) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(created) == [0, 0, 0, 1]
    assert Notification.objects.filter(dedupe_key="clock:9:overdue:20260317").count() == 1


def test_the_beat_task_fans_the_sweep_out_in_disjoint_ranges(ankang, people):
    clocks = [start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2026, 3, 2),
                    owner=people["mediator"]) for _ in range(12)]
    early = start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2026, 3, 10))  # warns on 3-22
    ids = sorted(c.pk for c in clocks)
    with at(D(2026, 3, 14)):
        plan = clocks_sweep_plan(today=D(2026, 3, 14), batch_size=5)
        # Five, five and the rest; the last range stays open for clocks started meanwhile.
        assert plan == [(ids[0], ids[5] - 1), (ids[5], ids[10] - 1), (ids[10], None)]
        assert early.pk > ids[-1]  # in the open range's id span, but not due: not swept
        result = sweep_clocks.apply(kwargs={"batch_size": 5}).get()  # eager here: the ranges run inline
        assert result == {"batches": 3}
        # A range task delivered twice (a retry, a second worker) sends nothing again.
        assert sweep_clock_range.apply(args=[ids[0], None, "2026-03-14", 5]).get()["notifications"] == 0
    assert Notification.objects.filter(verb="clock.warning").count() == 24  # 12 × (owner + head)
    assert set(Clock.objects.filter(pk__in=ids).values_list("next_reminder_on", flat=True)) == {D(2026, 3, 17)}
    assert Clock.objects.get(pk=early.pk).reminder_stage == ReminderStage.NONE


def test_a_partys_window_closes_at_its_due_day_without_an_overdue_alarm(ankang, people):
    """D20 (30 days to apply for judicial confirmation) is the parties' window, not anybody's task:
    on the day after its last day it is closed as 期间届满 and no 已逾期 reminder goes out. The
    union's own D3 stays running and is reminded as overdue."""
    case = bare_case(ankang["union:610902"], people["intake"])
    window = start(case, "D20", D(2026, 3, 2), owner=people["mediator"])  # due 2026-04-01
    own = start(case, "D3", D(2026, 3, 2), owner=people["mediator"])  # due 2026-03-17
    with at(D(2026, 4, 2)):
        clocks_sweep()
    window.refresh_from_db()
    own.refresh_from_db()
    assert (window.status, window.stopped_on) == ("lapsed", D(2026, 4, 1))
    assert own.status == "running"
    verbs = set(Notification.objects.values_list("verb", flat=True))
    assert "clock.overdue" in verbs
    assert not Notification.objects.filter(dedupe_key__startswith=f"clock:{window.pk}:overdue").exists()
