"""Every step's service and every guard of DOMAIN §4.3, with nothing saved on refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mediation.cases.models import DocumentSequence
from mediation.supervision import services
from mediation.supervision.models import (
    Conclusion,
    DepartmentAction,
    Investigation,
    Letter,
    LetterKind,
    LetterRecipient,
    MatterEvent,
    MatterStatus,
    ReferralGround,
    ReplyKind,
    SupervisionMatter,
    Verification,
    Violation,
)
from parties.models import AgencyKind, AgencyLevel, County, Industry, Role
from tests.factories.parties import AgencyFactory, EmployerFactory, staff_user
from tests.factories.supervision import (
    LEGAL_BASIS,
    chair,
    deliver,
    employer,
    letter_kwargs,
    refused,
    signed,
    violation,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def register(actor, emp, **kwargs):
    return services.matter_register(actor=actor, title="某超市拖欠工资", source="SCREENING",
                                    clue="风险排查发现该单位工资发放异常。", employer=emp, **kwargs)


def investigated(sup, conclusion=Conclusion.VIOLATION):
    matter = register(sup["lsup"], sup["employer"])
    services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=D(2026, 3, 2), method="实地查看",
                                  findings="工资台账显示2月工资未发。", conclusion=conclusion,
                                  investigators=[sup["lsup"], sup["lsup2"]])
    matter.refresh_from_db()
    return matter


ISSUE_DAY = D(2026, 3, 2)


def issue(sup, matter, kind, on=ISSUE_DAY, **extra):
    return signed(actor=sup["lsup"], matter=matter, kind=kind, **letter_kwargs(kind, on, **extra))


def snapshot_counts():
    return (SupervisionMatter.objects.count(), Letter.objects.count(), LetterRecipient.objects.count(),
            Violation.objects.count(), MatterEvent.objects.count(),
            list(DocumentSequence.objects.values_list("series", "last").order_by("series")))


# ------------------------------------------------ clue and investigation

def test_register_numbers_the_matter_and_writes_the_audit_event(sup, cal):
    matter = register(sup["lsup"], sup["employer"])
    assert matter.matter_no == "汉滨工监案〔2026〕1号"
    assert matter.status == MatterStatus.CLUE_FOUND
    assert matter.county == County.HANBIN
    event = matter.events.get()
    assert event.action == "matter.registered" and event.actor == sup["lsup"]
    assert event.agency.name == "汉滨区总工会"
    assert event.changes == {"status": [None, "CLUE_FOUND"]}


def test_only_union_supervision_staff_register(people, sup, cal):
    for user in (people["mediator"], people["inspection"], people["court"]):
        with pytest.raises(ValidationError):
            register(user, sup["employer"])
    assert SupervisionMatter.objects.count() == 0


def test_fewer_than_two_investigators_is_refused(sup, cal):
    matter = register(sup["lsup"], sup["employer"])
    before = snapshot_counts()
    with pytest.raises(ValidationError, match="至少2名劳动法律监督员"):
        services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=D(2026, 3, 2), method="实地查看",
                                      findings="…", conclusion=Conclusion.VIOLATION, investigators=[sup["lsup"]])
    # The same person twice is still one investigator.
    with pytest.raises(ValidationError, match="当前只有1名"):
        services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=D(2026, 3, 2), method="实地查看",
                                      findings="…", conclusion=Conclusion.VIOLATION,
                                      investigators=[sup["lsup"], sup["lsup"]])
    assert snapshot_counts() == before
    assert Investigation.objects.count() == 0
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLUE_FOUND


def test_an_investigator_must_be_a_labor_law_supervisor(people, sup, cal):
    matter = register(sup["lsup"], sup["employer"])
    with pytest.raises(ValidationError, match="不是工会劳动法律监督员"):
        services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=D(2026, 3, 2), method="实地查看",
                                      findings="…", conclusion=Conclusion.VIOLATION,
                                      investigators=[sup["lsup"], people["mediator"]])
    assert Investigation.objects.count() == 0


def test_investigation_cannot_be_dated_in_the_future(sup, cal):
    matter = register(sup["lsup"], sup["employer"])
    with pytest.raises(ValidationError, match="调查日期不能晚于今天"):
        services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=D(2026, 3, 3), method="实地查看",
                                      findings="…", conclusion=Conclusion.RISK, investigators=[sup["lsup"], sup["lsup2"]])


# ------------------------------------------------ letters and their guards

def test_reminder_is_numbered_rendered_and_frozen(sup, cal):
    matter = investigated(sup, Conclusion.RISK)
    letter = issue(sup, matter, LetterKind.REMINDER)
    assert letter.doc_no == "汉滨工监提〔2026〕1号"
    assert sup["employer"].name in letter.rendered_text
    assert LEGAL_BASIS in letter.rendered_text
    assert "2026年3月2日" in letter.rendered_text
    assert "2026年3月16日前" in letter.rendered_text  # the optional reply date
    assert len(letter.content_sha256) == 64
    matter.refresh_from_db()
    assert matter.status == MatterStatus.REMINDER_ISSUED
    letter.rendered_text = "篡改"
    with pytest.raises(PermissionError):
        letter.save()
    with pytest.raises(PermissionError):
        Letter.objects.get(pk=letter.pk).delete()


def test_opinion_lists_each_violation_with_facts_basis_rectification_and_deadline(sup, cal):
    matter = investigated(sup)
    second = violation(D(2026, 3, 2), category="WORKING_TIME", facts="安排职工每月加班超过36小时。",
                       legal_basis="《劳动法》第四十一条", rectification="依法安排工作时间", deadline=D(2026, 3, 31))
    letter = issue(sup, matter, LetterKind.OPINION, violations=[violation(D(2026, 3, 2)), second])
    text = letter.rendered_text
    assert "#一、工资支付、社会保险和福利" in text and "#二、工作时间、休息休假" in text
    assert "安排职工每月加班超过36小时" in text and "《劳动法》第四十一条" in text
    assert "整改期限：2026年3月31日前" in text and "整改期限：2026年3月17日前" in text
    assert "2026年3月23日前将整改情况书面回复本会" in text
    assert "逾期不整改、不回复的" in text  # the statement that escalation will follow
    assert letter.violations.count() == 2
    assert letter.rectification_due == D(2026, 3, 31)


def test_opinion_deadline_before_issue_date_is_refused_and_nothing_saved(sup, cal):
    matter = investigated(sup)
    before = snapshot_counts()
    with pytest.raises(ValidationError) as err:
        issue(sup, matter, LetterKind.OPINION, violations=[violation(D(2026, 3, 2), deadline=D(2026, 2, 27))])
    assert "第1项违法事项：整改期限（2026年2月27日）不能早于发文日期（2026年3月2日）" in err.value.messages[0]
    assert snapshot_counts() == before
    matter.refresh_from_db()
    assert matter.status == MatterStatus.INVESTIGATING


def test_letter_without_legal_basis_is_refused_and_nothing_saved(sup, cal):
    matter = investigated(sup, Conclusion.RISK)
    before = snapshot_counts()
    with pytest.raises(ValidationError, match="文书必须写明法律依据"):
        issue(sup, matter, LetterKind.REMINDER, legal_basis="   ")
    matter2 = investigated(sup)
    before = snapshot_counts()
    with pytest.raises(ValidationError, match="法律依据"):
        issue(sup, matter2, LetterKind.OPINION, violations=[violation(D(2026, 3, 2), legal_basis="")])
    assert snapshot_counts() == before


def test_opinion_needs_a_violation_and_its_reply_date_is_never_typed(sup, cal):
    matter = investigated(sup)
    with pytest.raises(ValidationError, match="至少一项"):
        issue(sup, matter, LetterKind.OPINION, violations=[])
    with pytest.raises(ValueError, match="clock"):
        issue(sup, matter, LetterKind.OPINION, reply_due=D(2026, 3, 20))


def test_escalation_without_recorded_delivery_is_refused(sup, cal):
    matter = investigated(sup, Conclusion.RISK)
    issue(sup, matter, LetterKind.REMINDER)
    before = snapshot_counts()
    with pytest.raises(ValidationError, match="尚未登记送达回执"):
        issue(sup, matter, LetterKind.OPINION)
    assert snapshot_counts() == before


def test_recommendation_without_delivery_of_the_opinion_is_refused(ankang, sup, cal):
    matter = investigated(sup)
    issue(sup, matter, LetterKind.OPINION)
    with pytest.raises(ValidationError, match="尚未登记送达回执"):
        issue(sup, matter, LetterKind.RECOMMENDATION, department=ankang["inspection:610902"],
              recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE])
    assert not Letter.objects.filter(kind=LetterKind.RECOMMENDATION).exists()


def test_recommendation_from_a_grassroots_union_is_refused(ankang, cal):
    grassroots = AgencyFactory(kind=AgencyKind.UNION, level=AgencyLevel.GRASSROOTS, county=County.HANBIN,
                               name="安康汉江商贸有限公司工会")
    a = staff_user(grassroots, Role.LABOR_SUPERVISOR, username="gr_lsup")
    b = staff_user(grassroots, Role.LABOR_SUPERVISOR, username="gr_lsup2")
    emp = employer()
    matter = services.matter_register(actor=a, title="企业内部工资拖欠", source="SCREENING", clue="…", employer=emp)
    services.investigation_record(actor=a, matter=matter, conducted_on=D(2026, 3, 2), method="查阅台账",
                                  findings="…", conclusion=Conclusion.VIOLATION, investigators=[a, b])
    opinion = signed(actor=a, matter=matter, kind=LetterKind.OPINION,
                                    **letter_kwargs(LetterKind.OPINION, D(2026, 3, 2)))
    deliver(opinion, a, D(2026, 3, 2))
    services.letter_reply_record(actor=a, recipient=opinion.recipients.get(), reply_kind=ReplyKind.REFUSED,
                                 replied_on=D(2026, 3, 2), reply_content="不同意。",
                                 verification=Verification.NOT_RECTIFIED, verified_on=D(2026, 3, 2))
    before = snapshot_counts()
    with pytest.raises(ValidationError, match="建议书只能由县级以上总工会制发"):
        signed(actor=a, matter=matter, kind=LetterKind.RECOMMENDATION,
                              department=ankang["inspection:610902"],
                              recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE],
                              **letter_kwargs(LetterKind.RECOMMENDATION, D(2026, 3, 2)))
    assert snapshot_counts() == before


def test_recommendation_goes_to_a_government_department(ankang, sup, cal):
    matter = investigated(sup)
    opinion = issue(sup, matter, LetterKind.OPINION)
    deliver(opinion, sup["lsup"], D(2026, 3, 2))
    services.letter_reply_record(actor=sup["lsup"], recipient=opinion.recipients.get(), reply_kind=ReplyKind.REFUSED,
                                 replied_on=D(2026, 3, 2), reply_content="不同意。",
                                 verification=Verification.NOT_RECTIFIED, verified_on=D(2026, 3, 2))
    for wrong in (ankang["court:610902"], ankang["procuratorate:610902"], ankang["union:city"]):
        with pytest.raises(ValidationError, match="政府有关部门"):
            issue(sup, matter, LetterKind.RECOMMENDATION, department=wrong,
                  recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE])
    letter = issue(sup, matter, LetterKind.RECOMMENDATION, department=ankang["hrss:610902"],
                   recommended_actions=[DepartmentAction.PENALTY])
    assert letter.recipients.get().name == "汉滨区人力资源和社会保障局"
    assert "依法予以行政处罚" in letter.rendered_text


def test_escalation_refused_when_already_rectified(ankang, sup, cal):
    matter = investigated(sup)
    opinion = issue(sup, matter, LetterKind.OPINION)
    deliver(opinion, sup["lsup"], D(2026, 3, 2))
    recipient = opinion.recipients.get()
    recipient.verification = Verification.RECTIFIED  # e.g. a partial view of a later state
    recipient.save()
    with pytest.raises(ValidationError, match="无需升级"):
        issue(sup, matter, LetterKind.RECOMMENDATION, department=ankang["inspection:610902"],
              recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE])


def test_co_issued_reminder_names_every_issuer(ankang, sup, cal):
    matter = investigated(sup, Conclusion.RISK)
    letter = issue(sup, matter, LetterKind.REMINDER, co_issuers=[ankang["procuratorate:610902"]])
    assert "汉滨区总工会劳动法律监督委员会、汉滨区人民检察院" in letter.rendered_text
    with pytest.raises(ValidationError, match="联合发文机关"):
        issue(sup, investigated(sup, Conclusion.RISK), LetterKind.REMINDER, co_issuers=[ankang["justice:610902"]])


# ------------------------------------------------ delivery and reply

def test_delivery_rules(sup, cal):
    matter = investigated(sup, Conclusion.RISK)
    letter = issue(sup, matter, LetterKind.REMINDER)
    recipient = letter.recipients.get()
    with pytest.raises(ValidationError, match="送达回执"):
        services.letter_delivery_record(actor=sup["lsup"], recipient=recipient, method="IN_PERSON",
                                        delivered_on=D(2026, 3, 2), receipt="")
    with pytest.raises(ValidationError, match="不能早于发文日期"):
        services.letter_delivery_record(actor=sup["lsup"], recipient=recipient, method="IN_PERSON",
                                        delivered_on=D(2026, 3, 1), receipt="张某签收")
    deliver(letter, sup["lsup"], D(2026, 3, 2))
    with pytest.raises(ValidationError, match="不能重复登记"):
        deliver(letter, sup["lsup"], D(2026, 3, 2))


def test_no_reply_cannot_be_recorded_before_the_reply_date(sup, cal):
    matter = investigated(sup, Conclusion.RISK)
    letter = issue(sup, matter, LetterKind.REMINDER)
    with pytest.raises(ValidationError, match="请先登记"):
        services.letter_reply_record(actor=sup["lsup"], recipient=letter.recipients.get(),
                                     reply_kind=ReplyKind.NO_REPLY, replied_on=None, reply_content="",
                                     verification=Verification.NOT_RECTIFIED, verified_on=D(2026, 3, 2))
    deliver(letter, sup["lsup"], D(2026, 3, 2))
    cal.to(D(2026, 3, 10))
    with pytest.raises(ValidationError, match="尚未届满"):
        services.letter_reply_record(actor=sup["lsup"], recipient=letter.recipients.get(),
                                     reply_kind=ReplyKind.NO_REPLY, replied_on=None, reply_content="",
                                     verification=Verification.NOT_RECTIFIED, verified_on=D(2026, 3, 10))


# ------------------------------------------------ department, procuratorate, permissions of actors

def test_only_the_addressed_department_records_filing(people, ankang, sup, cal):
    matter = investigated(sup)
    opinion = issue(sup, matter, LetterKind.OPINION)
    deliver(opinion, sup["lsup"], D(2026, 3, 2))
    refused(opinion, sup["lsup"], D(2026, 3, 2))
    rec = issue(sup, matter, LetterKind.RECOMMENDATION, department=ankang["inspection:610902"],
                recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE])
    deliver(rec, sup["lsup"], D(2026, 3, 2))
    other = staff_user(ankang["inspection:610921"], Role.LIAISON, username="hy_insp")
    for user in (other, people["court"], sup["lsup"]):
        with pytest.raises(ValidationError, match="只有汉滨区劳动保障监察大队的工作人员"):
            services.department_filing_record(actor=user, letter=rec, decision="FILED", decided_on=D(2026, 3, 2),
                                              filing_no="X1")
    with pytest.raises(ValidationError, match="立案编号"):
        services.department_filing_record(actor=people["inspection"], letter=rec, decision="FILED",
                                          decided_on=D(2026, 3, 2))


def test_referral_only_to_a_procuratorate_and_grants_it_access(people, ankang, sup, cal):
    matter = investigated(sup)
    with pytest.raises(ValidationError, match="只能移送检察院"):
        services.procuratorate_refer(actor=sup["lsup"], matter=matter, agency=ankang["court:610902"],
                                     sent_on=D(2026, 3, 2), grounds=[ReferralGround.MIGRANT_WAGES], note="…")
    with pytest.raises(ValidationError, match="移送情形"):
        services.procuratorate_refer(actor=sup["lsup"], matter=matter, agency=ankang["procuratorate:610902"],
                                     sent_on=D(2026, 3, 2), grounds=[], note="…")
    referral = services.procuratorate_refer(actor=sup["lsup"], matter=matter,
                                            agency=ankang["procuratorate:610902"], sent_on=D(2026, 3, 2),
                                            grounds=[ReferralGround.SPECIAL_GROUPS], note="涉及女职工孕期被辞退。")
    from mediation.supervision.selectors import matters_visible_to

    assert matter in matters_visible_to(people["procuratorate"])
    with pytest.raises(ValidationError, match="只有汉滨区人民检察院的工作人员"):
        services.procuratorate_feedback_record(actor=sup["lsup"], referral=referral, action="NO_ACTION",
                                               closed_on=D(2026, 3, 2), feedback="…", feedback_on=D(2026, 3, 2))


# ------------------------------------------------ mass reminder letters

def test_mass_reminder_to_the_employers_of_a_county_and_industry(ankang, sup, cal):
    builders = [EmployerFactory(industry=Industry.CONSTRUCTION, county=County.HANBIN, name=f"汉滨建工{i}有限公司")
                for i in range(4)]
    EmployerFactory(industry=Industry.CONSTRUCTION, county=County.HANYIN, name="汉阴建工有限公司")
    EmployerFactory(industry=Industry.RETAIL, county=County.HANBIN, name="汉滨百货有限公司")
    draft = services.reminder_campaign_draft(
        actor=sup["lsup"], title="春节前保障农民工工资支付集中提示", county=County.HANBIN,
        industry=Industry.CONSTRUCTION, subject="春节前足额支付农民工工资",
        facts="春节临近，建筑领域欠薪风险上升。", legal_basis="《保障农民工工资支付条例》第三条",
        requirements="全面排查工资支付情况，确保春节前足额支付。",
        co_issuers=[ankang["procuratorate:610902"]],
    )
    assert draft.matter.status == MatterStatus.INVESTIGATING and not draft.matter.letters.exists()
    services.letter_sign_off(actor=chair(draft.matter.agency), draft=draft, approve=True)
    draft.refresh_from_db()
    letter = draft.letter
    names = sorted(letter.recipients.values_list("name", flat=True))
    assert names == sorted(b.name for b in builders)
    assert letter.matter.is_campaign and letter.matter.status == MatterStatus.REMINDER_ISSUED
    assert "汉滨区建筑业各用人单位（名单附后）" in letter.rendered_text
    assert all(b.name in letter.rendered_text for b in builders)
    # Delivery is tracked per employer.
    first, second = letter.recipients.all()[:2]
    services.letter_delivery_record(actor=sup["lsup"], recipient=first, method="MEETING",
                                    delivered_on=D(2026, 3, 2), receipt="集中送达会签到表第3号")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_delivered and not second.is_delivered
    with pytest.raises(ValidationError, match="只能对个别单位|集中提示事项只制发提示函"):
        signed(actor=sup["lsup"], matter=letter.matter, kind=LetterKind.OPINION,
                              **letter_kwargs(LetterKind.OPINION, D(2026, 3, 2)))


def test_mass_reminder_with_no_employers_is_refused(sup, cal):
    with pytest.raises(ValidationError, match="没有用人单位"):
        services.reminder_campaign_draft(
            actor=sup["lsup"], title="…", county=County.HANBIN, industry=Industry.MINING, subject="…", facts="…",
            legal_basis="…", requirements="…")
    assert SupervisionMatter.objects.count() == 0


def test_county_union_cannot_campaign_in_another_county(sup, cal):
    with pytest.raises(ValidationError, match="本县区"):
        services.reminder_campaign_draft(
            actor=sup["lsup"], title="…", county=County.HANYIN, industry=Industry.CONSTRUCTION, subject="…",
            facts="…", legal_basis="…", requirements="…")


# ------------------------------------------------ audit log

def test_matter_events_are_append_only(sup, cal):
    matter = register(sup["lsup"], sup["employer"])
    event = matter.events.get()
    event.summary = "改写"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        MatterEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(PermissionError):
        MatterEvent.objects.all().delete()


# ------------------------------------------------ links to mediation cases

def test_a_matter_spawns_a_case_for_one_worker(sup, cal):
    from tests.factories.parties import make_resident_id

    matter = register(sup["lsup"], sup["employer"])
    case = services.matter_spawn_case(
        actor=sup["lsup"], matter=matter, facts="2026年1、2月工资未发。", received_on=D(2026, 3, 2),
        worker={"name": "陈某", "id_number": make_resident_id(seed=7), "amount_claimed": "12000"},
        claims=[{"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": "12000", "worker_index": 0}])
    assert case.respondents.get().employer == sup["employer"]
    assert case.case_no.startswith("汉滨工调〔2026〕")
    link = matter.case_links.get()
    assert (link.case, link.direction) == (case, "MATTER_SPAWNED_CASE")
    assert matter.events.filter(action="matter.link_case").exists()
    # Linking the same case twice keeps one link.
    services.matter_link_case(actor=sup["lsup"], matter=matter, case=case, direction="MATTER_SPAWNED_CASE")
    assert matter.case_links.count() == 1
