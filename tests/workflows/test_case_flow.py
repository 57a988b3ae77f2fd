"""The whole procedure of DOMAIN §2.3 through CaseFlow, step by step, as the users do it."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mediation.cases import services, steps
from mediation.cases.document_services import case_file_generate
from mediation.cases.models import (
    CaseStatus,
    ClosingCode,
    ReferralKind,
    RequestDecision,
    RequestKind,
)
from tests.factories.cases import do, open_case, open_task
from tests.workflows.step_pages import agreement_data, complete_step

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        yield


def accept_and_assign(case, people):
    do(case, "review", people["head"], steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept")
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])


def mediate_to_agreement(case, people, path="JUDICIAL", paid_on_spot=False):
    services.session_record(case=case, actor=people["mediator"],
                            held_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
                            form="FACE_TO_FACE", place="区总工会调解室", participants="双方",
                            points_in_dispute="欠薪数额")

    complete_step(case, "mediate", people["mediator"], agreement_data(
        TODAY, terms="被申请人分两期支付工资。", amount="60000", path=path, paid_on_spot=paid_on_spot,
        instalments=[] if paid_on_spot else [(datetime.date(2026, 3, 10), "30000"),
                                             (datetime.date(2026, 3, 20), "30000")]))
    case.refresh_from_db()
    assert case.agreement.amount_total == Decimal("60000")


def test_agreement_confirmed_by_court_then_paid_and_closed(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=12)
    assert case.status == CaseStatus.RECEIVED
    assert case.case_no.startswith("汉滨工调〔2026〕第0001号")
    accept_and_assign(case, people)
    mediate_to_agreement(case, people)

    complete_step(case, "file_confirmation", people["mediator"],
                  {"decision": "apply", "filed_on": TODAY.isoformat()})
    assert case.confirmation_requests.get().kind == RequestKind.JUDICIAL_CONFIRMATION
    task = open_task(case, "judicial_confirmation")
    assert task.address.agency == ankang["court:610902"]
    request = case.confirmation_requests.get()
    assert request.target_agency == ankang["court:610902"]
    # The court liaison decides on its own task page.
    complete_step(case, "judicial_confirmation", people["court"],
                  {"decision": RequestDecision.CONFIRMED, "accepted_on": TODAY.isoformat(),
                   "decided_on": TODAY.isoformat(), "ruling_no": "(2026)陕0902民特12号"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED
    for inst in case.agreement.instalments.all():
        services.instalment_record_payment(instalment=inst, actor=people["mediator"], paid_on=TODAY, proof="转账")
    services.visit_record(case=case, actor=people["mediator"], visited_on=TODAY, method="电话", findings="已收到")

    complete_step(case, "follow_up", people["mediator"],
                  {"action": "outcome", "outcome": "performed", "on": TODAY.isoformat()})
    case.refresh_from_db()
    assert services.suggested_closing_code(case) == ClosingCode.SUCCESS_JUDICIAL_CONFIRMED
    do(case, "close", people["head"], steps.case_close_decide, case=case, closing_code=ClosingCode.SUCCESS_JUDICIAL_CONFIRMED, on=TODAY, follow_up_done=True)
    case_file_generate(case=case, actor=people["head"])
    do(case, "archive", people["head"], steps.case_file_archive, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    assert case.process.status == "DONE"
    with pytest.raises(ValidationError, match="已归档"):
        services.attachment_add(case=case, actor=people["head"], upload=None)


def test_failed_mediation_referred_to_arbitration_and_legal_aid(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=1)
    accept_and_assign(case, people)

    complete_step(case, "mediate", people["mediator"], {
        "action": "outcome", "outcome": "failed", "on": TODAY.isoformat(), "reason": "被申请人拒绝支付",
        "referral_kinds": [ReferralKind.ARBITRATION, ReferralKind.LEGAL_AID]})
    arb = case.referrals.get(kind=ReferralKind.ARBITRATION)
    aid = case.referrals.get(kind=ReferralKind.LEGAL_AID)
    assert open_task(case, "arbitration").address.agency == ankang["arbitration:610902"]
    do(case, "legal_aid", people["legal_aid"], steps.referral_answer, referral=aid, received_on=TODAY, accepted=True, decided_on=TODAY, result="指派律师代理诉讼", result_on=TODAY)
    with pytest.raises(AssertionError):
        open_task(case, "close")  # still waiting for arbitration
    do(case, "arbitration", people["arbitration"], steps.referral_answer, referral=arb, received_on=TODAY, accepted=True, decided_on=TODAY, result="已立案受理", document_no="汉劳人仲案字〔2026〕15号", result_on=TODAY)
    do(case, "close", people["head"], steps.case_close_decide, case=case, closing_code=ClosingCode.FAILED_TO_ARBITRATION, on=TODAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_not_accepted_goes_to_closing(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"])
    do(case, "review", people["head"], steps.review_decide, case=case, reason="已有生效仲裁裁决", decided_on=TODAY, decision="not_accept")
    do(case, "close", people["head"], steps.case_close_decide, case=case, closing_code=ClosingCode.NOT_ACCEPTED, on=TODAY)
    case.refresh_from_db()
    assert case.closing_code == ClosingCode.NOT_ACCEPTED
