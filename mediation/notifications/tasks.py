"""Delivery of notifications by email and SMS, from the transactional outbox.

`deliver_notifications` is queued after commit for the rows just created; the beat job
`deliver_outbox` sends whatever is still due (broker was down, SMTP failed, a worker died),
with exponential backoff between attempts. Both call the same idempotent service.
"""

from __future__ import annotations

from celery import shared_task

from .outbox import outbox_deliver


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(ids: list[int], email: bool = True, sms: bool = False) -> dict[str, int]:
    """`email`/`sms` are accepted for messages queued before the outbox existed; the outbox
    rows now say which channels each notification goes to."""
    return outbox_deliver(notification_ids=ids)


@shared_task(acks_late=True)
def deliver_outbox() -> dict[str, int]:
    return outbox_deliver()
