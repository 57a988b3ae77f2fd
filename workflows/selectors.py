"""Reads of tasks for a user: the inbox and the tasks of a case."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from viewflow.workflow.models import Task

from .engine import OPEN_TASK_STATUSES

# Flows add the path from a task to the record it works on, so the inbox loads it in one query.
INBOX_SELECT_RELATED = ["process", "address__agency", "owner__staff", "process__caseprocess__case__agency",
                        "process__supervisionprocess__matter"]


def inbox_for(user) -> QuerySet[Task]:
    """Open tasks assigned to the user or addressed to their agency and one of their roles."""
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return Task.objects.none()
    addressed = Q(owner__isnull=True, address__agency_id=staff.agency_id, address__role__in=list(staff.roles))
    return (
        Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN")
        .filter(Q(owner=user) | addressed)
        .select_related(*INBOX_SELECT_RELATED)
        .order_by("created", "id")
    )


def open_tasks_for_case(case) -> list[Task]:
    return list(
        Task.objects.filter(process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN")
        .select_related("address__agency", "owner__staff")
        .order_by("created")
    )
