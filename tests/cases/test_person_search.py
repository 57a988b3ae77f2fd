"""Finding a case by a person (issue 10 item 3): through the case list, as users act, with
the permission scope of the list — a case the user may not see is never found."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from mediation.cases.person_search import normalise_query
from tests.factories.parties import make_credit_code, make_resident_id
from workflows.services import case_open

pytestmark = pytest.mark.django_db

WORKER_ID = make_resident_id(birth=datetime.date(1988, 6, 15), seed=4242)
PHONE = "13991234567"
CREDIT = make_credit_code(seed=991)
EMPLOYER = "安康市汉滨区秦巴富硒茶业有限公司"


def _open(actor, agency, *, name, id_number, phone, employer, credit_code, county="610902"):
    return case_open(
        actor=actor,
        agency=agency,
        channel="WALK_IN",
        title="追索劳动报酬纠纷",
        facts="拖欠三个月工资。",
        county=county,
        received_on=datetime.date.today(),
        workers=[
            {
                "name": name,
                "id_number": id_number,
                "phone": phone,
                "amount_claimed": Decimal("8000"),
                "is_representative": False,
                "is_migrant": False,
            }
        ],
        respondents=[
            {
                "name": employer,
                "credit_code": credit_code,
                "legal_representative": "赵某",
                "county": county,
                "role": "EMPLOYER",
            }
        ],
        claims=[
            {"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": Decimal("8000")}
        ],
    )


@pytest.fixture
def cases(people, ankang):
    target = _open(
        people["intake"],
        ankang["union:610902"],
        name="欧阳秀英",
        id_number=WORKER_ID,
        phone=PHONE,
        employer=EMPLOYER,
        credit_code=CREDIT,
    )
    other = _open(
        people["intake"],
        ankang["union:610902"],
        name="马志刚",
        id_number=make_resident_id(birth=datetime.date(1975, 2, 3), seed=77),
        phone="13800001111",
        employer="安康某物业服务有限公司",
        credit_code=make_credit_code(seed=5),
    )
    return {"target": target, "other": other}


def _search(user, q):
    client = Client()
    client.force_login(user)
    response = client.get("/cases/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


QUERIES = {
    "name": "欧阳秀英",
    "name_start": "欧阳秀",
    "full_id": WORKER_ID,
    "full_id_lower_x": WORKER_ID.lower(),
    "id_tail_4": WORKER_ID[-4:],
    "id_tail_6": WORKER_ID[-6:],
    "id_tail_full_width": WORKER_ID[-6:].translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}
    ),
    "phone": PHONE,
    "phone_spaced": "139 9123 4567",
    "employer": "秦巴富硒茶业",
    "credit_code": CREDIT,
    "credit_code_lower": CREDIT.lower(),
}


@pytest.mark.parametrize("kind", list(QUERIES))
def test_found_by_a_mediator_of_the_county(cases, people, kind):
    html = _search(people["mediator"], QUERIES[kind])
    assert cases["target"].case_no in html
    assert cases["other"].case_no not in html


@pytest.mark.parametrize("kind", list(QUERIES))
def test_not_found_by_a_user_who_may_not_see_the_case(cases, people, kind):
    # Another county's mediator, and a partner agency with no task on the case.
    for who in ("other_county_mediator", "court"):
        html = _search(people[who], QUERIES[kind])
        assert cases["target"].case_no not in html
        assert "没有符合条件的案件" in html


def test_found_by_case_number(cases, people):
    html = _search(people["head"], cases["target"].case_no)
    assert cases["target"].case_no in html and cases["other"].case_no not in html


def test_masked_per_role_in_the_list(cases, people, ankang):
    handler = _search(people["mediator"], "欧阳秀英")
    # Lists never show a full ID number; the case handlers see the phone to call back.
    assert WORKER_ID not in handler and f"{WORKER_ID[:6]}********{WORKER_ID[-4:]}" in handler
    assert PHONE in handler
    masked = _search(people["labor_supervisor"], "欧阳秀英")
    assert cases["target"].case_no in masked
    assert WORKER_ID not in masked and PHONE not in masked
    assert f"{WORKER_ID[:6]}********{WORKER_ID[-4:]}" in masked


def test_normalise_query():
    assert normalise_query("１２３４５６") == "123456"
    assert normalise_query(" 139-9123 4567 ") == "13991234567"
    assert normalise_query("61090219880615123x") == "61090219880615123X"


def test_name_and_phone_as_each_case_records_them(cases, people, ankang):
    """The same ID number registered on a second case under another name and phone (issue 9:
    each case keeps its own snapshot). Each case is found by the name and phone it records, not
    by what another case recorded for the same person; the ID number finds both."""
    from mediation.cases.services import case_worker_correct

    second = _open(
        people["intake"],
        ankang["union:610902"],
        name="欧阳秀瑛",
        id_number=WORKER_ID,
        phone="13700009999",
        employer="安康市汉滨区某餐饮有限公司",
        credit_code=make_credit_code(seed=992),
    )
    first = cases["target"]
    assert second.case_workers.get().worker_id == first.case_workers.get().worker_id
    mediator = people["mediator"]

    html = _search(mediator, "欧阳秀瑛")
    assert second.case_no in html and first.case_no not in html
    assert "欧阳秀瑛" in html
    html = _search(mediator, "欧阳秀英")
    assert first.case_no in html and second.case_no not in html
    html = _search(mediator, "13700009999")
    assert second.case_no in html and first.case_no not in html
    html = _search(mediator, WORKER_ID)
    assert first.case_no in html and second.case_no in html

    # A correction on the first case: found by the corrected name and phone from then on.
    case_worker_correct(
        case_worker=first.case_workers.get(), actor=mediator, name="欧阳修英", phone="13622223333"
    )
    html = _search(mediator, "欧阳修英")
    assert first.case_no in html and second.case_no not in html
    html = _search(mediator, "3622223333")
    assert first.case_no in html
    html = _search(mediator, PHONE)
    assert first.case_no not in html
    # Still nothing for a user who may not see the cases.
    html = _search(people["other_county_mediator"], "欧阳修英")
    assert first.case_no not in html
