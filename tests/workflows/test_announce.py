"""New work announces itself (issue 8, A5): a task addressed to an agency or a person tells
exactly its recipients — in the app, by email once — with a link that opens the task.

Every step here is completed through its real URL, as the user does it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client

from mediation.cases import services, steps
from mediation.cases.models import Case
from mediation.notifications.models import Notification
from mediation.notifications.tasks import deliver_outbox
from parties.models import Role
from tests.cases.test_registration_http import form_data
from tests.factories.cases import do, open_case, open_task
from tests.factories.parties import staff_user
from tests.workflows.step_pages import agreement_data, complete_step

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
                             tick=False):
        yield


@pytest.fixture
def crowd(people, ankang):
    """People who must NOT hear of Hanbin's tasks, and a second Hanbin head who must."""
    return {
        **people,
        "head2": staff_user(ankang["union:610902"], Role.COMMITTEE_HEAD, username="hb_head2"),
        "retired_head": staff_user(ankang["union:610902"], Role.COMMITTEE_HEAD, username="hb_head_old"),
        "other_head": staff_user(ankang["union:610921"], Role.COMMITTEE_HEAD, username="hy_head"),
        "city_court": staff_user(ankang["court:city"], Role.LIAISON, username="city_court"),
    }


@pytest.fixture(autouse=True)
def retired(crowd):
    crowd["retired_head"].is_active = False
    crowd["retired_head"].save(update_fields=["is_active"])


def login(user):
    client = Client()
    client.force_login(user)
    return client


def announced(task):
    """{username: notification} of the new-task notifications of `task`."""
    return {n.recipient.username: n for n in
            Notification.objects.filter(verb="task.new", url=f"/tasks/{task.pk}/").select_related("recipient")}


def test_a_registered_case_announces_its_review_to_the_committee_heads_only(crowd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(crowd["intake"]).post("/cases/new/", form_data())
    case = Case.objects.get()
    assert response.status_code == 302
    review = open_task(case, "review")
    rows = announced(review)
    # Both active heads of the Hanbin union; not the retired one, not Hanyin's head, no mediator.
    assert set(rows) == {"hb_head", "hb_head2"}
    assert Notification.objects.filter(verb="task.new").count() == 2
    text = rows["hb_head"].text
    assert case.case_no in text and "受理审查" in text
    # Email once per head, with the link; nothing else was mailed.
    assert sorted(m.to[0] for m in mail.outbox) == ["hb_head2@example.test", "hb_head@example.test"]
    assert f"/tasks/{review.pk}/" in mail.outbox[0].body
    deliver_outbox.apply()  # the beat sweep after the kick: nothing left to send
    assert len(mail.outbox) == 2
    # The link opens the task for the head; for Hanyin's head the same URL does not exist.
    assert login(crowd["head"]).get(f"/tasks/{review.pk}/").status_code == 200
    assert login(crowd["other_head"]).get(f"/tasks/{review.pk}/").status_code == 404


def test_assigning_a_mediator_announces_the_mediation_to_that_mediator_only(crowd, ankang):
    case = open_case(crowd["intake"], ankang["union:610902"])
    head = login(crowd["head"])
    review = open_task(case, "review")
    response = head.post(f"/tasks/{review.pk}/", {"decision": "accept", "decided_on": "2026-03-02",
                                                  "respondent_consents": "on"})
    assert response.status_code == 302
    assign = open_task(case, "assign")
    assert set(announced(assign)) == {"hb_head", "hb_head2"}

    response = head.post(f"/tasks/{assign.pk}/", {"mediator": crowd["mediator"].pk})
    assert response.status_code == 302
    mediate = open_task(case, "mediate")
    rows = announced(mediate)
    assert set(rows) == {"hb_mediator"}  # the assigned person, not the other mediator of the agency
    assert "组织调解" in rows["hb_mediator"].text and case.case_no in rows["hb_mediator"].text


def test_a_confirmation_request_reaches_the_county_court_only(crowd, ankang, django_capture_on_commit_callbacks):
    case = open_case(crowd["intake"], ankang["union:610902"])
    do(case, "review", crowd["head"], steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept")
    do(case, "assign", crowd["head"], steps.mediator_assign, case=case, mediator=crowd["mediator"])

    services.session_record(case=case, actor=crowd["mediator"],
                            held_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
                            form="FACE_TO_FACE", place="区总工会调解室", participants="双方", points_in_dispute="欠薪数额")

    complete_step(case, "mediate", crowd["mediator"], agreement_data(
        TODAY, terms="被申请人一次性支付工资。", amount="5000", path="JUDICIAL",
        instalments=[(datetime.date(2026, 3, 20), "5000")]))
    filing = open_task(case, "file_confirmation")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(crowd["mediator"]).post(f"/tasks/{filing.pk}/", {"decision": "apply",
                                                                          "filed_on": "2026-03-02"})
    assert response.status_code == 302
    court_task = open_task(case, "judicial_confirmation")
    rows = announced(court_task)
    assert set(rows) == {"hb_court"}  # Hanbin's court; not the city court, not arbitration
    assert "司法确认审查" in rows["hb_court"].text
    assert [m.to for m in mail.outbox] == [["hb_court@example.test"]]
    opened = login(crowd["court"]).post(f"/notifications/{rows['hb_court'].pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == f"/tasks/{court_task.pk}/"
    assert login(crowd["court"]).get(opened["Location"]).status_code == 200
