"""Writes of notifications.

`notify` inserts one row per recipient, skipping a recipient who already has a row
with the same `dedupe_key` (a unique constraint decides, so two processes racing
to send the same reminder produce one row). Email and SMS are queued in the same
transaction as rows of the outbox (`outbox.py`) and sent after commit; what the
broker or the gateway could not take is retried by the beat sweep.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import Notification
from .outbox import outbox_enqueue


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
    with transaction.atomic():
        ids = _insert_or_skip(messages)
        if ids and (email or sms):
            outbox_enqueue(notification_ids=ids, email=email, sms=sms)
    return ids


_COLUMNS = ("recipient", "verb", "text", "url", "dedupe_key", "created_at")
_SQLITE_CHUNK = 1000  # rows per statement: 6 parameters each, well under SQLite's 32,766


def _insert_or_skip(messages: Sequence[Message]) -> list[int]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the ids of the rows really inserted
    (a row whose recipient already has its dedupe key is skipped by the unique constraint).
    PostgreSQL takes the rows as arrays (unnest): a handful of parameters for thousands of rows."""
    meta = Notification._meta
    table, pk = meta.db_table, meta.pk.column
    columns = ", ".join(meta.get_field(f).column for f in _COLUMNS)
    now = timezone.now()
    rows = [(m.recipient_id, m.verb, m.text[:500], m.url, m.dedupe_key or "") for m in messages]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows travel as one JSON document: psycopg's client-side quoting of five long
            # arrays cost more than the insert itself (bench/clock_sweep.py).
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT r, v, t, u, k, %s::timestamptz "
                "FROM json_to_recordset(%s::json) AS m(r bigint, v varchar, t varchar, u varchar, k varchar) "
                f"ON CONFLICT DO NOTHING RETURNING {pk}",
                [now, json.dumps([dict(zip("rvtuk", row, strict=True)) for row in rows], ensure_ascii=False)],
            )
            ids.extend(row[0] for row in cursor.fetchall())
        else:  # SQLite ≥ 3.35 (RETURNING)
            for start in range(0, len(rows), _SQLITE_CHUNK):
                chunk = rows[start:start + _SQLITE_CHUNK]
                values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT DO NOTHING RETURNING {pk}",
                    [value for row in chunk for value in (*row, now)],
                )
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


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
