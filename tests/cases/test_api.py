"""The read API: session or token authentication, object permissions, masking."""

import pytest
from rest_framework.test import APIClient

from mediation.lib.api_tokens import api_token_issue
from tests.factories.cases import open_case, open_task

pytestmark = pytest.mark.django_db


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def test_me_describes_user_roles_and_agency(people, ankang):
    data = token_client(people["court"]).get("/api/v1/me/").json()
    assert data["username"] == "hb_court" and data["roles"] == ["LIAISON"]
    assert data["agency"]["kind"] == "COURT" and data["agency"]["county"] == "汉滨区"
    assert data["agency"]["name"] == ankang["court:610902"].name


def test_cases_list_detail_and_tasks(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=2)
    open_case(people["other_county_mediator"], ankang["union:610921"], county="610921", seed=9)
    client = token_client(people["head"])
    listing = client.get("/api/v1/cases/").json()
    assert listing["count"] == 1 and listing["results"][0]["case_no"] == case.case_no
    detail = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["status"] == "RECEIVED" and len(detail["workers"]) == 2
    assert detail["workers"][0]["id_number"] == case.case_workers.first().worker.id_number
    assert [t["step"] for t in detail["open_tasks"]] == ["review"]
    assert any(e["action"] == "case.registered" for e in detail["events"])
    tasks = client.get("/api/v1/tasks/").json()
    assert tasks["count"] == 1 and tasks["results"][0]["id"] == open_task(case, "review").pk
    assert tasks["results"][0]["case"]["case_no"] == case.case_no
    # The mediator has no open task yet.
    assert token_client(people["mediator"]).get("/api/v1/tasks/").json()["count"] == 0


def test_bad_token_and_pagination(people, ankang):
    for i in range(3):
        open_case(people["intake"], ankang["union:610902"], seed=20 + i)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/cases/").status_code == 401
    page = token_client(people["head"]).get("/api/v1/cases/?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert token_client(people["head"]).get("/api/v1/cases/?page=99").status_code == 404
