"""The main mediation journey in real Chromium, each actor logging in in turn:
a mediator registers a 12-worker wage-arrears case, the committee head accepts it,
two sessions are recorded, an agreement is signed, the court liaison confirms it,
the follow-up records payment and the case is closed."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from mediation.cases.models import Case, CaseStatus
from tests.factories.parties import make_credit_code, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wage_arrears_case_from_registration_to_closing(page, live_server, login, people, ankang):
    today = datetime.date.today()
    workers = "\n".join(
        f"工人{i}，{make_resident_id(seed=500 + i)}，139{i:08d}，{5000 + i * 100}{'，代表' if i < 3 else ''}"
        for i in range(12)
    )
    # 1. The mediator registers the case.
    login("hb_mediator")
    page.get_by_role("link", name="登记案件").click()
    page.get_by_label("来源渠道").select_option("WALK_IN")
    page.get_by_label("案由摘要").fill("安置小区项目12名农民工欠薪纠纷")
    page.get_by_label("事实与理由").fill("劳务分包方以工程款未结算为由拖欠12名农民工工资。<script>alert(1)</script>")
    page.get_by_label("行业").select_option("CONSTRUCTION")
    page.get_by_label("申请人（劳动者）").fill(workers)
    page.get_by_label("被申请人单位名称").fill("安康某建筑劳务有限公司")
    page.get_by_label("统一社会信用代码").fill(make_credit_code(seed=42))
    page.get_by_label("法定代表人/负责人").fill("李某")
    page.locator("#id_claim_type").select_option("WAGES")
    page.locator("#id_claim_subtype").fill("农民工工资")
    page.get_by_role("button", name="登记并提交").click()
    expect(page.locator("#case-status")).to_have_text("已收件待审查")
    case = Case.objects.get()
    assert case.workers_count == 12 and case.is_collective
    # Script is shown escaped, never run.
    expect(page.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible()
    case_url = page.url

    # 2. The committee head accepts it and assigns the mediator.
    login("hb_head")
    page.get_by_role("link", name="受理审查").click()
    page.get_by_label("受理", exact=True).check()
    page.get_by_label("被申请人同意调解").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#case-status")).to_have_text("已受理")
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name="指派调解员").click()
    page.locator("#id_mediator").select_option(index=1)
    page.get_by_role("button", name="提交").click()

    # 3. The mediator records two sessions and the agreement.
    login("hb_mediator")
    page.get_by_role("link", name="组织调解").click()
    for n, points in enumerate(["欠薪总额及核对考勤", "付款期限与总包先行清偿"], start=1):
        page.get_by_label("调解时间").fill(f"{today:%Y-%m-%d}T0{n + 7}:30")
        page.get_by_label("调解方式").select_option("FACE_TO_FACE")
        page.get_by_label("地点（视频调解填写平台）").fill("汉滨区总工会调解室")
        page.get_by_label("参加人员").fill("工人代表3人、分包方、总包方")
        page.get_by_label("争议焦点").fill(points)
        page.get_by_role("button", name="保存调解记录").click()
        expect(page.get_by_text(f"第{n}次调解").first).to_be_visible()
    page.get_by_label("达成调解协议").check()
    page.get_by_label("协议内容").fill("分包方于两期内支付全部工资，总包方承担连带清偿责任。")
    page.get_by_label("协议金额合计（元）").fill("66600")
    for field in ("applicant_signed", "respondent_signed", "mediator_signed", "sealed"):
        page.locator(f"#id_{field}").check()
    due = today + datetime.timedelta(days=10)
    page.get_by_label("履行期限（每行一期：日期，金额）").fill(f"{due:%Y-%m-%d}，66600")
    page.get_by_label("确认途径").select_option("JUDICIAL")
    page.get_by_role("button", name="提交调解结果").click()
    expect(page.locator("#case-status")).to_have_text("达成调解协议（已生效）")
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name="申请确认").click()
    page.get_by_label("双方已共同提出申请").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#case-status")).to_have_text("确认申请中")

    # 4. The court liaison confirms the agreement.
    login("hb_court")
    page.get_by_role("link", name="司法确认审查").click()
    page.get_by_label("确认/发出").check()
    page.get_by_label("裁定书/调解书/支付令文号").fill("（2026）陕0902民特15号")
    page.get_by_role("button", name="提交审查结果").click()
    expect(page.locator("#case-status")).to_have_text("已确认")

    # 5. The follow-up records payment and a visit.
    login("hb_mediator")
    page.get_by_role("link", name="履行回访").click()
    page.get_by_label("付款凭证").fill("农民工工资专用账户转账 2026-001")
    page.get_by_role("button", name="登记付款").click()
    expect(page.get_by_text("农民工工资专用账户转账 2026-001")).to_be_visible()
    page.get_by_label("回访方式").fill("电话回访")
    page.get_by_label("回访情况").fill("12名工人均已收到工资")
    page.get_by_role("button", name="登记回访").click()
    page.get_by_label("已全部履行").check()
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#case-status")).to_have_text("履行完毕")

    # 6. The committee head closes the case.
    login("hb_head")
    page.get_by_role("link", name="结案").click()
    expect(page.get_by_label("结案方式")).to_have_value("SUCCESS_JUDICIAL_CONFIRMED")
    page.get_by_label("已完成回访").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#case-status")).to_have_text("结案")
    page.goto(case_url)
    expect(page.locator(".timeline li")).to_have_count(Case.objects.get().events.count())
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/concord-case-phone.png", full_page=False)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closing_code == "SUCCESS_JUDICIAL_CONFIRMED"
    assert re.match(r"汉滨工调〔\d{4}〕第0001号", case.case_no)
