"""一函两书 in real Chromium, each actor logging in in turn: a labor-law supervisor records a
clue and an investigation (with a colleague), drafts a 提示函 that the union's chair signs off,
records the employer's refusal, drafts a 意见书 (signed off by the chair), records the refusal,
drafts a 建议书 to labor inspection (signed off by the chair); the inspection liaison files it
and records an order to correct; the union verifies and closes. The PDF and .docx downloaded
on the way hold the employer's name, the document number and the reply date of the clock."""

import datetime
import io
import re
import subprocess

import pytest
from docx import Document
from playwright.sync_api import expect

from mediation.supervision.models import Letter, LetterKind, MatterStatus, SupervisionMatter
from parties.models import Role, Staff
from tests.factories.parties import StaffFactory
from tests.factories.supervision import employer, reseed_migration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYER = "安康汉江商贸有限公司"


@pytest.fixture
def cast(people, ankang):
    reseed_migration_data()  # live_server's flushes remove the seeded templates and deadline rules
    Staff.objects.filter(user=people["labor_supervisor"]).update(full_name="钱明")
    StaffFactory(agency=ankang["union:610902"], roles=[Role.LABOR_SUPERVISOR], user__username="hb_lsup2",
                 full_name="赵云")
    Staff.objects.filter(user=people["inspection"]).update(full_name="孙监察")
    StaffFactory(agency=ankang["union:610902"], roles=[Role.UNION_CHAIR], user__username="hb_chair",
                 full_name="陈立军")
    return {"employer": employer(name=EMPLOYER)}


def open_step(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(name)


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as fh:
        return fh.read()


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def docx_text(content: bytes) -> str:
    return "".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def sign_off(page, login, step, status, matter_url):
    """The chair of 汉滨区总工会 logs in, reads the letter as it will be issued and signs it off."""
    login("hb_chair")
    open_step(page, step)
    expect(page.locator(".letter-preview")).to_contain_text("签发人：陈立军")
    page.get_by_label("同意签发").check()
    page.get_by_role("button", name="提交审签意见").click()
    expect(page.locator("#matter-status")).to_have_text(status)
    login("hb_lsup")
    page.goto(matter_url)


def fill_letter(page, subject, facts, basis, requirements):
    page.get_by_label("事由").fill(subject)
    page.get_by_label("事实情况").fill(facts)
    page.locator("#id_legal_basis").fill(basis)
    page.locator("#id_requirements").fill(requirements)


def test_supervision_ladder_to_labor_inspection(page, live_server, login, cast, ankang):
    today = datetime.date.today()
    iso = f"{today:%Y-%m-%d}"

    # 1. The labor-law supervisor records the clue.
    login("hb_lsup")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="一函两书").click()
    page.get_by_role("link", name="登记线索").click()
    page.get_by_label("事项名称").fill("汉江商贸拖欠职工工资线索")
    page.get_by_label("被监督的用人单位").select_option(label=EMPLOYER)
    page.get_by_label("线索来源").select_option("HOTLINE")
    page.get_by_label("来源编号（热线工单号/检察院线索号）").fill("12351-2026-0305")
    page.get_by_label("线索情况").fill("职工来电反映该单位连续两个月未发工资，涉及23人。")
    page.get_by_role("button", name="登记并开始调查").click()
    expect(page.locator("#matter-status")).to_have_text("发现线索")
    matter = SupervisionMatter.objects.get()
    matter_url = page.url

    # 2. The investigation, by two supervisors.
    open_step(page, "调查核实")
    page.get_by_label("钱明").check()
    page.get_by_label("赵云").check()
    page.get_by_label("调查方式").fill("实地查看、调阅工资台账、询问职工")
    page.get_by_label("调查情况").fill("工资台账显示1月、2月工资未发放，涉及职工23人。")
    page.get_by_label("存在风险隐患（发提示函）").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#matter-status")).to_have_text("调查核实")

    # 3. The 提示函.
    open_step(page, "制发提示函")
    fill_letter(page, "按时足额支付职工工资", "该单位存在延迟发放工资的风险。",
                "《中华人民共和国劳动法》第五十条", "立即核查工资支付情况，按时足额发放。")
    page.get_by_role("button", name="提示函报送签发").click()
    expect(page.get_by_text("提示函已报送工会主席或副主席签发")).to_be_visible()
    expect(page.locator("#matter-status")).to_have_text("调查核实")
    sign_off(page, login, "签发提示函", "已发提示函", matter_url)
    expect(page.locator(".doc-no")).to_have_text(f"汉滨工监提〔{today.year}〕1号")
    reminder = Letter.objects.get(kind=LetterKind.REMINDER)
    assert reminder.signatory == "陈立军" and reminder.reply_due is not None
    due = f"{reminder.reply_due.year}年{reminder.reply_due.month}月{reminder.reply_due.day}日"
    assert f"并于{due}前将自查及整改情况书面反馈本会" in reminder.rendered_text

    # 4. Delivered, then refused in writing.
    open_step(page, "提示函送达与回复")
    page.get_by_label("送达方式").select_option("IN_PERSON")
    page.get_by_label("送达日期").fill(iso)
    page.get_by_label("送达回执（签收人/回执编号）").fill("办公室主任王某签收")
    page.get_by_role("button", name="登记送达").click()
    expect(page.get_by_text("送达情况已登记")).to_be_visible()
    page.get_by_label("拒绝整改").check()
    page.get_by_label("回复日期").fill(iso)
    page.get_by_label("回复内容").fill("公司认为不存在欠薪风险。")
    page.get_by_label("未整改", exact=True).check()
    page.get_by_label("核查日期").fill(iso)
    page.get_by_label("核查情况").fill("回访核查，工资仍未发放。")
    page.get_by_role("button", name="登记回复与核查").click()
    expect(page.get_by_text("回复与核查情况已登记")).to_be_visible()

    # 5. The 意见书, refused at first for a deadline before the issue date.
    open_step(page, "制发意见书")
    fill_letter(page, "拖欠职工工资", "经调查核实，该单位拖欠23名职工两个月工资共计28万元。",
                "《中华人民共和国劳动法》第五十条；《工资支付暂行规定》第七条", "立即足额支付拖欠工资。")
    page.locator("#id_v-0-category").select_option("WAGES_INSURANCE")
    page.locator("#id_v-0-facts").fill("拖欠23名职工1月、2月工资共计28万元。")
    page.locator("#id_v-0-evidence").fill("工资台账、职工询问笔录")
    page.locator("#id_v-0-legal_basis").fill("《中华人民共和国劳动法》第五十条")
    page.locator("#id_v-0-rectification").fill("足额支付拖欠工资")
    page.locator("#id_v-0-deadline").fill(f"{today - datetime.timedelta(days=1):%Y-%m-%d}")
    page.get_by_role("button", name="意见书报送签发").click()
    expect(page.get_by_role("alert")).to_contain_text("不能早于发文日期")
    assert not Letter.objects.filter(kind=LetterKind.OPINION).exists()
    page.locator("#id_v-0-deadline").fill(f"{today + datetime.timedelta(days=15):%Y-%m-%d}")
    page.get_by_role("button", name="意见书报送签发").click()
    expect(page.get_by_text("意见书已报送工会主席或副主席签发")).to_be_visible()
    sign_off(page, login, "签发意见书", "已发意见书", matter_url)
    opinion = Letter.objects.get(kind=LetterKind.OPINION)
    due = f"{opinion.reply_due.year}年{opinion.reply_due.month}月{opinion.reply_due.day}日"

    # The 意见书 as PDF and Word, with the employer and the number as text.
    card = page.locator(f"#letter-{opinion.pk}")
    text = pdf_text(download(page, card.get_by_role("link", name="下载PDF")))
    assert EMPLOYER in text and opinion.doc_no in text and "足额支付拖欠工资" in text
    assert f"于{due}前将整改情况书面回复本会" in text and "&quot;" not in text
    text = docx_text(download(page, card.get_by_role("link", name="下载Word")))
    assert EMPLOYER in text and opinion.doc_no in text and f"于{due}前将整改情况书面回复本会" in text

    # 6. Delivered; the employer refuses in writing.
    open_step(page, "意见书送达与回复")
    page.get_by_label("送达方式").select_option("POST")
    page.get_by_label("送达日期").fill(iso)
    page.get_by_label("送达回执（签收人/回执编号）").fill("EMS 1190001234567")
    page.get_by_role("button", name="登记送达").click()
    expect(page.get_by_text("送达情况已登记")).to_be_visible()
    page.get_by_label("拒绝整改").check()
    page.get_by_label("回复日期").fill(iso)
    page.get_by_label("回复内容").fill("公司经营困难，暂无能力支付。")
    page.get_by_label("未整改", exact=True).check()
    page.get_by_role("button", name="登记回复与核查").click()
    expect(page.get_by_text("回复与核查情况已登记")).to_be_visible()

    # 7. The 建议书 to labor inspection (the default department).
    open_step(page, "制发建议书")
    expect(page.get_by_label("主送部门")).to_have_value(str(ankang["inspection:610902"].pk))
    fill_letter(page, "提请依法查处拖欠职工工资行为", "该单位收到意见书后书面拒绝整改。",
                "《劳动保障监察条例》第十一条、第二十六条", "请依法立案查处，并将结果书面反馈本会。")
    page.get_by_label("依法立案调查").check()
    page.get_by_label("责令限期改正").check()
    page.get_by_role("button", name="建议书报送签发").click()
    expect(page.get_by_text("建议书已报送工会主席或副主席签发")).to_be_visible()
    sign_off(page, login, "签发建议书", "已发建议书", matter_url)
    recommendation = Letter.objects.get(kind=LetterKind.RECOMMENDATION)
    assert recommendation.doc_no == f"汉滨工监建〔{today.year}〕1号"
    open_step(page, "建议书送达")
    page.get_by_label("送达方式").select_option("IN_PERSON")
    page.get_by_label("送达日期").fill(iso)
    page.get_by_label("送达回执（签收人/回执编号）").fill("监察大队收文登记第118号")
    page.get_by_role("button", name="登记送达并转部门办理").click()
    expect(page.get_by_text("已转汉滨区劳动保障监察大队办理")).to_be_visible()

    # 8. The inspection liaison files it and orders correction.
    login("hb_insp")
    open_step(page, "建议书立案决定")
    card_text = page.locator("main").inner_text()
    assert recommendation.doc_no in card_text
    pdf = pdf_text(download(page, page.get_by_role("link", name="PDF", exact=True)))
    assert EMPLOYER in pdf and recommendation.doc_no in pdf
    word = docx_text(download(page, page.get_by_role("link", name="Word", exact=True)))
    assert EMPLOYER in word and recommendation.doc_no in word
    page.get_by_label("立案", exact=True).check()
    page.get_by_label("决定日期").fill(iso)
    page.get_by_label("立案编号").fill(f"汉人社监立〔{today.year}〕12号")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#matter-status")).to_have_text("部门已立案")
    open_step(page, "建议书处理结果")
    page.get_by_label("处理结果").select_option("ORDER_TO_CORRECT")
    page.get_by_label("处理日期").fill(iso)
    page.get_by_label("处理文书编号").fill(f"汉人社监令〔{today.year}〕5号")
    page.get_by_label("处理情况").fill("责令该单位十五日内支付全部拖欠工资。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#matter-status")).to_have_text("部门已处理")

    # 9. The union verifies and closes.
    login("hb_lsup")
    page.get_by_role("link", name="工会复核结案").click()
    page.get_by_label("已整改到位").check()
    page.get_by_label("复核日期").fill(iso)
    page.get_by_label("复核情况").fill("经回访，23名职工工资已全部发放。")
    page.get_by_label("追回金额（元）").fill("280000")
    page.get_by_label("惠及职工人数").fill("23")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#matter-status")).to_have_text("结案·已整改")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED_RECTIFIED
    expect(page.locator(".timeline")).to_contain_text("工会复核：已整改到位，结案")

    # The page works at phone width: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(matter_url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
