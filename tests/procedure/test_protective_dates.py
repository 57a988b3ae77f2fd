"""Protective dates (issue 8 item B9), stepped through the real pages and entry points with frozen time.

Counting (DOMAIN §3.1): the day of the triggering event does not count; a calendar period whose
last day is a day off ends on the next working day. The 2026 schedule (国办发明电〔2025〕7号):
春节 2月15日–23日 off (2月24日 Tue back to work); 清明 4月4日–6日; 劳动节 5月1日–5日 off
(5月9日 Sat worked); 端午 6月19日; 国庆 10月1日–7日.

* D12 — 《劳动争议调解仲裁法》第二十七条: the limitation period is one year from the day the worker
  knew or should have known of the infringement; 劳动报酬 in arrears during employment is not limited
  while the employment lasts, then one year from its end. Shown per claim as "时效风险" when the
  date is within CONCORD_LIMITATION_RISK_DAYS (default 60) or passed. The union's receipt of the
  mediation application is shown as evidence of interruption, never added to the date.
* D31 — 《劳动保障监察条例》第二十条: a violation not found, reported or complained of within two
  years (from its end, if continuing) is no longer investigated: the referral to inspection warns
  and must be acknowledged.
* D27 — supporting prosecution: the procuratorate's decision, a local SLA (seeded 15 days, inferred).
* D5 — 人民调解工作若干规定 Art. 33: a people's mediation committee generally finishes within one month
  of acceptance (cases handled jointly with a people's mediation committee).
* D13–D18 — 调解仲裁法 Arts. 29, 32, 43, 47–50: the commission decides within 5 days of receipt; the
  tribunal composition notice within 5 days of acceptance; the award within 45 days of acceptance
  (+≤15 with the chair's approval); final award: the worker sues within 15 days, the employer applies
  to set aside within 30 days of receipt; non-final award: 15 days to sue. The windows end when a
  party sues or applies to set the award aside (recorded by the liaison), or when the case is closed.
* D28 — the procuratorate feeds back within 5 days of closing a clue (local agreement).
* D34 — a pause "等待工伤认定" stops the clocks whose rules pause on it (D3, D5), not D1.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from mediation.cases import services, steps
from mediation.cases.models import Case, CaseEvent, CaseStatus, Referral
from mediation.clocks.models import Clock, ClockStatus
from mediation.supervision.models import ProcuratorateAction, ReferralGround
from tests.cases.test_registration_http import form_data
from tests.factories.cases import do, open_case, open_task
from tests.factories.supervision import investigate, open_matter
from tests.factories.supervision import open_task as open_matter_task
from tests.workflows.step_pages import complete_step
from workflows.supervision_flow import referral_open

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH_2 = datetime.date(2026, 3, 2)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def clock_of(subject, code) -> Clock:
    return Clock.objects.filter(object_id=subject.pk, rule_code=code,
                                content_type__model=subject._meta.model_name).latest("id")


def accepted_case(people, ankang, cal, *, on=MARCH_2, **extra):
    cal.to(on)
    case = open_case(people["intake"], ankang["union:610902"], received_on=on, **extra)
    do(case, "review", people["head"], steps.review_decide, case=case, decision="accept", decided_on=on,
       respondent_consents=True)
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    case.refresh_from_db()
    return case


def fail_and_refer(case, mediator, on, kinds, **extra):
    complete_step(case, "mediate", mediator, {
        "action": "outcome", "outcome": "failed", "on": on.isoformat(), "reason": "被申请人拒绝支付",
        "referral_kinds": kinds, **extra})


# ------------------------------------------------ D12 per claim, at intake


def test_intake_computes_the_limitation_date_per_claim_and_flags_the_one_at_risk(people, cal):
    cal.to(D(2026, 3, 2))
    response = login(people["intake"]).post("/cases/new/", form_data(
        received_on="2026-03-02",
        # 劳动报酬: the employment ended 2025-04-10 → one year → Fri 2026-04-10 (a working day).
        # 2026-03-02 → 04-10 is 39 days: within 60 → 时效风险.
        claim_type="WAGES", claim_subtype="拖欠工资", claim_employment_ended_on="2025-04-10",
        claim_knew_on="2025-01-31",
        # 经济补偿: knew 2025-12-01 → one year → Tue 2026-12-01: 274 days away, no risk.
        extra_claim_type="SEVERANCE", extra_claim_subtype="解除/终止经济补偿", extra_claim_amount="3000",
        extra_claim_knew_on="2025-12-01",
    ), follow=True)
    case = Case.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    # The intake's result (the message on arrival) names the claim at risk and its date.
    assert "时效风险" in page and "2026年4月10日" in page
    wages, severance = case.claims.order_by("id")
    assert wages.employment_ended_on == D(2025, 4, 10) and wages.knew_on == D(2025, 1, 31)
    assert severance.knew_on == D(2025, 12, 1)

    from mediation.cases.protective_selectors import claim_limitations

    rows = {row.claim.pk: row for row in claim_limitations(case, today=D(2026, 3, 2))}
    assert rows[wages.pk].due_on == D(2026, 4, 10) and rows[wages.pk].at_risk
    assert rows[wages.pk].started_on == D(2025, 4, 10)  # the end of employment, not the day known
    assert rows[severance.pk].due_on == D(2026, 12, 1) and not rows[severance.pk].at_risk
    # The receipt is evidence of an interruption (a request to a relevant body), not a new date.
    assert rows[wages.pk].interruption_evidence_on == D(2026, 3, 2)

    page = login(people["mediator"]).get(f"/cases/{case.pk}/").content.decode()
    assert "时效风险" in page and "2026年12月1日" in page
    assert "第二十七条" in page
    assert "2026年3月2日" in page and "中断" in page


def test_limitation_passed_and_continuing_employment(people, cal):
    cal.to(D(2026, 3, 2))
    login(people["intake"]).post("/cases/new/", form_data(
        received_on="2026-03-02",
        # 劳动报酬 while still employed: no one-year limit (Art. 27 para 4).
        claim_type="WAGES", claim_subtype="拖欠工资", claim_employment_continuing="on", claim_knew_on="2024-06-30",
        # 经济补偿 known 2025-02-20 → 2026-02-20 (Fri, 春节 off to Mon 02-23) → Tue 2026-02-24: passed.
        extra_claim_type="SEVERANCE", extra_claim_subtype="解除/终止经济补偿", extra_claim_amount="3000",
        extra_claim_knew_on="2025-02-20",
    ))
    case = Case.objects.get()
    from mediation.cases.protective_selectors import claim_limitations

    wages, severance = claim_limitations(case, today=D(2026, 3, 2))
    assert wages.due_on is None and not wages.at_risk and wages.continuing
    assert severance.due_on == D(2026, 2, 24) and severance.expired and severance.at_risk
    page = login(people["mediator"]).get(f"/cases/{case.pk}/").content.decode()
    assert "劳动关系存续期间" in page and "已超过" in page and "2026年2月24日" in page
    assert "limitation-risk" in login(people["mediator"]).get("/cases/").content.decode()  # the case list too
    assert "limitation-risk" in login(people["head"]).get(reverse("inbox")).content.decode()  # and the inbox


def test_the_risk_is_the_unions_advice_not_shown_to_a_partner(people, ankang, cal):
    """A partner who may see the case (a task was addressed to it) does not get the union's 时效风险 badge,
    as on the case page."""
    from guardian.shortcuts import assign_perm

    cal.to(D(2026, 3, 2))
    login(people["intake"]).post("/cases/new/", form_data(
        received_on="2026-03-02", claim_type="SEVERANCE", claim_subtype="解除/终止经济补偿",
        claim_knew_on="2025-02-20"))  # passed on 2026-02-24
    case = Case.objects.get()
    assign_perm("cases.view_case", ankang["court:610902"].group, case)
    partner_list = login(people["court"]).get("/cases/").content.decode()
    assert case.case_no in partner_list and "limitation-risk" not in partner_list
    assert "limitation-risk" in login(people["mediator"]).get("/cases/").content.decode()


@override_settings(CONCORD_LIMITATION_RISK_DAYS=30)
def test_the_case_list_flags_only_cases_at_risk(people, cal):
    cal.to(D(2026, 3, 2))
    login(people["intake"]).post("/cases/new/", form_data(
        received_on="2026-03-02", claim_type="WAGES", claim_subtype="拖欠工资",
        claim_employment_ended_on="2025-04-10"))  # due 2026-04-10: 39 days, not within 30
    assert Case.objects.count() == 1
    assert "limitation-risk" not in login(people["mediator"]).get("/cases/").content.decode()
    assert "limitation-risk" not in login(people["head"]).get(reverse("inbox")).content.decode()


@override_settings(CONCORD_LIMITATION_RISK_DAYS=30)
def test_the_risk_threshold_is_configuration(people, cal):
    cal.to(D(2026, 3, 2))
    login(people["intake"]).post("/cases/new/", form_data(
        received_on="2026-03-02", claim_type="WAGES", claim_subtype="拖欠工资",
        claim_employment_ended_on="2025-04-10"))  # due 2026-04-10: 39 days > 30
    from mediation.cases.protective_selectors import claim_limitations

    (row,) = claim_limitations(Case.objects.get(), today=D(2026, 3, 2))
    assert row.due_on == D(2026, 4, 10) and not row.at_risk


@pytest.mark.parametrize("overrides, message", [
    ({"claim_knew_on": "2026-03-05"}, "知道或者应当知道权利被侵害之日不能晚于今天"),
    ({"claim_employment_ended_on": "2026-03-09"}, "劳动关系终止日期不能晚于今天"),
    ({"claim_employment_continuing": "on", "claim_employment_ended_on": "2025-04-10"},
     "劳动关系仍存续的，不应填写劳动关系终止日期"),
    ({"extra_claim_type": "SEVERANCE", "extra_claim_subtype": "经济补偿", "extra_claim_knew_on": "2026-04-01"},
     "知道或者应当知道权利被侵害之日不能晚于今天"),
])
def test_bad_protective_dates_are_refused_in_chinese_and_save_nothing(people, cal, overrides, message):
    cal.to(D(2026, 3, 2))
    response = login(people["intake"]).post("/cases/new/", form_data(received_on="2026-03-02", **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Case.objects.exists()


def test_the_registration_service_validates_the_claim_dates_too(people, ankang, cal):
    """Every intake path (the page, the supervision hand-over, the API) goes through case_register."""
    from django.core.exceptions import ValidationError

    cal.to(D(2026, 3, 2))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        open_case(people["intake"], ankang["union:610902"], received_on=D(2026, 3, 2), claims=[
            {"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": 100, "knew_on": D(2026, 3, 3)}])
    assert not Case.objects.exists()


# ------------------------------------------------ D31 on a referral to labour inspection


def test_inspection_referral_of_an_old_violation_warns_and_saves_nothing_until_acknowledged(people, ankang, cal):
    case = accepted_case(people, ankang, cal)
    task = open_task(case, "mediate")
    client = login(people["mediator"])
    base = {"action": "outcome", "outcome": "failed", "on": "2026-03-02", "reason": "用人单位拒绝调解",
            "referral_kinds": ["INSPECTION"]}
    # No violation date: the referral cannot be judged against the two-year look-back.
    page = client.post(f"/tasks/{task.pk}/", base).content.decode()
    assert "移送劳动保障监察须填写违法行为发生日期" in page
    # Violation ended 2024-01-15 → two years → Thu 2026-01-15: older than two years on 2026-03-02.
    page = client.post(f"/tasks/{task.pk}/", {**base, "violation_on": "2024-01-15"}).content.decode()
    assert "《劳动保障监察条例》第二十条" in page and "2026年1月15日" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and not Referral.objects.exists()  # nothing half-saved
    fail_and_refer(case, people["mediator"], D(2026, 3, 2), ["INSPECTION"],
                   violation_on="2024-01-15", lookback_acknowledged="on")
    referral = case.referrals.get()
    assert referral.violation_on == D(2024, 1, 15) and referral.lookback_acknowledged
    assert CaseEvent.objects.filter(case=case, action="referral.lookback_acknowledged").exists()
    # The inspection liaison sees the warning on the task.
    task = open_task(case, "labor_inspection")
    page = login(people["inspection"]).get(f"/tasks/{task.pk}/").content.decode()
    assert "第二十条" in page and "2024年1月15日" in page
    # The case page's clock list shows the look-back with its basis.
    page = login(people["mediator"]).get(f"/cases/{case.pk}/").content.decode()
    assert "劳动保障监察追溯期" in page and "2026年1月15日" in page and "已超过二年" in page


def test_inspection_referral_within_two_years_needs_no_acknowledgement(people, ankang, cal):
    case = accepted_case(people, ankang, cal)
    # Violation ended 2024-06-30 → Tue 2026-06-30: inside the look-back on 2026-03-02.
    fail_and_refer(case, people["mediator"], D(2026, 3, 2), ["INSPECTION"], violation_on="2024-06-30")
    referral = case.referrals.get()
    assert referral.violation_on == D(2024, 6, 30) and not referral.lookback_acknowledged


# ------------------------------------------------ D27 supporting prosecution


def test_supporting_prosecution_runs_d27_until_the_decision(people, ankang, cal):
    case = accepted_case(people, ankang, cal)
    fail_and_refer(case, people["mediator"], D(2026, 3, 2), ["SUPPORT_PROSECUTION"])
    referral = case.referrals.get()
    d27 = clock_of(referral, "D27")
    # Sent Mon 3-02; 15 days → Tue 3-17.
    assert d27.started_on == D(2026, 3, 2) and d27.due_on == D(2026, 3, 17)
    assert d27.rule.status == "inferred" and d27.task == open_task(case, "supporting_prosecution")
    cal.to(D(2026, 3, 10))
    do(case, "supporting_prosecution", people["procuratorate"], steps.referral_answer, referral=referral,
       received_on=D(2026, 3, 3), accepted=True, decided_on=D(2026, 3, 10), result="决定支持起诉",
       result_on=D(2026, 3, 10))
    d27.refresh_from_db()
    assert d27.status == ClockStatus.MET and d27.stopped_on == D(2026, 3, 10)


# ------------------------------------------------ D13–D18 on a referral to arbitration


def referral_page(user, task, **data):
    """The liaison saves progress on the referral's task page (logged in that day: sessions expire)."""
    response = login(user).post(f"/tasks/{task.pk}/", data)
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/", response.content.decode()[:3000]


def test_arbitration_referral_tracks_acceptance_award_and_the_windows_after_a_final_award(people, ankang, cal):
    case = accepted_case(people, ankang, cal)
    fail_and_refer(case, people["mediator"], D(2026, 3, 2), ["ARBITRATION"])
    referral = case.referrals.get()
    assert not Clock.objects.filter(rule_code="D13").exists()  # D13 runs from the commission's receipt
    task = open_task(case, "arbitration")
    arb = people["arbitration"]
    cal.to(D(2026, 3, 4))
    referral_page(arb, task, received_on="2026-03-04")
    d13 = clock_of(referral, "D13")
    assert d13.due_on == D(2026, 3, 9)  # received Wed 3-04; 5 days → Mon 3-09
    assert d13.agency == ankang["arbitration:610902"]  # reminds the commission's liaison (and the union's head)
    assert d13.task == task  # on the liaison's task: the inbox row shows it
    cal.to(D(2026, 3, 6))
    referral_page(arb, task, received_on="2026-03-04", accepted="yes", decided_on="2026-03-06")
    d13.refresh_from_db()
    assert d13.status == ClockStatus.MET
    d14, d15 = clock_of(referral, "D14"), clock_of(referral, "D15")
    assert d14.due_on == D(2026, 3, 11)  # accepted Fri 3-06; 5 days → Wed 3-11
    assert d15.due_on == D(2026, 4, 20)  # 3-06 + 45 days: 25 in March → 3-31, 20 more → Mon 4-20
    assert d14.task == d15.task == task
    cal.to(D(2026, 3, 10))
    referral_page(arb, task, received_on="2026-03-04", accepted="yes", decided_on="2026-03-06",
                  tribunal_notified_on="2026-03-10")
    d14.refresh_from_db()
    assert d14.status == ClockStatus.MET
    cal.to(D(2026, 4, 15))
    # The chair approves 15 more days: 4-20 + 15 → Tue 5-05 (劳动节 off) → Wed 5-06.
    referral_page(arb, task, received_on="2026-03-04", accepted="yes", decided_on="2026-03-06",
                  award_extension_days="15")
    d15.refresh_from_db()
    assert d15.due_on == D(2026, 5, 6)
    cal.to(D(2026, 4, 30))
    referral_page(arb, task, received_on="2026-03-04", accepted="yes", decided_on="2026-03-06",
                  award_on="2026-04-28", award_kind="FINAL", award_received_on="2026-04-30")
    d15.refresh_from_db()
    assert d15.status == ClockStatus.MET and d15.stopped_on == D(2026, 4, 28)
    # Final award received Thu 4-30: worker sues within 15 days → Fri 5-15 (D16); the employer applies
    # to set aside within 30 days → Sat 5-30 → Mon 6-01 (D17). A final award has no D18.
    assert clock_of(referral, "D16").due_on == D(2026, 5, 15)
    assert clock_of(referral, "D16").agency == case.agency  # the union follows the parties' windows
    assert clock_of(referral, "D17").due_on == D(2026, 6, 1)
    assert not Clock.objects.filter(rule_code="D18").exists()
    # The kind that set those windows cannot be changed afterwards, even with the receipt field left empty.
    with pytest.raises(ValidationError, match="裁决书的送达已记录"):
        services.referral_update(referral=referral, actor=arb, award_kind="NON_FINAL")
    page = login(people["mediator"]).get(f"/cases/{case.pk}/").content.decode()
    for text in ("第四十三条", "第四十七条", "第四十九条", "2026年6月1日", "终局裁决"):
        assert text in page
    # The employer applies to set the award aside on 5-08: the windows have served (met).
    cal.to(D(2026, 5, 8))
    referral_page(arb, task, received_on="2026-03-04", accepted="yes", decided_on="2026-03-06",
                  award_on="2026-04-28", award_kind="FINAL", award_received_on="2026-04-30",
                  award_challenged_on="2026-05-08")
    assert {clock_of(referral, code).status for code in ("D16", "D17")} == {ClockStatus.MET}


def test_a_non_final_award_runs_d18(people, ankang, cal):
    case = accepted_case(people, ankang, cal)
    fail_and_refer(case, people["mediator"], D(2026, 3, 2), ["ARBITRATION"])
    referral = case.referrals.get()
    cal.to(D(2026, 4, 30))
    do(case, "arbitration", people["arbitration"], steps.referral_answer, referral=referral,
       received_on=D(2026, 3, 4), accepted=True, decided_on=D(2026, 3, 6), award_on=D(2026, 4, 28),
       award_kind="NON_FINAL", award_received_on=D(2026, 4, 30), result="裁决支持部分请求", result_on=D(2026, 4, 28))
    # Received Thu 4-30; 15 days → Fri 5-15 (Art. 50).
    assert clock_of(referral, "D18").due_on == D(2026, 5, 15)
    assert not Clock.objects.filter(rule_code__in=["D16", "D17"]).exists()


def test_an_award_needs_its_kind_and_dates_in_order(people, ankang, cal):
    from django.core.exceptions import ValidationError

    case = accepted_case(people, ankang, cal)
    fail_and_refer(case, people["mediator"], D(2026, 3, 2), ["ARBITRATION"])
    referral = case.referrals.get()
    cal.to(D(2026, 4, 30))
    with pytest.raises(ValidationError, match="裁决类型"):
        services.referral_update(referral=referral, actor=people["arbitration"], received_on=D(2026, 3, 4),
                                 accepted=True, decided_on=D(2026, 3, 6), award_received_on=D(2026, 4, 30))
    with pytest.raises(ValidationError, match="收到裁决书日期不能早于裁决日期"):
        services.referral_update(referral=referral, actor=people["arbitration"], received_on=D(2026, 3, 4),
                                 accepted=True, decided_on=D(2026, 3, 6), award_on=D(2026, 4, 28),
                                 award_kind="FINAL", award_received_on=D(2026, 4, 20))


# ------------------------------------------------ D5 and the pause (D34)


def test_joint_people_mediation_runs_d5_and_a_pause_moves_d3_and_d5_but_not_d1(people, ankang, cal):
    case = accepted_case(people, ankang, cal, joint_peoples_mediation=True)
    d1, d3, d5 = clock_of(case, "D1"), clock_of(case, "D3"), clock_of(case, "D5")
    assert d3.due_on == D(2026, 3, 17)  # accepted Mon 3-02; 15 days → Tue 3-17
    assert d5.due_on == D(2026, 4, 2)  # one month → Thu 4-02
    mediator = login(people["mediator"])
    page = mediator.get(f"/cases/{case.pk}/").content.decode()
    assert "暂停计时" in page and "等待工伤认定" in page and "人民调解" in page
    cal.to(D(2026, 3, 5))
    response = login(people["mediator"]).post(
        reverse("case_clocks_pause", args=[case.pk]),
        {"reason": "等待工伤认定", "note": "已向人社局申请工伤认定", "on": "2026-03-05"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    for c in (d1, d3, d5):
        c.refresh_from_db()
    assert d3.status == d5.status == ClockStatus.PAUSED and d1.status == ClockStatus.RUNNING
    event = CaseEvent.objects.filter(case=case, action="case.paused").get()
    assert "等待工伤认定" in event.summary and "已向人社局申请工伤认定" in event.summary
    page = login(people["mediator"]).get(f"/cases/{case.pk}/").content.decode()
    assert "恢复计时" in page
    cal.to(D(2026, 3, 15))
    response = login(people["mediator"]).post(reverse("case_clocks_resume", args=[case.pk]), {"on": "2026-03-15"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    d3.refresh_from_db()
    d5.refresh_from_db()
    # Paused (3-05, 3-15]: 10 days. D3 3-17 → Fri 3-27; D5 4-02 → Sun 4-12 → Mon 4-13.
    assert d3.due_on == D(2026, 3, 27) and d5.due_on == D(2026, 4, 13)
    assert d3.status == ClockStatus.RUNNING
    page = login(people["mediator"]).get(f"/cases/{case.pk}/").content.decode()
    assert "2026年3月5日" in page and "2026年3月15日" in page  # the paused span on the clock list


def test_pause_needs_a_reason_and_a_user_who_may_act(people, ankang, cal):
    case = accepted_case(people, ankang, cal)
    url = reverse("case_clocks_pause", args=[case.pk])
    # "其他" without words: refused in Chinese, nothing paused.
    login(people["mediator"]).post(url, {"reason": "OTHER", "note": "", "on": "2026-03-02"})
    assert clock_of(case, "D3").status == ClockStatus.RUNNING
    # A partner agency may see the case, not stop its clocks.
    assert login(people["court"]).post(url, {"reason": "等待工伤认定", "on": "2026-03-02"}).status_code == 404
    assert clock_of(case, "D3").status == ClockStatus.RUNNING
    page = login(people["court"]).get(f"/cases/{case.pk}/")
    assert page.status_code == 404  # a walk-in case: no task of the court's, so no case page either


# ------------------------------------------------ D28 runs from the procuratorate's closing


def test_d28_runs_from_the_clue_closed_until_the_feedback(people, ankang, sup, cal):
    lsup, procur = sup["lsup"], people["procuratorate"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"])
    referral = referral_open(actor=lsup, matter=matter, agency=ankang["procuratorate:610902"],
                             sent_on=D(2026, 3, 2), grounds=[ReferralGround.MIGRANT_WAGES],
                             note="涉及23名农民工工资，用人单位拒不配合。")
    task = open_matter_task(matter, "procuratorate_feedback")
    cal.to(D(2026, 3, 16))
    response = login(procur).post(f"/tasks/{task.pk}/", {
        "step_action": "close", "action": ProcuratorateAction.SUPPORT_PROSECUTION, "closed_on": "2026-03-16"})
    assert response.status_code == 302
    d28 = clock_of(referral, "D28")
    # Closed Mon 3-16; 5 days → Sat 3-21 → Mon 3-23. It runs and reminds until the feedback.
    assert d28.status == ClockStatus.RUNNING and d28.due_on == D(2026, 3, 23) and d28.next_reminder_on
    assert d28.task_id == task.pk  # on the liaison's task: its inbox row shows it, reminders reach the task's holder
    open_matter_task(matter, "procuratorate_feedback")  # the step stays open
    cal.to(D(2026, 3, 20))
    response = login(procur).post(f"/tasks/{task.pk}/", {
        "action": ProcuratorateAction.SUPPORT_PROSECUTION, "closed_on": "2026-03-16",
        "feedback": "已支持23名职工起诉，法院已立案。", "feedback_on": "2026-03-20"})
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:matter_detail", args=[matter.pk])
    d28.refresh_from_db()
    assert d28.status == ClockStatus.MET and d28.stopped_on == D(2026, 3, 20)
