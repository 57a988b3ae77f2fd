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
from typing import NamedTuple

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


class Broadcast(NamedTuple):  # a tuple: the sweep makes one per clock
    """One notification to several recipients: a row each, with the same text, link and key
    (the reminder sweep sends one per clock and stage)."""

    recipient_ids: tuple[int, ...]
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


def notify_broadcasts(*, broadcasts: Sequence[Broadcast], email: bool = True, sms: bool = False) -> list[int]:
    """`notify_many` for messages sent to several recipients each, in the same fixed number of
    queries; the rows, the skipping of repeated keys and the outbox are the same. The text,
    link and key of a broadcast travel once, not once per recipient (the reminder sweep)."""
    if not any(b.recipient_ids for b in broadcasts):
        return []
    if connection.vendor != "postgresql":
        return notify_many(messages=[Message(uid, b.verb, b.text, b.url, b.dedupe_key)
                                     for b in broadcasts for uid in b.recipient_ids], email=email, sms=sms)
    meta = Notification._meta
    columns = ", ".join(meta.get_field(f).column for f in _COLUMNS)
    doc = json.dumps([{"r": b.recipient_ids, "v": b.verb, "t": b.text[:500], "u": b.url, "k": b.dedupe_key or ""}
                      for b in broadcasts if b.recipient_ids], ensure_ascii=False)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {meta.db_table} ({columns}) SELECT r.id, m.v, m.t, m.u, m.k, %s::timestamptz "
            "FROM json_to_recordset(%s::json) AS m(r integer[], v varchar, t varchar, u varchar, k varchar) "
            f"CROSS JOIN LATERAL unnest(m.r) AS r(id) ON CONFLICT DO NOTHING RETURNING {meta.pk.column}",
            [timezone.now(), doc],
        )
        ids = [row[0] for row in cursor.fetchall()]
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
