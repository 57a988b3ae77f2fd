"""Issue 9 item 6 on the task pages: since they show the parties (names, ID numbers, phones),
no browser or proxy keeps a copy, like the case page."""

import pytest
from django.test import Client

from tests.factories.cases import open_task
from tests.workflows.test_partner_task_page import court_case  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_partner_task_page_with_the_parties_is_no_store(court_case, people):  # noqa: F811
    case, _session = court_case
    task = open_task(case, "judicial_confirmation")
    client = Client()
    client.force_login(people["court"])
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 200
    assert case.case_workers.first().worker.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_registration_page_is_no_store(people):
    client = Client()
    client.force_login(people["intake"])
    response = client.get("/cases/new/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
