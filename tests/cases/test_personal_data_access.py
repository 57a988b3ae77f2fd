"""Reading unmasked personal data is logged the same way on the page and through the API,
and nothing with personal data is kept in a browser or proxy cache."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from mediation.lib.api_tokens import api_token_issue
from tests.cases.test_permissions import court_case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

VIEWED = "case.personal_data_viewed"


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def test_api_read_by_a_partner_writes_the_same_access_event_as_the_page(people, court_case):  # noqa: F811
    worker = court_case.case_workers.first().worker
    data = token_client(people["court"]).get(f"/api/v1/cases/{court_case.pk}/").json()
    assert data["workers"][0]["id_number"] == worker.id_number  # unmasked
    api_events = list(court_case.events.filter(action=VIEWED))
    assert len(api_events) == 1
    page = Client()
    page.force_login(people["court"])
    page.get(f"/cases/{court_case.pk}/")
    page_event, api_event = court_case.events.filter(action=VIEWED).order_by("pk")[1], api_events[0]
    for field in ("actor_id", "agency_id", "summary", "visible_to_partners"):
        assert getattr(api_event, field) == getattr(page_event, field)
    assert api_event.actor == people["court"] and api_event.agency == people["court"].staff.agency


def test_union_reads_are_not_partner_access_events(people, court_case):  # noqa: F811
    token_client(people["mediator"]).get(f"/api/v1/cases/{court_case.pk}/")
    assert not court_case.events.filter(action=VIEWED).exists()


@pytest.mark.parametrize("path", ["/cases/", "/cases/{pk}/"])
def test_pages_with_personal_data_are_no_store(people, court_case, path):  # noqa: F811
    client = Client()
    client.force_login(people["court"])
    response = client.get(path.format(pk=court_case.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/cases/{pk}/", "/api/v1/tasks/"])
def test_api_answers_with_personal_data_are_no_store(people, court_case, path):  # noqa: F811
    response = token_client(people["court"]).get(path.format(pk=court_case.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_attachment_download_is_no_store(people, court_case):  # noqa: F811
    attachment = court_case.attachments.first()
    client = Client()
    client.force_login(people["mediator"])
    response = client.get(f"/cases/{court_case.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_operator_reads_the_access_log_in_the_admin(people, court_case):  # noqa: F811
    from django.contrib.auth import get_user_model

    token_client(people["court"]).get(f"/api/v1/cases/{court_case.pk}/")
    root = get_user_model().objects.create_superuser("root", "root@example.org", "Root-Concord-2026")
    admin = Client()
    admin.force_login(root)
    response = admin.get("/admin/cases/caseevent/", {"action": VIEWED})
    html = response.content.decode()
    assert response.status_code == 200
    assert court_case.case_no in html and "协作机构查阅当事人个人信息" in html
