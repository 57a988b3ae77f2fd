"""A court-delegated case in real Chromium, each actor logging in in turn (issue 8 B8, DOMAIN §2.3):
the court liaison delegates a dispute with the court's own due date, the union's committee head
accepts and assigns it, the mediator records a session and the agreement and reports the result
back to the court with the agreement attached, and the court liaison, told by the announcement,
acknowledges it."""

import datetime

import pytest
from playwright.sync_api import expect

from mediation.cases.models import Case, CourtFollowUp, CourtReport, CourtResult, DocumentKind
from mediation.clocks.models import Clock
from tests.factories.parties import make_credit_code, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_court_delegation_reported_back_and_acknowledged(page, live_server, login, people, ankang):
    today = datetime.date.today()
    court_due = today + datetime.timedelta(days=20)

    # 1. The court liaison delegates the dispute to the union, with the court's own due date.
    login("hb_court")
    page.get_by_role("link", name="登记案件").click()
    expect(page.get_by_role("heading", name="委派调解")).to_be_visible()
    page.get_by_label("来源渠道").select_option("COURT_DELEGATED")
    page.get_by_label("来源文号（法院诉前调号、仲裁案号等）").fill("（2026）陕0902民诉前调300号")
    page.get_by_label("法院委派期限").fill(f"{court_due:%Y-%m-%d}")
    page.get_by_label("案由摘要").fill("物流公司拖欠两名装卸工工资纠纷")
    page.get_by_label("事实与理由").fill("两名装卸工离职后，公司以业绩未达标为由拒付最后两个月工资。")
    page.get_by_label("申请人（劳动者）").fill(
        f"张某，{make_resident_id(seed=901)}，13900000901，6000\n王某，{make_resident_id(seed=902)}，13900000902，5800")
    page.get_by_label("被申请人单位名称").fill("安康某物流有限公司")
    page.get_by_label("统一社会信用代码").fill(make_credit_code(seed=77))
    page.get_by_label("法定代表人/负责人").fill("赵某")
    page.locator("#id_claim_type").select_option("WAGES")
    page.locator("#id_claim_subtype").fill("拖欠工资")
    page.get_by_role("button", name="登记并提交").click()
    expect(page.locator("#case-status")).to_have_text("已收件待审查")
    case = Case.objects.get()
    assert (case.channel, case.source_agency, case.agency) == (
        "COURT_DELEGATED", ankang["court:610902"], ankang["union:610902"])
    d10 = Clock.objects.get(case=case, rule_code="D10")
    assert d10.due_on == court_due == d10.due_fixed_on  # the court owns the clock

    # 2. The committee head accepts the case and assigns the mediator.
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
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")

    # 3. The mediator records a session and the agreement, then reports back to the court.
    login("hb_mediator")
    page.get_by_role("link", name="组织调解").click()
    page.get_by_label("调解时间").fill(f"{today:%Y-%m-%d}T09:30")
    page.get_by_label("调解方式").select_option("FACE_TO_FACE")
    page.get_by_label("地点（视频调解填写平台）").fill("汉滨区人民法院诉讼服务中心工会调解室")
    page.get_by_label("参加人员").fill("张某、王某、公司代理人")
    page.get_by_label("争议焦点").fill("工资数额与扣发理由")
    page.get_by_role("button", name="保存调解记录").click()
    expect(page.get_by_text("第1次调解").first).to_be_visible()
    page.get_by_label("达成调解协议").check()
    page.get_by_label("协议内容").fill("公司于十日内支付张某、王某工资共计11800元。")
    page.get_by_label("协议金额合计（元）").fill("11800")
    for field in ("applicant_signed", "respondent_signed", "mediator_signed", "sealed"):
        page.locator(f"#id_{field}").check()
    page.get_by_label("履行期限（每行一期：日期，金额）").fill(
        f"{today + datetime.timedelta(days=10):%Y-%m-%d}，11800")
    page.get_by_label("确认途径").select_option("JUDICIAL")
    page.get_by_role("button", name="提交调解结果").click()
    expect(page.locator("#case-status")).to_have_text("达成调解协议（已生效）")
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name="向法院反馈调解结果").click()
    expect(page.locator("#court-result")).to_have_text("调解成功")
    expect(page.get_by_text("公司于十日内支付张某、王某工资共计11800元。")).to_be_visible()
    page.get_by_label("当事人申请司法确认").check()
    page.get_by_label("反馈说明").fill("双方同意共同向贵院申请司法确认。")
    page.get_by_role("button", name="发送至法院").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_text("向汉滨区人民法院反馈调解结果：调解成功", exact=False).first).to_be_visible()
    report = CourtReport.objects.get(case=case)
    assert (report.result, report.follow_up) == (CourtResult.SUCCESS, CourtFollowUp.JUDICIAL_CONFIRMATION)
    assert report.document.kind == DocumentKind.AGREEMENT

    # 4. The court liaison is told, opens the task from the announcement and acknowledges.
    login("hb_court")
    page.locator("a.bell").click()
    row = page.locator("tr", has_text="确认收到调解结果")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="查看").click()
    page.wait_for_url(lambda url: "/tasks/" in url)
    expect(page.locator("#court-result")).to_have_text("调解成功")
    expect(page.locator("#court-follow-up")).to_have_text("当事人申请司法确认")
    expect(page.locator("#court-attachment").get_by_role("link", name="调解协议书")).to_be_visible()
    page.get_by_label("法院案号（可选）").fill("（2026）陕0902民特88号")
    page.get_by_label("法院意见").fill("已收到调解协议，待当事人申请司法确认。")
    page.get_by_role("button", name="确认收到").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_text("确认收到调解结果，法院案号（2026）陕0902民特88号", exact=False).first).to_be_visible()
    report.refresh_from_db()
    assert report.acknowledged_on == today and report.acknowledged_by == people["court"]
    assert report.court_case_no == "（2026）陕0902民特88号"
