"""Side effects never lost, never fatal (issue 9, item 9): the transactional outbox.

The email of a notification is a row written in the step's own transaction; a step that
rolls back queues nothing; with the broker unreachable the step still succeeds and the
beat sweep delivers — exactly once — when it runs again."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test import Client

from mediation.cases.models import Case
from mediation.celery import app
from mediation.notifications import outbox
from mediation.notifications.models import Delivery, DeliveryStatus, Notification
from mediation.notifications.services import notify
from mediation.notifications.tasks import deliver_outbox
from tests.cases.test_registration_http import form_data

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def broker_down(monkeypatch):
    """Celery as in production (not eager), its broker a port nothing listens on."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery reads it before its settings
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    conf.broker_url, conf.task_always_eager = "redis://127.0.0.1:1/0", False
    reset_pools()
    yield
    conf.broker_url, conf.task_always_eager = saved
    reset_pools()


def test_a_step_that_notifies_succeeds_with_the_broker_down_and_is_delivered_once_later(
        people, broker_down, django_capture_on_commit_callbacks, caplog):
    client = Client()
    client.force_login(people["intake"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cases/new/", form_data())
    # The registration went through, and so did its notification to the committee head.
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    note = Notification.objects.get(verb="task.new", recipient=people["head"])
    assert note.url.startswith("/tasks/")
    # Nothing left: the kick could not reach the broker, and said so in the log.
    assert mail.outbox == []
    assert Delivery.objects.get(notification=note, channel="email").status == DeliveryStatus.PENDING
    assert "outbox sweep will send them" in caplog.text

    # The broker is back; the beat runs the sweep (twice, as beats do): one email.
    app.conf.broker_url, app.conf.task_always_eager = "memory://", True
    deliver_outbox.apply()
    deliver_outbox.apply()
    assert [m.to for m in mail.outbox] == [["hb_head@example.test"]]
    assert note.url in mail.outbox[0].body and case.case_no in mail.outbox[0].subject
    assert Delivery.objects.get(notification=note, channel="email").status == DeliveryStatus.SENT


def test_the_email_link_opens_the_task_from_a_mail_client(people, settings):
    """A relative /tasks/7/ means nothing in a mail client: the link carries the site address."""
    settings.SITE_URL = "https://concord.ankang.example.gov.cn"
    client = Client()
    client.force_login(people["intake"])
    client.post("/cases/new/", form_data())
    note = Notification.objects.get(verb="task.new", recipient=people["head"])
    deliver_outbox.apply()
    assert f"详情：https://concord.ankang.example.gov.cn{note.url}" in mail.outbox[0].body


def test_a_step_that_rolls_back_queues_nothing(people):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[people["head"]], verb="x", text="不该发出")
        assert Delivery.objects.count() == 1  # written in the same transaction…
        raise RuntimeError("the step failed")
    assert Delivery.objects.count() == 0 and Notification.objects.count() == 0  # …and gone with it
    deliver_outbox.apply()
    assert mail.outbox == []


def test_backoff_doubles_and_the_outbox_gives_up_after_the_last_attempt(people, monkeypatch):
    assert [outbox.backoff(n).total_seconds() / 60 for n in range(1, 6)] == [1, 2, 4, 8, 16]
    assert outbox.backoff(30) == outbox.LONGEST_RETRY

    def broken(self, *args, **kwargs):
        raise TimeoutError("smtp timeout")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=CST)
    with time_machine.travel(start, tick=False) as clock:
        notify(recipients=[people["head"]], verb="x", text="总是失败")  # not delivered: no commit in this test
        for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
            deliver_outbox.apply()
            row = Delivery.objects.get()
            assert row.attempts == attempt
            clock.shift(outbox.LONGEST_RETRY)
    assert (row.status, row.last_error) == (DeliveryStatus.FAILED, "TimeoutError: smtp timeout")
    deliver_outbox.apply()
    assert Delivery.objects.get().attempts == outbox.MAX_ATTEMPTS  # given up: not tried again


def test_a_worker_that_died_while_sending_is_replaced_after_its_lease(people):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=CST)
    with time_machine.travel(start, tick=False) as clock:
        notify(recipients=[people["head"]], verb="x", text="接手")
        # A worker took the row and died before marking it.
        Delivery.objects.update(status=DeliveryStatus.SENDING, claim_token="dead", attempts=1,
                                locked_until=start + outbox.LEASE)
        deliver_outbox.apply()
        assert mail.outbox == []  # its lease still holds
        clock.shift(outbox.LEASE + datetime.timedelta(seconds=1))
        deliver_outbox.apply()
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_recipient_without_an_address_is_skipped_not_retried(people):
    people["head"].email = ""
    people["head"].save(update_fields=["email"])
    notify(recipients=[people["head"]], verb="x", text="无邮箱")
    deliver_outbox.apply()
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED and mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sweeps_send_each_email_exactly_once(people):
    """Four sweeps at once over 200 pending emails: SKIP LOCKED gives them disjoint batches."""
    from django.db import connections

    heads = [people["head"], people["mediator"], people["mediator2"], people["court"]]
    for i in range(50):
        notify(recipients=heads, verb="x", text=f"批量{i}", email=False)
    Delivery.objects.bulk_create([Delivery(notification=n, channel="email") for n in Notification.objects.all()])
    barrier = threading.Barrier(4)
    errors = []

    def sweep():
        try:
            barrier.wait()
            outbox.outbox_deliver(batch_size=20)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(mail.outbox) == 200
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 200
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    assert connection.vendor == "postgresql"
