"""The whole ladder of DOMAIN §4.3 through SupervisionFlow, step by step, as the users do it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import get_perms

from mediation.clocks.models import Clock
from mediation.supervision import services, steps
from mediation.supervision.models import (
    Conclusion,
    DepartmentAction,
    DepartmentDecision,
    DepartmentResult,
    LetterKind,
    MatterStatus,
    ProcuratorateAction,
    ReferralGround,
    ReplyKind,
    Verification,
)
from tests.factories.supervision import (
    deliver,
    do,
    ignored,
    investigate,
    issue,
    open_matter,
    open_steps,
    open_task,
)
from workflows.engine import TaskConflict, task_execute
from workflows.selectors import inbox_for
from workflows.supervision_flow import referral_open

pytestmark = pytest.mark.django_db

D = datetime.date


def clock(subject_pk, code):
    return Clock.objects.get(object_id=subject_pk, rule_code=code)


def run_to_recommendation(sup, cal, ankang):
    lsup, lsup2 = sup["lsup"], sup["lsup2"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, lsup2, conclusion=Conclusion.RISK)
    reminder = issue(matter, "issue_reminder", lsup, LetterKind.REMINDER, D(2026, 3, 2))
    deliver(reminder, lsup, D(2026, 3, 2))
    cal.to(D(2026, 3, 17))
    ignored(matter, "follow_reminder", reminder, lsup, D(2026, 3, 17))
    opinion = issue(matter, "issue_opinion", lsup, LetterKind.OPINION, D(2026, 3, 17))
    deliver(opinion, lsup, cal.to(D(2026, 3, 18)))
    cal.to(D(2026, 4, 10))
    do(matter, "follow_opinion", lsup, steps.letter_follow, recipient=opinion.recipients.get(), reply_kind=ReplyKind.REFUSED, replied_on=D(2026, 4, 3), reply_content="公司经营困难，暂无能力支付。", verification=Verification.NOT_RECTIFIED, verified_on=D(2026, 4, 10))
    recommendation = issue(
        matter, "issue_recommendation", lsup, LetterKind.RECOMMENDATION, D(2026, 4, 10),
        subject="提请依法查处拖欠工资行为", facts="该单位拒不整改。",
        legal_basis="《劳动保障监察条例》第十一条、第二十六条", requirements="请依法立案查处，并将结果书面反馈本会。",
        department=ankang["inspection:610902"],
        recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE, DepartmentAction.ORDER_CORRECTION])
    return matter, reminder, opinion, recommendation


def test_full_ladder_to_labor_inspection_and_closure(people, ankang, sup, cal):
    lsup, insp = sup["lsup"], people["inspection"]
    matter, reminder, opinion, rec = run_to_recommendation(sup, cal, ankang)
    assert reminder.doc_no == "汉滨工监提〔2026〕1号"
    assert opinion.doc_no == "汉滨工监意〔2026〕1号"
    assert rec.doc_no == "汉滨工监建〔2026〕1号"
    assert opinion.previous == reminder and rec.previous == opinion
    # D42 started when the 提示函 was signed off (3/2, due 3/16) and missed (no reply by 3/16);
    # D40 started on 3/17 (due 4/8: 15 W with 清明 4/4–4/6) and met by the refusal of 4/3.
    assert clock(reminder.recipients.get().pk, "D42").status == "missed"
    assert clock(opinion.recipients.get().pk, "D40").status == "met"

    assert open_steps(matter) == ["deliver_recommendation"]
    do(matter, "deliver_recommendation", lsup, steps.recommendation_deliver, recipient=rec.recipients.get(), method="IN_PERSON", delivered_on=D(2026, 4, 10), receipt="监察大队收文登记2026-118")
    filing = open_task(matter, "department_filing")
    assert filing.address.agency == ankang["inspection:610902"]
    assert filing.address.role == "LIAISON"
    assert filing in inbox_for(insp)
    assert filing not in inbox_for(lsup)
    assert "view_supervisionmatter" in get_perms(ankang["inspection:610902"].group, matter)
    d41 = clock(rec.recipients.get().pk, "D41")
    assert d41.status == "running" and d41.task_id == filing.pk  # the inbox shows the deadline
    assert d41.agency == ankang["inspection:610902"]

    # The union cannot take the department's step.
    with pytest.raises(Exception):  # noqa: B017 — Http404 from the engine
        task_execute(task=filing, user=lsup, work=lambda a: None)

    cal.to(D(2026, 4, 14))
    do(matter, "department_filing", insp, steps.department_decide, letter=rec, decision=DepartmentDecision.FILED, decided_on=D(2026, 4, 14), filing_no="汉人社监立〔2026〕12号")
    assert clock(rec.recipients.get().pk, "D41").status == "met"
    cal.to(D(2026, 5, 6))
    do(matter, "department_result", insp, steps.department_report, letter=rec, result=DepartmentResult.ORDER_TO_CORRECT, result_on=D(2026, 5, 6), result_doc_no="汉人社监令〔2026〕5号", result_note="责令于5月20日前支付全部拖欠工资。")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DEPT_DECIDED
    cal.to(D(2026, 5, 21))
    do(matter, "verify", lsup, steps.matter_verify, matter=matter, verification=Verification.RECTIFIED, verified_on=D(2026, 5, 21), note="经回访，23名职工工资已全部发放。", amount_recovered="280000", workers_covered=23)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED_RECTIFIED
    assert matter.amount_recovered == 280000 and matter.workers_covered == 23
    assert open_steps(matter) == []
    assert all(v.rectified for v in matter.violations.all())
    actions = list(matter.events.values_list("action", flat=True))
    for expected in ["matter.registered", "matter.investigate", "matter.issue_reminder", "matter.deliver",
                     "matter.reply", "matter.issue_opinion", "matter.issue_recommendation", "matter.dept_file",
                     "matter.dept_result", "matter.verify"]:
        assert expected in actions


def test_reminder_rectified_closes_the_matter(sup, cal):
    lsup = sup["lsup"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(matter, "issue_reminder", lsup, LetterKind.REMINDER, D(2026, 3, 2))
    deliver(letter, lsup, D(2026, 3, 2))
    cal.to(D(2026, 3, 9))
    do(matter, "follow_reminder", lsup, steps.letter_follow, recipient=letter.recipients.get(), reply_kind=ReplyKind.ACCEPTED, replied_on=D(2026, 3, 6), reply_content="已于3月6日补发全部工资。", verification=Verification.RECTIFIED, verified_on=D(2026, 3, 9), amount_recovered="120000", workers_covered=15)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED_RECTIFIED
    assert open_steps(matter) == []
    assert clock(letter.recipients.get().pk, "D42").status == "met"


def test_no_issue_closes_after_investigation(sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.NO_ISSUE)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED_NO_ISSUE
    assert open_steps(matter) == []


def test_violation_goes_straight_to_opinion(sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.VIOLATION)
    assert open_steps(matter) == ["issue_opinion"]


def test_department_declines_then_union_closes(people, ankang, sup, cal):
    lsup, insp = sup["lsup"], people["inspection"]
    matter, _r, _o, rec = run_to_recommendation(sup, cal, ankang)
    do(matter, "deliver_recommendation", lsup, steps.recommendation_deliver, recipient=rec.recipients.get(), method="POST", delivered_on=D(2026, 4, 10), receipt="EMS1234")
    with pytest.raises(ValidationError, match="不予立案的书面理由"):
        services.department_filing_record(actor=insp, letter=rec, decision=DepartmentDecision.DECLINED,
                                          decided_on=D(2026, 4, 10))
    do(matter, "department_filing", insp, steps.department_decide, letter=rec, decision=DepartmentDecision.DECLINED, decided_on=D(2026, 4, 10), refusal_reason="该单位已进入破产程序，依法由管理人处理。")
    assert open_steps(matter) == ["close_declined"]
    do(matter, "close_declined", lsup, steps.matter_close_after_refusal, matter=matter, closed_on=D(2026, 4, 10), note="转请法律援助中心协助职工申报债权。")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED_ESCALATION_FAILED


def test_procuratorate_referral_runs_beside_the_ladder(people, ankang, sup, cal):
    lsup, procur = sup["lsup"], people["procuratorate"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"])
    referral = referral_open(actor=lsup, matter=matter, agency=ankang["procuratorate:610902"],
                             sent_on=D(2026, 3, 2), grounds=[ReferralGround.MIGRANT_WAGES],
                             note="涉及23名农民工工资，用人单位拒不配合。")
    assert open_steps(matter) == ["issue_opinion", "procuratorate_feedback"]
    task = open_task(matter, "procuratorate_feedback")
    assert task.address.agency == ankang["procuratorate:610902"]
    assert task in inbox_for(procur)
    cal.to(D(2026, 3, 20))
    do(matter, "procuratorate_feedback", procur, steps.clue_feedback, referral=referral, action=ProcuratorateAction.SUPPORT_PROSECUTION, closed_on=D(2026, 3, 16), feedback="已支持23名职工起诉，法院已立案。", feedback_on=D(2026, 3, 20))
    referral.refresh_from_db()
    assert referral.feedback_on == D(2026, 3, 20)
    d28 = clock(referral.pk, "D28")
    assert d28.status == "met"  # 5 days from 3/16
    assert open_steps(matter) == ["issue_opinion"]


def test_a_task_done_twice_is_a_conflict(sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    task = open_task(matter, "investigate")
    investigate(matter, sup["lsup"], sup["lsup2"])
    with pytest.raises(TaskConflict):
        task_execute(task=task, user=sup["lsup2"], work=lambda a: None)
