"""Registration through the real page: bad input gets a clear zh-hans message and saves nothing."""

import datetime

import pytest
from django.test import Client

from mediation.cases.models import Case, CaseEvent
from parties.models import Employer, Worker
from tests.factories.parties import make_credit_code, make_resident_id

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "channel": "WALK_IN", "received_on": datetime.date.today().isoformat(), "county": "610902",
        "title": "某餐馆服务员欠薪", "facts": "拖欠三个月工资", "industry": "HOSPITALITY",
        "employment_form": "STANDARD",
        "workers": f"张三，{make_resident_id(seed=1)}，13900000001，8000",
        "employer_name": "汉滨区某餐馆", "employer_credit_code": make_credit_code(seed=3),
        "employer_legal_rep": "王某", "employer_kind": "INDIVIDUAL", "employer_role": "EMPLOYER",
        "claim_type": "WAGES", "claim_subtype": "拖欠工资",
    }
    data.update(overrides)
    return data


@pytest.fixture
def client_for(people):
    def make(who):
        c = Client()
        c.force_login(people[who])
        return c

    return make


def test_registration_creates_case_and_redirects(client_for):
    response = client_for("intake").post("/cases/new/", form_data())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.workers_count == 1 and case.claims.get().amount_claimed == 8000


@pytest.mark.parametrize("overrides, message", [
    ({"workers": "张三，610902198506010011，13900000001，8000"}, "校验位"),
    ({"workers": "张三，{id}，13900000001，-5"}, "负数"),
    ({"workers": "张三，{id}，13900000001，999999999999"}, "一亿"),
    ({"workers": "张三，{id}，12345，8000"}, "电话号码格式不正确"),
    ({"employer_credit_code": "91610902MA0000000X"}, "统一社会信用代码"),
    ({"received_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}, "不能晚于今天"),
    ({"workers": "张三"}, "第1行"),
])
def test_bad_input_gets_a_clear_message_and_saves_nothing(overrides, message, client_for):
    for k, v in overrides.items():
        overrides[k] = v.replace("{id}", make_resident_id(seed=1)) if isinstance(v, str) else v
    response = client_for("intake").post("/cases/new/", form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Worker.objects.exists() and not Employer.objects.exists()
    assert not CaseEvent.objects.exists()


def test_every_bad_worker_line_is_reported(client_for):
    lines = "\n".join([
        f"甲，{make_resident_id(seed=1)}，13900000001，100",
        "乙，110101199003070000，13900000002，100",
        f"丙，{make_resident_id(seed=3)}，13900000003，abc",
    ])
    body = client_for("intake").post("/cases/new/", form_data(workers=lines)).content.decode()
    assert "第2行（乙）" in body and "第3行（丙）" in body and "第1行" not in body
    assert not Case.objects.exists()


def test_html_in_text_fields_is_shown_escaped(client_for):
    client = client_for("intake")
    client.post("/cases/new/", form_data(title="<b>欠薪</b><script>alert('x')</script>"))
    case = Case.objects.get()
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_partners_and_read_only_roles_cannot_register(client_for):
    for who in ("procuratorate", "legal_aid", "inspection", "labor_supervisor", "supervisor"):
        assert client_for(who).get("/cases/new/").status_code == 404


def test_court_liaison_delegates_a_case_to_the_county_union(client_for, ankang):
    response = client_for("court").post("/cases/new/", form_data(
        channel="COURT_DELEGATED", source_ref="（2026）陕0902民诉前调120号",
        court_due_date=(datetime.date.today() + datetime.timedelta(days=30)).isoformat()))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.agency == ankang["union:610902"] and case.source_agency == ankang["court:610902"]
    # The delegating court follows its case.
    assert client_for("court").get(f"/cases/{case.pk}/").status_code == 200


def test_chinese_first_and_english_switchable(client_for):
    client = client_for("intake")
    page = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "我的待办" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})
    page = client.get("/inbox/").content.decode()
    assert 'lang="en"' in page and "My tasks" in page
