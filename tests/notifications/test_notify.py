"""notify(): rows, dedupe, email and SMS after commit, idempotent delivery."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from mediation.notifications import sms
from mediation.notifications.models import Delivery, DeliveryStatus, Notification
from mediation.notifications.services import notify
from mediation.notifications.tasks import deliver_notifications, deliver_outbox
from parties.models import Staff


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def phones(people):
    Staff.objects.filter(user__in=[people["head"], people["mediator"]]).update(phone="13900000001")
    for key in ("head", "mediator"):
        people[key].refresh_from_db()
    return people


def test_notify_creates_one_row_per_recipient_and_mails_after_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify(recipients=[people["head"], people["mediator"], people["head"].pk], verb="test.hello",
                      text="案件已受理", url="/cases/1/")
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(rows) == 2 and {r.recipient for r in rows} == {people["head"], people["mediator"]}
    assert len(callbacks) == 1
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["hb_head@example.test", "hb_mediator@example.test"]
    assert "案件已受理" in mail.outbox[0].subject and "/cases/1/" in mail.outbox[0].body
    assert all(r.emailed_at for r in Notification.objects.all())


def test_dedupe_key_sends_once_per_recipient(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipients=[people["head"]], verb="x", text="一次", dedupe_key="k1")
        again = notify(recipients=[people["head"], people["mediator"]], verb="x", text="一次", dedupe_key="k1")
    assert len(first) == 1 and [r.recipient for r in again] == [people["mediator"]]
    assert Notification.objects.filter(dedupe_key="k1").count() == 2
    assert len(mail.outbox) == 2


def test_without_a_dedupe_key_every_call_notifies(people):
    notify(recipients=[people["head"]], verb="x", text="a", email=False)
    notify(recipients=[people["head"]], verb="x", text="a", email=False)
    assert Notification.objects.count() == 2


def test_sms_goes_through_the_configured_backend(phones, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[phones["head"], phones["supervisor"]], verb="x", text="短信提醒", email=False, sms=True)
    # The supervisor has no phone number: only the head gets a text.
    assert sms.outbox == [sms.SMSMessage(to="13900000001", text="短信提醒")]
    assert len(mail.outbox) == 0


def test_delivery_is_idempotent(phones, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(recipients=[phones["head"]], verb="x", text="一次", sms=True)
    ids = [r.pk for r in rows]
    deliver_notifications.apply(args=[ids])  # a duplicated kick
    deliver_outbox.apply()  # and the beat sweep
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_a_failed_send_is_retried_later_with_backoff(people, monkeypatch, django_capture_on_commit_callbacks):
    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # the step itself succeeds
            notify(recipients=[people["head"]], verb="x", text="重试")
        row = Delivery.objects.get()
        assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
        assert "smtp down" in row.last_error
        assert row.next_attempt_at == datetime.datetime(2026, 3, 2, 10, 1, tzinfo=datetime.UTC)  # + 1 minute
        monkeypatch.undo()
        deliver_outbox.apply()  # too early: the backoff holds
        assert len(mail.outbox) == 0
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 1, 30, tzinfo=datetime.UTC), tick=False):
        deliver_outbox.apply()
        deliver_outbox.apply()
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.SENT, 2, "")
    assert Notification.objects.get().emailed_at is not None


def test_console_sms_backend_prints():
    stream = io.StringIO()
    assert sms.ConsoleSMSBackend(stream).send_messages([sms.SMSMessage("139", "你好")]) == 1
    assert stream.getvalue() == "[SMS] 139: 你好\n"


@override_settings(CONCORD_SMS_BACKEND="mediation.notifications.sms.ConsoleSMSBackend")
def test_backend_is_chosen_by_setting():
    assert isinstance(sms.get_backend(), sms.ConsoleSMSBackend)
