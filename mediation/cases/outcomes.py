"""What each human step of the case procedure ended with (issue 8 A1).

Every step's entry point (mediation.cases.steps) returns one of these; the flow stores it on
the process and its gateways route on it (workflows.case_flow) — nothing is read back from
the case to decide where to go next.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accept", _("受理")
    NOT_ACCEPTED = "not_accept", _("不予受理")
    REDIRECTED = "redirect", _("分流转办")


class AssignOutcome(models.TextChoices):
    ASSIGNED = "assigned", _("已指派调解员")


class MediationOutcome(models.TextChoices):
    AGREEMENT = "agreement", _("达成调解协议，履行回访")
    AGREEMENT_TO_CONFIRM = "agreement_confirm", _("达成调解协议，申请确认")
    PERFORMED_ON_SPOT = "performed_on_spot", _("达成调解协议并当场履行")
    FAILED = "failed", _("调解不成，转出")
    WITHDRAWN = "withdrawn", _("撤回")


class FilingOutcome(models.TextChoices):
    JUDICIAL = "judicial", _("已申请司法确认")
    ARBITRAL = "arbitral", _("已申请仲裁审查确认")
    SKIPPED = "skip", _("不申请确认，直接履行")


class ConfirmationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("确认")
    REFUSED = "refused", _("驳回")


class PerformanceOutcome(models.TextChoices):
    PERFORMED = "performed", _("履行完毕")
    PAYMENT_ORDER = "payment_order", _("申请支付令")
    ENFORCEMENT = "enforcement", _("申请强制执行")
    REFERRED = "refer", _("转出")


class PaymentOrderOutcome(models.TextChoices):
    """T15 / D24–D25: the court issues the payment order or refuses the application."""

    ISSUED = "po_issued", _("发出支付令")
    REFUSED = "po_refused", _("驳回支付令申请")


class DebtorOutcome(models.TextChoices):
    """D26: within 15 days of service the debtor pays or objects in writing; or the period runs out."""

    PAID = "debtor_paid", _("债务人清偿")
    OBJECTED = "debtor_objected", _("债务人提出书面异议，转入诉讼")
    LAPSED = "debtor_lapsed", _("期满未异议也未清偿，可申请强制执行")


class EnforcementOutcome(models.TextChoices):
    """T16: the court's enforcement ends."""

    ENFORCED = "enforced", _("执行完毕")
    TERMINATED = "enforcement_terminated", _("终结执行/终结本次执行")


class WithdrawalOutcome(models.TextChoices):
    """T21: the applicant withdraws or the parties settle on their own, from any open state."""

    WITHDRAWN = "case_withdrawn", _("撤回")
    WITHDRAWN_TELL_COURT = "case_withdrawn_court", _("撤回，向委派（委托）法院反馈")


class ReferralOutcome(models.TextChoices):
    ANSWERED = "answered", _("已反馈处理结果")


class CloseOutcome(models.TextChoices):
    CLOSED = "closed", _("结案")


class ArchiveOutcome(models.TextChoices):
    ARCHIVED = "archived", _("归档")


class CourtReportOutcome(models.TextChoices):
    SENT = "court_report_sent", _("已向法院反馈调解结果")


class CourtAcknowledgementOutcome(models.TextChoices):
    ACKNOWLEDGED = "court_acknowledged", _("法院已确认收到")
