"""The append-only case log. Call inside the transaction of the change it records."""

from __future__ import annotations

from mediation.lib.audit import diff, plain_changes, snapshot  # noqa: F401  (re-exported for services)

from .models import Case, CaseEvent


def record_event(
    case: Case,
    *,
    actor,
    action: str,
    summary: str = "",
    changes: dict | None = None,
    visible_to_partners: bool = False,
) -> CaseEvent:
    staff = getattr(actor, "staff", None) if actor is not None else None
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        agency=staff.agency if staff else None,
        action=action,
        summary=str(summary)[:300],
        changes=plain_changes(changes),
        visible_to_partners=visible_to_partners,
    )
