"""Court and payment-order clocks run in stages (issue 8 B7; DOMAIN §3.2 D22, D24–D26; §3.4).

Stepped through the court liaison's task pages with frozen time. Calendar days, the day of the event
does not count, a last day on a rest day or holiday moves to the next working day, on the 2026
schedule (端午 6月19日–21日 off).

Judicial confirmation (法释〔2011〕5号 Arts. 4–5): the court decides whether to accept within 3 days of
receiving the application (D22), then decides within 15 days of acceptance (D22a), extendable by 10
with the court president's approval — the parties' consent is not needed, the approval is recorded.
  Filed Monday 03-02 → D22 due 03-05 (03-03, 03-04, 03-05).
  Accepted Wednesday 03-04 → D22a: 03-05 is day 1, day 15 is Thursday 03-19.
  With +10: day 25 is 03-29, a Sunday → Monday 03-30.
  So a decision on 03-20 — day 16 after acceptance, day 18 after filing — is lawful when extended.

Payment order (民事诉讼法 督促程序, Arts. 226–228 of the 2023 text):
  Filed Monday 06-01 → D24 (accept within 5 days): day 5 is Saturday 06-06 → Monday 06-08.
  Accepted Friday 06-05 → D25 (issue within 15 days of acceptance): day 15 is Saturday 06-20, inside
  端午 (06-19…06-21) → Monday 06-22.
  Issued Thursday 06-18, served on the debtor Wednesday 06-24 → D26 (15 days from service, not from
  issue): day 15 is Thursday 07-09. Counted from the issue it would wrongly be 07-03.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mediation.cases import services, steps
from mediation.cases.models import (
    CaseStatus,
    ClosingCode,
    DebtorResponse,
    ReferralKind,
    RequestDecision,
)
from mediation.clocks.models import ClockStatus
from tests.factories.cases import do, open_task
from tests.workflows.step_pages import complete_step

from .case_steps import case_with_agreement, clock, post_side_action

pytestmark = pytest.mark.django_db
D = datetime.date


def filed_for_confirmation(people, ankang, cal, seed=0):
    case = case_with_agreement(people, ankang, cal, on=D(2026, 3, 2), seed=seed)
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-03-02"})
    d22 = clock(case, "D22")
    assert (d22.started_on, d22.due_on) == (D(2026, 3, 2), D(2026, 3, 5))
    cal.to(D(2026, 3, 4))
    assert post_side_action(people["court"], case, "judicial_confirmation",
                            {"action": "accept", "accepted_on": "2026-03-04"}) == ""
    request = case.confirmation_requests.get()
    assert request.accepted_on == D(2026, 3, 4)
    assert clock(case, "D22").status == ClockStatus.MET
    return case


def test_judicial_confirmation_runs_in_two_stages(people, ankang, cal):
    case = filed_for_confirmation(people, ankang, cal)
    d22a = clock(case, "D22a")
    assert (d22a.started_on, d22a.due_on, d22a.status) == (D(2026, 3, 4), D(2026, 3, 19), ClockStatus.RUNNING)
    # The decision clock hangs on the liaison's task once the court has accepted.
    assert d22a.task == open_task(case, "judicial_confirmation")
    cal.to(D(2026, 3, 19))  # day 15 after acceptance, day 17 after filing
    complete_step(case, "judicial_confirmation", people["court"], {
        "action": "decide", "decision": "CONFIRMED", "decided_on": "2026-03-19", "ruling_no": "(2026)陕0902民特31号"})
    assert clock(case, "D22a").status == ClockStatus.MET
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED


def test_an_approved_extension_makes_a_decision_on_day_16_lawful(people, ankang, cal):
    case = filed_for_confirmation(people, ankang, cal)
    cal.to(D(2026, 3, 18))
    html = post_side_action(people["court"], case, "judicial_confirmation", {"action": "extend", "days": "10",
                                                                              "approval": ""})
    assert "院长批准" in html  # the approval must be recorded
    html = post_side_action(people["court"], case, "judicial_confirmation", {"action": "extend", "days": "11",
                                                                              "approval": "院长批准"})
    assert "超出延长上限" in html  # +10 at most
    assert post_side_action(people["court"], case, "judicial_confirmation", {
        "action": "extend", "days": "10", "approval": "院长张某2026年3月18日批准"}) == ""
    request = case.confirmation_requests.get()
    assert (request.extension_days, request.extension_approval) == (10, "院长张某2026年3月18日批准")
    assert clock(case, "D22a").due_on == D(2026, 3, 30)  # day 25 is Sunday 03-29
    cal.to(D(2026, 3, 20))
    complete_step(case, "judicial_confirmation", people["court"], {
        "action": "decide", "decision": "CONFIRMED", "decided_on": "2026-03-20", "ruling_no": "(2026)陕0902民特32号"})
    assert clock(case, "D22a").status == ClockStatus.MET


def test_a_decision_on_day_16_without_extension_is_late(people, ankang, cal):
    case = filed_for_confirmation(people, ankang, cal)
    cal.to(D(2026, 3, 20))
    complete_step(case, "judicial_confirmation", people["court"], {
        "action": "decide", "decision": "CONFIRMED", "decided_on": "2026-03-20", "ruling_no": "(2026)陕0902民特33号"})
    assert clock(case, "D22a").status == ClockStatus.MISSED


def test_a_ruling_needs_the_acceptance_first(people, ankang, cal):
    case = case_with_agreement(people, ankang, cal, on=D(2026, 3, 2))
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-03-02"})
    request = case.confirmation_requests.get()
    with pytest.raises(ValidationError, match="受理"):
        do(case, "judicial_confirmation", people["court"], steps.confirmation_rule, request=request,
           decision=RequestDecision.CONFIRMED, decided_on=D(2026, 3, 2), ruling_no="(2026)陕0902民特34号")


# ---------------------------------------------------------------- payment order: D24, D25, D26

def payment_order_served(people, ankang, cal, seed=0):
    """Agreement 03-02 to pay 60000 on 05-25, not confirmed; unpaid; payment order filed 06-01."""
    case = case_with_agreement(people, ankang, cal, on=D(2026, 3, 2), path="NONE", seed=seed,
                               instalments=[(D(2026, 5, 25), "60000")])
    cal.to(D(2026, 6, 1))
    complete_step(case, "follow_up", people["mediator"],
                  {"action": "outcome", "outcome": "payment_order", "on": "2026-06-01"})
    d24 = clock(case, "D24")
    assert (d24.started_on, d24.due_on) == (D(2026, 6, 1), D(2026, 6, 8))
    cal.to(D(2026, 6, 5))
    assert post_side_action(people["court"], case, "payment_order",
                            {"action": "accept", "accepted_on": "2026-06-05"}) == ""
    assert clock(case, "D24").status == ClockStatus.MET
    d25 = clock(case, "D25")
    assert (d25.started_on, d25.due_on) == (D(2026, 6, 5), D(2026, 6, 22))
    cal.to(D(2026, 6, 18))
    complete_step(case, "payment_order", people["court"], {
        "action": "decide", "decision": "CONFIRMED", "decided_on": "2026-06-18", "ruling_no": "(2026)陕0902民督7号"})
    assert clock(case, "D25").status == ClockStatus.MET
    assert not case.clocks.filter(rule_code="D26").exists()  # the debtor's period starts on service
    cal.to(D(2026, 6, 24))
    assert post_side_action(people["court"], case, "payment_order_response",
                            {"action": "serve", "served_on": "2026-06-24"}) == ""
    d26 = clock(case, "D26")
    assert (d26.started_on, d26.due_on) == (D(2026, 6, 24), D(2026, 7, 9))
    assert d26.task == open_task(case, "payment_order_response")
    return case


def test_an_objection_ends_the_payment_order_and_the_matter_goes_to_litigation(people, ankang, cal):
    case = payment_order_served(people, ankang, cal)
    cal.to(D(2026, 7, 8))
    complete_step(case, "payment_order_response", people["court"], {
        "action": "respond", "response": "OBJECTED", "on": "2026-07-08", "note": "债务人书面异议：已部分支付"})
    assert clock(case, "D26").status == ClockStatus.MET
    request = case.confirmation_requests.get()
    assert (request.debtor_response, request.debtor_response_on) == (DebtorResponse.OBJECTED, D(2026, 7, 8))
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED_OUT
    litigation = case.referrals.get()
    assert (litigation.kind, litigation.target_agency) == (ReferralKind.LITIGATION, ankang["court:610902"])
    assert open_task(case, "litigation").address.agency == ankang["court:610902"]
    # The court liaison tracks the litigation to its result; then the union closes the case.
    cal.to(D(2026, 9, 10))
    do(case, "litigation", people["court"], steps.referral_answer, referral=litigation, received_on=D(2026, 7, 8),
       accepted=True, decided_on=D(2026, 7, 15), result="判决被告支付工资60000元", document_no="(2026)陕0902民初88号",
       result_on=D(2026, 9, 10))
    case.refresh_from_db()
    assert services.suggested_closing_code(case) == ClosingCode.SUCCESS_PAYMENT_ORDER
    do(case, "close", people["head"], steps.case_close_decide, case=case, closing_code=ClosingCode.SUCCESS_PAYMENT_ORDER,
       on=D(2026, 9, 10))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_debtor_pays_within_its_period(people, ankang, cal):
    case = payment_order_served(people, ankang, cal)
    cal.to(D(2026, 7, 1))
    complete_step(case, "payment_order_response", people["court"], {
        "action": "respond", "response": "PAID", "on": "2026-07-01", "note": "债务人已清偿60000元"})
    assert clock(case, "D26").status == ClockStatus.MET
    case.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED
    assert services.suggested_closing_code(case) == ClosingCode.SUCCESS_PAYMENT_ORDER
    assert open_task(case, "close")


def test_no_objection_and_no_payment_leads_to_enforcement(people, ankang, cal):
    case = payment_order_served(people, ankang, cal)
    cal.to(D(2026, 7, 9))  # the last day of the debtor's period
    with pytest.raises(ValidationError, match="2026-07-09"):
        do(case, "payment_order_response", people["court"], steps.payment_order_respond,
           request=case.confirmation_requests.get(), response="LAPSED", on=D(2026, 7, 9))
    cal.to(D(2026, 7, 10))
    complete_step(case, "payment_order_response", people["court"], {
        "action": "respond", "response": "LAPSED", "on": "2026-07-10"})
    assert clock(case, "D26").status == ClockStatus.MISSED  # the debtor let its period pass
    complete_step(case, "follow_up", people["mediator"],
                  {"action": "outcome", "outcome": "enforcement", "on": "2026-07-10"})
    application = case.enforcement_applications.get()
    assert application.title == case.confirmation_requests.get()
    assert open_task(case, "enforcement")


def test_a_payment_order_refused_without_acceptance_goes_back_to_the_follow_up(people, ankang, cal):
    """不予受理 inside the 5 days of D24 (filed 06-01, due 06-08): D24 is met by the decision; no D25 starts;
    the mediator's follow-up opens again, where arbitration is offered (Art. 15)."""
    case = case_with_agreement(people, ankang, cal, on=D(2026, 3, 2), path="NONE",
                               instalments=[(D(2026, 5, 25), "60000")])
    cal.to(D(2026, 6, 1))
    complete_step(case, "follow_up", people["mediator"],
                  {"action": "outcome", "outcome": "payment_order", "on": "2026-06-01"})
    cal.to(D(2026, 6, 4))
    complete_step(case, "payment_order", people["court"], {
        "action": "decide", "decision": "REFUSED", "decided_on": "2026-06-04", "reason": "债权债务关系不明确"})
    assert clock(case, "D24").status == ClockStatus.MET
    assert not case.clocks.filter(rule_code="D25").exists()
    assert case.confirmation_requests.get().decision == RequestDecision.REFUSED
    case.refresh_from_db()
    assert case.status == "DEFAULTED"  # out of 申请支付令 again: every way out of the default is open
    with pytest.raises(ValidationError, match="不能结案"):
        services.case_close(case=case, actor=people["head"], closing_code="SUCCESS_PAYMENT_ORDER",
                            on=D(2026, 6, 4))
    complete_step(case, "follow_up", people["mediator"], {
        "action": "outcome", "outcome": "refer", "on": "2026-06-04", "referral_kinds": ["ARBITRATION"]})
    assert open_task(case, "arbitration")
