"""The supervision pages over HTTP: who sees what (404 for missing and forbidden alike),
task pages, bad input, downloads, mass letters, links to cases and statistics."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from mediation.supervision.models import (
    Conclusion,
    DepartmentAction,
    Letter,
    LetterKind,
    LinkDirection,
    MatterStatus,
    ReferralGround,
    SupervisionMatter,
    Violation,
)
from parties.models import County, Industry, Role
from tests.factories.cases import open_case
from tests.factories.cases import open_task as case_task
from tests.factories.parties import EmployerFactory, make_resident_id, staff_user
from tests.factories.supervision import (
    chair,
    deliver,
    employer,
    investigate,
    issue,
    letter_kwargs,
    open_matter,
    open_task,
    refused,
    signed,
)
from workflows.supervision_flow import referral_open

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def outsiders(ankang, people):
    return {
        "other_inspection": staff_user(ankang["inspection:610921"], Role.LIAISON, username="hy_insp"),
        "court": people["court"],
        "procuratorate": people["procuratorate"],
        "other_lsup": staff_user(ankang["union:610921"], Role.LABOR_SUPERVISOR, username="hy_lsup"),
        "inspection": people["inspection"],
    }


def urls(matter, letter=None):
    out = [reverse("supervision:matter_detail", args=[matter.pk])]
    if letter is not None:
        out += [reverse(f"supervision:{name}", args=[matter.pk, letter.pk])
                for name in ("letter_detail", "letter_pdf", "letter_docx")]
    return out


def with_recommendation(sup, ankang, cal):
    lsup = sup["lsup"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"])
    opinion = issue(matter, "issue_opinion", lsup, LetterKind.OPINION, D(2026, 3, 2))
    deliver(opinion, lsup, D(2026, 3, 2))
    refused(opinion, lsup, D(2026, 3, 2))
    return matter, opinion


def test_outsiders_get_404_on_the_matter_and_its_downloads(client, ankang, sup, outsiders, cal):
    matter, opinion = with_recommendation(sup, ankang, cal)
    for name, user in outsiders.items():
        client.force_login(user)
        for url in urls(matter, opinion):
            assert client.get(url).status_code == 404, (name, url)
    # A matter that does not exist looks the same.
    client.force_login(sup["lsup"])
    assert client.get(reverse("supervision:matter_detail", args=[99999])).status_code == 404
    assert client.get(reverse("supervision:letter_pdf", args=[matter.pk, 99999])).status_code == 404
    for url in urls(matter, opinion):
        assert client.get(url).status_code == 200


def test_the_addressed_inspection_sees_the_recommendation_and_the_matters_documents(client, ankang, sup, outsiders,
                                                                                     people, cal):
    matter, opinion = with_recommendation(sup, ankang, cal)
    rec = signed(actor=sup["lsup"], matter=matter, kind=LetterKind.RECOMMENDATION,
                                department=ankang["inspection:610902"],
                                recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE],
                                **letter_kwargs(LetterKind.RECOMMENDATION, D(2026, 3, 2)))
    client.force_login(people["inspection"])
    for url in urls(matter, rec) + urls(matter, opinion)[1:]:
        assert client.get(url).status_code == 200, url
    page = client.get(urls(matter)[0]).content.decode()
    assert rec.doc_no in page
    assert "12351热线反映" not in page  # the clue is internal to the union
    for name in ("other_inspection", "court", "procuratorate"):
        client.force_login(outsiders[name])
        for url in urls(matter, rec):
            assert client.get(url).status_code == 404, (name, url)
    # The list shows the liaison only that matter.
    other = open_matter(sup["lsup"], emp=employer(name="另一家公司"))
    client.force_login(people["inspection"])
    listing = client.get(reverse("supervision:matter_list")).content.decode()
    assert matter.matter_no in listing and other.matter_no not in listing


def test_procuratorate_sees_only_the_clues_passed_to_it(client, ankang, sup, people, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    other = open_matter(sup["lsup"], emp=employer(name="另一家公司"))
    referral_open(actor=sup["lsup"], matter=matter, agency=ankang["procuratorate:610902"], sent_on=D(2026, 3, 2),
                  grounds=[ReferralGround.MIGRANT_WAGES], note="农民工欠薪，用人单位不配合。")
    client.force_login(people["procuratorate"])
    assert client.get(urls(matter)[0]).status_code == 200
    assert client.get(urls(other)[0]).status_code == 404
    task = open_task(matter, "procuratorate_feedback")
    page = client.get(reverse("task_detail", args=[task.pk]))
    assert page.status_code == 200 and "农民工欠薪" in page.content.decode()
    response = client.post(reverse("task_detail", args=[task.pk]), {
        "action": "SUPPORT_PROSECUTION", "closed_on": "2026-03-02", "feedback": "已支持起诉。",
        "feedback_on": "2026-03-02"})
    assert response.status_code == 302
    assert matter.referrals.get().feedback == "已支持起诉。"


def test_county_and_city_visibility(client, ankang, sup, people, outsiders, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    client.force_login(people["mediator"])  # union staff of the same county
    assert client.get(urls(matter)[0]).status_code == 200
    client.force_login(people["supervisor"])  # the city union supervisor
    assert client.get(urls(matter)[0]).status_code == 200
    client.force_login(outsiders["other_lsup"])
    assert client.get(urls(matter)[0]).status_code == 404
    assert matter.matter_no not in client.get(reverse("supervision:matter_list")).content.decode()


def test_register_a_clue_over_http_starts_the_flow(client, sup, people, cal):
    client.force_login(sup["lsup"])
    response = client.post(reverse("supervision:matter_new"), {
        "title": "某超市拖欠工资", "employer": sup["employer"].pk, "source": "HOTLINE",
        "source_ref": "12351-0302", "clue": "职工来电反映2月工资未发。"})
    matter = SupervisionMatter.objects.get()
    assert response.status_code == 302 and response["Location"] == urls(matter)[0]
    task = open_task(matter, "investigate")
    client.force_login(people["mediator"])
    assert client.get(reverse("supervision:matter_new")).status_code == 404
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 404


def test_investigation_with_one_investigator_is_refused_on_the_page(client, sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    task = open_task(matter, "investigate")
    client.force_login(sup["lsup"])
    url = reverse("task_detail", args=[task.pk])
    page = client.get(url).content.decode()
    assert "调查人员（至少两名劳动法律监督员）" in page
    response = client.post(url, {"conducted_on": "2026-03-02", "investigators": [sup["lsup"].pk],
                                 "method": "实地查看", "findings": "…", "conclusion": "VIOLATION"})
    assert response.status_code == 200
    assert "调查核实须由至少2名劳动法律监督员共同进行" in response.content.decode()
    assert not matter.investigations.exists()


def test_opinion_form_refuses_a_deadline_before_the_issue_date(client, sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.VIOLATION)
    task = open_task(matter, "issue_opinion")
    client.force_login(sup["lsup"])
    url = reverse("task_detail", args=[task.pk])
    data = {"issued_on": "2026-03-02", "subject": "支付工资", "facts": "拖欠工资。", "legal_basis": "《劳动法》第五十条",
            "requirements": "足额支付。", "reply_due": "2026-03-20", "v-TOTAL_FORMS": "2", "v-INITIAL_FORMS": "0",
            "v-MIN_NUM_FORMS": "0", "v-MAX_NUM_FORMS": "10", "v-0-category": "WAGES_INSURANCE",
            "v-0-facts": "拖欠工资28万元", "v-0-legal_basis": "《劳动法》第五十条", "v-0-rectification": "足额支付",
            "v-0-deadline": "2026-02-20"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "整改期限（2026年2月20日）不能早于发文日期（2026年3月2日）" in response.content.decode()
    assert not Letter.objects.exists() and not Violation.objects.exists()
    data["legal_basis"] = ""
    data["v-0-deadline"] = "2026-03-20"
    response = client.post(url, data)
    assert "文书必须写明法律依据" in response.content.decode()
    assert not Letter.objects.exists()
    data["legal_basis"] = "《劳动法》第五十条"
    response = client.post(url, data)
    assert response.status_code == 302
    assert not Letter.objects.exists()  # drafted; issued when the chair signs it off
    signer = chair(matter.agency)
    client.force_login(signer)
    sign_url = reverse("task_detail", args=[open_task(matter, "sign_off_opinion").pk])
    assert "拖欠工资28万元" in client.get(sign_url).content.decode()
    assert client.post(sign_url, {"decision": "approve"}).status_code == 302
    assert Letter.objects.get().doc_no == "汉滨工监意〔2026〕1号"


def test_downloads_are_real_documents(client, sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(matter, "issue_reminder", sup["lsup"], LetterKind.REMINDER, D(2026, 3, 2))
    client.force_login(sup["lsup"])
    pdf = client.get(reverse("supervision:letter_pdf", args=[matter.pk, letter.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["X-Content-SHA256"] == letter.content_sha256
    assert "filename*=UTF-8''" in pdf["Content-Disposition"]
    docx = client.get(reverse("supervision:letter_docx", args=[matter.pk, letter.pk]))
    assert docx.content[:2] == b"PK"
    page = client.get(reverse("supervision:letter_detail", args=[matter.pk, letter.pk])).content.decode()
    assert "汉滨工监提〔2026〕1号" in page and letter.content_sha256 in page


def test_missing_font_gives_a_clear_503(client, settings, sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(matter, "issue_reminder", sup["lsup"], LetterKind.REMINDER, D(2026, 3, 2))
    settings.CONCORD_PDF_FONT = "/missing/wqy.ttc"
    client.force_login(sup["lsup"])
    response = client.get(reverse("supervision:letter_pdf", args=[matter.pk, letter.pk]))
    assert response.status_code == 503
    assert "找不到生成PDF所需的中文字体文件" in response.content.decode()


def test_mass_reminder_over_http_with_delivery_per_employer(client, sup, cal):
    for i in range(3):
        EmployerFactory(industry=Industry.CONSTRUCTION, county=County.HANBIN, name=f"汉滨建工{i}有限公司")
    client.force_login(sup["lsup"])
    response = client.post(reverse("supervision:campaign_new"), {
        "title": "春节前集中提示", "county": County.HANBIN, "industry": Industry.CONSTRUCTION,
        "issued_on": "2026-03-02", "subject": "按时足额支付农民工工资", "facts": "节前欠薪风险。",
        "legal_basis": "《保障农民工工资支付条例》第三条", "requirements": "全面自查。"})
    assert response.status_code == 302
    assert not Letter.objects.exists()  # drafted: the chair signs it off on the matter page (no flow)
    matter = SupervisionMatter.objects.get()
    draft = matter.drafts.get()
    assert client.post(reverse("supervision:draft_sign_off", args=[matter.pk, draft.pk]),
                       {"so-decision": "approve"}).status_code == 404  # a supervisor cannot sign off
    client.force_login(chair(matter.agency))
    assert "审签意见" in client.get(response["Location"]).content.decode()
    client.post(reverse("supervision:draft_sign_off", args=[matter.pk, draft.pk]), {"so-decision": "approve"})
    letter = Letter.objects.get()
    assert letter.signatory == chair(matter.agency).staff.full_name
    assert letter.recipients.count() == 3
    recipient = letter.recipients.first()
    client.force_login(sup["lsup"])
    page = client.get(response["Location"]).content.decode()
    assert "登记送达" in page and "汉滨建工0有限公司" in page
    client.post(reverse("supervision:recipient_deliver", args=[letter.matter_id, recipient.pk]), {
        "d-method": "MEETING", "d-delivered_on": "2026-03-02", "d-receipt": "签到表第1号"})
    assert sorted(letter.recipients.values_list("delivered_on", flat=True), key=str) == [D(2026, 3, 2), None, None]
    client.post(reverse("supervision:recipient_reply", args=[letter.matter_id, recipient.pk]), {
        "r-reply_kind": "ACCEPTED", "r-replied_on": "2026-03-02", "r-reply_content": "已自查，无欠薪。",
        "r-verification": "RECTIFIED", "r-verified_on": "2026-03-02"})
    recipient.refresh_from_db()
    assert recipient.reply_kind == "ACCEPTED"
    letter.matter.refresh_from_db()
    assert letter.matter.status == MatterStatus.REMINDER_ISSUED  # the others are still open


def test_matter_spawns_a_case_and_each_page_shows_the_other(client, ankang, sup, people, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    client.force_login(sup["lsup"])
    response = client.post(reverse("supervision:matter_spawn_case", args=[matter.pk]), {
        "spawn-name": "陈某", "spawn-id_number": make_resident_id(seed=42), "spawn-phone": "13900000001",
        "spawn-subtype": "拖欠工资", "spawn-amount_claimed": "12000", "spawn-facts": "2026年1、2月工资未发。"},
        follow=True)
    assert "已为劳动者登记调解案件" in response.content.decode(), [str(m) for m in response.context["messages"]]
    link = matter.case_links.get()
    assert link.direction == LinkDirection.MATTER_SPAWNED_CASE
    assert link.case.source_ref == matter.matter_no
    assert link.case.channel == "UNION_PROACTIVE" and link.case.status == "RECEIVED"
    assert case_task(link.case, "review").address.agency == ankang["union:610902"]  # its own flow runs
    assert link.case.case_no in client.get(urls(matter)[0]).content.decode()
    html = render_case_panel(sup["lsup"], link.case)
    assert matter.matter_no in html and "由监督事项引出个案调解" in html


def test_a_case_spawns_a_matter(client, ankang, sup, people, cal):
    case = open_case(people["intake"], ankang["union:610902"], workers=12)
    client.force_login(sup["lsup"])
    new_url = reverse("supervision:matter_new") + f"?case={case.pk}"
    assert case.case_no in client.get(new_url).content.decode()
    emp = case.respondents.get().employer
    client.post(new_url, {"case": case.pk, "title": "调解中发现集体欠薪", "employer": emp.pk, "source": "CASE",
                          "clue": "12名农民工集体欠薪，涉及用工管理问题。"})
    matter = SupervisionMatter.objects.get()
    assert matter.source_case == case
    assert matter.case_links.get().direction == LinkDirection.CASE_SPAWNED_MATTER
    assert matter.matter_no in render_case_panel(people["mediator"], case)
    # A partner without access to the matter sees no link on the case panel.
    assert matter.matter_no not in render_case_panel(people["court"], case)
    from mediation.supervision.selectors import matters_for_case

    assert [link.matter for link in matters_for_case(sup["lsup"], case)] == [matter]
    assert matters_for_case(people["court"], case) == []


def render_case_panel(user, case) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "supervision/_case_matters.html" %}').render(Context({"request": request, "case": case}))


def test_statistics_page(client, ankang, sup, people, outsiders, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(matter, "issue_reminder", sup["lsup"], LetterKind.REMINDER, D(2026, 3, 2))
    deliver(letter, sup["lsup"], D(2026, 3, 2))
    client.force_login(people["supervisor"])
    page = client.get(reverse("supervision:statistics") + "?year=2026").content.decode()
    assert 'id="stat-reminder">1<' in page and "汉滨区" in page and "各月制发文书数量柱状图" in page
    client.force_login(outsiders["inspection"])
    assert client.get(reverse("supervision:statistics")).status_code == 404
