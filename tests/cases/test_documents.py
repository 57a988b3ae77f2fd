"""Issue 10 items 1–2: the paperwork of each step and the case file (卷宗).

Each document is rendered for a demo-like case and read back (pdftotext / python-docx) for the
case number, the parties and the amounts; the case file's catalogue is checked page by page."""

import datetime
import io
import re
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfReader

from mediation.cases import document_services, paperwork, services, steps
from mediation.cases.models import (
    CaseDocument,
    CaseDocumentTemplate,
    CaseEvent,
    CaseStatus,
    ClosingCode,
    DocumentKind,
)
from mediation.clocks.models import DeadlineRule
from tests.factories.cases import do, open_case
from tests.workflows.step_pages import agreement_data, complete_step

pytestmark = pytest.mark.django_db

K = DocumentKind
CST = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=CST)
TODAY = NOW.date()
EMPLOYER = "安康某建筑劳务有限公司3"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def pdf_text(
    content: bytes, first: int | None = None, last: int | None = None, layout=False
) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    if layout:
        args.append("-layout")
    out = subprocess.run(
        [*args, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return out if layout else re.sub(r"\s+", "", out)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def pdf_bytes(doc: CaseDocument) -> bytes:
    with doc.pdf.open("rb") as f:
        return f.read()


def png(width=400, height=300) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(buf, format="PNG")
    return buf.getvalue()


def multi_page_pdf(title: str) -> bytes:
    from mediation.lib.documents.layout import text_pdf

    return text_pdf(
        "=" + title + "\n" + "\n".join(f"第{i}行证据内容。" * 8 for i in range(60)), title=title
    )


def accepted(people, ankang, **extra):
    case = open_case(
        people["intake"], ankang["union:610902"], workers=2, received_on=TODAY, seed=3, **extra
    )
    do(
        case,
        "review",
        people["head"],
        steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept",
    )
    do(
        case,
        "assign",
        people["head"],
        steps.mediator_assign, case=case, mediator=people["mediator"],
    )
    case.refresh_from_db()
    return case


def mediated(people, ankang, *, path="JUDICIAL"):
    case = accepted(people, ankang)
    services.session_record(
        case=case,
        actor=people["mediator"],
        held_at=NOW,
        form="FACE_TO_FACE",
        place="区总工会调解室",
        participants="申请人工人0、工人1；被申请人委托代理人李某",
        points_in_dispute="欠薪数额与支付期限",
        proposals="分两期支付",
        result="达成一致",
    )

    complete_step(
        case,
        "mediate",
        people["mediator"],
        agreement_data(
            TODAY,
            terms="被申请人分两期向申请人支付拖欠工资。",
            amount="12345.60",
            path=path,
            instalments=[
                (datetime.date(2026, 3, 10), "6000.00"),
                (datetime.date(2026, 3, 20), "6345.60"),
            ],
        ),
    )
    case.refresh_from_db()
    return case


def failed(people, ankang):
    case = accepted(people, ankang)
    services.session_record(
        case=case,
        actor=people["mediator"],
        held_at=NOW,
        form="CAUCUS",
        place="调解室",
        participants="双方",
        points_in_dispute="是否存在劳动关系",
    )

    complete_step(
        case,
        "mediate",
        people["mediator"],
        {
            "action": "outcome",
            "outcome": "failed",
            "on": TODAY.isoformat(),
            "reason": "被申请人拒绝继续调解",
            "referral_kinds": ["ARBITRATION"],
        },
    )
    case.refresh_from_db()
    return case


def generate(case, people, kind, **kwargs):
    return document_services.document_generate(
        case=case, actor=people["mediator"], kind=kind, **kwargs
    )


def worker_ids(case):
    return [cw.worker.id_number for cw in case.case_workers.select_related("worker")]


# ---------------------------------------------------------------- each document


def test_acceptance_notice_numbered_with_parties_and_amounts(people, ankang):
    case = accepted(people, ankang)
    doc = generate(case, people, K.ACCEPTANCE_NOTICE)
    assert doc.doc_no == "汉滨工调受〔2026〕1号"
    text = pdf_text(pdf_bytes(doc))
    for needle in (
        case.case_no,
        "受理通知书",
        "汉滨工调受〔2026〕1号",
        "工人0、工人1",
        EMPLOYER,
        "10,000.00元",
        "2026年3月2日",
        "2026年3月17日",
        "汉滨区劳动人事争议仲裁",
    ):
        assert needle in text, needle
    assert b"FontFile2" in pdf_bytes(doc)  # CJK font embedded
    assert PdfReader(io.BytesIO(pdf_bytes(doc))).pages[0].mediabox.width == pytest.approx(
        595.27, abs=0.1
    )  # A4


def test_session_record_per_session_with_signatures_block(people, ankang):
    case = mediated(people, ankang)
    session = case.sessions.get()
    doc = generate(case, people, K.SESSION_RECORD, session=session)
    assert doc.title == "调解笔录（第1次）" and doc.doc_no == ""
    text = pdf_text(pdf_bytes(doc))
    for needle in (
        case.case_no,
        "调解笔录",
        "第1次调解",
        "2026年3月2日10时00分",
        "区总工会调解室",
        "申请人工人0、工人1；被申请人委托代理人李某",
        "欠薪数额与支付期限",
        "分两期支付",
        EMPLOYER,
        "申请人（签名）",
        "被申请人（签名或盖章）",
        "调解员（签名）",
        "记录人（签名）",
        *worker_ids(case),
    ):
        assert needle in text, needle


def test_agreement_ready_for_signature(people, ankang):
    case = mediated(people, ankang)
    doc = generate(case, people, K.AGREEMENT)
    assert doc.doc_no == "汉滨工调协〔2026〕1号"
    for text in (
        pdf_text(pdf_bytes(doc)),
        re.sub(r"\s+", "", docx_text(document_services.layout.text_docx(doc.rendered_text))),
    ):
        for needle in (
            case.case_no,
            "调解协议书",
            "工人0",
            "工人1",
            *worker_ids(case),
            EMPLOYER,
            "12,345.60元",
            "第一期：2026年3月10日前支付6,000.00元",
            "第二期：2026年3月20日前支付6,345.60元",
            "30日内共同向汉滨区人民法院申请司法确认",
            "申请人（签名）",
            "被申请人（签名或盖章）",
        ):
            assert needle in text, needle


def test_agreement_masks_id_numbers_for_a_role_that_may_not_see_them(people, ankang):
    case = mediated(people, ankang)
    template = CaseDocumentTemplate.objects.get(kind=K.AGREEMENT)
    for user, full in ((people["mediator"], True), (people["labor_supervisor"], False)):
        context = paperwork.build_context(
            case, actor=user, full=services_can_see(user, case), kind=K.AGREEMENT
        )
        text = paperwork.render_text(template.source, context)
        for id_number in worker_ids(case):
            masked = id_number[:6] + "********" + id_number[-4:]
            assert (id_number in text) is full and (masked in text) is not full


def services_can_see(user, case):
    from mediation.cases.permissions import may_see_personal_data

    return may_see_personal_data(user, case)


def test_confirmation_application_and_service_receipt(people, ankang):
    case = mediated(people, ankang)
    agreement = generate(case, people, K.AGREEMENT)
    application = generate(case, people, K.CONFIRMATION_APPLICATION)
    text = pdf_text(pdf_bytes(application))
    for needle in (
        "司法确认申请书",
        case.case_no,
        "工人0",
        EMPLOYER,
        "12,345.60元",
        "汉滨区人民法院",
        "此致",
    ):
        assert needle in text, needle
    receipt = generate(case, people, K.SERVICE_RECEIPT, served=agreement)
    assert receipt.title == "送达回证（调解协议书）"
    text = pdf_text(pdf_bytes(receipt))
    for needle in (
        "送达回证",
        case.case_no,
        "调解协议书（汉滨工调协〔2026〕1号）",
        "工人0、工人1",
        EMPLOYER,
        "受送达人签名或盖章",
    ):
        assert needle in text, needle


def test_termination_notice_tells_the_arbitration_route_from_the_rule_data(people, ankang):
    case = failed(people, ankang)
    doc = generate(case, people, K.TERMINATION_NOTICE)
    assert doc.doc_no == "汉滨工调终〔2026〕1号"
    text = pdf_text(pdf_bytes(doc))
    for needle in (
        "调解终止告知书",
        case.case_no,
        "工人0、工人1",
        EMPLOYER,
        "被申请人拒绝继续调解",
        "汉滨区劳动人事争议仲裁",
        "时效期间为1年",
        "当事人知道或者应当知道其权利被侵害之日",
        "2026年3月17日",
    ):
        assert needle in text, needle
    # The period is read from the deadline rule, not typed into the template.
    DeadlineRule.objects.filter(code="D12").update(period=2)
    again = generate(case, people, K.TERMINATION_NOTICE)
    assert (
        "时效期间为2年" in again.rendered_text and again.doc_no == doc.doc_no
    )  # a reprint keeps its number


def test_non_acceptance_notice_and_closing_report(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=2, received_on=TODAY, seed=3)
    with pytest.raises(ValidationError, match="尚未受理"):
        generate(case, people, K.ACCEPTANCE_NOTICE)
    do(
        case,
        "review",
        people["head"],
        steps.review_decide, case=case, reason="申请事项不属于劳动争议", decided_on=TODAY, decision="not_accept",
    )
    case.refresh_from_db()
    notice = document_services.document_generate(
        case=case, actor=people["head"], kind=K.NON_ACCEPTANCE_NOTICE
    )
    text = pdf_text(pdf_bytes(notice))
    for needle in (
        "不予受理通知书",
        "汉滨工调不受〔2026〕1号",
        case.case_no,
        "工人0、工人1",
        EMPLOYER,
        "申请事项不属于劳动争议",
        "时效期间为1年",
    ):
        assert needle in text, needle
    do(
        case,
        "close",
        people["head"],
        steps.case_close_decide, case=case, closing_code=ClosingCode.NOT_ACCEPTED, on=TODAY,
    )
    case.refresh_from_db()
    report = document_services.document_generate(
        case=case, actor=people["head"], kind=K.CLOSING_REPORT
    )
    text = pdf_text(pdf_bytes(report))
    for needle in (
        "结案报告",
        case.case_no,
        "工人0、工人1",
        EMPLOYER,
        "10,000.00元",
        "不予受理",
        "2026年3月2日",
    ):
        assert needle in text, needle


def test_a_printed_document_is_frozen_with_its_hash_and_logged(people, ankang):
    case = mediated(people, ankang)
    doc = generate(case, people, K.AGREEMENT)
    content = pdf_bytes(doc)
    assert doc.sha256 == document_services.layout.sha256_bytes(content)
    assert doc.pages == len(PdfReader(io.BytesIO(content)).pages)
    event = CaseEvent.objects.filter(case=case, action="case.document").latest("id")
    assert event.actor == people["mediator"] and event.changes["sha256"] == [None, doc.sha256]
    CaseDocumentTemplate.objects.filter(kind=K.AGREEMENT).update(
        source="=新模板\n{{ case.case_no }}"
    )
    doc.refresh_from_db()
    assert pdf_bytes(doc) == content and "调解协议书" in doc.rendered_text


def test_templates_refuse_payloads_at_save_and_in_the_admin(client, django_user_model):
    with pytest.raises(ValidationError) as err:
        paperwork.validate_template_source(
            "=标题\n{{ case.case_no }}\n{% for w in case.case_workers.all %}{% endfor %}"
        )
    assert "模板第 3 行" in err.value.message_dict["source"][0]
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.test", "pw-Concord-2026"
    )
    client.force_login(admin)
    template = CaseDocumentTemplate.objects.get(kind=K.AGREEMENT)
    response = client.post(
        f"/admin/cases/casedocumenttemplate/{template.pk}/change/",
        {
            "kind": K.AGREEMENT,
            "name": template.name,
            "source": "=协议\n{% include '/etc/passwd' %}",
        },
    )
    assert response.status_code == 200 and "模板第 2 行有语法错误" in response.content.decode()
    for t in CaseDocumentTemplate.objects.all():
        paperwork.validate_template_source(t.source)
    assert set(CaseDocumentTemplate.objects.values_list("kind", flat=True)) == set(K.values) - {
        K.CASE_FILE
    }


def test_context_is_plain_and_has_the_specimens_shape(people, ankang):
    from mediation.lib.documents import sandbox
    from tests.supervision.test_template_sandbox import _covers, _shape

    case = mediated(people, ankang)
    context = paperwork.build_context(
        case,
        actor=people["mediator"],
        full=True,
        kind=K.SESSION_RECORD,
        session=case.sessions.get(),
    )
    sandbox.ensure_plain(context)
    assert set(context) == set(paperwork.SPECIMEN)
    assert _covers(_shape(paperwork.SPECIMEN), _shape(context))


# ---------------------------------------------------------------- signed scans


def test_signed_scan_is_attached_back_with_the_upload_checks(people, ankang):
    case = mediated(people, ankang)
    doc = generate(case, people, K.AGREEMENT)
    with pytest.raises(ValidationError, match="不是允许的类型"):
        document_services.document_attach_scan(
            document=doc,
            actor=people["mediator"],
            upload=SimpleUploadedFile("scan.exe", b"MZ\x90\x00" + b"\0" * 64),
        )
    doc.refresh_from_db()
    assert doc.signed_scan is None and not case.attachments.exists()
    attachment = document_services.document_attach_scan(
        document=doc, actor=people["mediator"], upload=SimpleUploadedFile("signed.png", png())
    )
    doc.refresh_from_db()
    assert doc.signed_scan == attachment and attachment.title == "调解协议书（签字件）"
    assert attachment.content_type == "image/png"
    assert CaseEvent.objects.filter(case=case, action="case.document_signed").exists()
    with pytest.raises(ValidationError, match="已附签字件"):
        document_services.document_attach_scan(
            document=doc, actor=people["mediator"], upload=SimpleUploadedFile("again.png", png())
        )


# ---------------------------------------------------------------- the case file


def closed_case(people, ankang):
    case = mediated(people, ankang, path="NONE")
    services.attachment_add(
        case=case,
        actor=people["mediator"],
        title="工资条及考勤记录",
        upload=SimpleUploadedFile("evidence.pdf", multi_page_pdf("工资条及考勤记录")),
    )
    services.attachment_add(
        case=case,
        actor=people["mediator"],
        title="现场照片",
        upload=SimpleUploadedFile("photo.png", png(800, 600)),
    )
    agreement = generate(case, people, K.AGREEMENT)
    document_services.document_attach_scan(
        document=agreement,
        actor=people["mediator"],
        upload=SimpleUploadedFile("signed.png", png(600, 850)),
    )

    for inst in case.agreement.instalments.all():
        services.instalment_record_payment(
            instalment=inst, actor=people["mediator"], paid_on=TODAY, proof="转账"
        )
    services.visit_record(
        case=case, actor=people["mediator"], visited_on=TODAY, method="电话", findings="已足额收到"
    )

    complete_step(
        case,
        "follow_up",
        people["mediator"],
        {"action": "outcome", "outcome": "performed", "on": TODAY.isoformat()},
    )
    do(
        case,
        "close",
        people["head"],
        steps.case_close_decide, case=case, closing_code=ClosingCode.SUCCESS_INSTALMENTS_DONE, on=TODAY, follow_up_done=True,
    )
    case.refresh_from_db()
    return case


ROW = re.compile(
    r"^\s*(\d+)\s+(\S.*?)\s+(\d{4}年\d{1,2}月\d{1,2}日)\s+(\d+)(?:-(\d+))?(?:\s+(\S+))?\s*$"
)


def test_case_file_catalogue_page_numbers_match_the_pages(people, ankang):
    case = closed_case(people, ankang)
    doc = document_services.case_file_generate(case=case, actor=people["head"])
    content = pdf_bytes(doc)
    total = len(PdfReader(io.BytesIO(content)).pages)
    assert doc.pages == total and doc.sha256 == document_services.layout.sha256_bytes(content)
    cover = pdf_text(content, 1)
    for needle in (
        "调解案件卷宗",
        case.case_no,
        "工人0、工人1",
        EMPLOYER,
        "2026年3月2日",
        "调解成功·分期履行",
        "保管期限：30年",
        "—1—",
    ):
        assert needle in cover, needle
    assert "卷内目录" in pdf_text(content, 2)
    rows = [
        m.groups()
        for line in pdf_text(content, 2, layout=True).splitlines()
        if (m := ROW.match(line))
    ]
    titles = [r[1] for r in rows]
    # every document (those never printed are printed now) and attachment, in procedural order
    assert [t.split()[0] for t in titles] == [
        "工资条及考勤记录",
        "现场照片",
        "受理通知书",
        "调解笔录（第1次）",
        "调解协议书",
        "结案报告",
    ], titles
    expected_first = 3
    for _number, title, _day, first, last, _note in rows:
        first, last = int(first), int(last or first)
        assert first == expected_first, (title, first)
        page = pdf_text(content, first)
        assert f"—{first}—" in page  # the page's own number at its foot
        assert title.split()[0][:4] in page, (title, page[:80])
        expected_first = last + 1
    assert expected_first - 1 == total
    assert dict((r[1].split()[0], r[5]) for r in rows)["调解协议书"] == "签字件"
    evidence_pages = len(PdfReader(io.BytesIO(multi_page_pdf("工资条及考勤记录"))).pages)
    assert evidence_pages > 1 and (rows[0][3], rows[0][4]) == (
        "3",
        str(2 + evidence_pages),
    )  # a multi-page PDF
    assert CaseEvent.objects.filter(case=case, action="case.case_file").exists()


def test_archive_requires_the_case_file(people, ankang):
    case = closed_case(people, ankang)
    with pytest.raises(ValidationError, match="归档前须先生成卷宗"):
        services.case_archive(case=case, actor=people["head"])
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    document_services.case_file_generate(case=case, actor=people["head"])
    do(
        case,
        "archive",
        people["head"],
        steps.case_file_archive, case=case,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    assert CaseDocument.objects.filter(case=case, kind=K.CASE_FILE).count() == 1
    with pytest.raises(ValidationError, match="已归档"):
        generate(case, people, K.CLOSING_REPORT)


def test_case_file_only_once_closed(people, ankang):
    case = mediated(people, ankang)
    with pytest.raises(ValidationError, match="结案后才能生成卷宗"):
        document_services.case_file_generate(case=case, actor=people["head"])


# ---------------------------------------------------------------- HTTP and permissions


def test_mediator_prints_downloads_and_attaches_through_the_pages(client, people, ankang):
    case = mediated(people, ankang)
    client.force_login(people["mediator"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="documents"' in page and 'value="AGREEMENT"' in page and "打印签署" in page
    response = client.post(f"/cases/{case.pk}/documents/", {"kind": "AGREEMENT"})
    assert response.status_code == 302
    doc = CaseDocument.objects.get(case=case, kind=K.AGREEMENT)
    pdf = client.get(f"/cases/{case.pk}/documents/{doc.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Cache-Control"] == "no-store"
    assert "12,345.60元" in pdf_text(b"".join(pdf.streaming_content))
    word = client.get(f"/cases/{case.pk}/documents/{doc.pk}.docx")
    assert word.status_code == 200 and "12,345.60元" in docx_text(word.content)
    response = client.post(
        f"/cases/{case.pk}/documents/{doc.pk}/scan/",
        {"file": SimpleUploadedFile("signed.pdf", multi_page_pdf("签字件"))},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.signed_scan is not None
    assert "已附签字件" in client.get(f"/cases/{case.pk}/").content.decode()


@pytest.mark.parametrize("field,value", [("session", "abc"), ("served", "1 OR 1=1"), ("session", "999999")])
def test_a_session_or_notice_that_is_not_this_cases_answers_404(client, people, ankang, field, value):
    case = mediated(people, ankang)
    client.force_login(people["mediator"])
    response = client.post(f"/cases/{case.pk}/documents/", {"kind": "SESSION_RECORD", field: value})
    assert response.status_code == 404
    assert not CaseDocument.objects.filter(case=case).exists()


def test_the_step_page_offers_its_documents(client, people, ankang):
    case = accepted(people, ankang)
    from tests.factories.cases import open_task

    task = open_task(case, "mediate")
    client.force_login(people["mediator"])
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'value="ACCEPTANCE_NOTICE"' in page and 'value="CLOSING_REPORT"' not in page


def test_another_countys_mediator_gets_404_everywhere(client, people, ankang):
    case = mediated(people, ankang)
    doc = generate(case, people, K.AGREEMENT)
    client.force_login(people["other_county_mediator"])
    assert client.get(f"/cases/{case.pk}/documents/{doc.pk}.pdf").status_code == 404
    assert client.get(f"/cases/{case.pk}/documents/{doc.pk}.docx").status_code == 404
    assert client.post(f"/cases/{case.pk}/documents/", {"kind": "AGREEMENT"}).status_code == 404
    assert (
        client.post(
            f"/cases/{case.pk}/documents/{doc.pk}/scan/",
            {"file": SimpleUploadedFile("s.png", png())},
        ).status_code
        == 404
    )
    assert client.post(f"/cases/{case.pk}/case-file/").status_code == 404
    assert CaseDocument.objects.filter(case=case).count() == 1
    client.force_login(people["mediator"])
    assert client.get(f"/cases/{case.pk}/documents/{doc.pk + 999}.pdf").status_code == 404


def test_the_court_sees_the_agreement_and_application_but_not_the_session_record(
    client, people, ankang
):
    case = mediated(people, ankang)
    agreement = generate(case, people, K.AGREEMENT)
    record = generate(case, people, K.SESSION_RECORD, session=case.sessions.get())

    complete_step(
        case,
        "file_confirmation",
        people["mediator"],
        {"decision": "apply", "filed_on": TODAY.isoformat()},
    )
    application = generate(case, people, K.CONFIRMATION_APPLICATION)
    client.force_login(people["court"])
    assert client.get(f"/cases/{case.pk}/documents/{agreement.pk}.pdf").status_code == 200
    assert client.get(f"/cases/{case.pk}/documents/{application.pk}.pdf").status_code == 200
    assert client.get(f"/cases/{case.pk}/documents/{record.pk}.pdf").status_code == 404
    assert client.post(f"/cases/{case.pk}/documents/", {"kind": "AGREEMENT"}).status_code == 404
    from tests.factories.cases import open_task

    page = client.get(f"/tasks/{open_task(case, 'judicial_confirmation').pk}/").content.decode()
    assert agreement.doc_no in page and "司法确认申请书" in page and "打印签署" not in page


def test_the_archive_step_page_asks_for_the_case_file_first(client, people, ankang):
    from tests.factories.cases import open_task

    case = closed_case(people, ankang)
    task = open_task(case, "archive")
    client.force_login(people["head"])
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "生成卷宗" in page and 'value="CLOSING_REPORT"' in page
    response = client.post(f"/tasks/{task.pk}/", {"confirm": "1"})
    assert (
        response.status_code == 200
        and "请在本环节或案件页点击“生成卷宗”" in response.content.decode()
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    response = client.post(f"/cases/{case.pk}/case-file/", {"next": f"/tasks/{task.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert "下载卷宗PDF" in client.get(f"/tasks/{task.pk}/").content.decode()
    assert client.post(f"/tasks/{task.pk}/", {"confirm": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED


def test_a_failed_binding_leaves_no_document_and_no_file(people, ankang, monkeypatch, settings, tmp_path):
    from django.core.files.storage import default_storage

    # A media folder of its own: files left by earlier tests for a reused case id must not count.
    settings.MEDIA_ROOT = str(tmp_path)
    case = closed_case(people, ankang)
    folder = f"cases/{case.pk}/documents"
    files_before = set(default_storage.listdir(folder)[1])
    rows_before = CaseDocument.objects.filter(case=case).count()

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(document_services, "bundle_pdf", broken)
    with pytest.raises(RuntimeError):
        document_services.case_file_generate(case=case, actor=people["head"])
    assert CaseDocument.objects.filter(case=case).count() == rows_before
    assert set(default_storage.listdir(folder)[1]) == files_before
    assert not CaseEvent.objects.filter(case=case, action__in=["case.case_file"]).exists()
