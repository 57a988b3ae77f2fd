"""A mediator prints the 调解协议书 of a case for signing and attaches the signed scan back."""

import datetime
import hashlib
import io

import pytest
from playwright.sync_api import expect

from mediation.cases import services, steps
from mediation.cases.models import CaseDocument, CaseEvent, DocumentKind
from tests.factories.cases import do, open_case
from tests.workflows.step_pages import agreement_data, complete_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def agreed_case(people, ankang):
    today = datetime.date.today()
    case = open_case(people["intake"], ankang["union:610902"], workers=2, received_on=today, seed=8)
    do(
        case,
        "review",
        people["head"],
        steps.review_decide, case=case, decided_on=today, respondent_consents=True, decision="accept",
    )
    do(
        case,
        "assign",
        people["head"],
        steps.mediator_assign, case=case, mediator=people["mediator"],
    )
    services.session_record(
        case=case,
        actor=people["mediator"],
        held_at=datetime.datetime.now(datetime.UTC),
        form="FACE_TO_FACE",
        place="调解室",
        participants="双方",
        points_in_dispute="欠薪数额",
    )

    complete_step(
        case,
        "mediate",
        people["mediator"],
        agreement_data(
            today,
            terms="被申请人一次性支付工资。",
            amount="8800.50",
            path="JUDICIAL",
            instalments=[(today + datetime.timedelta(days=7), "8800.50")],
        ),
    )
    return case


def signed_scan_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (600, 850), (250, 250, 245)).save(buf, format="PNG")
    return buf.getvalue()


def test_print_the_agreement_and_attach_the_signed_scan(
    page, live_server, login, people, ankang, tmp_path
):
    case = agreed_case(people, ankang)
    login("hb_mediator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    row = page.locator('#documents tr[data-kind="AGREEMENT"]')
    row.get_by_role("button", name="打印签署").click()
    expect(page.get_by_text("已生成调解协议书")).to_be_visible()
    printed = page.locator('#documents li[data-kind="AGREEMENT"]')
    expect(printed).to_contain_text("汉滨工调协〔")
    document = CaseDocument.objects.get(case=case, kind=DocumentKind.AGREEMENT)
    with page.expect_download() as info:
        printed.get_by_role("link", name="PDF").click()
    content = open(info.value.path(), "rb").read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == document.sha256
    expect(printed).to_contain_text(document.sha256[:16])

    scan = tmp_path / "signed.png"
    scan.write_bytes(signed_scan_png())
    printed.locator('input[type="file"]').set_input_files(str(scan))
    printed.get_by_role("button", name="上传签字件").click()
    expect(page.get_by_text("已上传调解协议书的签字件")).to_be_visible()
    printed = page.locator('#documents li[data-kind="AGREEMENT"]')
    expect(printed.get_by_text("已附签字件")).to_be_visible()
    with page.expect_download() as info:
        printed.get_by_role("link", name="调解协议书（签字件）").click()
    assert open(info.value.path(), "rb").read() == scan.read_bytes()
    document.refresh_from_db()
    assert document.signed_scan.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    assert CaseEvent.objects.filter(
        case=case, action="case.document_signed", actor=people["mediator"]
    ).exists()
