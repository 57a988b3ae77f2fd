"""Issue 9 items 1 and 4: people are never overwritten across cases; input means what it says.

Through the real registration page (/cases/new/) with the real permissions of each user.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mediation.cases import services, steps
from mediation.cases.document_services import case_file_generate
from mediation.cases.models import Case, CaseEvent, CaseStatus, CaseWorker, ClosingCode
from parties.models import Employer, Worker
from tests.factories.cases import do, open_case, open_task
from tests.factories.parties import make_credit_code, make_resident_id
from workflows.services import case_open

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
HANBIN_ID = make_resident_id(birth=datetime.date(1980, 5, 6), seed=77)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def form_data(**overrides):
    data = {
        "channel": "WALK_IN",
        "received_on": TODAY.isoformat(),
        "county": "610921",
        "title": "某茶厂采茶工欠薪",
        "facts": "拖欠两个月工资",
        "industry": "TEA_FOOD",
        "employment_form": "STANDARD",
        "workers": f"王五，{HANBIN_ID}，13800000002，3000",
        "employer_name": "汉阴县某茶业公司",
        "employer_credit_code": make_credit_code(seed=41),
        "employer_legal_rep": "赵某",
        "employer_kind": "ENTERPRISE",
        "employer_role": "EMPLOYER",
        "claim_type": "WAGES",
        "claim_subtype": "拖欠工资",
    }
    data.update(overrides)
    return data


def workers_table(page: str) -> str:
    """The applicants' table of a case page (the correction forms below it carry flag labels)."""
    start = page.index("<h2>申请人")
    return page[start : page.index("</table>", start)]


def open_with(actor, agency, workers, seed):
    """A case registered through the flow with exactly these worker rows."""
    return case_open(
        actor=actor,
        agency=agency,
        channel="WALK_IN",
        title="欠薪纠纷",
        facts="拖欠工资。",
        county=agency.county,
        received_on=TODAY,
        workers=workers,
        respondents=[
            {
                "name": f"某公司{seed}",
                "credit_code": make_credit_code(seed=seed + 100),
                "legal_representative": "李某",
                "county": agency.county,
                "role": "EMPLOYER",
            }
        ],
        claims=[{"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": Decimal("100")}],
    )


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def archived_hanbin_case(people, ankang):
    """A Hanbin case, closed and archived, whose worker is recorded as disabled and in hardship."""
    worker = {
        "name": "李四",
        "id_number": HANBIN_ID,
        "phone": "13900000001",
        "amount_claimed": Decimal("9000"),
        "has_disability": True,
        "is_hardship": True,
        "is_migrant": True,
    }
    case = open_with(people["intake"], ankang["union:610902"], [worker], seed=6)
    do(
        case,
        "review",
        people["head"],
        steps.review_decide, case=case, reason="已过仲裁时效", decided_on=TODAY, decision="not_accept",
    )
    do(
        case,
        "close",
        people["head"],
        steps.case_close_decide, case=case, closing_code=ClosingCode.NOT_ACCEPTED, on=TODAY,
    )
    case_file_generate(case=case, actor=people["head"])  # archiving needs the case file (卷宗)
    do(
        case,
        "archive",
        people["head"],
        steps.case_file_archive, case=case,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    return case


# ------------------------------------------------------------------ item 1


def test_other_county_registration_with_a_known_id_changes_nothing_in_the_archived_case(
    people, archived_hanbin_case
):
    """The reported attack: a Hanyin mediator registers with the ID of a Hanbin worker."""
    before_row = CaseWorker.objects.get(case=archived_hanbin_case)
    before_events = list(
        CaseEvent.objects.filter(case=archived_hanbin_case).values_list("pk", flat=True)
    )
    hanyin = login(people["other_county_mediator"])

    response = hanyin.post("/cases/new/", form_data())

    new_case = Case.objects.get(agency__county="610921")
    assert response.status_code == 302 and response["Location"] == f"/cases/{new_case.pk}/"
    # The archived case says what it said before, and its log has no new line.
    row = CaseWorker.objects.get(case=archived_hanbin_case)
    assert (row.name, row.phone, row.has_disability, row.is_hardship, row.is_migrant) == (
        "李四",
        "13900000001",
        True,
        True,
        True,
    )
    assert (row.name, row.phone) == (before_row.name, before_row.phone)
    assert (
        list(CaseEvent.objects.filter(case=archived_hanbin_case).values_list("pk", flat=True))
        == before_events
    )
    # The person record is one identity, never renamed by the other county.
    worker = Worker.objects.get(id_number=HANBIN_ID)
    assert (worker.name, worker.phone, worker.has_disability) == ("李四", "13900000001", True)
    assert Worker.objects.filter(id_number=HANBIN_ID).count() == 1
    # The new case shows only what the Hanyin mediator typed: no Hanbin name, phone or flags.
    page = hanyin.get(f"/cases/{new_case.pk}/").content.decode()
    assert "王五" in workers_table(page) and "13800000002" in workers_table(page)
    for leak in ("李四", "13900000001"):
        assert leak not in page, leak
    for leak in ("残疾职工", "困难职工", "农民工"):
        assert leak not in workers_table(page), leak
    # And the Hanbin case stays out of their reach; Hanbin still sees its own record.
    assert hanyin.get(f"/cases/{archived_hanbin_case.pk}/").status_code == 404
    hanbin_page = login(people["head"]).get(f"/cases/{archived_hanbin_case.pk}/").content.decode()
    assert (
        "李四" in hanbin_page
        and "残疾职工" in workers_table(hanbin_page)
        and "王五" not in hanbin_page
    )


def test_api_shows_each_case_its_own_party_data(people, archived_hanbin_case):
    login(people["other_county_mediator"]).post("/cases/new/", form_data())
    new_case = Case.objects.get(agency__county="610921")
    client = login(people["head"])
    data = client.get(f"/api/v1/cases/{archived_hanbin_case.pk}/").json()
    assert [w["name"] for w in data["workers"]] == ["李四"]
    other = login(people["other_county_mediator"]).get(f"/api/v1/cases/{new_case.pk}/").json()
    assert [w["name"] for w in other["workers"]] == ["王五"] and other["workers"][0][
        "phone"
    ] == "13800000002"


def test_correcting_party_data_changes_one_case_and_is_logged(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=8)
    other = open_with(
        people["intake"],
        ankang["union:610902"],
        [
            {
                "name": "工人0",
                "id_number": case.case_workers.get().id_number,
                "phone": "13911112222",
                "amount_claimed": 100,
            }
        ],
        seed=9,
    )
    cw = case.case_workers.get()
    services.case_worker_correct(
        case_worker=cw,
        actor=people["intake"],
        name="工人零",
        phone="１３９００００９９９９",
        is_migrant=True,
    )
    cw.refresh_from_db()
    assert (cw.name, cw.phone, cw.is_migrant) == ("工人零", "13900009999", True)
    event = CaseEvent.objects.get(case=case, action="case.party_corrected")
    assert event.changes["name"] == ["工人0", "工人零"] and event.changes["is_migrant"] == [
        False,
        True,
    ]
    assert event.actor == people["intake"]
    assert other.case_workers.get().name == "工人0"
    assert not CaseEvent.objects.filter(case=other, action="case.party_corrected").exists()


def test_an_archived_case_refuses_corrections(people, archived_hanbin_case):
    cw = archived_hanbin_case.case_workers.get()
    with pytest.raises(ValidationError, match="归档"):
        services.case_worker_correct(case_worker=cw, actor=people["head"], name="改名", phone="")
    cw.refresh_from_db()
    assert cw.name == "李四"


# ------------------------------------------------------------------ item 4


def test_full_width_and_look_alike_input_is_stored_once_in_ascii(people):
    client = login(people["other_county_mediator"])
    wide_id = HANBIN_ID.translate(FULL_WIDTH)
    code = make_credit_code(seed=41)
    response = client.post(
        "/cases/new/",
        form_data(
            workers=f"王五，{wide_id}，１３８ ００００ ０００２，３０００",
            employer_credit_code=code.lower().translate(FULL_WIDTH),
            employer_phone="０９１５－１２３４５６７",
        ),
    )
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    cw = CaseWorker.objects.get()
    assert (
        cw.worker.id_number == HANBIN_ID and cw.phone == "13800000002" and cw.amount_claimed == 3000
    )
    employer = Employer.objects.get()
    assert employer.credit_code == code and employer.contact_phone == "0915-1234567"
    # The same person and employer typed the plain way: no second row.
    client.post(
        "/cases/new/",
        form_data(
            title="第二次", workers=f"王五，{HANBIN_ID}，13800000002，100", confirm_duplicate="on"
        ),
    )
    assert Case.objects.count() == 2
    assert Worker.objects.count() == 1 and Employer.objects.count() == 1


def test_lower_case_and_cyrillic_x_check_digit_match_the_same_person(people, ankang):
    from parties.validators import resident_id_check_char

    number = next(
        n
        for n in (
            f"61092119900307{seq:03d}" + resident_id_check_char(f"61092119900307{seq:03d}")
            for seq in range(1000)
        )
        if n.endswith("X")
    )
    assert number.endswith("X")
    client = login(people["other_county_mediator"])
    for i, typed in enumerate([number[:-1] + "x", number[:-1] + "\u0425"]):
        response = client.post(
            "/cases/new/",
            form_data(
                title=f"第{i}次", workers=f"王五，{typed}，13800000002，100", confirm_duplicate="on"
            ),
        )
        assert response.status_code == 302, re.findall(
            r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
        )
    assert list(Worker.objects.values_list("id_number", flat=True)) == [number]


def test_id_number_with_a_future_birth_date_is_refused(people):
    future = make_resident_id(birth=TODAY + datetime.timedelta(days=400), seed=3)
    response = login(people["other_county_mediator"]).post(
        "/cases/new/", form_data(workers=f"王五，{future}，13800000002，100")
    )
    assert response.status_code == 200
    assert "出生日期晚于今天" in response.content.decode()
    assert not Case.objects.exists() and not Worker.objects.exists()


def test_worker_under_16_is_flagged_and_offered_a_referral_to_labour_inspection(people, ankang):
    child = make_resident_id(
        birth=TODAY.replace(year=TODAY.year - 15) - datetime.timedelta(days=10), seed=4
    )
    intake = login(people["intake"])
    response = intake.post(
        "/cases/new/",
        form_data(
            county="610902",
            workers=f"小明，{child}，13800000003，2000\n王五，{HANBIN_ID}，13800000002，3000",
        ),
    )
    case = Case.objects.get()
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, action="case.child_labour_flagged")
    assert "小明" in event.summary and "王五" not in event.summary
    page = intake.get(f"/cases/{case.pk}/").content.decode()
    assert (
        'id="child-labour-warning"' in page
        and "疑似使用童工" in page
        and "未满16周岁（疑似童工）" in page
    )
    # Once in mediation, the warning links to the step where the referral is made, preselected.
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
    mediator = login(people["mediator"])
    task = open_task(case, "mediate")
    page = mediator.get(f"/cases/{case.pk}/").content.decode()
    assert f"/tasks/{task.pk}/?refer=INSPECTION" in page
    form = mediator.get(f"/tasks/{task.pk}/?refer=INSPECTION").content.decode()
    assert 'value="INSPECTION"' in form and 'value="INSPECTION"\n' not in form
    checked = form.split('value="INSPECTION"')[1].split(">")[0]
    assert "checked" in checked


def test_adult_worker_gets_no_child_labour_warning(people):
    intake = login(people["intake"])
    intake.post("/cases/new/", form_data(county="610902"))
    case = Case.objects.get()
    assert "child-labour-warning" not in intake.get(f"/cases/{case.pk}/").content.decode()
    assert not CaseEvent.objects.filter(action="case.child_labour_flagged").exists()


def test_migrant_flag_is_chosen_per_worker_not_set_on_everyone(people):
    intake = login(people["intake"])
    other = make_resident_id(seed=12)
    response = intake.post(
        "/cases/new/",
        form_data(
            county="610902",
            workers=f"王五，{HANBIN_ID}，13800000002，3000，农民工\n赵六，{other}，13800000004，3000",
        ),
    )
    assert response.status_code == 302
    flags = dict(CaseWorker.objects.values_list("name", "is_migrant"))
    assert flags == {"王五": True, "赵六": False}
    page = intake.get(f"/cases/{Case.objects.get().pk}/").content.decode()
    assert workers_table(page).count("农民工") == 1


def test_unknown_mark_on_a_worker_line_is_reported(people):
    response = login(people["intake"]).post(
        "/cases/new/",
        form_data(county="610902", workers=f"王五，{HANBIN_ID}，13800000002，3000，外地"),
    )
    assert response.status_code == 200 and "无法识别的标注“外地”" in response.content.decode()
    assert not Case.objects.exists()


def correction(**overrides):
    data = {"name": "工人零", "phone": "１３９００００９９９９", "is_migrant": "on"}
    data.update(overrides)
    return data


def test_correcting_party_data_on_the_case_page(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=21)
    cw = case.case_workers.get()
    client = login(people["intake"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    url = f"/cases/{case.pk}/workers/{cw.pk}/correct/"
    assert f'action="{url}"' in page
    response = client.post(url, correction())
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    cw.refresh_from_db()
    assert (cw.name, cw.phone, cw.is_migrant) == ("工人零", "13900009999", True)
    event = CaseEvent.objects.get(case=case, action="case.party_corrected")
    assert event.changes["phone"][1] == "13900009999" and event.changes["name"] == [
        "工人0",
        "工人零",
    ]
    assert "当事人信息已更正" in client.get(f"/cases/{case.pk}/").content.decode()


def test_correction_by_other_county_or_partner_is_404_and_bad_phone_is_refused(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=22)
    cw = case.case_workers.get()
    url = f"/cases/{case.pk}/workers/{cw.pk}/correct/"
    for who in ("other_county_mediator", "court", "supervisor"):
        assert login(people[who]).post(url, correction()).status_code == 404, who
    client = login(people["intake"])
    response = client.post(url, correction(phone="12345"))
    assert "电话号码格式不正确" in client.get(response["Location"]).content.decode()
    cw.refresh_from_db()
    assert (
        cw.name == "工人0" and not CaseEvent.objects.filter(action="case.party_corrected").exists()
    )
