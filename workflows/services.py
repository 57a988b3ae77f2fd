"""Starting flows: the entry points used by views, the API, commands and demo data."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from mediation.cases import protective_services, steps
from mediation.cases import services as case_services
from mediation.cases.models import Case, Extension
from mediation.cases.outcomes import ReviewOutcome, WithdrawalOutcome
from mediation.cases.services import case_register
from mediation.clocks.events import Event
from mediation.clocks.models import ClockStatus
from mediation.clocks.selectors import case_clocks_by_event

from .case_flow import CaseFlow, mediation_due_at
from .models import CaseProcess

FINISHED = [STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED, STATUS.ERROR]


def case_open(*, actor, agency, **kwargs) -> Case:
    """Register a case (T1/T2) and start its CaseFlow, in one transaction."""
    with transaction.atomic():
        return CaseFlow.register.run(
            register=lambda **kw: case_register(actor=actor, agency=agency, **kw), **kwargs
        )


def case_extend(*, case: Case, **kwargs) -> Extension:
    """T7 with the flow in step: the extension moves D3, and the timer that escalates an
    overdue mediation to the committee head moves with it."""
    with transaction.atomic():
        extension = case_services.case_extend(case=case, **kwargs)
        _move_mediation_timer(case)
        return extension


def _move_mediation_timer(case: Case) -> None:
    """The escalation timer follows the mediation period: while a period is paused its due date is
    unknown, so the timer waits (a year on) and is set again on resumption."""
    paused = any(c.status == ClockStatus.PAUSED
                 for c in case_clocks_by_event(case, stopped_by=Event.AGREEMENT_EFFECTIVE))
    timers = Task.objects.filter(process__caseprocess__case=case, flow_task_type="TIMER",
                                 status=STATUS.SCHEDULED)
    for timer in timers:
        if timer.flow_task.name == "mediate__timeout":
            timer.scheduled = (timezone.now() + datetime.timedelta(days=366)) if paused else mediation_due_at(case)
            timer.save(update_fields=["scheduled"])


def case_clocks_pause(*, case: Case, **kwargs) -> Case:
    """D34: the pause with the flow in step — the escalation of an overdue mediation follows D3."""
    with transaction.atomic():
        case = protective_services.case_clocks_pause(case=case, **kwargs)
        _move_mediation_timer(case)
        return case


def case_clocks_resume(*, case: Case, **kwargs) -> Case:
    with transaction.atomic():
        case = protective_services.case_clocks_resume(case=case, **kwargs)
        _move_mediation_timer(case)
        return case


def case_accept_and_assign(*, review_task: Task, actor, accepted_on, respondent_consents: bool, mediator,
                           assistants=()) -> Case:
    """T3 + the assignment in one step, for a committee head to whom both tasks fall: the review
    task is completed with the acceptance, then the assignment task the flow opens next is
    completed with the mediator — both through the flow, in one transaction, so a refused
    assignment leaves the case unaccepted."""
    from .engine import OPEN_TASK_STATUSES, step_complete

    case = review_task.process.coerced.case
    with transaction.atomic():
        step_complete(task=review_task, user=actor, entry=steps.review_decide, case=case,
                      decision=ReviewOutcome.ACCEPTED, decided_on=accepted_on, respondent_consents=respondent_consents)
        assign_task = Task.objects.get(process_id=review_task.process_id, flow_task=CaseFlow.assign,
                                       status__in=OPEN_TASK_STATUSES)
        step_complete(task=assign_task, user=actor, entry=steps.mediator_assign, case=case, mediator=mediator,
                      assistants=assistants)
    case.refresh_from_db()
    return case


def case_withdraw(*, case: Case, actor, reason: str, on) -> WithdrawalOutcome:
    """T21 from any open state, with the flow in step: the entry point records the withdrawal and what
    it means (mediation.cases.steps.case_withdraw_decide); the open steps of the flow — the task being
    worked on, its escalation timer, the arbitration-window timer — are cancelled, and the flow's
    `withdrawn` node leads to closing."""
    process = CaseProcess.objects.filter(case=case).first()
    if process is None:  # a case without a flow (never the case for cases registered through case_open)
        return steps.case_withdraw_decide(case=case, actor=actor, reason=reason, on=on)
    with CaseFlow.lock(process.pk), transaction.atomic():
        outcome = steps.case_withdraw_decide(case=case, actor=actor, reason=reason, on=on)
        process.refresh_from_db()
        process.outcome = outcome.value
        process.save(update_fields=["outcome"])
        # The court's report-back branch carries on: the court still hears how its case ended.
        court_branch = {CaseFlow.report_to_court, CaseFlow.court_acknowledge}
        open_tasks = [t for t in process.task_set.exclude(status__in=FINISHED).order_by("created", "pk")
                      if t.flow_task not in court_branch]
        if any(t.flow_task in court_branch for t in process.task_set.exclude(status__in=FINISHED)) \
                and outcome == WithdrawalOutcome.WITHDRAWN_TELL_COURT:
            outcome = WithdrawalOutcome.WITHDRAWN  # already on its way to the court
            process.outcome = outcome.value
            process.save(update_fields=["outcome"])
        activations = [t.flow_task.activation_class(t) for t in open_tasks]
        if not activations or any(not a.cancel.can_proceed() for a in activations):
            raise ValidationError(_("该案件的流程正在处理中，暂不能登记撤回，请稍后重试。"), code="flow_busy")
        for activation in activations:
            activation.cancel()
        human = [a for a in activations if a.task.flow_task_type == "HUMAN"] or activations
        lead = human[-1]
        handle = CaseFlow.withdrawn.activation_class.create(CaseFlow.withdrawn, lead, lead.task.token)
        handle.run(None)
        handle.execute()
    case.refresh_from_db()
    return outcome
