"""Letters (一函两书), issue 8 item B10, stepped through the real entry points with frozen time.

Dates are counted by hand below on the State Council's 2026 schedule (国办发明电〔2025〕7号):
劳动节 5月1日–5日 off, Saturday 5月9日 a working day. Rules (mediation/clocks seed, DOMAIN §3.2):
D40 — the employer replies to a 意见书 within 15 working days; D42 — to a 提示函 within 10 working
days (the optional date the union sets). The day the letter is issued does not count.

* A 提示函 / 意见书 prints its reply date; that date is the due date of its D42 / D40 clock, started
  when the chair signs the letter off — one source, the supervisor never types it.
* A 建议书 only after the 意见书's period ran out without a reply, a refusal, or partial
  rectification (工会法 2021 Art. 23: 拒不改正的，工会可以提请当地人民政府依法作出处理).
* Every letter: drafted by the supervisor, signed off (签发) or returned with the reason by the
  chair or vice-chair of the issuing union.
"""

import datetime
import importlib
import io
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from mediation.clocks.models import Clock
from mediation.lib.documents import layout
from mediation.supervision import documents, services, steps
from mediation.supervision.models import (
    Conclusion,
    DepartmentAction,
    DraftState,
    Letter,
    LetterKind,
    LetterTemplate,
    MatterStatus,
    ReplyKind,
    Verification,
)
from parties.models import Role
from tests.factories.parties import staff_user
from tests.factories.supervision import (
    chair,
    deliver,
    do,
    investigate,
    issue,
    letter_kwargs,
    open_matter,
    open_steps,
    open_task,
    signed,
    violation,
)

pytestmark = pytest.mark.django_db
D = datetime.date
NO_LINE_START = "》；，。、：”）！？"


def clock(subject, rule_code):
    return Clock.objects.get(
        object_id=subject.pk, rule_code=rule_code, content_type__model="letterrecipient"
    )


def pdf_lines(content: bytes) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return [line.strip() for line in out.stdout.decode("utf-8").splitlines() if line.strip()]


def docx_document(content: bytes):
    return Document(io.BytesIO(content))


def opinion_form(deadline: str, **extra) -> dict:
    data = {
        "subject": "拖欠职工工资",
        "facts": "经调查核实，该单位拖欠23名职工两个月工资。",
        "legal_basis": "《中华人民共和国劳动法》第五十条",
        "requirements": "立即足额支付拖欠工资。",
        "v-TOTAL_FORMS": "2",
        "v-INITIAL_FORMS": "0",
        "v-MIN_NUM_FORMS": "0",
        "v-MAX_NUM_FORMS": "10",
        "v-0-category": "WAGES_INSURANCE",
        "v-0-facts": "拖欠23名职工1月、2月工资共计28万元。",
        "v-0-evidence": "工资台账",
        "v-0-legal_basis": "《中华人民共和国劳动法》第五十条",
        "v-0-rectification": "足额支付拖欠工资。",
        "v-0-deadline": deadline,
    }
    data.update(extra)
    return data


# ------------------------------------------------ the reply date is the clock's due date


def test_opinion_prints_the_d40_due_date_and_is_signed_off_by_the_chair_over_http(client, sup, cal):
    lsup = sup["lsup"]
    cal.to(D(2026, 4, 24))  # a Friday
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"], conclusion=Conclusion.VIOLATION, on=D(2026, 4, 24))
    client.force_login(lsup)
    url = reverse("task_detail", args=[open_task(matter, "issue_opinion").pk])
    page = client.get(url).content.decode()
    assert (
        'name="reply_due"' not in page
        and 'name="issued_on"' not in page
        and 'name="signatory"' not in page
    )
    assert client.post(url, opinion_form("2026-05-29")).status_code == 302
    assert not Letter.objects.exists()

    # The chair returns it with a reason; the supervisor redrafts from the returned text.
    signer = chair(matter.agency)
    client.force_login(signer)
    sign_url = reverse("task_detail", args=[open_task(matter, "sign_off_opinion").pk])
    response = client.post(sign_url, {"decision": "return"})
    assert response.status_code == 200 and "退回修改须写明理由" in response.content.decode()
    assert (
        client.post(sign_url, {"decision": "return", "reason": "请写明证据。"}).status_code == 302
    )
    assert matter.drafts.get().state == DraftState.RETURNED and not Letter.objects.exists()
    client.force_login(lsup)
    url = reverse("task_detail", args=[open_task(matter, "issue_opinion").pk])
    page = client.get(url).content.decode()
    assert "请写明证据。" in page and "经调查核实，该单位拖欠23名职工两个月工资。" in page
    assert (
        client.post(
            url, opinion_form("2026-05-29", **{"v-0-evidence": "工资台账、询问笔录"})
        ).status_code
        == 302
    )

    # Signed off on Friday 2026-04-24. D40, 15 working days, the 24th not counted:
    # 4/27 1, 4/28 2, 4/29 3, 4/30 4, (5/1–5/5 劳动节), 5/6 5, 5/7 6, 5/8 7, 5/9 Sat (调休) 8,
    # 5/11 9, 5/12 10, 5/13 11, 5/14 12, 5/15 13, 5/18 14, 5/19 15 → due Tuesday 2026-05-19.
    client.force_login(signer)
    sign_url = reverse("task_detail", args=[open_task(matter, "sign_off_opinion").pk])
    page = client.get(sign_url).content.decode()
    assert "工资台账、询问笔录" in page
    assert "于2026年5月19日前将整改情况书面回复本会" in page  # the preview shows the clock's date
    assert "汉滨工监意〔2026〕　号" in page  # the number is given at sign-off, never taken by a draft
    assert client.post(sign_url, {"decision": "approve"}).status_code == 302
    letter = Letter.objects.get()
    assert letter.issued_on == D(2026, 4, 24) and letter.reply_due == D(2026, 5, 19)
    assert letter.issued_by == signer and letter.signatory == signer.staff.full_name
    d40 = clock(letter.recipients.get(), "D40")
    assert (d40.started_on, d40.due_on, d40.status) == (D(2026, 4, 24), D(2026, 5, 19), "running")
    assert "于2026年5月19日前将整改情况书面回复本会" in letter.rendered_text
    assert f"签发人：{signer.staff.full_name}" in letter.rendered_text
    assert open_steps(matter) == ["follow_opinion"]

    # Law as in force and the government by its name.
    text = letter.rendered_text
    assert "《中华人民共和国工会法》第二十三条" in text and "第二十二条" not in text
    assert "提请汉滨区人民政府依法作出处理" in text and "市本级" not in text

    # The same date, as text, in the PDF and the A4 .docx.
    client.force_login(lsup)
    pdf = client.get(reverse("supervision:letter_pdf", args=[matter.pk, letter.pk])).content
    flat = "".join(pdf_lines(pdf)).replace(" ", "")
    assert "2026年5月19日前将整改情况书面回复本会" in flat and "&quot;" not in flat
    doc = docx_document(
        client.get(reverse("supervision:letter_docx", args=[matter.pk, letter.pk])).content
    )
    assert "2026年5月19日前将整改情况书面回复本会" in "".join(p.text for p in doc.paragraphs)
    section = doc.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (
        210.0,
        297.0,
    )  # A4


def test_reminder_prints_the_d42_due_date_only_when_a_reply_is_asked(sup, cal):
    # Issued Monday 2026-03-02. D42, 10 working days: 3/3 1, 3/4 2, 3/5 3, 3/6 4, 3/9 5, 3/10 6,
    # 3/11 7, 3/12 8, 3/13 9, 3/16 10 → due Monday 2026-03-16.
    lsup = sup["lsup"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"], conclusion=Conclusion.RISK, on=D(2026, 3, 2))
    letter = issue(matter, "issue_reminder", lsup, LetterKind.REMINDER, D(2026, 3, 2))
    assert letter.reply_due == D(2026, 3, 16)
    assert clock(letter.recipients.get(), "D42").due_on == D(2026, 3, 16)
    assert "并于2026年3月16日前将自查及整改情况书面反馈本会" in letter.rendered_text
    # A typed date is never accepted.
    other = open_matter(lsup, emp=sup["employer"], title="另一线索")
    investigate(other, lsup, sup["lsup2"], conclusion=Conclusion.RISK, on=D(2026, 3, 2))
    with pytest.raises(ValueError, match="clock"):
        services.letter_draft(
            actor=lsup,
            matter=other,
            kind=LetterKind.REMINDER,
            **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2), reply_due=D(2026, 3, 20)),
        )
    # No reply asked: no date printed, no clock.
    quiet = issue(
        other, "issue_reminder", lsup, LetterKind.REMINDER, D(2026, 3, 2), request_reply=False
    )
    assert quiet.reply_due is None and "前将自查" not in quiet.rendered_text
    assert not Clock.objects.filter(object_id=quiet.recipients.get().pk, rule_code="D42").exists()


# ------------------------------------------------ when a 建议书 may follow the 意见书


def recommendation(matter, lsup, ankang, on, **extra):
    return signed(
        lsup,
        matter,
        LetterKind.RECOMMENDATION,
        **letter_kwargs(
            LetterKind.RECOMMENDATION,
            on,
            department=ankang["inspection:610902"],
            recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE],
            **extra,
        ),
    )


def opinion_delivered(sup):
    """A 意见书 issued and delivered on Monday 2026-03-02. D40, 15 working days: 3/3 1 … 3/6 4,
    3/9 5 … 3/13 9, 3/16 10 … 3/20 14, 3/23 15 → due Monday 2026-03-23."""
    lsup = sup["lsup"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"], conclusion=Conclusion.VIOLATION, on=D(2026, 3, 2))
    opinion = issue(matter, "issue_opinion", lsup, LetterKind.OPINION, D(2026, 3, 2))
    assert opinion.reply_due == D(2026, 3, 23)
    deliver(opinion, lsup, D(2026, 3, 2))
    return matter, opinion


def reply(matter, opinion, lsup, kind, on, verification, content="公司经营困难。"):
    return do(
        matter,
        "follow_opinion",
        lsup,
        steps.letter_follow, recipient=opinion.recipients.get(), reply_kind=kind, replied_on=None if kind == ReplyKind.NO_REPLY else on, reply_content=content, verification=verification, verified_on=on, verification_note="回访核查。",
    )


def test_no_recommendation_while_the_opinion_period_runs_then_allowed_after_it(ankang, sup, cal):
    matter, opinion = opinion_delivered(sup)
    lsup = sup["lsup"]
    cal.to(D(2026, 3, 23))  # the due day itself: the period has not run out
    with pytest.raises(ValidationError) as refused:
        recommendation(matter, lsup, ankang, D(2026, 3, 23))
    assert "书面回复期限（2026年3月23日）届满仍未回复" in refused.value.messages[0]
    assert "《中华人民共和国工会法》第二十三条" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="尚未届满"):
        reply(
            matter,
            opinion,
            lsup,
            ReplyKind.NO_REPLY,
            D(2026, 3, 23),
            Verification.NOT_RECTIFIED,
            content="",
        )
    assert not matter.drafts.filter(kind=LetterKind.RECOMMENDATION).exists()

    cal.to(D(2026, 3, 24))  # the first day after it
    reply(
        matter,
        opinion,
        lsup,
        ReplyKind.NO_REPLY,
        D(2026, 3, 24),
        Verification.NOT_RECTIFIED,
        content="",
    )
    assert clock(opinion.recipients.get(), "D40").status == "missed"
    rec = issue(
        matter,
        "issue_recommendation",
        lsup,
        LetterKind.RECOMMENDATION,
        D(2026, 3, 24),
        department=ankang["inspection:610902"],
        recommended_actions=[DepartmentAction.PENALTY],
    )
    assert rec.issued_on == D(2026, 3, 24)
    assert "该单位在规定期限内未作书面回复。" in rec.rendered_text


def test_recommendation_after_the_period_ran_out_with_no_reply_recorded(ankang, sup, cal):
    matter, opinion = opinion_delivered(sup)
    cal.to(D(2026, 3, 24))
    rec = recommendation(matter, sup["lsup"], ankang, D(2026, 3, 24))
    assert rec.kind == LetterKind.RECOMMENDATION


def test_recommendation_after_a_refusal_inside_the_period(ankang, sup, cal):
    matter, opinion = opinion_delivered(sup)
    cal.to(D(2026, 3, 5))
    reply(
        matter,
        opinion,
        sup["lsup"],
        ReplyKind.REFUSED,
        D(2026, 3, 5),
        Verification.NOT_RECTIFIED,
        content='公司认为"承包驾驶员"不是职工&不同意整改。',
    )
    assert clock(opinion.recipients.get(), "D40").status == "met"
    rec = issue(
        matter,
        "issue_recommendation",
        sup["lsup"],
        LetterKind.RECOMMENDATION,
        D(2026, 3, 5),
        department=ankang["inspection:610902"],
        recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE, DepartmentAction.PENALTY],
    )
    text = rec.rendered_text
    # Plain text: the quotation as typed, followed by its 。; no HTML entity anywhere.
    assert '书面回复称：“公司认为"承包驾驶员"不是职工&不同意整改”。经本会核查' in text
    assert "&quot;" not in text and "&amp;" not in text and "&#" not in text
    assert "。。" not in text
    # Section 二、 lists its items as （一）, never a nested 一、; section 四、 the same.
    section = text.split("#二、违法事项及证据")[1].split("#三、")[0]
    assert section.strip().startswith("|（一）") and not re.search(r"^\|?一、", section, re.M)
    assert "|（一）依法立案调查；\n|（二）依法予以行政处罚。" in text
    assert "本会提请汉滨区人民政府依法作出处理" in text
    pdf = layout.text_pdf(text)
    assert "&quot;" not in "".join(pdf_lines(pdf)) and '"承包驾驶员"' in "".join(pdf_lines(pdf))
    docx_text = "".join(p.text for p in docx_document(layout.text_docx(text)).paragraphs)
    assert '"承包驾驶员"不是职工&不同意整改”。' in docx_text


def test_recommendation_after_partial_rectification(ankang, sup, cal):
    matter, opinion = opinion_delivered(sup)
    cal.to(D(2026, 3, 10))
    reply(
        matter,
        opinion,
        sup["lsup"],
        ReplyKind.PARTIAL,
        D(2026, 3, 10),
        Verification.PARTIAL,
        content="已支付1月工资，2月工资暂无力支付。",
    )
    rec = recommendation(matter, sup["lsup"], ankang, D(2026, 3, 10))
    assert "该单位部分整改。" in rec.rendered_text


def test_no_recommendation_after_rectification(ankang, sup, cal):
    matter, opinion = opinion_delivered(sup)
    cal.to(D(2026, 3, 12))
    reply(
        matter,
        opinion,
        sup["lsup"],
        ReplyKind.ACCEPTED,
        D(2026, 3, 12),
        Verification.RECTIFIED,
        content="已全部支付。",
    )
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED_RECTIFIED
    with pytest.raises(ValidationError, match="不能制发建议书"):
        recommendation(matter, sup["lsup"], ankang, D(2026, 3, 12))


# ------------------------------------------------ who signs off


def test_only_the_issuing_unions_chair_signs_off_and_a_return_needs_a_reason(ankang, sup, cal):
    lsup = sup["lsup"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"], conclusion=Conclusion.RISK, on=D(2026, 3, 2))
    draft = services.letter_draft(
        actor=lsup,
        matter=matter,
        kind=LetterKind.REMINDER,
        **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)),
    )
    with pytest.raises(ValidationError, match="已有待签发的文书"):
        services.letter_draft(
            actor=lsup,
            matter=matter,
            kind=LetterKind.REMINDER,
            **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)),
        )
    other_chair = staff_user(ankang["union:610921"], Role.UNION_CHAIR, username="hy_chair")
    for user in (lsup, other_chair, chair(ankang["union:city"])):
        with pytest.raises(ValidationError, match="汉滨区总工会的工会主席或副主席签发"):
            services.letter_sign_off(actor=user, draft=draft, approve=True)
    signer = chair(matter.agency)
    with pytest.raises(ValidationError, match="退回理由"):
        services.letter_sign_off(actor=signer, draft=draft, approve=False, reason=" ")
    assert (
        services.letter_sign_off(actor=signer, draft=draft, approve=True) == services.SignOff.ISSUED
    )
    with pytest.raises(ValidationError, match="已审签"):
        services.letter_sign_off(actor=signer, draft=draft, approve=False, reason="重复")
    assert Letter.objects.get().doc_no == "汉滨工监提〔2026〕1号"
    actions = [e.action for e in matter.events.all()]
    assert actions.index("matter.letter_drafted") < actions.index("matter.issue_reminder")


# ------------------------------------------------ the government of the issuer's level


def test_a_letter_names_the_government_of_its_issuers_level(ankang, sup, cal):
    assert documents.government_name(ankang["union:city"]) == "安康市人民政府"
    assert documents.government_name(ankang["union:610902"]) == "汉滨区人民政府"
    assert documents.government_name(ankang["union:610981"]) == "旬阳市人民政府"
    city = ankang["union:city"]
    a = staff_user(city, Role.LABOR_SUPERVISOR, username="city_lsup")
    b = staff_user(city, Role.LABOR_SUPERVISOR, username="city_lsup2")
    matter = services.matter_register(
        actor=a, title="市直企业欠薪", source="SCREENING", clue="…", employer=sup["employer"]
    )
    services.investigation_record(
        actor=a,
        matter=matter,
        conducted_on=D(2026, 3, 2),
        method="查阅台账",
        findings="…",
        conclusion=Conclusion.VIOLATION,
        investigators=[a, b],
    )
    letter = signed(
        a, matter, LetterKind.OPINION, **letter_kwargs(LetterKind.OPINION, D(2026, 3, 2))
    )
    assert "提请安康市人民政府依法作出处理" in letter.rendered_text
    assert "市本级" not in letter.rendered_text


# ------------------------------------------------ seeded templates and their migration


def test_seeded_templates_are_replaced_only_where_the_admin_did_not_edit_them():
    migration = importlib.import_module(
        "mediation.supervision.migrations.0004_letters_citations_and_wording"
    )
    for kind, source in migration.NEW.items():
        assert LetterTemplate.objects.get(kind=kind).source == source
        assert "第二十二条" not in source and "get_county_display" not in source
    from django.apps import apps

    old = sorted(migration._old_texts("OPINION"))[0]
    LetterTemplate.objects.filter(kind="OPINION").update(source=old)
    LetterTemplate.objects.filter(kind="REMINDER").update(
        source="={{ kind_title }}\n本会自拟文本。"
    )
    migration.seed(apps, None)
    assert LetterTemplate.objects.get(kind="OPINION").source == migration.NEW["OPINION"]
    assert LetterTemplate.objects.get(kind="REMINDER").source == "={{ kind_title }}\n本会自拟文本。"
    for source in migration.NEW.values():
        documents.validate_template_source(source)


def test_violation_lines_end_with_one_full_stop(sup, cal):
    lsup = sup["lsup"]
    matter = open_matter(lsup, emp=sup["employer"])
    investigate(matter, lsup, sup["lsup2"], conclusion=Conclusion.VIOLATION, on=D(2026, 3, 2))
    letter = issue(
        matter,
        "issue_opinion",
        lsup,
        LetterKind.OPINION,
        D(2026, 3, 2),
        violations=[violation(D(2026, 3, 2), facts="拖欠工资28万元。", rectification="足额支付；")],
    )
    assert "|违法事实：拖欠工资28万元。\n" in letter.rendered_text
    assert "|整改要求：足额支付。\n" in letter.rendered_text
    assert "。。" not in letter.rendered_text


# ------------------------------------------------ Chinese line breaking in the PDF


@pytest.mark.parametrize("mark", list(NO_LINE_START))
def test_closing_punctuation_never_starts_a_pdf_line(mark):
    from reportlab.lib import textsplit

    # The premise: reportlab's own (Japanese) list lacks most of these, so without our list a
    # paragraph of 68 characters plus the mark put the mark at the start of its third line
    # (33 characters on the indented first line, 35 on the next, at 12 pt on A4).
    assert "》" not in "".join(textsplit.CANNOT_START_LINE)
    for n in range(64, 72):
        lines = pdf_lines(layout.text_pdf("汉" * n + mark + "字" * 40))
        assert not any(line[0] in NO_LINE_START for line in lines), (n, lines)
        assert "".join(lines).replace(" ", "") == "汉" * n + mark + "字" * 40
