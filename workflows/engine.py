"""How Concord drives viewflow: tasks addressed to an agency + role, and one
function that completes a task safely.

Viewflow's own process and task pages are not filtered per object, so they are
not exposed to staff; every task is opened through `task_get_for_user` and
completed through `task_execute`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .announce import task_announce
from .models import TaskAddress

OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class TaskConflict(Exception):
    """Somebody else completed or took the task first. The message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def route_to(role: str, agency_of: Callable[[Any], Any], clock: Callable[[Any], tuple] | None = None):
    """For `flow.View(...).onCreate(route_to(role, agency_of))`: address the new task
    to `agency_of(process)` and `role`, tell its recipients (workflows.announce), and
    let the flow grant that agency access.

    `clock(process) -> (subject, event)` names the procedure event that completes this step:
    the subject's running clocks that event stops (DeadlineRule.stops_on) are moved onto the
    task, so the inbox shows them and reminders reach its owner.
    """

    def on_create(activation):
        from mediation.clocks.services import clocks_assign_to_task

        process = activation.process
        agency = agency_of(process)
        TaskAddress.objects.create(task=activation.task, agency=agency, role=role)
        task_announce(task=activation.task, process=process, agency=agency, role=role)
        grant = getattr(activation.flow_class.instance, "grant_access", None)
        if grant is not None:
            grant(process, agency)
        if clock is not None:
            subject, event = clock(process)
            if subject is not None:
                clocks_assign_to_task(subject=subject, event=event, task=activation.task,
                                      owner=activation.task.owner, agency=agency)

    on_create.__name__ = f"route_to_{role.lower()}"
    on_create.clock = clock
    return on_create


def task_clocks_attach(task: Task) -> None:
    """Hang on `task` the clocks a side action of its step has just started (the court's decision
    period after its acceptance, the debtor's period after service): the same clocks route_to
    hangs on the task when it is created."""
    from mediation.clocks.services import clocks_assign_to_task

    clock = getattr(task.flow_task._on_create, "clock", None)
    if clock is None:
        return
    subject, event = clock(task.process.coerced)
    if subject is not None:
        clocks_assign_to_task(subject=subject, event=event, task=task, owner=task.owner,
                              agency=getattr(getattr(task, "address", None), "agency", None))


def user_may_act(user, task: Task) -> bool:
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None or task.status not in OPEN_TASK_STATUSES:
        return False
    if task.owner_id:
        return task.owner_id == user.pk
    address = getattr(task, "address", None)
    return bool(address and address.agency_id == staff.agency_id and address.role in staff.roles)


class TaskNotActionable(Http404):
    """The task is one the user could see (addressed to their agency and role, or theirs),
    but it is no longer theirs to do: finished, or taken by a colleague. Pages that can
    explain say who and when; everything else treats it as the 404 it subclasses."""

    def __init__(self, task: Task):
        super().__init__("No task matches the given query.")
        self.task = task


def user_may_see(user, task: Task) -> bool:
    """Was the task ever addressed to the user (their agency and role) or done by them?"""
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return False
    if task.owner_id == user.pk:
        return True
    address = getattr(task, "address", None)
    return bool(address and address.agency_id == staff.agency_id and address.role in staff.roles)


def task_get_for_user(user, task_id) -> Task:
    """An open task the user may work on; anything else is 404 (TaskNotActionable when the
    user could see the task, so the page can say who did it)."""
    try:
        task = Task.objects.select_related("process", "address__agency", "owner__staff").get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No task matches the given query.") from None
    if not user_may_act(user, task):
        if user_may_see(user, task):
            raise TaskNotActionable(task)
        raise Http404("No task matches the given query.")
    return task


def task_execute(*, task: Task, user, work: Callable[[Any], Any]) -> Any:
    """Lock the process, check the task is still open and the user's, run `work(activation)`
    (the service call) and complete the task — all in one transaction."""
    flow_class = task.flow_task.flow_class
    try:
        with flow_class.lock(task.process_id), transaction.atomic():
            task = Task.objects.select_related("owner__staff", "address").get(pk=task.pk)
            if task.status not in OPEN_TASK_STATUSES:
                who = task.owner.staff.full_name if task.owner_id and hasattr(task.owner, "staff") else _("其他人员")
                raise TaskConflict(_("此任务已由%(who)s办理完毕，无需重复操作。") % {"who": who})
            if task.owner_id and task.owner_id != user.pk:
                who = task.owner.staff.full_name if hasattr(task.owner, "staff") else str(task.owner)
                raise TaskConflict(_("此任务已由%(who)s领取办理。") % {"who": who})
            if not user_may_act(user, task):
                raise Http404("No task matches the given query.")
            activation = task.flow_task.activation_class(task)
            if task.status == STATUS.NEW:
                activation.assign(user)
            if task.status == STATUS.ASSIGNED:
                activation.start(None)
            result = work(activation)
            activation.execute()
            return result
    except FlowLockFailed:
        raise TaskConflict(_("其他人员正在办理此案件，请稍后刷新后重试。")) from None


def step_complete(*, task: Task, user, entry: Callable[..., Any], **kwargs) -> Any:
    """Complete `task` with its step's entry point (e.g. mediation.cases.steps.mediation_conclude):
    the entry point writes and returns the step's typed outcome, which is stored on the process
    for the flow's gateways (with the referral destinations the step chose, for the Split)."""

    def work(activation):
        outcome = entry(actor=user, **kwargs)
        process = activation.process
        if hasattr(process, "outcome"):
            process.outcome = outcome.value
            fields = ["outcome"]
            if hasattr(process, "referral_kinds") and "referral_kinds" in kwargs:
                process.referral_kinds = list(kwargs["referral_kinds"] or [])
                fields.append("referral_kinds")
            process.save(update_fields=fields)
        return outcome

    return task_execute(task=task, user=user, work=work)


def task_claim(*, task: Task, user) -> Task:
    """Take an unassigned task so colleagues see who works on it."""
    flow_class = task.flow_task.flow_class
    try:
        with flow_class.lock(task.process_id), transaction.atomic():
            task = Task.objects.select_related("owner__staff", "address").get(pk=task.pk)
            if task.status != STATUS.NEW or task.owner_id:
                who = task.owner.staff.full_name if task.owner_id and hasattr(task.owner, "staff") else _("其他人员")
                raise TaskConflict(_("此任务已由%(who)s领取办理。") % {"who": who})
            if not user_may_act(user, task):
                raise Http404("No task matches the given query.")
            task.flow_task.activation_class(task).assign(user)
            _record_claim(task, user)
            return task
    except FlowLockFailed:
        raise TaskConflict(_("其他人员正在办理此案件，请稍后刷新后重试。")) from None


def _record_claim(task: Task, user) -> None:
    """Taking a task is an act of the procedure: it goes into the case's or matter's log."""
    from mediation.cases.audit import record_event as case_event
    from mediation.supervision.audit import record_event as matter_event

    process = task.process.coerced
    step = str(task.flow_task.task_title or task.flow_task.name)
    summary = _("领取任务：%(step)s") % {"step": step}
    staff = getattr(user, "staff", None)
    to_partners = bool(staff and not staff.agency.is_union)
    changes = {"task": [None, task.pk], "owner": [None, user.get_username()]}
    if getattr(process, "case", None) is not None:
        case_event(process.case, actor=user, action="task.claim", summary=summary, changes=changes,
                   visible_to_partners=to_partners)
    elif getattr(process, "matter", None) is not None:
        matter_event(process.matter, actor=user, action="task.claim", summary=summary, changes=changes,
                     visible_to_partners=to_partners)
