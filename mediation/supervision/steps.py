"""One entry point per human step of the 一函两书 procedure (issue 8 A1).

Each writes through the services (one transaction with its audit event and the procedure
events that move the clocks) and returns the step's typed outcome (outcomes.py), on which
workflows.supervision_flow routes. Task pages, demo data and tests complete steps through these.
"""

from __future__ import annotations

from django.db import transaction

from . import services
from .models import CLOSED_STATUSES, Conclusion, DepartmentDecision, LetterDraft, SupervisionMatter
from .outcomes import (
    DeliveryOutcome,
    DoneOutcome,
    DraftOutcome,
    FilingOutcome,
    InvestigationOutcome,
    LetterOutcome,
    SignOffOutcome,
)


@transaction.atomic
def investigation_conclude(*, actor, matter: SupervisionMatter, **fields) -> InvestigationOutcome:
    """调查核实: no issue closes the matter; a risk calls for a 提示函, a violation for a 意见书."""
    investigation = services.investigation_record(actor=actor, matter=matter, **fields)
    return {Conclusion.NO_ISSUE: InvestigationOutcome.NO_ISSUE, Conclusion.RISK: InvestigationOutcome.RISK,
            Conclusion.VIOLATION: InvestigationOutcome.VIOLATION}[investigation.conclusion]


@transaction.atomic
def letter_submit(*, actor, matter: SupervisionMatter, kind: str, **fields) -> DraftOutcome:
    """The supervisor drafts a letter and submits it for the chair's sign-off."""
    services.letter_draft(actor=actor, matter=matter, kind=kind, **fields)
    return DraftOutcome.SUBMITTED


@transaction.atomic
def letter_decide(*, actor, draft: LetterDraft, approve: bool, reason: str = "", **fields) -> SignOffOutcome:
    """签发 or return with the reason."""
    return SignOffOutcome(services.letter_sign_off(actor=actor, draft=draft, approve=approve, reason=reason,
                                                   **fields).value)


@transaction.atomic
def letter_follow(*, actor, recipient, **fields) -> LetterOutcome:
    """The reply (or its absence) and the union's verification: rectified everywhere closes the matter."""
    recipient = services.letter_reply_record(actor=actor, recipient=recipient, **fields)
    status = SupervisionMatter.objects.values_list("status", flat=True).get(pk=recipient.letter.matter_id)
    return LetterOutcome.RECTIFIED if status in CLOSED_STATUSES else LetterOutcome.ESCALATE


@transaction.atomic
def recommendation_deliver(*, actor, recipient, **fields) -> DeliveryOutcome:
    services.letter_delivery_record(actor=actor, recipient=recipient, **fields)
    return DeliveryOutcome.DELIVERED


@transaction.atomic
def department_decide(*, actor, letter, decision: str, **fields) -> FilingOutcome:
    """The department files the 建议书 (立案) or declines it in writing (D41)."""
    handling = services.department_filing_record(actor=actor, letter=letter, decision=decision, **fields)
    return FilingOutcome.FILED if handling.decision == DepartmentDecision.FILED else FilingOutcome.DECLINED


@transaction.atomic
def department_report(*, actor, letter, **fields) -> DoneOutcome:
    services.department_result_record(actor=actor, letter=letter, **fields)
    return DoneOutcome.DONE


@transaction.atomic
def matter_verify(*, actor, matter: SupervisionMatter, **fields) -> DoneOutcome:
    services.matter_verify_and_close(actor=actor, matter=matter, **fields)
    return DoneOutcome.DONE


@transaction.atomic
def matter_close_after_refusal(*, actor, matter: SupervisionMatter, **fields) -> DoneOutcome:
    services.matter_close_declined(actor=actor, matter=matter, **fields)
    return DoneOutcome.DONE


@transaction.atomic
def clue_feedback(*, actor, referral, **fields) -> DoneOutcome:
    services.procuratorate_feedback_record(actor=actor, referral=referral, **fields)
    return DoneOutcome.DONE
