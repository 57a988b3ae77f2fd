"""The transactional outbox of email and SMS (see `Delivery`).

`outbox_enqueue` runs inside the business transaction; `outbox_kick` runs after commit and
only asks Celery to deliver now — if the broker is down it logs and returns, the rows stay
`pending` and the beat sweep (`outbox_deliver` without ids) sends them when it runs again.

Exactly once: a row is taken by one worker only. The claim is an UPDATE guarded by the
row's status that stamps a fresh token; the worker then reads back the rows carrying its
token. On PostgreSQL the candidates are first selected `FOR UPDATE SKIP LOCKED`, so two
sweeps take disjoint batches without waiting on each other; on SQLite writes are
serialized and the second UPDATE finds the rows no longer pending. The one window left is
a worker that dies after the gateway accepted a message and before it marks the row sent:
the row is retried once its lease (`LEASE`) has run out.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Delivery, DeliveryChannel, DeliveryStatus, Notification
from .sms import SMSMessage, get_backend

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(minutes=10)
BATCH = 200


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before attempt `attempts + 1`: 1, 2, 4, 8 … minutes, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def outbox_enqueue(*, notification_ids: Sequence[int], email: bool, sms: bool) -> None:
    """Queue the email / SMS of new notifications, in the caller's transaction."""
    channels = [c for c, wanted in ((DeliveryChannel.EMAIL, email), (DeliveryChannel.SMS, sms)) if wanted]
    if not channels or not notification_ids:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":  # one statement whatever the number of rows (the reminder sweep)
        table = Delivery._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (notification_id, channel, status, attempts, next_attempt_at, claim_token, "
                "last_error, created_at) SELECT n, c, %s, 0, %s, '', '', %s "
                "FROM unnest(%s::bigint[]) AS n CROSS JOIN unnest(%s::varchar[]) AS c",
                # The ids as one array literal: psycopg's client-side array quoting costs more per id.
                [DeliveryStatus.PENDING, now, now, "{" + ",".join(map(str, notification_ids)) + "}",
                 [str(c) for c in channels]],
            )
    else:
        Delivery.objects.bulk_create(
            [Delivery(notification_id=pk, channel=c, next_attempt_at=now) for pk in notification_ids
             for c in channels],
            batch_size=1000,
        )
    transaction.on_commit(lambda: outbox_kick(list(notification_ids)))


def outbox_kick(notification_ids: list[int]) -> None:
    """After commit: ask a worker to deliver now. Never fails the request: with the broker
    unreachable the rows wait for the beat sweep."""
    from .tasks import deliver_notifications

    app = deliver_notifications.app
    try:
        if app.conf.task_always_eager:
            deliver_notifications.apply_async(args=[notification_ids])
            return
        # A connection of its own that gives up at once: a dead broker costs the request a
        # refused connect (milliseconds), not the default publish retries (seconds).
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
            # argsrepr: the log line of a sweep's batch names the count, not thousands of ids.
            deliver_notifications.apply_async(args=[notification_ids], retry=False, connection=conn,
                                              argsrepr=f"[{len(notification_ids)} notification ids]")
    except Exception as exc:  # broker down, misconfigured, …: the outbox keeps the work
        log.warning("could not queue delivery of %d notification(s), the outbox sweep will send them: %s",
                    len(notification_ids), exc)


def _due(now: datetime.datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, locked_until__lt=now)


def _claim(*, notification_ids: Sequence[int] | None, now: datetime.datetime, limit: int) -> list[Delivery]:
    token = uuid.uuid4().hex
    candidates = Delivery.objects.filter(_due(now))
    if notification_ids is not None:
        candidates = candidates.filter(notification_id__in=list(notification_ids))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        pks = list(candidates.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        # The guard: only rows still due are taken; a concurrent sweep that got there first wins.
        Delivery.objects.filter(_due(now), pk__in=pks).update(
            status=DeliveryStatus.SENDING, claim_token=token, locked_until=now + LEASE, attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING)
        .select_related("notification__recipient__staff")
        .order_by("id")
    )


def _finish(delivery: Delivery, **fields) -> bool:
    """Write the outcome, only if the row is still ours."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token, status=DeliveryStatus.SENDING)
        .update(locked_until=None, **fields)
    )


def _address(delivery: Delivery) -> str:
    user = delivery.notification.recipient
    if delivery.channel == DeliveryChannel.EMAIL:
        return user.email or ""
    return getattr(getattr(user, "staff", None), "phone", "") or ""


def absolute_url(url: str) -> str:
    """A link that works from a mail client: the site address (CONCORD_SITE_URL) in front of a path."""
    return url if "://" in url else f"{settings.SITE_URL}{url if url.startswith('/') else '/' + url}"


def _send(delivery: Delivery, address: str, mail_connection) -> None:
    n = delivery.notification
    if delivery.channel == DeliveryChannel.EMAIL:
        body = n.text + (f"\n\n{_('详情')}：{absolute_url(n.url)}" if n.url else "")
        EmailMessage(
            subject=f"【{_('劳动争议多元化解协同平台')}】{n.text[:40]}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=mail_connection,
        ).send()
    else:
        get_backend().send_messages([SMSMessage(to=address, text=n.text)])


_SENT_FIELD = {DeliveryChannel.EMAIL: "emailed_at", DeliveryChannel.SMS: "sms_sent_at"}


def outbox_deliver(*, notification_ids: Sequence[int] | None = None, batch_size: int = BATCH,
                   max_batches: int = 50) -> dict[str, int]:
    """Send what is due (all of it, or only the rows of `notification_ids`). Safe to run in
    several workers at once. Returns counters for the task result."""
    stats = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    mail_connection = None
    for _batch in range(max_batches):
        now = timezone.now()
        rows = _claim(notification_ids=notification_ids, now=now, limit=batch_size)
        if not rows:
            break
        for delivery in rows:
            address = _address(delivery)
            if not address:
                _finish(delivery, status=DeliveryStatus.SKIPPED, last_error=_("接收人未登记联系方式"))
                stats["skipped"] += 1
                continue
            try:
                if delivery.channel == DeliveryChannel.EMAIL and mail_connection is None:
                    mail_connection = get_connection()
                _send(delivery, address, mail_connection)
            except Exception as exc:  # SMTP or SMS gateway down: back off and try again later
                error = f"{type(exc).__name__}: {exc}"[:2000]
                if delivery.attempts >= MAX_ATTEMPTS:
                    _finish(delivery, status=DeliveryStatus.FAILED, last_error=error)
                    stats["failed"] += 1
                    log.error("giving up %s after %d attempts: %s", delivery, delivery.attempts, error)
                else:
                    _finish(delivery, status=DeliveryStatus.PENDING, last_error=error,
                            next_attempt_at=timezone.now() + backoff(delivery.attempts))
                    stats["retry"] += 1
                    log.warning("delivery of %s failed (attempt %d), will retry: %s",
                                delivery, delivery.attempts, error)
                continue
            sent_at = timezone.now()
            if _finish(delivery, status=DeliveryStatus.SENT, sent_at=sent_at, last_error=""):
                Notification.objects.filter(pk=delivery.notification_id).update(
                    **{_SENT_FIELD[delivery.channel]: sent_at})
            stats["sent"] += 1
    return stats
