"""One entry point per human step of the case procedure (issue 8 A1).

Each validates, writes through the services (one transaction, with the audit events and
the procedure events that move the clocks) and returns the step's typed outcome
(mediation.cases.outcomes). The task pages, the API, the demo data and the tests all
complete steps through these; workflows.steps stores the outcome for the flow's gateways.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import (
    Case,
    CaseDocument,
    CaseStatus,
    ConfirmationPath,
    ConfirmationRequest,
    CourtReport,
    CourtResult,
    DebtorResponse,
    DocumentKind,
    EnforcementApplication,
    EnforcementStatus,
    Referral,
    ReferralStatus,
    RequestKind,
)
from .outcomes import (
    ArchiveOutcome,
    AssignOutcome,
    CloseOutcome,
    ConfirmationOutcome,
    CourtAcknowledgementOutcome,
    CourtReportOutcome,
    DebtorOutcome,
    EnforcementOutcome,
    FilingOutcome,
    MediationOutcome,
    PaymentOrderOutcome,
    PerformanceOutcome,
    ReferralOutcome,
    ReviewOutcome,
    WithdrawalOutcome,
)


def _choice(enum, value, message: str):
    try:
        return enum(value)
    except ValueError:
        raise ValidationError(message, code="outcome") from None


@transaction.atomic
def review_decide(*, case: Case, actor, decision: str, decided_on: datetime.date, respondent_consents: bool = False,
                  reason: str = "", redirected_to: str = "") -> ReviewOutcome:
    """T3–T5: the committee head accepts, refuses with reasons, or redirects."""
    decision = _choice(ReviewOutcome, decision, _("请选择审查决定。"))
    if decision == ReviewOutcome.ACCEPTED:
        services.case_accept(case=case, actor=actor, accepted_on=decided_on, respondent_consents=respondent_consents)
    elif decision == ReviewOutcome.NOT_ACCEPTED:
        services.case_not_accept(case=case, actor=actor, reason=reason, on=decided_on)
    else:
        services.case_redirect(case=case, actor=actor, to=redirected_to, reason=reason, on=decided_on)
    return decision


@transaction.atomic
def mediator_assign(*, case: Case, actor, mediator, assistants: Iterable = ()) -> AssignOutcome:
    services.case_assign_mediator(case=case, actor=actor, mediator=mediator, assistants=assistants)
    return AssignOutcome.ASSIGNED


@transaction.atomic
def mediation_conclude(
    *, case: Case, actor, outcome: str, on: datetime.date, reason: str = "", referral_kinds: Iterable[str] = (),
    terms: str = "", amount_total: Decimal | int = 0, applicant_signed: bool = False,
    respondent_signed: bool = False, mediator_signed: bool = False, sealed: bool = False,
    paid_on_spot: bool = False, instalments: Iterable[tuple[datetime.date, Decimal]] = (),
    confirmation_path: str = ConfirmationPath.NONE, default_clause: str = "",
    violation_on: datetime.date | None = None, lookback_acknowledged: bool = False,
) -> MediationOutcome:
    """T8 / T18–T19 / T21: mediation ends with an agreement, a failure and its referrals, or a withdrawal."""
    outcome = _choice(MediationOutcome, outcome, _("请选择调解结果。"))
    if outcome in (MediationOutcome.AGREEMENT, MediationOutcome.AGREEMENT_TO_CONFIRM,
                   MediationOutcome.PERFORMED_ON_SPOT):
        services.agreement_sign(
            case=case, actor=actor, terms=terms, amount_total=amount_total or 0, signed_on=on,
            applicant_signed=applicant_signed, respondent_signed=respondent_signed,
            mediator_signed=mediator_signed, sealed=sealed, paid_on_spot=paid_on_spot, instalments=instalments,
            confirmation_path=confirmation_path or ConfirmationPath.NONE, default_clause=default_clause,
        )
        if paid_on_spot:
            return MediationOutcome.PERFORMED_ON_SPOT
        if confirmation_path and confirmation_path != ConfirmationPath.NONE:
            return MediationOutcome.AGREEMENT_TO_CONFIRM
        return MediationOutcome.AGREEMENT
    if outcome == MediationOutcome.FAILED:
        kinds = list(referral_kinds)
        if not kinds:
            raise ValidationError(_("调解不成时请至少选择一个转出去向（如劳动仲裁）。"), code="kinds")
        services.mediation_fail(case=case, actor=actor, reason=reason, on=on)
        services.referrals_create(case=case, actor=actor, kinds=kinds, on=on, violation_on=violation_on,
                                  lookback_acknowledged=lookback_acknowledged)
        return MediationOutcome.FAILED
    services.case_withdraw(case=case, actor=actor, reason=reason, on=on)
    return MediationOutcome.WITHDRAWN


@transaction.atomic
def confirmation_filing_decide(*, case: Case, actor, apply: bool, filed_on: datetime.date,
                               kind: str | None = None) -> FilingOutcome:
    """T11: the parties apply jointly for judicial confirmation (D20) or arbitral review (D21), or not."""
    if not apply:
        services.confirmation_skip(case=case, actor=actor, on=filed_on)
        return FilingOutcome.SKIPPED
    if kind is None:
        path = getattr(getattr(case, "agreement", None), "confirmation_path", ConfirmationPath.NONE)
        kind = RequestKind.ARBITRAL_REVIEW if path == ConfirmationPath.ARBITRAL else RequestKind.JUDICIAL_CONFIRMATION
    services.confirmation_request_file(case=case, actor=actor, kind=kind, filed_on=filed_on)
    return FilingOutcome.JUDICIAL if kind == RequestKind.JUDICIAL_CONFIRMATION else FilingOutcome.ARBITRAL


@transaction.atomic
def confirmation_rule(*, request: ConfirmationRequest, actor, decision: str, decided_on: datetime.date,
                      ruling_no: str = "", reason: str = "",
                      accepted_on: datetime.date | None = None) -> ConfirmationOutcome:
    """T12/T13: the court or arbitration liaison decides, after the acceptance (recorded on the task
    page before, or given here)."""
    if request.kind == RequestKind.PAYMENT_ORDER:
        raise ValidationError(_("支付令申请请在支付令审查任务中处理。"), code="kind")
    request = services.confirmation_decide(request=request, actor=actor, decision=decision, decided_on=decided_on,
                                           ruling_no=ruling_no, reason=reason, accepted_on=accepted_on)
    return ConfirmationOutcome.CONFIRMED if request.decision == "CONFIRMED" else ConfirmationOutcome.REFUSED


@transaction.atomic
def payment_order_decide(*, request: ConfirmationRequest, actor, decision: str, decided_on: datetime.date,
                         ruling_no: str = "", reason: str = "",
                         accepted_on: datetime.date | None = None) -> PaymentOrderOutcome:
    """T15 / D25: the court issues the payment order within 15 days of acceptance, or refuses."""
    if request.kind != RequestKind.PAYMENT_ORDER:
        raise ValidationError(_("这不是支付令申请。"), code="kind")
    request = services.confirmation_decide(request=request, actor=actor, decision=decision, decided_on=decided_on,
                                           ruling_no=ruling_no, reason=reason, accepted_on=accepted_on)
    return PaymentOrderOutcome.ISSUED if request.decision == "CONFIRMED" else PaymentOrderOutcome.REFUSED


@transaction.atomic
def payment_order_respond(*, request: ConfirmationRequest, actor, response: str, on: datetime.date,
                          note: str = "") -> DebtorOutcome:
    """D26: the debtor pays, objects (→ litigation), or lets its 15 days from service pass."""
    services.payment_order_respond(request=request, actor=actor, response=response, on=on, note=note)
    return {DebtorResponse.PAID: DebtorOutcome.PAID, DebtorResponse.OBJECTED: DebtorOutcome.OBJECTED,
            DebtorResponse.LAPSED: DebtorOutcome.LAPSED}[DebtorResponse(response)]


@transaction.atomic
def enforcement_conclude(*, application: EnforcementApplication, actor, result: str, on: datetime.date,
                         note: str = "") -> EnforcementOutcome:
    """T16: the court's enforcement is complete or terminated."""
    application = services.enforcement_conclude(application=application, actor=actor, result=result, on=on,
                                                note=note)
    return (EnforcementOutcome.ENFORCED if application.status == EnforcementStatus.ENFORCED
            else EnforcementOutcome.TERMINATED)


@transaction.atomic
def performance_conclude(*, case: Case, actor, outcome: str, on: datetime.date, note: str = "",
                         referral_kinds: Iterable[str] = (), violation_on: datetime.date | None = None,
                         lookback_acknowledged: bool = False) -> PerformanceOutcome:
    """§2.4 / T14–T17: performance is complete, or after a default the worker seeks a payment order
    (unconfirmed agreement, eligible item), enforcement (confirmed agreement or a payment order the
    debtor let stand), or the case is referred out (never to arbitration for a confirmed agreement)."""
    outcome = _choice(PerformanceOutcome, outcome, _("请选择履行情况。"))
    if outcome == PerformanceOutcome.PERFORMED:
        services.performance_complete(case=case, actor=actor, on=on)
        return outcome
    kinds = list(referral_kinds)
    if outcome == PerformanceOutcome.ENFORCEMENT:
        services.enforcement_title_required(case)
    if outcome == PerformanceOutcome.REFERRED:
        refused = [k for k in kinds if k not in services.referral_kinds_allowed(case)]
        if refused:
            raise ValidationError(
                _("本案已有可以申请强制执行的法律文书（确认裁定、仲裁调解书或者已生效的支付令）：对方不履行的，"
                  "应向人民法院申请强制执行，不再申请劳动仲裁。"),
                code="confirmed_agreement")
    case.refresh_from_db(fields=["status"])
    if case.status not in (CaseStatus.DEFAULTED, CaseStatus.ENFORCEMENT):
        services.case_record_default(case=case, actor=actor, on=on, note=note)
    if outcome == PerformanceOutcome.PAYMENT_ORDER:
        services.confirmation_request_file(case=case, actor=actor, kind=RequestKind.PAYMENT_ORDER, filed_on=on)
        return outcome
    if outcome == PerformanceOutcome.ENFORCEMENT:
        services.enforcement_file(case=case, actor=actor, filed_on=on, note=note)
        return outcome
    if not kinds:
        raise ValidationError(_("请至少选择一个转出去向。"), code="kinds")
    services.referrals_create(case=case, actor=actor, kinds=kinds, on=on, violation_on=violation_on,
                              lookback_acknowledged=lookback_acknowledged)
    return outcome


@transaction.atomic
def referral_answer(*, referral: Referral, actor, **fields) -> ReferralOutcome:
    """T20: the receiving agency records its decision and result and hands the referral back."""
    updated = services.referral_update(referral=referral, actor=actor, **fields)
    if updated.status != ReferralStatus.DONE:
        raise ValidationError(_("反馈结果前请填写处理结果（或不予受理的决定及理由）。"), code="result")
    return ReferralOutcome.ANSWERED


@transaction.atomic
def case_close_decide(*, case: Case, actor, closing_code: str, on: datetime.date, note: str = "",
                      follow_up_done: bool = False) -> CloseOutcome:
    services.case_close(case=case, actor=actor, closing_code=closing_code, on=on, note=note,
                        follow_up_done=follow_up_done)
    return CloseOutcome.CLOSED


@transaction.atomic
def case_file_archive(*, case: Case, actor) -> ArchiveOutcome:
    services.case_archive(case=case, actor=actor)
    return ArchiveOutcome.ARCHIVED


@transaction.atomic
def case_withdraw_decide(*, case: Case, actor, reason: str, on: datetime.date) -> WithdrawalOutcome:
    """T21 from any open state: the withdrawal statement is recorded with what it means; the flow
    (workflows.services.case_withdraw) cancels the open steps and goes to closing."""
    services.case_withdraw(case=case, actor=actor, reason=reason, on=on)
    # A delegated / entrusted case withdrawn in mediation: the court still hears how it ended (DOMAIN §2.3).
    case.refresh_from_db()
    if services.court_report_due(case):
        return WithdrawalOutcome.WITHDRAWN_TELL_COURT
    return WithdrawalOutcome.WITHDRAWN


def court_report_document(case: Case):
    """The document the court gets with the result: the latest print of the agreement (success) or
    of the termination note (failure); None when it has not been printed yet."""
    kind = {CourtResult.SUCCESS: DocumentKind.AGREEMENT,
            CourtResult.FAILED: DocumentKind.TERMINATION_NOTICE}.get(services.court_report_result(case))
    if kind is None:
        return None
    return CaseDocument.objects.filter(case=case, kind=kind).order_by("-created_at", "-id").first()


@transaction.atomic
def court_report_send(*, case: Case, actor, sent_on: datetime.date, follow_up: str = "",
                      note: str = "") -> CourtReportOutcome:
    """DOMAIN §2.3: the union reports a delegated / entrusted mediation back to the court, with the
    agreement or the termination note attached (printed now if nobody printed it yet)."""
    from .document_services import document_generate

    result = services.court_report_result(case)
    document = court_report_document(case)
    if document is None and result in (CourtResult.SUCCESS, CourtResult.FAILED):
        kind = DocumentKind.AGREEMENT if result == CourtResult.SUCCESS else DocumentKind.TERMINATION_NOTICE
        document = document_generate(case=case, actor=actor, kind=kind)  # rolled back with a refusal below
    services.court_report_send(case=case, actor=actor, sent_on=sent_on, follow_up=follow_up, note=note,
                               document=document)
    return CourtReportOutcome.SENT


@transaction.atomic
def court_report_acknowledge(*, report: CourtReport, actor, acknowledged_on: datetime.date, note: str = "",
                             court_case_no: str = "") -> CourtAcknowledgementOutcome:
    """The delegating court's liaison acknowledges the union's report."""
    services.court_report_acknowledge(report=report, actor=actor, acknowledged_on=acknowledged_on, note=note,
                                      court_case_no=court_case_no)
    return CourtAcknowledgementOutcome.ACKNOWLEDGED
