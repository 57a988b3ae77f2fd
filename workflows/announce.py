"""New work announces itself (issue 8, A5).

Called once, from `engine.route_to`, when a task is addressed: the person it is assigned
to — or, while nobody holds it, every active handler of the addressed agency in the
addressed role — gets an in-app notification with a link to the task, and the same text
by email and SMS through the outbox (after commit; never fatal). The text names the step
and the case or matter number only: no personal data leaves the system by mail or SMS.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from mediation.notifications.services import notify
from parties.models import StaffRole

VERB = "task.new"


def task_recipients(*, task: Task, agency, role: str) -> list[int]:
    """User ids: the owner of an assigned task, else the agency's active handlers in `role`."""
    if task.owner_id:
        return [task.owner_id]
    return list(
        StaffRole.objects.filter(role=role, staff__agency=agency, staff__user__is_active=True)
        .values_list("staff__user_id", flat=True)
        .distinct()
    )


def subject_number(process) -> str:
    subject = getattr(process, "case", None) or getattr(process, "matter", None)
    return getattr(subject, "case_no", None) or getattr(subject, "matter_no", None) or ""


def task_announce(*, task: Task, process, agency, role: str) -> int:
    """Notify the recipients of a newly addressed task; returns how many were notified."""
    recipients = task_recipients(task=task, agency=agency, role=role)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the product's language
        step = str(task.flow_task.task_title or task.flow_task.name)
        number = subject_number(process)
        if number:
            text = _("新待办：%(no)s「%(step)s」已交由您办理。") % {"no": number, "step": step}
        else:
            text = _("新待办：「%(step)s」已交由您办理。") % {"step": step}
    rows = notify(
        recipients=recipients, verb=VERB, text=text, url=reverse("task_detail", args=[task.pk]),
        dedupe_key=f"task:{task.pk}:new", email=True, sms=True,
    )
    return len(rows)
