"""Reads of notifications: a user sees only their own (404 for anyone else's)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for_user(user, notification_id) -> Notification:
    try:
        return notifications_for(user).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No notification matches the given query.") from None


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
