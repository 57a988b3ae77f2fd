"""The union's labor-law supervision procedure, 一函两书 (DOMAIN §4.3), read top to bottom.

Each human step is a View node addressed to an agency and a role; its page calls a
service in mediation.supervision.services, which checks the ladder's guards (two
investigators, a 建议书 only from a county-level union, escalation only after the
earlier letter's delivery is recorded) and writes the audit event.

A procuratorate referral (线索移送) may be made at any state; it runs as a second
process of this flow, started at `refer`, so it never blocks the ladder.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from mediation.clocks.events import Event
from mediation.supervision.models import (
    LetterKind,
    SupervisionProcess,
)
from mediation.supervision.outcomes import (
    FilingOutcome,
    InvestigationOutcome,
    LetterOutcome,
    SignOffOutcome,
)
from mediation.supervision.services import (
    matter_grant_access,
    matter_register,
    procuratorate_refer,
)
from parties.models import Role

from . import supervision_views as views
from .engine import route_to

# ------------------------------------------------ who receives each step


def handling_union(process):
    return process.matter.agency


def addressed_department(process):
    """The department the 建议书 is addressed to (labor inspection by default)."""
    return process.matter.letters.filter(kind=LetterKind.RECOMMENDATION).latest("id").department


def referral_procuratorate(process):
    return process.referral.agency


def recommendation_recipient(process):
    return process.matter.letters.filter(kind=LetterKind.RECOMMENDATION).latest("id").recipients.get()


def recommendation_clock(process):
    """D41: the department acts on the 建议书 from its delivery; the clock hangs on its task."""
    return recommendation_recipient(process), Event.RECOMMENDATION_DECIDED


def clue_clock(process):
    """D28: the procuratorate feeds back within 5 days of closing the clue; the clock hangs on its task."""
    return process.referral, Event.CLUE_FED_BACK


# ------------------------------------------------ gateway conditions


def outcome_is(*outcomes):
    """The typed outcome the step's entry point returned (mediation.supervision.outcomes)."""
    def cond(activation):
        return activation.process.outcome in outcomes

    return cond


class SupervisionFlow(flow.Flow):
    process_class = SupervisionProcess
    # Waits for the other transaction instead of failing at once: a task page runs in one
    # transaction with its submission token (mediation.lib.idempotency), where a failed NOWAIT
    # could not be retried.
    lock_impl = lock.SelectForUpdateLock(nowait=False, attempts=1)
    process_title = _("一函两书监督事项")

    # A clue is found (mediation case, 12351, risk screening, procuratorate clue).
    register = flow.StartHandle(this.start_matter).Next(this.investigate)

    # Investigation by at least two labor-law supervisors ([C-local: S34]).
    investigate = (
        flow.View(views.investigate)
        .Annotation(title=_("调查核实"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.choose_instrument)
    )
    # No issue → closed; a risk → 提示函; a violation → 意见书 (the ladder may start there).
    choose_instrument = (
        flow.Switch()
        .Case(this.end, outcome_is(InvestigationOutcome.NO_ISSUE))
        .Case(this.issue_reminder, outcome_is(InvestigationOutcome.RISK))
        .Default(this.issue_opinion)
    )

    # 提示函: delivered, then the reply (optional date, D42) or its absence is recorded
    # with the union's verification. Rectified → closed; ignored → 意见书.
    # Every letter: the supervisor drafts it, the union's chair or vice-chair signs it off
    # (签发: issued) or returns it with the reason (back to the draft).
    issue_reminder = (
        flow.View(views.issue_reminder)
        .Annotation(title=_("制发提示函"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.sign_off_reminder)
    )
    sign_off_reminder = (
        flow.View(views.sign_off)
        .Annotation(title=_("签发提示函"))
        .onCreate(route_to(Role.UNION_CHAIR, handling_union))
        .Next(this.after_sign_off_reminder)
    )
    after_sign_off_reminder = (
        flow.If(outcome_is(SignOffOutcome.ISSUED)).Then(this.follow_reminder).Else(this.issue_reminder)
    )
    follow_reminder = (
        flow.View(views.follow_letter)
        .Annotation(title=_("提示函送达与回复"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.after_reminder)
    )
    after_reminder = flow.If(outcome_is(LetterOutcome.RECTIFIED)).Then(this.end).Else(this.issue_opinion)

    # 意见书: each violation with facts, legal basis, rectification and deadline; the
    # employer replies in writing (D40). Rectified → closed; no reply / refused → 建议书.
    issue_opinion = (
        flow.View(views.issue_opinion)
        .Annotation(title=_("制发意见书"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.sign_off_opinion)
    )
    sign_off_opinion = (
        flow.View(views.sign_off)
        .Annotation(title=_("签发意见书"))
        .onCreate(route_to(Role.UNION_CHAIR, handling_union))
        .Next(this.after_sign_off_opinion)
    )
    after_sign_off_opinion = (
        flow.If(outcome_is(SignOffOutcome.ISSUED)).Then(this.follow_opinion).Else(this.issue_opinion)
    )
    follow_opinion = (
        flow.View(views.follow_letter)
        .Annotation(title=_("意见书送达与回复"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.after_opinion)
    )
    after_opinion = flow.If(outcome_is(LetterOutcome.RECTIFIED)).Then(this.end).Else(this.issue_recommendation)

    # 建议书: only a county-level or higher union; to the department (labor inspection by default).
    issue_recommendation = (
        flow.View(views.issue_recommendation)
        .Annotation(title=_("制发建议书"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.sign_off_recommendation)
    )
    sign_off_recommendation = (
        flow.View(views.sign_off)
        .Annotation(title=_("签发建议书"))
        .onCreate(route_to(Role.UNION_CHAIR, handling_union))
        .Next(this.after_sign_off_recommendation)
    )
    after_sign_off_recommendation = (
        flow.If(outcome_is(SignOffOutcome.ISSUED)).Then(this.deliver_recommendation)
        .Else(this.issue_recommendation)
    )
    deliver_recommendation = (
        flow.View(views.deliver_recommendation)
        .Annotation(title=_("建议书送达"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.department_filing)
    )
    # The department files (立案, with its number) or refuses in writing (D41).
    department_filing = (
        flow.View(views.department_filing)
        .Annotation(title=_("建议书立案决定"))
        .onCreate(route_to(Role.LIAISON, addressed_department, clock=recommendation_clock))
        .Next(this.after_filing)
    )
    after_filing = (
        flow.If(outcome_is(FilingOutcome.FILED)).Then(this.department_result).Else(this.close_declined)
    )
    department_result = (
        flow.View(views.department_result)
        .Annotation(title=_("建议书处理结果"))
        .onCreate(route_to(Role.LIAISON, addressed_department))
        .Next(this.verify)
    )
    # The union verifies the rectification and closes.
    verify = (
        flow.View(views.verify)
        .Annotation(title=_("工会复核结案"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.end)
    )
    close_declined = (
        flow.View(views.close_declined)
        .Annotation(title=_("部门不予立案·结案"))
        .onCreate(route_to(Role.LABOR_SUPERVISOR, handling_union))
        .Next(this.end)
    )
    end = flow.End()

    # 线索移送 (parallel branch, any state): the procuratorate acts and feeds back (D28).
    refer = flow.StartHandle(this.start_referral).Next(this.procuratorate_feedback)
    procuratorate_feedback = (
        flow.View(views.procuratorate_feedback)
        .Annotation(title=_("移送线索办理反馈"))
        .onCreate(route_to(Role.LIAISON, referral_procuratorate, clock=clue_clock))
        .Next(this.referral_end)
    )
    referral_end = flow.End()

    # ------------------------------------------------ handlers

    def start_matter(self, activation, *, register, **kwargs):
        """`register` runs mediation.supervision.services.matter_register."""
        matter = register(**kwargs)
        activation.process.matter = matter
        activation.process.save()
        return matter

    def start_referral(self, activation, *, refer, **kwargs):
        """`refer` runs mediation.supervision.services.procuratorate_refer."""
        referral = refer(**kwargs)
        activation.process.matter = referral.matter
        activation.process.referral = referral
        activation.process.save()
        return referral

    def grant_access(self, process, agency):
        """A partner agency sees the matter once a task is addressed to it (DOMAIN §1.5)."""
        if not agency.is_union:
            matter_grant_access(process.matter, agency)


# ------------------------------------------------ entry points (views, API, commands, demo data)


def matter_open(*, actor, **kwargs):
    """Register a clue (mediation.supervision.services.matter_register) and start its flow."""
    with transaction.atomic():
        return SupervisionFlow.register.run(register=lambda **kw: matter_register(actor=actor, **kw), **kwargs)


def referral_open(*, actor, **kwargs):
    """Pass the matter to the procuratorate and put the clue in its queue (D28)."""
    with transaction.atomic():
        return SupervisionFlow.refer.run(refer=lambda **kw: procuratorate_refer(actor=actor, **kw), **kwargs)
