"""Court-delegated and court-entrusted cases (issue 8 item B8), stepped through the real entry points
and task pages with frozen time.

Rules (DOMAIN §2.1, §2.3 "Court-delegated cases", §3.2 D10/D11, §3.4), counted BY HAND below in
calendar days, the day of the delegation (entrustment) not counted; a due day that falls on a
holiday moves to the next working day (2026 schedule, 国办发明电〔2025〕7号):

* D10 委派调解 (法释〔2016〕14号): 30 days from the court's delegation — or the court's own due date
  when the delegation letter gives one (the court owns the clock).
* D11 委托调解: 15 days from the entrustment, 7 under the summary procedure (简易程序).
* D3 (the union's own 15 days from acceptance) does not escalate inside the court's period.
* When mediation ends the union reports the result back to the court as a structured task with
  the agreement or the termination note attached; the delegating court's liaison acknowledges it.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from mediation.cases import steps
from mediation.cases.models import (
    CaseDocument,
    CourtFollowUp,
    CourtReport,
    CourtResult,
    DocumentKind,
)
from mediation.clocks.models import Clock
from mediation.notifications.models import Notification
from parties.models import Role
from tests.factories.cases import do, open_case, open_task
from tests.factories.parties import staff_user
from tests.workflows.step_pages import agreement_data, complete_step
from workflows.tasks import fire_due_timers

pytestmark = pytest.mark.django_db
D = datetime.date
CST = datetime.timezone(datetime.timedelta(hours=8))
HB = "610902"


def at(day, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=CST), tick=False)


def delegate(people, ankang, *, on, channel="COURT_DELEGATED", **extra):
    """The Hanbin court's liaison registers a delegation (entrustment) to the Hanbin union."""
    return open_case(people["court"], ankang[f"union:{HB}"], received_on=on, channel=channel,
                     source_agency=ankang[f"court:{HB}"], source_ref="（2026）陕0902民诉前调120号", **extra)


def clock(case, code):
    return Clock.objects.get(case=case, rule_code=code)


def accept_and_assign(case, people, on):
    do(case, "review", people["head"], steps.review_decide, case=case, decision="accept", decided_on=on,
       respondent_consents=True)
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])


def hold_session(case, people, on):
    complete = {"action": "session", "held_at": f"{on.isoformat()}T09:30", "form": "FACE_TO_FACE",
                "place": "汉滨区总工会调解室", "participants": "双方", "points_in_dispute": "欠薪数额"}
    client = Client()
    client.force_login(people["mediator"])
    response = client.post(f"/tasks/{open_task(case, 'mediate').pk}/", complete)
    assert response.status_code == 302, response.content.decode()[:2000]


# ------------------------------------------------ D10 / D11 due dates

def test_delegation_runs_thirty_days_from_the_delegation(people, ankang):
    # Delegated Monday 2026-03-02; 30 calendar days, the day itself not counted → Wednesday 2026-04-01.
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    d10 = clock(case, "D10")
    assert (d10.started_on, d10.due_on) == (D(2026, 3, 2), D(2026, 4, 1))
    assert d10.due_fixed_on is None


def test_delegation_due_day_on_national_day_moves_past_the_holiday(people, ankang):
    # Delegated 2026-09-01 + 30 days → Thursday 2026-10-01, 国庆节 (10月1日–7日 off) → Thursday 2026-10-08.
    with at(D(2026, 9, 1)):
        case = delegate(people, ankang, on=D(2026, 9, 1))
    assert clock(case, "D10").due_on == D(2026, 10, 8)


def test_the_courts_own_due_date_is_the_due_date(people, ankang):
    # The delegation letter says "请于2026年4月20日前反馈": the court owns the clock → D10 due 2026-04-20,
    # not the 30 days' 2026-04-01; recomputing (a calendar change) keeps the court's date.
    from mediation.clocks.services import clocks_recompute

    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), court_due_date=D(2026, 4, 20))
        d10 = clock(case, "D10")
        assert (d10.started_on, d10.due_on, d10.due_fixed_on) == (D(2026, 3, 2), D(2026, 4, 20), D(2026, 4, 20))
        assert d10.due_fixed_by == "汉滨区人民法院（2026）陕0902民诉前调120号"
        clocks_recompute()
        assert clock(case, "D10").due_on == D(2026, 4, 20)


def test_a_court_due_date_before_the_delegation_is_refused(people, ankang):
    with at(D(2026, 3, 2)), pytest.raises(ValidationError):
        delegate(people, ankang, on=D(2026, 3, 2), court_due_date=D(2026, 3, 2))


def test_a_court_due_date_on_a_union_intake_is_refused(people, ankang):
    with at(D(2026, 3, 2)), pytest.raises(ValidationError):
        open_case(people["intake"], ankang[f"union:{HB}"], received_on=D(2026, 3, 2),
                  court_due_date=D(2026, 4, 20))


def test_entrusted_case_runs_fifteen_days(people, ankang):
    # Entrusted Monday 2026-03-02 (ordinary procedure): 15 days → Tuesday 2026-03-17. No D10.
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), channel="COURT_ENTRUSTED", court_procedure="ORDINARY")
    assert clock(case, "D11").due_on == D(2026, 3, 17)
    assert not Clock.objects.filter(case=case, rule_code="D10").exists()


def test_entrusted_case_under_summary_procedure_runs_seven_days(people, ankang):
    # Entrusted Monday 2026-03-02 under 简易程序: 7 days → Monday 2026-03-09 (its own rule row, data).
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), channel="COURT_ENTRUSTED", court_procedure="SUMMARY")
    [period] = Clock.objects.filter(case=case, rule__starts_on="court.entrusted_summary")
    assert period.due_on == D(2026, 3, 9) and period.rule.period == 7
    assert not Clock.objects.filter(case=case, rule_code="D11").exists()


def test_an_entrusted_case_needs_the_courts_procedure(people, ankang):
    """D11 is 15 days or 7: without the court's procedure (or its own date) the period would be a guess."""
    with at(D(2026, 3, 2)), pytest.raises(ValidationError, match="审理程序"):
        delegate(people, ankang, on=D(2026, 3, 2), channel="COURT_ENTRUSTED")


def test_summary_procedure_only_for_entrusted_cases(people, ankang):
    with at(D(2026, 3, 2)), pytest.raises(ValidationError):
        delegate(people, ankang, on=D(2026, 3, 2), court_procedure="SUMMARY")


# ------------------------------------------------ D3 does not escalate inside the court's period

def test_d3_does_not_escalate_inside_the_courts_period(people, ankang):
    # Delegated 2026-03-02 with the court's own date 2026-04-20; accepted 2026-03-03. The union's own
    # D3 (15 days → 2026-03-18) does not run: the court's period governs. On 2026-03-19 nothing escalates
    # and no reminder goes out; the day after the court's date (2026-04-21) the committee head is told.
    from mediation.clocks.reminders import clocks_sweep

    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), court_due_date=D(2026, 4, 20))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
    assert not case.clocks.filter(rule_code="D3").exists()
    assert clock(case, "D2").status == "met"
    with at(D(2026, 3, 19)):
        fire_due_timers()
        clocks_sweep()
        assert not case.events.filter(action="case.mediation_overdue").exists()
        assert not Notification.objects.filter(verb__startswith="clock.").exists()
    with at(D(2026, 4, 20), hour=20):
        fire_due_timers()
        assert not case.events.filter(action="case.mediation_overdue").exists()
    with at(D(2026, 4, 21)):
        fire_due_timers()
        assert case.events.filter(action="case.mediation_overdue").count() == 1


def test_d3_does_not_escalate_inside_the_thirty_days(people, ankang):
    # No date in the letter: D10 = 2026-03-02 + 30 → 2026-04-01; D3 from acceptance 2026-03-03 → 2026-03-18.
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
    with at(D(2026, 4, 1), hour=18):
        fire_due_timers()
        assert not case.events.filter(action="case.mediation_overdue").exists()
    with at(D(2026, 4, 2)):
        fire_due_timers()
        assert case.events.filter(action="case.mediation_overdue").count() == 1


def test_agreement_stops_the_courts_clock(people, ankang):
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), court_due_date=D(2026, 4, 20))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
    with at(D(2026, 3, 10)):
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 10), terms="被申请人于3月20日前支付工资5000元。", amount="5000",
            instalments=[(D(2026, 3, 20), "5000")]))
    d10 = clock(case, "D10")
    assert (d10.status, d10.stopped_on) == ("met", D(2026, 3, 10))


# ------------------------------------------------ report back to the court, acknowledged

def test_agreement_reported_back_and_acknowledged_by_the_court(people, ankang):
    court = ankang[f"court:{HB}"]
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), court_due_date=D(2026, 4, 20))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
    with at(D(2026, 3, 10)):
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 10), terms="被申请人于3月20日前支付工资5000元。", amount="5000",
            instalments=[(D(2026, 3, 20), "5000")]))
        # The case carries on (confirmation) while the union reports to the court.
        report_task = open_task(case, "report_to_court")
        assert open_task(case, "file_confirmation")
        assert report_task.address.agency == case.agency and report_task.address.role == Role.MEDIATOR
        assert Notification.objects.filter(recipient=people["mediator"], verb="task.new",
                                           url=f"/tasks/{report_task.pk}/").exists()
        client = Client()
        client.force_login(people["mediator"])
        page = client.get(f"/tasks/{report_task.pk}/").content.decode()
        assert "向法院反馈调解结果" in page and "调解成功" in page and "被申请人于3月20日前支付工资5000元" in page
        assert "汉滨区人民法院" in page or court.name in page
        complete_step(case, "report_to_court", people["mediator"], {
            "sent_on": "2026-03-10", "follow_up": CourtFollowUp.JUDICIAL_CONFIRMATION,
            "note": "双方当事人同意共同申请司法确认。"})
    report = CourtReport.objects.get(case=case)
    assert (report.result, report.follow_up, report.court, report.sent_on) == (
        CourtResult.SUCCESS, CourtFollowUp.JUDICIAL_CONFIRMATION, court, D(2026, 3, 10))
    assert report.document.kind == DocumentKind.AGREEMENT  # the agreement, printed for the court
    assert case.events.filter(action="case.court_report_sent").exists()

    # The delegating court's liaison gets the task, sees the result and the agreement, and acknowledges.
    ack = open_task(case, "court_acknowledge")
    assert (ack.address.agency, ack.address.role) == (court, Role.LIAISON)
    assert Notification.objects.filter(recipient=people["court"], verb="task.new", url=f"/tasks/{ack.pk}/").exists()
    liaison = Client()
    liaison.force_login(people["court"])
    page = liaison.get(f"/tasks/{ack.pk}/").content.decode()
    assert "确认收到调解结果" in page and "申请司法确认" in page and report.document.title in page
    assert liaison.get(f"/cases/{case.pk}/documents/{report.document.pk}.pdf").status_code == 200
    with at(D(2026, 3, 11)):
        complete_step(case, "court_acknowledge", people["court"], {
            "acknowledged_on": "2026-03-11", "note": "已收到，择日受理司法确认申请。",
            "court_case_no": "（2026）陕0902民特21号"})
    report.refresh_from_db()
    assert (report.acknowledged_on, report.acknowledged_by, report.court_case_no) == (
        D(2026, 3, 11), people["court"], "（2026）陕0902民特21号")
    assert case.events.filter(action="case.court_report_acknowledged").exists()
    case_page = liaison.get(f"/cases/{case.pk}/").content.decode()
    assert "法院已于2026年3月11日确认收到" in case_page and "（2026）陕0902民特21号" in case_page
    assert "法院确定的期限：2026年4月20日" in case_page
    assert "届满日以汉滨区人民法院（2026）陕0902民诉前调120号确定的日期为准" in case_page
    assert open_task(case, "file_confirmation")  # the main path is untouched


def test_failure_reported_with_the_termination_note(people, ankang):
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2), channel="COURT_ENTRUSTED", court_procedure="SUMMARY")
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
    with at(D(2026, 3, 6)):
        complete_step(case, "mediate", people["mediator"], {
            "action": "outcome", "outcome": "failed", "on": "2026-03-06", "reason": "被申请人拒绝支付任何款项",
            "referral_kinds": ["LEGAL_AID"]})
        complete_step(case, "report_to_court", people["mediator"], {
            "sent_on": "2026-03-06", "follow_up": "", "note": "调解不成，请法院依法审理。"})
    report = CourtReport.objects.get(case=case)
    assert report.result == CourtResult.FAILED and report.follow_up == ""
    assert report.document.kind == DocumentKind.TERMINATION_NOTICE
    with at(D(2026, 3, 9)):
        # The referral runs beside the report: answering it opens the closing while the court has
        # not acknowledged yet (the report branch does not hold the referrals' join).
        complete_step(case, "legal_aid", people["legal_aid"], {
            "received_on": "2026-03-09", "accepted": "yes", "decided_on": "2026-03-09", "result": "指派律师代理诉讼",
            "result_on": "2026-03-09", "finish": "on"})
        assert open_task(case, "close") and open_task(case, "court_acknowledge")
        complete_step(case, "court_acknowledge", people["court"], {"acknowledged_on": "2026-03-09", "note": "已收到"})
    assert CourtReport.objects.get(case=case).acknowledged_on == D(2026, 3, 9)


def test_success_report_needs_what_the_court_does_next(people, ankang):
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="当场支付。", amount="5000", paid_on_spot=True))
        with pytest.raises(AssertionError, match="not completed"):
            complete_step(case, "report_to_court", people["mediator"], {"sent_on": "2026-03-03", "follow_up": ""})
        with pytest.raises(ValidationError):
            steps.court_report_send(case=case, actor=people["mediator"], sent_on=D(2026, 3, 3), follow_up="")
    assert not CourtReport.objects.filter(case=case).exists()


def test_the_report_attaches_the_printed_agreement(people, ankang):
    from mediation.cases.document_services import document_generate

    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="当场支付。", amount="5000", paid_on_spot=True))
        printed = document_generate(case=case, actor=people["mediator"], kind=DocumentKind.AGREEMENT)
        complete_step(case, "report_to_court", people["mediator"], {
            "sent_on": "2026-03-03", "follow_up": CourtFollowUp.SUIT_WITHDRAWN})
    assert CourtReport.objects.get(case=case).document == printed
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.AGREEMENT).count() == 1


def test_union_cases_report_to_no_court(people, ankang):
    with at(D(2026, 3, 2)):
        case = open_case(people["intake"], ankang[f"union:{HB}"], received_on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="当场支付。", amount="5000", paid_on_spot=True))
    with pytest.raises(AssertionError, match="no open task"):
        open_task(case, "report_to_court")


def test_only_the_delegating_court_sees_the_case_and_acknowledges(people, ankang):
    other_court = staff_user(ankang["court:610921"], Role.LIAISON, username="hy_court")
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="当场支付。", amount="5000", paid_on_spot=True))
        complete_step(case, "report_to_court", people["mediator"], {
            "sent_on": "2026-03-03", "follow_up": CourtFollowUp.MEDIATION_STATEMENT})
    ack = open_task(case, "court_acknowledge")
    stranger = Client()
    stranger.force_login(other_court)
    assert stranger.get(f"/tasks/{ack.pk}/").status_code == 404
    assert stranger.get(f"/cases/{case.pk}/").status_code == 404
    court = Client()
    court.force_login(people["court"])
    assert court.get(f"/cases/{case.pk}/").status_code == 200
    assert court.get(f"/tasks/{ack.pk}/").status_code == 200


def test_a_court_case_is_not_closed_before_the_court_is_told(people, ankang):
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="当场支付。", amount="5000", paid_on_spot=True))
        with pytest.raises(ValidationError, match="法院"):
            steps.case_close_decide(case=case, actor=people["head"], closing_code="SUCCESS_PAID_ON_SPOT",
                                    on=D(2026, 3, 3), follow_up_done=True)
        complete_step(case, "report_to_court", people["mediator"], {
            "sent_on": "2026-03-03", "follow_up": CourtFollowUp.MEDIATION_STATEMENT})
        complete_step(case, "close", people["head"], {
            "closed_on": "2026-03-03", "closing_code": "SUCCESS_PAID_ON_SPOT", "follow_up_done": "on"})
    case.refresh_from_db()
    assert case.status == "CLOSED"


def test_judicial_confirmation_goes_back_to_the_delegating_court(people, ankang):
    # T11 (S17 Art. 2): the parties of a delegated case apply to the court that delegated it; its
    # liaison rules through the task page.
    from mediation.cases.models import ConfirmationRequest

    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="被申请人于3月20日前支付工资5000元。", amount="5000",
            instalments=[(D(2026, 3, 20), "5000")]))
        complete_step(case, "file_confirmation", people["mediator"], {"decision": "apply", "filed_on": "2026-03-03"})
    assert ConfirmationRequest.objects.get(case=case).target_agency == ankang[f"court:{HB}"]
    with at(D(2026, 3, 5)):
        complete_step(case, "judicial_confirmation", people["court"], {
            "decision": "CONFIRMED", "accepted_on": "2026-03-04", "decided_on": "2026-03-05",
            "ruling_no": "（2026）陕0902民特30号"})
    case.refresh_from_db()
    assert case.status == "CONFIRMED"


def test_a_court_case_withdrawn_in_mediation_is_reported_back_to_the_court(people, ankang):
    """T21 on a delegated case: the plaintiff settles during the union's mediation. The union still
    reports to the court how its delegation ended (撤回), and the court acknowledges; the case closes."""
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
    with at(D(2026, 3, 9)):
        client = Client()
        client.force_login(people["mediator"])
        response = client.post(f"/cases/{case.pk}/withdraw/", {"reason": "双方已自行和解，申请人撤回", "on": "2026-03-09"})
        assert response.status_code == 302
        open_steps = sorted(t.flow_task.name for t in case.process.task_set.filter(
            status__in=["NEW", "ASSIGNED", "STARTED"], flow_task_type="HUMAN"))
        assert open_steps == ["close", "report_to_court"]
        complete_step(case, "report_to_court", people["mediator"], {"sent_on": "2026-03-09",
                                                                   "note": "双方已自行和解，申请人撤回调解申请。"})
        report = CourtReport.objects.get(case=case)
        assert report.result == CourtResult.WITHDRAWN and report.court == ankang[f"court:{HB}"]
        complete_step(case, "court_acknowledge", people["court"], {"acknowledged_on": "2026-03-09"})
        complete_step(case, "close", people["head"], {"closed_on": "2026-03-09", "closing_code": "WITHDRAWN"})
    report.refresh_from_db()
    case.refresh_from_db()
    assert report.acknowledged_on == D(2026, 3, 9) and case.status == "CLOSED"


def test_a_court_case_withdrawn_before_acceptance_has_nothing_to_report(people, ankang):
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
        client = Client()
        client.force_login(people["intake"])
        assert client.post(f"/cases/{case.pk}/withdraw/", {"reason": "原告撤诉", "on": "2026-03-02"}).status_code == 302
    open_steps = [t.flow_task.name for t in case.process.task_set.filter(
        status__in=["NEW", "ASSIGNED", "STARTED"], flow_task_type="HUMAN")]
    assert open_steps == ["close"]


def test_a_withdrawal_after_the_report_leaves_the_courts_acknowledgement_open(people, ankang):
    """The agreement was reported; the parties then settle on their own. The withdrawal cancels the
    union's open steps, not the court's pending acknowledgement, and sends no second report."""
    with at(D(2026, 3, 2)):
        case = delegate(people, ankang, on=D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        accept_and_assign(case, people, D(2026, 3, 3))
        hold_session(case, people, D(2026, 3, 3))
        complete_step(case, "mediate", people["mediator"], agreement_data(
            D(2026, 3, 3), terms="被申请人于3月20日前支付工资5000元。", amount="5000",
            instalments=[(D(2026, 3, 20), "5000")]))
        complete_step(case, "report_to_court", people["mediator"], {
            "sent_on": "2026-03-03", "follow_up": CourtFollowUp.MEDIATION_STATEMENT})
    with at(D(2026, 3, 5)):
        client = Client()
        client.force_login(people["mediator"])
        assert client.post(f"/cases/{case.pk}/withdraw/", {"reason": "双方自行和解", "on": "2026-03-05"}).status_code == 302
    open_steps = sorted(t.flow_task.name for t in case.process.task_set.filter(
        status__in=["NEW", "ASSIGNED", "STARTED"], flow_task_type="HUMAN"))
    assert open_steps == ["close", "court_acknowledge"]
    assert CourtReport.objects.filter(case=case).count() == 1
