"""Every illegal transition of the case procedure is refused (issue 8, "How it is checked").

Parametrized over the transition table itself (services.TRANSITIONS): for each step, the case
is put in every state the step may NOT leave, and the step's real service call must refuse it
with a message naming the state — and write nothing. A step added to the table without a
call here fails `test_every_step_of_the_table_is_exercised`.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mediation.cases import services
from mediation.cases.models import (
    Agreement,
    Case,
    CaseEvent,
    CaseStatus,
    ConfirmationRequest,
    Instalment,
    RequestKind,
)
from tests.factories.clocks import bare_case

TODAY = datetime.date.today()


def _agreement(case):
    agreement = Agreement.objects.create(
        case=case, terms="一次性支付。", amount_total=Decimal("1000"), signed_on=TODAY, applicant_signed=True,
        respondent_signed=True, mediator_signed=True, sealed=True)
    return Instalment.objects.create(agreement=agreement, due_on=TODAY - datetime.timedelta(days=3),
                                     amount=Decimal("1000"))


def _request(case, ankang):
    return ConfirmationRequest.objects.create(case=case, kind=RequestKind.JUDICIAL_CONFIRMATION,
                                              target_agency=ankang["court:610902"], filed_on=TODAY)


# The real call of each step of the table, on a case in any state.
CALLS = {
    "submit": lambda c, p, a: services.case_submit(case=c, actor=p["intake"], received_on=TODAY),
    "accept": lambda c, p, a: services.case_accept(case=c, actor=p["head"], accepted_on=TODAY,
                                                   respondent_consents=True),
    "not_accept": lambda c, p, a: services.case_not_accept(case=c, actor=p["head"], reason="不属于劳动争议", on=TODAY),
    "redirect": lambda c, p, a: services.case_redirect(case=c, actor=p["head"], to="劳动监察", reason="无金钱请求",
                                                       on=TODAY),
    "assign": lambda c, p, a: services.case_assign_mediator(case=c, actor=p["head"], mediator=p["mediator"]),
    "session": lambda c, p, a: services.session_record(
        case=c, actor=p["mediator"], held_at=timezone.now() - datetime.timedelta(minutes=5), form="FACE_TO_FACE",
        place="调解室", participants="双方", points_in_dispute="欠薪数额"),
    "extend": lambda c, p, a: services.case_extend(case=c, actor=p["head"], days=5, applicant_consent="书面同意",
                                                   respondent_consent="书面同意", consented_on=TODAY),
    "agree": lambda c, p, a: services.agreement_sign(
        case=c, actor=p["mediator"], terms="当场支付", amount_total=1000, signed_on=TODAY, applicant_signed=True,
        respondent_signed=True, mediator_signed=True, sealed=True, paid_on_spot=True),
    "request_confirmation": lambda c, p, a: services.confirmation_request_file(
        case=c, actor=p["mediator"], kind=RequestKind.JUDICIAL_CONFIRMATION, filed_on=TODAY),
    "confirm": lambda c, p, a: services.confirmation_decide(
        request=_request(c, a), actor=p["court"], decision="CONFIRMED", decided_on=TODAY, ruling_no="（2026）陕0902民特1号"),
    "refuse_confirmation": lambda c, p, a: services.confirmation_decide(
        request=_request(c, a), actor=p["court"], decision="REFUSED", decided_on=TODAY, reason="协议内容违法"),
    "record_payment": lambda c, p, a: services.instalment_record_payment(
        instalment=c.agreement.instalments.get(), actor=p["mediator"], paid_on=TODAY, proof="转账回单"),
    "default": lambda c, p, a: services.case_record_default(case=c, actor=p["mediator"], on=TODAY),
    "payment_order": lambda c, p, a: services.confirmation_request_file(
        case=c, actor=p["mediator"], kind=RequestKind.PAYMENT_ORDER, filed_on=TODAY),
    "enforce": lambda c, p, a: services.enforcement_file(case=c, actor=p["mediator"], filed_on=TODAY),
    "performed": lambda c, p, a: services.performance_complete(case=c, actor=p["mediator"], on=TODAY),
    "fail": lambda c, p, a: services.mediation_fail(case=c, actor=p["mediator"], reason="差距过大", on=TODAY),
    "refer": lambda c, p, a: services.referrals_create(case=c, actor=p["mediator"], kinds=["ARBITRATION"], on=TODAY),
    "withdraw": lambda c, p, a: services.case_withdraw(case=c, actor=p["mediator"], reason="自行和解", on=TODAY),
    "close": lambda c, p, a: services.case_close(case=c, actor=p["head"], closing_code="WITHDRAWN", on=TODAY),
    "archive": lambda c, p, a: services.case_archive(case=c, actor=p["head"]),
}
# Moves made inside another step, never called on their own: start_performance happens with the
# first payment recorded on an effective or confirmed agreement (record_payment); payment_order_refused
# with the court's refusal of a payment order (confirmation_decide).
INTERNAL = {"start_performance", "payment_order_refused"}

STEPS = sorted(set(services.TRANSITIONS) - INTERNAL)


def test_every_step_of_the_table_is_exercised():
    assert set(CALLS) == set(STEPS)


@pytest.mark.parametrize("step", STEPS)
def test_every_illegal_transition_is_refused_and_writes_nothing(step, people, ankang):
    """`step` from every state the table does not allow it to leave (one case, put in each state in turn)."""
    allowed, _target = services.TRANSITIONS[step]
    illegal = [state for state in CaseStatus.values if state not in allowed]
    assert illegal, step
    case = bare_case(ankang["union:610902"], people["intake"], received_on=TODAY, accepted_on=TODAY,
                     lead_mediator=people["mediator"])
    _agreement(case)
    wrong = []
    for state in illegal:
        Case.objects.filter(pk=case.pk).update(status=state)
        case.refresh_from_db()
        events_before = CaseEvent.objects.filter(case=case).count()
        try:
            CALLS[step](case, people, ankang)
        except ValidationError as refused:
            message = refused.messages[0]
            expected = ("案件已归档，只能查阅，不能再修改。" if state == CaseStatus.ARCHIVED else
                        f"案件当前状态为“{CaseStatus(state).label}”，不能{services.ACTION_LABELS[step]}。")
            if message != expected:
                wrong.append(f"{state}: refused with {message!r}, expected {expected!r}")
        else:
            wrong.append(f"{state}: allowed")
        case.refresh_from_db()
        if case.status != state or CaseEvent.objects.filter(case=case).count() != events_before:
            wrong.append(f"{state}: wrote something")
    assert not wrong, f"{step}: " + "; ".join(wrong)
