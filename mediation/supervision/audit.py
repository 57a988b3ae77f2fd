"""The append-only matter log. Call inside the transaction of the change it records."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from .models import MatterEvent, SupervisionMatter


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record_event(
    matter: SupervisionMatter,
    *,
    actor,
    action: str,
    summary: str = "",
    changes: dict | None = None,
    visible_to_partners: bool = False,
) -> MatterEvent:
    staff = getattr(actor, "staff", None) if actor is not None else None
    return MatterEvent.objects.create(
        matter=matter,
        actor=actor,
        agency=staff.agency if staff else None,
        action=action,
        summary=str(summary)[:300],
        changes={k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()},
        visible_to_partners=visible_to_partners,
    )
