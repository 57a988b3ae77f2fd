"""Each step of DOMAIN §2.3 as a service: the legal transitions, and refusal of the illegal ones."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mediation.cases import services, steps
from mediation.cases.document_services import case_file_generate
from mediation.cases.models import Case, CaseEvent, CaseStatus, ClosingCode, RequestKind, Worker
from tests.factories.cases import do, open_case, worker_rows
from tests.factories.parties import make_credit_code

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(people, ankang):
    return open_case(people["intake"], ankang["union:610902"], workers=2, received_on=TODAY)


def accepted(case, people):
    do(case, "review", people["head"], steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept")
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    case.refresh_from_db()
    return case


def session(case, people, when=None):
    return services.session_record(case=case, actor=people["mediator"], held_at=when or NOW, form="FACE_TO_FACE",
                                   place="调解室", participants="双方", points_in_dispute="工资数额")


def test_registration_numbers_and_receipt_clocks(case, people, ankang):
    assert case.case_no == "汉滨工调〔2026〕第0001号"
    second = open_case(people["intake"], ankang["union:610902"], seed=5)
    assert second.case_no == "汉滨工调〔2026〕第0002号"
    city = open_case(people["intake"], ankang["union:city"], seed=6)
    assert city.case_no == "安总调〔2026〕第0001号"
    codes = {c.rule_code for c in case.clocks.all()}
    assert {"D1", "D2"} <= codes
    event = case.events.get(action="case.registered")
    assert event.actor == people["intake"] and event.agency == ankang["union:610902"]


def test_collective_case_needs_representatives(people, ankang):
    rows = worker_rows(12)
    for r in rows:
        r["is_representative"] = False
    with pytest.raises(ValidationError, match="推举代表"):
        services.case_register(actor=people["intake"], agency=ankang["union:610902"], channel="WALK_IN",
                               title="t", facts="f", county="610902", received_on=TODAY, workers=rows,
                               respondents=[{"person_name": "包工头张某", "role": "CREW_BOSS"}],
                               claims=[{"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": 1}])
    assert not Case.objects.exists()


@pytest.mark.parametrize("bad, message", [
    ({"id_number": "610902198506010011"}, "校验位"),
    ({"id_number": "61090219850601001"}, "18位"),
    ({"amount_claimed": Decimal("-1")}, "负数"),
    ({"amount_claimed": Decimal("1000000000")}, "一亿"),
])
def test_bad_worker_input_is_refused_and_nothing_saved(bad, message, people, ankang):
    rows = worker_rows(1)
    rows[0].update(bad)
    with pytest.raises(ValidationError, match=message):
        services.case_register(actor=people["intake"], agency=ankang["union:610902"], channel="WALK_IN",
                               title="欠薪", facts="事实", county="610902", received_on=TODAY, workers=rows,
                               respondents=[{"person_name": "张某"}],
                               claims=[{"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": 1}])
    assert not Case.objects.exists() and not Worker.objects.exists() and not CaseEvent.objects.exists()


def test_bad_credit_code_and_future_date_refused(people, ankang):
    code = make_credit_code(seed=1)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    common = dict(actor=people["intake"], agency=ankang["union:610902"], channel="WALK_IN", title="t", facts="f",
                  county="610902", workers=worker_rows(1),
                  claims=[{"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": 1}])
    with pytest.raises(ValidationError, match="校验码"):
        services.case_register(received_on=TODAY, respondents=[{"name": "某公司", "credit_code": wrong,
                                                                "legal_representative": "李某", "county": "610902"}],
                               **common)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.case_register(received_on=TODAY + datetime.timedelta(days=1),
                               respondents=[{"person_name": "张某"}], **common)
    assert not Case.objects.exists()


def test_illegal_transitions_are_refused(case, people):
    with pytest.raises(ValidationError, match="不能结案"):
        services.case_close(case=case, actor=people["head"], closing_code=ClosingCode.WITHDRAWN, on=TODAY)
    with pytest.raises(ValidationError, match="不能签订调解协议"):
        services.agreement_sign(case=case, actor=people["mediator"], terms="x", amount_total=1, signed_on=TODAY,
                                applicant_signed=True, respondent_signed=True, mediator_signed=True, sealed=True,
                                paid_on_spot=True)
    with pytest.raises(ValidationError, match="不能申请确认"):
        services.confirmation_request_file(case=case, actor=people["mediator"],
                                           kind=RequestKind.JUDICIAL_CONFIRMATION, filed_on=TODAY)
    with pytest.raises(ValidationError, match="不能归档"):
        services.case_archive(case=case, actor=people["head"])
    with pytest.raises(ValidationError, match="不同意调解"):
        services.case_accept(case=case, actor=people["head"], accepted_on=TODAY, respondent_consents=False)
    with pytest.raises(ValidationError, match="理由"):
        services.case_not_accept(case=case, actor=people["head"], reason="  ", on=TODAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert list(case.events.exclude(action__startswith="clock.").values_list("action", flat=True)) == [
        "case.registered"]


def test_agreement_guards(case, people):
    accepted(case, people)
    sign = dict(case=case, actor=people["mediator"], terms="分期", amount_total=Decimal("10000"), signed_on=TODAY,
                applicant_signed=True, respondent_signed=True, mediator_signed=True, sealed=True)
    with pytest.raises(ValidationError, match="已受理.*不能签订调解协议"):
        services.agreement_sign(paid_on_spot=True, **sign)
    session(case, people)
    with pytest.raises(ValidationError, match="签名"):
        services.agreement_sign(**{**sign, "sealed": False}, paid_on_spot=True)
    with pytest.raises(ValidationError, match="合计"):
        services.agreement_sign(instalments=[(TODAY, Decimal("5000"))], **sign)
    with pytest.raises(ValidationError, match="负数"):
        services.agreement_sign(**{**sign, "amount_total": Decimal("-5")}, paid_on_spot=True)
    agreement = services.agreement_sign(instalments=[(TODAY + datetime.timedelta(days=5), Decimal("10000"))],
                                        confirmation_path="JUDICIAL", **sign)
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREEMENT_EFFECTIVE and agreement.amount_total == Decimal("10000.00")
    assert {"D20"} <= {c.rule_code for c in case.clocks.all()}


def test_session_in_the_future_refused(case, people):
    accepted(case, people)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        session(case, people, when=NOW + datetime.timedelta(days=2))
    assert not case.sessions.exists()


def test_extension_needs_head_both_consents_and_respects_cap(case, people):
    accepted(case, people)
    session(case, people)
    kwargs = dict(case=case, days=10, applicant_consent="书面同意", respondent_consent="笔录签字", consented_on=TODAY)
    with pytest.raises(ValidationError, match="主任"):
        services.case_extend(actor=people["mediator"], **kwargs)
    with pytest.raises(ValidationError, match="被申请人同意"):
        services.case_extend(actor=people["head"], **{**kwargs, "respondent_consent": ""})
    services.case_extend(actor=people["head"], **kwargs)
    with pytest.raises(ValidationError, match="超出延长上限"):
        services.case_extend(actor=people["head"], **{**kwargs, "days": 6})
    case.refresh_from_db()
    assert case.status == CaseStatus.EXTENDED and case.extensions.count() == 1


def test_payment_order_only_for_eligible_claims(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], dispute_type="SOCIAL_INSURANCE")
    accepted(case, people)
    session(case, people)
    services.agreement_sign(case=case, actor=people["mediator"], terms="补缴", amount_total=Decimal("100"),
                            signed_on=TODAY - datetime.timedelta(days=1), applicant_signed=True, respondent_signed=True,
                            mediator_signed=True, sealed=True,
                            instalments=[(TODAY - datetime.timedelta(days=1), Decimal("100"))])
    services.case_record_default(case=case, actor=people["mediator"], on=TODAY)
    with pytest.raises(ValidationError, match="支付令仅适用"):
        services.confirmation_request_file(case=case, actor=people["mediator"], kind=RequestKind.PAYMENT_ORDER,
                                           filed_on=TODAY)


def test_close_requires_matching_code_and_head(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"])
    do(case, "review", people["head"], steps.review_decide, case=case, reason="不属于劳动争议", decided_on=TODAY, decision="not_accept")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="主任"):
        services.case_close(case=case, actor=people["mediator"], closing_code=ClosingCode.NOT_ACCEPTED, on=TODAY)
    with pytest.raises(ValidationError, match="结案方式应为"):
        services.case_close(case=case, actor=people["head"], closing_code=ClosingCode.SUCCESS_PAID_ON_SPOT, on=TODAY)
    services.case_close(case=case, actor=people["head"], closing_code=ClosingCode.NOT_ACCEPTED, on=TODAY)
    case_file_generate(case=case, actor=people["head"])
    services.case_archive(case=case, actor=people["head"])
    with pytest.raises(ValidationError, match="归档"):
        services.visit_record(case=case, actor=people["head"], visited_on=TODAY, method="电话", findings="x")


@pytest.mark.parametrize("name, content, ok", [
    ("a.pdf", b"%PDF-1.7\n%%EOF", True),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, True),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64, True),
    ("report.pdf", b"MZ\x90\x00 this is an exe", False),
    ("page.pdf", b"<html><script>alert(1)</script></html>", False),
])
def test_attachments_checked_by_content(name, content, ok, case, people):
    upload = SimpleUploadedFile(name, content)
    if ok:
        att = services.attachment_add(case=case, actor=people["mediator"], upload=upload, title="材料")
        assert att.sha256 and att.size == len(content)
    else:
        with pytest.raises(ValidationError, match="不是允许的类型"):
            services.attachment_add(case=case, actor=people["mediator"], upload=upload, title="材料")
        assert not case.attachments.exists()


def _xlsx() -> bytes:
    """A one-sheet workbook with the parts Excel writes (no spreadsheet library in the product)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="工资表" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        z.writestr("xl/worksheets/sheet1.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>欠薪</t></is></c>'
            '</row></sheetData></worksheet>'))
    return buffer.getvalue()


def test_docx_and_xlsx_recognised_and_oversize_refused(case, people, settings, tmp_path):
    import docx

    path = tmp_path / "a.docx"
    docx.Document().save(path)
    word = services.attachment_add(case=case, actor=people["mediator"],
                                   upload=SimpleUploadedFile("a.docx", path.read_bytes()), title="协议")
    assert word.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    # Named .pdf on purpose: the type is read from the content.
    sheet = services.attachment_add(case=case, actor=people["mediator"],
                                    upload=SimpleUploadedFile("工资表.pdf", _xlsx()), title="工资表")
    assert sheet.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # A ZIP that is neither (no Office parts) is refused.
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("xl.txt", "not a workbook")
    with pytest.raises(ValidationError, match="不是允许的类型"):
        services.attachment_add(case=case, actor=people["mediator"],
                                upload=SimpleUploadedFile("fake.xlsx", plain.getvalue()), title="伪装")
    settings.CONCORD_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="超过"):
        services.attachment_add(case=case, actor=people["mediator"],
                                upload=SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2048), title="大文件")
    assert set(case.attachments.values_list("title", flat=True)) == {"工资表", "协议"}


def test_audit_events_are_append_only(case):
    event = case.events.first()
    event.summary = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).update(summary="x")
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).delete()
