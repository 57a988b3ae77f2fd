"""Writes of notifications.

`notify` inserts one row per recipient, skipping a recipient who already has a row
with the same `dedupe_key` (a unique constraint decides, so two processes racing
to send the same reminder produce one row). Email and SMS go out after commit
through a Celery task that takes the ids of the rows really created.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import Notification


@dataclass(frozen=True)
class Message:
    recipient_id: int
    verb: str
    text: str
    url: str = ""
    dedupe_key: str | None = None


def _user_id(user) -> int:
    return user if isinstance(user, int) else user.pk


def notify(
    *,
    recipients: Iterable,
    verb: str,
    text: str,
    url: str = "",
    dedupe_key: str | None = None,
    email: bool = True,
    sms: bool = False,
) -> list[Notification]:
    """Notify users (or user ids); returns the rows created (none for a repeated dedupe_key)."""
    ids = notify_many(
        messages=[Message(uid, verb, str(text), url, dedupe_key) for uid in {_user_id(r) for r in recipients}],
        email=email,
        sms=sms,
    )
    return list(Notification.objects.filter(pk__in=ids).order_by("id"))


def notify_many(*, messages: Sequence[Message], email: bool = True, sms: bool = False) -> list[int]:
    """Insert-or-skip many notifications in a fixed number of queries; returns the new ids."""
    if not messages:
        return []
    batch = uuid.uuid4()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            ids = _insert_returning_postgres(messages, batch)
        else:
            Notification.objects.bulk_create(
                [
                    Notification(recipient_id=m.recipient_id, verb=m.verb, text=m.text[:500], url=m.url,
                                 dedupe_key=m.dedupe_key or "", batch=batch)
                    for m in messages
                ],
                ignore_conflicts=True,
                batch_size=2000,
            )
            # The rows of this call that were not skipped as duplicates.
            ids = list(Notification.objects.filter(batch=batch).values_list("id", flat=True))
        if ids and (email or sms):
            from .tasks import deliver_notifications

            transaction.on_commit(lambda: deliver_notifications.delay(ids, email=email, sms=sms))
    return ids


def _insert_returning_postgres(messages: Sequence[Message], batch: uuid.UUID) -> list[int]:
    """One INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING id:
    a handful of parameters however many rows (the reminder sweep inserts thousands)."""
    meta = Notification._meta
    columns = ", ".join(meta.get_field(f).column for f in (
        "recipient", "verb", "text", "url", "dedupe_key", "batch", "created_at"))
    sql = (
        f"INSERT INTO {meta.db_table} ({columns}) "
        "SELECT r, v, t, u, k, %s::uuid, %s::timestamptz "
        "FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[]) AS m(r, v, t, u, k) "
        f"ON CONFLICT DO NOTHING RETURNING {meta.pk.column}"
    )
    params = [
        batch, timezone.now(),
        [m.recipient_id for m in messages], [m.verb for m in messages], [m.text[:500] for m in messages],
        [m.url for m in messages], [m.dedupe_key or "" for m in messages],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def admins_of_deployment() -> list[int]:
    """User ids of the system administrators (Role.ADMIN) who are active."""
    from parties.models import Role, StaffRole

    return list(
        StaffRole.objects.filter(role=Role.ADMIN, staff__user__is_active=True)
        .values_list("staff__user_id", flat=True)
        .distinct()
    )
