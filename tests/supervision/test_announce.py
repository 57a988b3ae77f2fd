"""A 建议书 that reaches labor inspection announces itself to that agency's liaisons only
(issue 8, A5) — the delivery is recorded through the task's real URL."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from mediation.notifications.models import Notification
from parties.models import Role
from tests.factories.parties import staff_user
from tests.factories.supervision import open_task
from tests.supervision.test_flow import run_to_recommendation

pytestmark = pytest.mark.django_db


def test_the_recommendation_reaches_the_inspection_liaisons_with_a_link(people, ankang, sup, cal,
                                                                        django_capture_on_commit_callbacks):
    city_insp = staff_user(ankang["inspection:city"], Role.LIAISON, username="city_insp")
    matter, _reminder, _opinion, _rec = run_to_recommendation(sup, cal, ankang)
    deliver = open_task(matter, "deliver_recommendation")
    client = Client()
    client.force_login(sup["lsup"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tasks/{deliver.pk}/", {
            "d-method": "IN_PERSON", "d-delivered_on": "2026-04-10", "d-receipt": "监察大队收文登记2026-118"})
    assert response.status_code == 302
    filing = open_task(matter, "department_filing")
    notes = Notification.objects.filter(verb="task.new", url=f"/tasks/{filing.pk}/")
    assert [n.recipient for n in notes] == [people["inspection"]]  # Hanbin's inspection; not the city's
    assert matter.matter_no in notes[0].text and "建议书立案决定" in notes[0].text
    assert [m.to for m in mail.outbox] == [["hb_insp@example.test"]]
    assert not Notification.objects.filter(recipient=city_insp).exists()
    opened = Client()
    opened.force_login(people["inspection"])
    assert opened.get(f"/tasks/{filing.pk}/").status_code == 200
    assert datetime.date.today() == datetime.date(2026, 4, 10)
