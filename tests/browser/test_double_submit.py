"""Issue 9 item 2 in real Chromium: a double click on 登记 and a resubmit after Back each
leave exactly one case, and the user is told why nothing new was saved."""

import re

import pytest
from playwright.sync_api import expect

from mediation.cases.models import Case
from tests.factories.parties import make_credit_code, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_registration(page):
    page.get_by_role("link", name="登记案件").click()
    page.get_by_label("来源渠道").select_option("WALK_IN")
    page.get_by_label("案由摘要").fill("某餐馆服务员欠薪")
    page.get_by_label("事实与理由").fill("拖欠三个月工资。")
    page.get_by_label("申请人（劳动者）").fill(
        f"张三，{make_resident_id(seed=901)}，13900000901，8000"
    )
    page.get_by_label("被申请人单位名称").fill("汉滨区某餐馆")
    page.get_by_label("统一社会信用代码").fill(make_credit_code(seed=901))
    page.get_by_label("法定代表人/负责人").fill("王某")
    page.locator("#id_claim_type").select_option("WAGES")
    page.locator("#id_claim_subtype").fill("拖欠工资")


@pytest.fixture
def slow_registration(monkeypatch):
    """A busy single-worker server: registration takes half a second, long enough for an impatient
    second click, and requests are served one after the other. (The test server shares one
    in-memory SQLite connection between its threads, which cannot serve two requests at once;
    real parallel registrations are tested in tests/cases/test_parallel_registration.py.)"""
    import threading
    import time

    from django.core.handlers.wsgi import WSGIHandler

    from workflows import views

    real_open, real_call, one_at_a_time = views.case_open, WSGIHandler.__call__, threading.Lock()

    def slow(**kwargs):
        time.sleep(0.5)
        return real_open(**kwargs)

    def serialised(self, environ, start_response):
        with one_at_a_time:
            return real_call(self, environ, start_response)

    monkeypatch.setattr(views, "case_open", slow)
    monkeypatch.setattr(WSGIHandler, "__call__", serialised)


def test_double_click_on_register_creates_one_case(
    page, live_server, login, people, ankang, slow_registration
):
    login("hb_intake")
    fill_registration(page)
    posts = []
    page.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and r.url.endswith("/cases/new/") else None
        ),
    )
    button = page.get_by_role("button", name="登记并提交")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(150)
    page.mouse.click(x, y)  # the impatient second click while the first is still on the server
    # The second click aborts the first navigation, so wait on the address itself (polled), not on
    # a navigation event that may be the aborted one.
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"), timeout=15000)
    expect(page.get_by_text("此表单已经提交过，本次未重复保存。")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("已收件待审查")
    page.wait_for_timeout(500)  # let a second request, if any, finish on the server
    assert len(posts) == 2  # the browser really sent the form twice
    case = Case.objects.get()
    assert page.url == f"{live_server.url}/cases/{case.pk}/"


def test_back_and_resubmit_creates_one_case(page, live_server, login, people, ankang):
    login("hb_intake")
    fill_registration(page)
    page.get_by_role("button", name="登记并提交").click()
    expect(page.locator("#case-status")).to_have_text("已收件待审查")
    # The similar-precedents panel arrives after the page (static/concord/similar.js).
    # (The first use loads the word segmenter: allow a loaded machine some seconds.)
    expect(page.locator("#similar-precedents")).to_contain_text(
        re.compile("暂无相似的典型案例|典型案例检索暂时不可用"), timeout=15000
    )
    case = Case.objects.get()
    page.go_back()
    page.wait_for_url(f"{live_server.url}/cases/new/")
    if not page.get_by_label(
        "案由摘要"
    ).input_value():  # a browser that did not keep the form: type it again
        fill_registration(page)
    page.get_by_role("button", name="登记并提交").click()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert (
        "此表单已经提交过，本次未重复保存。" in body or "同一劳动者与同一单位已有未结案件" in body
    )
    assert case.case_no in body or page.url == f"{live_server.url}/cases/{case.pk}/"
    assert Case.objects.count() == 1
