"""Delivery of notifications by email and SMS, after the creating transaction commits.

Idempotent: each row is claimed (emailed_at / sms_sent_at set) before it is sent,
so a retried or duplicated task does not send it twice; a failed send releases
the claim and the task retries with backoff.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification
from .sms import SMSMessage, get_backend

log = logging.getLogger(__name__)


def _claim(pk: int, field: str) -> bool:
    return bool(Notification.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}))


def _release(pk: int, field: str) -> None:
    Notification.objects.filter(pk=pk).update(**{field: None})


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def deliver_notifications(self, ids: list[int], email: bool = True, sms: bool = False) -> dict[str, int]:
    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient__staff")
        .only("id", "text", "url", "emailed_at", "sms_sent_at", "recipient__email", "recipient__staff__phone")
    )
    sent = {"email": 0, "sms": 0}
    try:
        if email:
            connection = get_connection()
            for n in rows:
                if n.emailed_at is None and n.recipient.email and _claim(n.pk, "emailed_at"):
                    body = n.text + (f"\n\n{_('详情')}：{n.url}" if n.url else "")
                    try:
                        EmailMessage(
                            subject=f"【{_('劳动争议多元化解协同平台')}】{n.text[:40]}",
                            body=body,
                            from_email=settings.DEFAULT_FROM_EMAIL,
                            to=[n.recipient.email],
                            connection=connection,
                        ).send()
                    except Exception:
                        _release(n.pk, "emailed_at")
                        raise
                    sent["email"] += 1
        if sms:
            backend = get_backend()
            for n in rows:
                phone = getattr(getattr(n.recipient, "staff", None), "phone", "")
                if n.sms_sent_at is None and phone and _claim(n.pk, "sms_sent_at"):
                    try:
                        backend.send_messages([SMSMessage(to=phone, text=n.text)])
                    except Exception:
                        _release(n.pk, "sms_sent_at")
                        raise
                    sent["sms"] += 1
    except Exception as exc:  # SMTP or gateway down: try again later
        log.warning("notification delivery failed, retrying: %s", exc)
        raise self.retry(exc=exc) from exc
    return sent
