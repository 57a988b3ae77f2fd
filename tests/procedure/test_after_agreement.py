"""After an agreement (issue 8 B6; DOMAIN §2.3 T8–T17, T21; §3.2 D20–D21; §3.4).

Cases are stepped through the real entry points (mediation.cases.steps) and task pages with frozen
time. Due dates are counted by hand below: calendar days (日), the day of the event does not count,
a last day on a rest day or holiday moves to the next working day (民事诉讼法 Art. 85), on the State
Council's 2026 schedule: 劳动节 5月1日–5日 off, Saturday 5月9日 a working day.

The agreement of these scenarios takes effect on Thursday 2026-04-16:
* D20 — judicial confirmation, 30 days (人民调解法 Art. 33): 04-17 is day 1, 04-30 day 14,
  05-16 day 30 — a Saturday, so the window closes on Monday 2026-05-18.
* D21 — arbitral review, 15 days (企业劳动争议协商调解规定): day 15 is 05-01, 劳动节 (05-01…05-05
  off), so the window closes on Wednesday 2026-05-06.
Both open when the agreement takes effect, whatever path was chosen at signing (§3.4).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from mediation.cases import services, steps
from mediation.cases.models import (
    CaseStatus,
    Claim,
    ClosingCode,
    EnforcementApplication,
    EnforcementStatus,
    ReferralKind,
    RequestDecision,
    RequestKind,
    claim_item_for,
)
from mediation.cases.outcomes import PerformanceOutcome
from mediation.clocks.models import Clock, ClockStatus
from mediation.notifications.models import Notification
from tests.factories.cases import do, open_case, open_task
from tests.workflows.step_pages import complete_step

from .case_steps import case_with_agreement, claim, clock, page, post_side_action

pytestmark = pytest.mark.django_db
D = datetime.date
EFFECTIVE = D(2026, 4, 16)


@pytest.mark.parametrize("path", ["NONE", "JUDICIAL", "ARBITRAL"])
def test_both_windows_open_when_the_agreement_takes_effect_whatever_the_path(people, ankang, cal, path):
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, path=path)
    d20, d21 = clock(case, "D20"), clock(case, "D21")
    assert (d20.started_on, d20.due_on, d20.status) == (EFFECTIVE, D(2026, 5, 18), ClockStatus.RUNNING)
    assert (d21.started_on, d21.due_on, d21.status) == (EFFECTIVE, D(2026, 5, 6), ClockStatus.RUNNING)


def test_judicial_confirmation_on_the_last_day_of_D20_is_filed(people, ankang, cal):
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE)
    cal.to(D(2026, 5, 18))  # day 30 fell on Saturday 05-16: the window runs to Monday
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-05-18"})
    request = case.confirmation_requests.get()
    assert (request.kind, request.filed_on) == (RequestKind.JUDICIAL_CONFIRMATION, D(2026, 5, 18))
    assert clock(case, "D20").status == ClockStatus.MET
    assert clock(case, "D21").status == ClockStatus.WAIVED  # one path is taken


def test_judicial_confirmation_after_D20_is_refused_citing_article_33(people, ankang, cal):
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE)
    cal.to(D(2026, 5, 19))
    with pytest.raises(ValidationError) as refused:
        do(case, "file_confirmation", people["mediator"], steps.confirmation_filing_decide, case=case, apply=True,
           filed_on=D(2026, 5, 19))
    message = " ".join(refused.value.messages)
    assert "《人民调解法》第三十三条" in message  # the rule row's legal basis, not typed in the message
    assert "2026-04-16" in message and "2026-05-18" in message
    assert not case.confirmation_requests.exists()
    # The page says the same, and the task stays open: the parties may go on to performance.
    client, url = page(people["mediator"], case, "file_confirmation")
    html = client.post(url, {"decision": "apply", "filed_on": "2026-05-19"}).content.decode()
    assert "《人民调解法》第三十三条" in html and "2026-05-18" in html
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "skip", "filed_on": "2026-05-19"})
    assert open_task(case, "follow_up")


def test_arbitral_review_inside_D21_across_labour_day_is_filed(people, ankang, cal):
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, path="ARBITRAL")
    cal.to(D(2026, 5, 6))  # 20 days after the agreement, but day 15 was 05-01 (劳动节)
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-05-06"})
    assert case.confirmation_requests.get().kind == RequestKind.ARBITRAL_REVIEW
    assert clock(case, "D21").status == ClockStatus.MET
    assert open_task(case, "arbitral_review").address.agency == ankang["arbitration:610902"]


def test_arbitral_review_after_D21_is_refused_citing_its_rule(people, ankang, cal):
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, path="ARBITRAL")
    cal.to(D(2026, 5, 7))
    with pytest.raises(ValidationError) as refused:
        do(case, "file_confirmation", people["mediator"], steps.confirmation_filing_decide, case=case, apply=True,
           filed_on=D(2026, 5, 7))
    message = " ".join(refused.value.messages)
    assert "《企业劳动争议协商调解规定》" in message and "2026-05-06" in message
    assert "仲裁审查确认" in message


# ---------------------------------------------------------------- T16: a confirmed agreement is enforced

def confirmed_case(people, ankang, cal, seed=0):
    """Agreement 04-16 paying 30000 on 05-15 and 30000 on 06-15; filed 04-17 (D20 day 1); the court
    accepts 04-20 and confirms 04-24."""
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, seed=seed,
                               instalments=[(D(2026, 5, 15), "30000"), (D(2026, 6, 15), "30000")])
    cal.to(D(2026, 4, 17))
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-04-17"})
    request = case.confirmation_requests.get()
    cal.to(D(2026, 4, 20))
    assert post_side_action(people["court"], case, "judicial_confirmation",
                            {"action": "accept", "accepted_on": "2026-04-20"}) == ""
    cal.to(D(2026, 4, 24))
    complete_step(case, "judicial_confirmation", people["court"], {
        "action": "decide", "decision": "CONFIRMED", "decided_on": "2026-04-24", "ruling_no": "(2026)陕0902民特12号"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED
    return case, request


def test_a_confirmed_agreement_not_performed_goes_to_enforcement_not_arbitration(people, ankang, cal):
    case, ruling = confirmed_case(people, ankang, cal)
    cal.to(D(2026, 5, 18))  # the 05-15 instalment is unpaid
    client, url = page(people["mediator"], case, "follow_up")
    html = client.get(url).content.decode()
    assert 'value="enforcement"' in html
    assert 'value="ARBITRATION"' not in html and 'value="payment_order"' not in html
    with pytest.raises(ValidationError) as refused:
        do(case, "follow_up", people["mediator"], steps.performance_conclude, case=case, outcome="refer",
           on=D(2026, 5, 18), referral_kinds=[ReferralKind.ARBITRATION])
    assert "强制执行" in " ".join(refused.value.messages)
    assert not case.referrals.exists()

    complete_step(case, "follow_up", people["mediator"],
                  {"action": "outcome", "outcome": "enforcement", "on": "2026-05-18", "note": "第一期未付"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ENFORCEMENT
    application = EnforcementApplication.objects.get(case=case)
    assert (application.court, application.filed_on, application.title, application.status) == (
        ankang["court:610902"], D(2026, 5, 18), ruling, EnforcementStatus.FILED)
    assert open_task(case, "enforcement").address.agency == ankang["court:610902"]
    # Nothing is closed while the court's enforcement is open.
    with pytest.raises(ValidationError, match="强制执行或支付令程序尚未结束"):
        services.case_close(case=case, actor=people["head"], closing_code=ClosingCode.SUCCESS_JUDICIAL_CONFIRMED,
                            on=D(2026, 5, 18))

    cal.to(D(2026, 5, 25))
    assert post_side_action(people["court"], case, "enforcement", {
        "action": "accept", "accepted_on": "2026-05-25", "case_no": "(2026)陕0902执345号"}) == ""
    application.refresh_from_db()
    assert (application.status, application.case_no) == (EnforcementStatus.ACCEPTED, "(2026)陕0902执345号")
    cal.to(D(2026, 6, 30))
    complete_step(case, "enforcement", people["court"], {
        "action": "result", "result": "ENFORCED", "result_on": "2026-06-30", "note": "执行到位60000元"})
    application.refresh_from_db()
    case.refresh_from_db()
    assert application.status == EnforcementStatus.ENFORCED and case.status == CaseStatus.PERFORMED
    assert services.suggested_closing_code(case) == ClosingCode.SUCCESS_JUDICIAL_CONFIRMED
    assert open_task(case, "close")


def test_the_default_sweep_points_a_confirmed_agreement_to_enforcement(people, ankang, cal):
    """T14 by the system (mark_defaults) on a confirmed agreement: the mediator is told to apply for
    enforcement (T16), not for a payment order or arbitration."""
    from mediation.cases.tasks import mark_defaults
    from mediation.notifications.models import Notification

    case, _ruling = confirmed_case(people, ankang, cal)
    cal.to(D(2026, 5, 16))  # the day after the unpaid 05-15 instalment
    assert mark_defaults() == 1
    note = Notification.objects.get(recipient=people["mediator"], verb="case_defaulted")
    assert "强制执行" in note.text and "支付令" not in note.text and "仲裁" not in note.text


def test_enforcement_needs_an_enforceable_title(people, ankang, cal):
    """An unconfirmed agreement is not an enforceable title: no enforcement (T16 needs T12 or a payment order)."""
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, path="NONE",
                               instalments=[(D(2026, 5, 15), "60000")])
    cal.to(D(2026, 5, 18))
    with pytest.raises(ValidationError) as refused:
        do(case, "follow_up", people["mediator"], steps.performance_conclude, case=case, outcome="enforcement",
           on=D(2026, 5, 18))
    assert "强制执行" in " ".join(refused.value.messages)


def test_a_case_referred_to_arbitration_is_not_closed_as_a_payment_order_success(people, ankang, cal):
    """调解成功·申请支付令 closes a referred case only when a payment-order objection sent it to litigation."""
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, path="NONE",
                               instalments=[(D(2026, 5, 15), "60000")])
    cal.to(D(2026, 5, 18))
    do(case, "follow_up", people["mediator"], steps.performance_conclude, case=case, outcome="refer",
       on=D(2026, 5, 18), referral_kinds=[ReferralKind.ARBITRATION])
    with pytest.raises(ValidationError) as refused:
        services.case_close(case=case, actor=people["head"], closing_code=ClosingCode.SUCCESS_PAYMENT_ORDER,
                            on=D(2026, 5, 18))
    assert refused.value.code == "closing_code" and "调解不成·转仲裁" in refused.value.messages[0]


# ---------------------------------------------------------------- payment order by claim item (Art. 16, §3.4)

def defaulted_unconfirmed(people, ankang, cal, claims, seed=0):
    case = case_with_agreement(people, ankang, cal, on=EFFECTIVE, path="NONE", claims=claims, seed=seed,
                               instalments=[(D(2026, 5, 15), "60000")])
    cal.to(D(2026, 5, 18))
    return case


def test_claim_items_of_existing_subtypes():
    assert claim_item_for("WAGES", "拖欠工资") == "WAGES"
    assert claim_item_for("OVERTIME", "休息日/法定节假日加班") == "OVERTIME"
    assert claim_item_for("WORK_INJURY", "工伤医疗费") == "INJURY_MEDICAL"
    assert claim_item_for("WORK_INJURY", "一次性伤残补助金") == "DISABILITY_LUMP_SUM"
    assert claim_item_for("WORK_INJURY", "停工留薪期工资") == "SUSPENSION_WAGES"
    assert claim_item_for("SEVERANCE", "违法解除赔偿金") == "DAMAGES"
    assert claim_item_for("SEVERANCE", "解除/终止经济补偿") == "SEVERANCE"


def test_a_disability_lump_sum_is_not_eligible_for_a_payment_order(people, ankang, cal):
    case = defaulted_unconfirmed(people, ankang, cal, [claim("DISABILITY_LUMP_SUM", "WORK_INJURY", "一次性伤残补助金")])
    client, url = page(people["mediator"], case, "follow_up")
    html = client.get(url).content.decode()
    assert 'value="payment_order"' not in html and 'value="refer"' in html  # T17: arbitration
    with pytest.raises(ValidationError) as refused:
        do(case, "follow_up", people["mediator"], steps.performance_conclude, case=case, outcome="payment_order",
           on=D(2026, 5, 18))
    message = " ".join(refused.value.messages)
    assert "一次性伤残补助金" in message and "第十六条" in message
    assert not case.confirmation_requests.exists()
    complete_step(case, "follow_up", people["mediator"], {
        "action": "outcome", "outcome": "refer", "on": "2026-05-18", "referral_kinds": ["ARBITRATION"]})
    assert open_task(case, "arbitration")


def test_overtime_pay_is_eligible_for_a_payment_order(people, ankang, cal):
    case = defaulted_unconfirmed(people, ankang, cal, [claim("OVERTIME", "OVERTIME", "延时加班")])
    assert Claim.objects.get(case=case).payment_order_eligible
    complete_step(case, "follow_up", people["mediator"],
                  {"action": "outcome", "outcome": "payment_order", "on": "2026-05-18"})
    assert case.confirmation_requests.get().kind == RequestKind.PAYMENT_ORDER
    assert open_task(case, "payment_order").address.agency == ankang["court:610902"]


def test_the_union_may_configure_an_item_as_eligible(people, ankang, cal):
    case = defaulted_unconfirmed(people, ankang, cal, [claim("DISABILITY_LUMP_SUM", "WORK_INJURY", "一次性伤残补助金")])
    items = ["WAGES", "OVERTIME", "INJURY_MEDICAL", "SEVERANCE", "DAMAGES", "DISABILITY_LUMP_SUM"]
    with override_settings(PAYMENT_ORDER_ITEMS=items):
        outcome = do(case, "follow_up", people["mediator"], steps.performance_conclude, case=case,
                     outcome="payment_order", on=D(2026, 5, 18))
    assert outcome == PerformanceOutcome.PAYMENT_ORDER


def test_the_registration_page_records_the_claim_item(people, ankang, cal):
    from tests.cases.test_registration_http import form_data  # the intake form as typed

    client = Client()
    client.force_login(people["intake"])
    response = client.post("/cases/new/", form_data(claim_item="OVERTIME", claim_type="OVERTIME",
                                                     claim_subtype="延时加班", received_on="2026-03-02"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Claim.objects.latest("id").item == "OVERTIME"


# ---------------------------------------------------------------- T21: withdrawal from every open state

def at_state(people, ankang, cal, state):
    """A case brought to `state` through the steps; returns the case."""
    on = D(2026, 4, 16)
    if state in ("RECEIVED", "ACCEPTED"):
        cal.to(on)
        case = open_case(people["intake"], ankang["union:610902"], received_on=on)
        if state == "ACCEPTED":
            do(case, "review", people["head"], steps.review_decide, case=case, decision="accept", decided_on=on,
               respondent_consents=True)
        return case
    if state == "IN_MEDIATION":
        cal.to(on)
        case = open_case(people["intake"], ankang["union:610902"], received_on=on)
        do(case, "review", people["head"], steps.review_decide, case=case, decision="accept", decided_on=on,
           respondent_consents=True)
        do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
        services.session_record(case=case, actor=people["mediator"],
                                held_at=datetime.datetime(2026, 4, 16, 9, 0, tzinfo=datetime.UTC),
                                form="FACE_TO_FACE", place="调解室", participants="双方", points_in_dispute="数额")
        return case
    case = case_with_agreement(people, ankang, cal, on=on, instalments=[(D(2026, 5, 15), "60000")])
    if state == "AGREEMENT_EFFECTIVE":
        return case
    complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-04-16"})
    if state == "CONFIRMATION_PENDING":
        return case
    complete_step(case, "judicial_confirmation", people["court"], {
        "action": "decide", "decision": "CONFIRMED", "accepted_on": "2026-04-16", "decided_on": "2026-04-16",
        "ruling_no": "(2026)陕0902民特20号"})
    if state == "CONFIRMED":
        return case
    cal.to(D(2026, 5, 18))
    complete_step(case, "follow_up", people["mediator"], {"action": "outcome", "outcome": "enforcement",
                                                          "on": "2026-05-18"})
    return case  # ENFORCEMENT


EFFECTS = {
    "RECEIVED": "仍可依法申请劳动仲裁",
    "ACCEPTED": "仍可依法申请劳动仲裁",
    "IN_MEDIATION": "仍可依法申请劳动仲裁",
    "AGREEMENT_EFFECTIVE": "调解协议仍然有效",
    "CONFIRMATION_PENDING": "司法确认申请一并撤回",
    "CONFIRMED": "仍可依法申请强制执行",
    "ENFORCEMENT": "强制执行申请一并撤回",
}


@pytest.mark.parametrize("state", list(EFFECTS))
def test_the_applicant_may_withdraw_from_every_open_state(people, ankang, cal, state):
    case = at_state(people, ankang, cal, state)
    case.refresh_from_db()
    assert case.status == state
    running = list(Clock.objects.filter(case=case, status__in=["running", "paused"]).values_list("pk", flat=True))
    cal.to(D(2026, 5, 20))
    client = Client()
    client.force_login(people["mediator"])
    page_html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/withdraw/" in page_html
    response = client.post(f"/cases/{case.pk}/withdraw/", {"reason": "双方已自行和解", "on": "2026-05-20"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert EFFECTS[state] in case.withdrawal_effect
    assert case.events.filter(action="case.withdraw", summary__contains=EFFECTS[state]).exists()
    # The running clocks are waived (CASE_WITHDRAWN), the open steps cancelled, the case goes to closing.
    assert not Clock.objects.filter(pk__in=running).exclude(status=ClockStatus.WAIVED).exists()
    open_steps = [t.flow_task.name for t in case.process.task_set.filter(status__in=["NEW", "ASSIGNED", "STARTED"])]
    assert open_steps == ["close"]
    for request in case.confirmation_requests.all():
        assert request.decision in (RequestDecision.CONFIRMED, RequestDecision.WITHDRAWN)
        if request.decision == RequestDecision.WITHDRAWN:  # the court is told
            assert Notification.objects.filter(recipient=people["court"], verb="case_withdrawn").exists()
    for application in EnforcementApplication.objects.filter(case=case):
        assert application.status == EnforcementStatus.WITHDRAWN
    do(case, "close", people["head"], steps.case_close_decide, case=case, closing_code=ClosingCode.WITHDRAWN,
       on=D(2026, 5, 20))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_withdrawal_needs_its_statement_and_an_open_case(people, ankang, cal):
    case = at_state(people, ankang, cal, "ACCEPTED")
    with pytest.raises(ValidationError, match="撤回说明"):
        steps.case_withdraw_decide(case=case, actor=people["mediator"], reason=" ", on=D(2026, 4, 16))


def test_existing_claims_get_the_same_item_as_new_ones():
    """The data migration (frozen mapping) and intake (claim_item_for) agree on every offered sub-type."""
    import importlib

    from mediation.cases.models import CLAIM_SUBTYPES

    migration = importlib.import_module("mediation.cases.migrations.0014_claim_items")
    for dispute_type, subtypes in CLAIM_SUBTYPES.items():
        for subtype in [*subtypes, "本地自定义诉求"]:
            assert migration.item_for(dispute_type, subtype) == claim_item_for(dispute_type, subtype)
    # A sub-type counts only under its own type: social insurance typed with a wage sub-type stays social insurance.
    assert claim_item_for("SOCIAL_INSURANCE", "拖欠工资") == migration.item_for("SOCIAL_INSURANCE", "拖欠工资") \
        == "SOCIAL_INSURANCE"
