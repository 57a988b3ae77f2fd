"""The mediation case procedure (DOMAIN §2.3), read top to bottom.

Each human step is a View node addressed to an agency and a role; the view calls
a service in mediation.cases.services, which checks the transition and writes the
audit event. Referrals to partner agencies run in parallel branches (Split/Join):
the open-source viewflow has no Subprocess node, so each referral is a task in the
receiving agency's queue.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm
from viewflow import this
from viewflow.workflow import flow, lock

from mediation.cases.audit import record_event
from mediation.cases.models import CaseStatus, ReferralKind, RequestDecision, RequestKind
from mediation.cases.outcomes import (
    ConfirmationOutcome,
    DebtorOutcome,
    FilingOutcome,
    MediationOutcome,
    PaymentOrderOutcome,
    PerformanceOutcome,
    ReviewOutcome,
    WithdrawalOutcome,
)
from mediation.clocks.events import Event, referral_event
from mediation.clocks.selectors import case_clocks_by_event
from mediation.clocks.services import clock_due_at
from mediation.notifications.services import notify
from parties.models import Role

from . import case_views as views
from .engine import route_to
from .models import CaseProcess

# ------------------------------------------------ who receives each step

def handling_union(process):
    return process.case.agency


def _open_request(process, kind):
    return process.case.confirmation_requests.filter(kind=kind, decision="").latest("id")


def confirming_court(process):
    return _open_request(process, RequestKind.JUDICIAL_CONFIRMATION).target_agency


def reviewing_arbitration(process):
    return _open_request(process, RequestKind.ARBITRAL_REVIEW).target_agency


def payment_order_court(process):
    return _open_request(process, RequestKind.PAYMENT_ORDER).target_agency


def delegating_court(process):
    """The court that delegated or entrusted the case (DOMAIN §2.1 COURT_DELEGATED / COURT_ENTRUSTED)."""
    return process.case.source_agency


def _issued_payment_order(process):
    return (process.case.confirmation_requests
            .filter(kind=RequestKind.PAYMENT_ORDER, decision=RequestDecision.CONFIRMED).order_by("-id").first())


def issuing_court(process):
    return _issued_payment_order(process).target_agency


def enforcing_court(process):
    return process.case.enforcement_applications.latest("id").court


def referral_agency(kind):
    def agency_of(process):
        return process.case.referrals.filter(kind=kind).latest("id").target_agency

    return agency_of


# The clocks a step runs against are those the event that completes it stops (route_to).

def case_clock(event):
    def clock(process):
        return process.case, event

    return clock


def request_clock(kind, event):
    def clock(process):
        request = process.case.confirmation_requests.filter(kind=kind, decision="").order_by("-id").first()
        return request, event

    return clock


def issued_payment_order_clock(process):
    """The debtor's 15 days (D26), which start when the order is served and end with its answer."""
    return _issued_payment_order(process), Event.PAYMENT_ORDER_OBJECTED


def referral_clock(kind):
    def clock(process):
        return process.case.referrals.filter(kind=kind).order_by("-id").first(), referral_event(kind, "decided")

    return clock


def mediation_due_at(case) -> datetime.datetime:
    """When mediation is overdue: every period it runs in has run out. The union's D3 does not
    escalate inside a court's delegation period (D10/D11), which an agreement stops too."""
    periods = case_clocks_by_event(case, stopped_by=Event.AGREEMENT_EFFECTIVE)
    if not periods:
        return timezone.now() + datetime.timedelta(days=15)
    return clock_due_at(max(periods, key=lambda c: c.due_on))


def lead_mediator(activation):
    return activation.process.case.lead_mediator


# ------------------------------------------------ gateway conditions

def outcome_is(*outcomes):
    """The typed outcome the step's entry point returned (mediation.cases.outcomes)."""
    def cond(activation):
        return activation.process.outcome in outcomes

    return cond


def from_court(activation):
    """The case was delegated or entrusted by a court (fixed at registration): its result goes back there."""
    return activation.process.case.reports_to_court


def referral_chosen(kind):
    def cond(activation):
        return kind in (activation.process.referral_kinds or [])

    return cond


class CaseFlow(flow.Flow):
    process_class = CaseProcess
    # Waits for the other transaction instead of failing at once: a task page runs in one
    # transaction with its submission token (mediation.lib.idempotency), where a failed NOWAIT
    # could not be retried.
    lock_impl = lock.SelectForUpdateLock(nowait=False, attempts=1)
    process_title = _("调解案件")

    # T1–T2 — intake by the union (walk-in, 12351, online, screening), a court
    # delegation or an arbitration referral; receipt starts D1 and D2.
    register = flow.StartHandle(this.start_case).Next(this.intake)
    intake = flow.Split().Next(this.review).Next(this.arbitration_window)

    # D1 (调解仲裁法 Art. 14): 15 days after receipt without agreement, the applicant
    # may apply for arbitration. Runs beside the case; it does not close it.
    arbitration_window = flow.Timer(this.d1_due).Next(this.announce_arbitration_window)
    announce_arbitration_window = flow.Function(this.arbitration_window_open).Next(this.window_end)
    window_end = flow.End()

    # T3–T5 — the committee head accepts, refuses with reasons, or redirects.
    review = (
        flow.View(views.review)
        .Annotation(title=_("受理审查"))
        .onCreate(route_to(Role.COMMITTEE_HEAD, handling_union, clock=case_clock(Event.CASE_ACCEPTED)))
        .Next(this.review_outcome)
    )
    review_outcome = flow.If(outcome_is(ReviewOutcome.ACCEPTED)).Then(this.assign).Else(this.close)

    assign = (
        flow.View(views.assign)
        .Annotation(title=_("指派调解员"))
        .onCreate(route_to(Role.COMMITTEE_HEAD, handling_union))
        .Next(this.mediate)
    )

    # T6–T8, T18, T21 — sessions and extensions are recorded inside this step;
    # it ends with an agreement, a failure or a withdrawal. D3 overdue → escalate.
    mediate = (
        flow.View(views.mediate)
        .Annotation(title=_("组织调解"))
        .Assign(lead_mediator)
        .onCreate(route_to(Role.MEDIATOR, handling_union, clock=case_clock(Event.AGREEMENT_EFFECTIVE)))
        .OnTimeout(this.d3_due, this.escalate_overdue_mediation, interrupting=False, title=_("调解期限届满"))
        .Next(this.mediation_ended)
    )
    escalate_overdue_mediation = flow.Function(this.notify_mediation_overdue).Next(this.escalation_end)
    escalation_end = flow.End()

    # DOMAIN §2.3 "Court-delegated cases": the union reports the result back to the court that
    # delegated or entrusted the case (agreement or termination note attached), beside whatever
    # follows; the court's liaison acknowledges it.
    mediation_ended = flow.Split().Next(this.report_to_court, case=from_court).Next(this.mediation_outcome)
    report_to_court = (
        flow.View(views.report_to_court)
        .Annotation(title=_("向法院反馈调解结果"))
        .Assign(lead_mediator)
        .onCreate(route_to(Role.MEDIATOR, handling_union))
        .Next(this.court_acknowledge)
    )
    court_acknowledge = (
        flow.View(views.court_acknowledge)
        .Annotation(title=_("确认收到调解结果"))
        .onCreate(route_to(Role.LIAISON, delegating_court))
        .Next(this.court_report_end)
    )
    court_report_end = flow.End()

    # T9–T13 — paid on the spot, judicial confirmation (court) or arbitral review (arbitration),
    # or performance followed up directly.
    mediation_outcome = (
        flow.Switch()
        .Case(this.file_confirmation, outcome_is(MediationOutcome.AGREEMENT_TO_CONFIRM))
        .Case(this.follow_up, outcome_is(MediationOutcome.AGREEMENT))
        .Case(this.referrals, outcome_is(MediationOutcome.FAILED))
        .Default(this.close)
    )
    # T11 — the parties apply jointly, within 30 days (D20) or 15 days (D21).
    file_confirmation = (
        flow.View(views.file_confirmation)
        .Annotation(title=_("申请确认"))
        .Assign(lead_mediator)
        .onCreate(route_to(Role.MEDIATOR, handling_union))
        .Next(this.confirmation_route)
    )
    confirmation_route = (
        flow.Switch()
        .Case(this.judicial_confirmation, outcome_is(FilingOutcome.JUDICIAL))
        .Case(this.arbitral_review, outcome_is(FilingOutcome.ARBITRAL))
        .Default(this.follow_up)
    )
    # D22 then D22a: the liaison records the court's acceptance (which starts the decision period) and
    # any extension the court president approves, then the decision.
    judicial_confirmation = (
        flow.View(views.confirmation)
        .Annotation(title=_("司法确认审查"))
        .onCreate(route_to(Role.LIAISON, confirming_court,
                           clock=request_clock(RequestKind.JUDICIAL_CONFIRMATION, Event.JUDICIAL_CONFIRMATION_DECIDED)))
        .Next(this.confirmation_outcome)
    )
    arbitral_review = (
        flow.View(views.confirmation)
        .Annotation(title=_("仲裁审查确认"))
        .onCreate(route_to(Role.LIAISON, reviewing_arbitration,
                           clock=request_clock(RequestKind.ARBITRAL_REVIEW, Event.ARBITRAL_REVIEW_DECIDED)))
        .Next(this.confirmation_outcome)
    )
    confirmation_outcome = (
        flow.If(outcome_is(ConfirmationOutcome.CONFIRMED)).Then(this.follow_up).Else(this.mediate)
    )

    # §2.4 — performance follow-up: instalments paid, or default (T14).
    follow_up = (
        flow.View(views.follow_up)
        .Annotation(title=_("履行回访"))
        .Assign(lead_mediator)
        .onCreate(route_to(Role.MEDIATOR, handling_union))
        .Next(this.performance_outcome)
    )
    performance_outcome = (
        flow.Switch()
        .Case(this.close, outcome_is(PerformanceOutcome.PERFORMED))
        .Case(this.payment_order, outcome_is(PerformanceOutcome.PAYMENT_ORDER))
        .Case(this.enforcement, outcome_is(PerformanceOutcome.ENFORCEMENT))
        .Default(this.referrals)
    )
    # T15 — payment order (调解仲裁法 Art. 16): the court accepts (D24), then issues or refuses (D25).
    payment_order = (
        flow.View(views.payment_order)
        .Annotation(title=_("支付令审查"))
        .onCreate(route_to(Role.LIAISON, payment_order_court,
                           clock=request_clock(RequestKind.PAYMENT_ORDER, Event.PAYMENT_ORDER_DECIDED)))
        .Next(this.payment_order_outcome)
    )
    payment_order_outcome = (
        flow.If(outcome_is(PaymentOrderOutcome.ISSUED)).Then(this.payment_order_response).Else(this.follow_up)
    )
    # D26 — served on the debtor, who has 15 days from service to pay or object in writing; an
    # objection ends the payment-order procedure and the matter goes to litigation (民事诉讼法 Art. 228).
    payment_order_response = (
        flow.View(views.payment_order_response)
        .Annotation(title=_("支付令送达与异议"))
        .onCreate(route_to(Role.LIAISON, issuing_court, clock=issued_payment_order_clock))
        .Next(this.debtor_outcome)
    )
    debtor_outcome = (
        flow.Switch()
        .Case(this.close, outcome_is(DebtorOutcome.PAID))
        .Case(this.litigation, outcome_is(DebtorOutcome.OBJECTED))
        .Default(this.follow_up)
    )
    litigation = (
        flow.View(views.referral)
        .Annotation(title=_("诉讼（支付令异议）"))
        .onCreate(route_to(Role.LIAISON, referral_agency(ReferralKind.LITIGATION),
                           clock=referral_clock(ReferralKind.LITIGATION)))
        .Next(this.close)
    )
    # T16 — a confirmed agreement, or a payment order the debtor let stand, enforced by the court.
    enforcement = (
        flow.View(views.enforcement)
        .Annotation(title=_("强制执行"))
        .onCreate(route_to(Role.LIAISON, enforcing_court))
        .Next(this.close)
    )

    # T19–T20 — one or more referrals at once, each in the receiving agency's queue.
    referrals = (
        flow.Split()
        .Next(this.arbitration, case=referral_chosen(ReferralKind.ARBITRATION))
        .Next(this.legal_aid, case=referral_chosen(ReferralKind.LEGAL_AID))
        .Next(this.supporting_prosecution, case=referral_chosen(ReferralKind.SUPPORT_PROSECUTION))
        .Next(this.labor_inspection, case=referral_chosen(ReferralKind.INSPECTION))
    )
    arbitration = (
        flow.View(views.referral)
        .Annotation(title=_("劳动仲裁"))
        .onCreate(route_to(Role.LIAISON, referral_agency(ReferralKind.ARBITRATION),
                           clock=referral_clock(ReferralKind.ARBITRATION)))
        .Next(this.referrals_done)
    )
    legal_aid = (
        flow.View(views.referral)
        .Annotation(title=_("法律援助"))
        .onCreate(route_to(Role.LIAISON, referral_agency(ReferralKind.LEGAL_AID),
                           clock=referral_clock(ReferralKind.LEGAL_AID)))
        .Next(this.referrals_done)
    )
    supporting_prosecution = (
        flow.View(views.referral)
        .Annotation(title=_("支持起诉"))
        .onCreate(route_to(Role.LIAISON, referral_agency(ReferralKind.SUPPORT_PROSECUTION),
                           clock=referral_clock(ReferralKind.SUPPORT_PROSECUTION)))
        .Next(this.referrals_done)
    )
    labor_inspection = (
        flow.View(views.referral)
        .Annotation(title=_("劳动保障监察"))
        .onCreate(route_to(Role.LIAISON, referral_agency(ReferralKind.INSPECTION),
                           clock=referral_clock(ReferralKind.INSPECTION)))
        .Next(this.referrals_done)
    )
    referrals_done = flow.Join().Next(this.close)

    # T21 — withdrawal from any open state (workflows.services.case_withdraw): the open steps are
    # cancelled and this node leads to closing.
    withdrawn = flow.Handle().Annotation(title=_("撤回")).Next(this.after_withdrawal)
    # A court's case withdrawn in mediation is reported back to the court, beside the closing.
    after_withdrawal = (
        flow.Split()
        .Next(this.report_to_court, case=outcome_is(WithdrawalOutcome.WITHDRAWN_TELL_COURT))
        .Next(this.close)
    )

    # T22–T23 — closing code, then the file is archived and frozen.
    close = (
        flow.View(views.close)
        .Annotation(title=_("结案"))
        .onCreate(route_to(Role.COMMITTEE_HEAD, handling_union))
        .Next(this.archive)
    )
    archive = (
        flow.View(views.archive)
        .Annotation(title=_("归档"))
        .onCreate(route_to(Role.COMMITTEE_HEAD, handling_union))
        .Next(this.end)
    )
    end = flow.TerminateEnd()

    # ------------------------------------------------ handlers

    def start_case(self, activation, *, register, **kwargs):
        """`register` is a callable that runs mediation.cases.services.case_register."""
        case = register(**kwargs)
        activation.process.case = case
        activation.process.save()
        if case.source_agency_id:
            # The delegating court / referring commission follows its case.
            self.grant_access(activation.process, case.source_agency)
        return case

    def grant_access(self, process, agency):
        """A partner agency sees a case from the moment a task is addressed to it (DOMAIN §1.5)."""
        if not agency.is_union:
            assign_perm("cases.view_case", agency.group, process.case)

    def d1_due(self, activation):
        """The arbitration window (D1): the receipt clock that carries a notice for its due day."""
        windows = [c for c in case_clocks_by_event(activation.process.case, started_by=Event.CASE_RECEIVED,
                                                   active=False) if c.rule.due_notice]
        if not windows:
            return timezone.now() + datetime.timedelta(days=15)
        return clock_due_at(min(windows, key=lambda c: c.due_on))

    def d3_due(self, activation):
        return mediation_due_at(activation.process.case)

    def arbitration_window_open(self, activation):
        case = activation.process.case
        case.refresh_from_db()
        if case.status in (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION,
                           CaseStatus.EXTENDED, CaseStatus.CONFIRMATION_REFUSED, CaseStatus.MEDIATION_FAILED):
            record_event(case, actor=None, action="case.arbitration_window_open",
                         summary=_("自收到调解申请之日起已满十五日未达成协议，申请人可以依法申请劳动仲裁（调解仲裁法第十四条）。"))
            recipients = [u for u in [case.lead_mediator] if u]
            if recipients:
                notify(recipients=recipients, verb="arbitration_window_open",
                       text=_("%(no)s：申请人现可申请劳动仲裁，请告知当事人。") % {"no": case.case_no},
                       url=f"/cases/{case.pk}/", dedupe_key=f"case:{case.pk}:D1-window")

    def notify_mediation_overdue(self, activation):
        case = activation.process.case
        case.refresh_from_db()
        if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION, CaseStatus.EXTENDED):
            return
        periods = case_clocks_by_event(case, stopped_by=Event.AGREEMENT_EFFECTIVE)
        if any(c.status != "running" or c.due_on >= timezone.localdate() for c in periods):
            return  # extended with both parties' consent, paused, or still inside the court's period
        heads = [s.user for s in case.agency.staff.filter(role_rows__role=Role.COMMITTEE_HEAD).select_related("user")]
        record_event(case, actor=None, action="case.mediation_overdue",
                     summary=_("调解期限已届满，已提请调解委员会主任决定延期或终止调解。"))
        if heads:
            notify(recipients=heads, verb="mediation_overdue",
                   text=_("%(no)s 调解期限已届满：请决定延期（须双方同意）或终止调解。") % {"no": case.case_no},
                   url=f"/cases/{case.pk}/", dedupe_key=f"case:{case.pk}:D3-escalation")
