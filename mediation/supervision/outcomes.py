"""What each human step of the 一函两书 procedure ended with (issue 8 A1).

The step entry points (mediation.supervision.steps) return these; the flow stores them on
the process and its gateways route on them (workflows.supervision_flow).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestigationOutcome(models.TextChoices):
    NO_ISSUE = "no_issue", _("未发现违法问题，结案")
    RISK = "risk", _("存在风险隐患，发提示函")
    VIOLATION = "violation", _("确有违法行为，发意见书")


class DraftOutcome(models.TextChoices):
    SUBMITTED = "submitted", _("已报送签发")


class SignOffOutcome(models.TextChoices):
    ISSUED = "issued", _("已签发")
    RETURNED = "returned", _("退回修改")


class LetterOutcome(models.TextChoices):
    RECTIFIED = "rectified", _("已整改，结案")
    ESCALATE = "escalate", _("未回复、拒绝或未整改，升级")


class DeliveryOutcome(models.TextChoices):
    DELIVERED = "delivered", _("已送达")


class FilingOutcome(models.TextChoices):
    FILED = "filed", _("立案")
    DECLINED = "declined", _("不予立案")


class DoneOutcome(models.TextChoices):
    """A step with one way out (the department's result, the union's verification, the feedback)."""

    DONE = "done", _("已办理")
