"""A task a colleague finished meanwhile says who and when; nobody is offered a step they may not do."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mediation.cases import steps
from parties.models import Role
from tests.factories.cases import do, open_case, open_task
from tests.factories.parties import staff_user

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def case_and_heads(people, ankang):
    head2 = staff_user(ankang["union:610902"], Role.COMMITTEE_HEAD, username="hb_head2")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CST), tick=False):
        case = open_case(people["intake"], ankang["union:610902"])
    return case, people["head"], head2


def accept(case, user):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 5, tzinfo=CST), tick=False):
        do(case, "review", user, steps.review_decide, case=case, decided_on=datetime.date(2026, 3, 2), respondent_consents=True, decision="accept")


def test_task_finished_by_a_colleague_says_who_and_when_with_a_link(client, case_and_heads):
    case, head, head2 = case_and_heads
    task = open_task(case, "review")
    client.force_login(head)
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 200
    accept(case, head2)

    response = client.get(reverse("task_detail", args=[task.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"此任务已由{head2.staff.full_name}于2026年3月2日 10:05办理完毕。" in html
    assert f'href="{reverse("case_detail", args=[case.pk])}"' in html
    assert "No task matches" not in html and "Not Found" not in html


def test_submitting_a_task_finished_meanwhile_lands_on_that_page(client, case_and_heads):
    case, head, head2 = case_and_heads
    task = open_task(case, "review")
    client.force_login(head)
    accept(case, head2)
    events = case.events.count()
    response = client.post(reverse("task_detail", args=[task.pk]),
                           {"decision": "accept", "decided_on": "2026-03-02", "respondent_consents": "on"},
                           follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"此任务已由{head2.staff.full_name}于2026年3月2日 10:05办理完毕。" in html
    assert case.events.count() == events  # nothing recorded twice


def test_task_taken_by_a_colleague_says_so(client, case_and_heads):
    case, head, head2 = case_and_heads
    task = open_task(case, "review")
    client.force_login(head2)
    assert client.post(reverse("task_take", args=[task.pk])).status_code == 302
    client.force_login(head)
    html = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert f"此任务已由{head2.staff.full_name}领取办理" in html


@pytest.mark.parametrize("who", ["other_county_mediator", "court", "mediator"])
def test_a_task_never_addressed_to_the_user_stays_a_plain_404(client, case_and_heads, people, who):
    case, head, head2 = case_and_heads
    task = open_task(case, "review")
    accept(case, head2)
    client.force_login(people[who])
    response = client.get(reverse("task_detail", args=[task.pk]))
    assert response.status_code == 404
    assert "办理完毕" not in response.content.decode()
    missing = client.get(reverse("task_detail", args=[task.pk + 10_000]))
    assert missing.status_code == 404


def test_case_page_offers_the_step_only_to_who_may_do_it(client, case_and_heads, people):
    case, head, head2 = case_and_heads
    task_url = reverse("task_detail", args=[open_task(case, "review").pk])
    client.force_login(head)
    assert task_url in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    # Same agency, another role: sees the case and the step, but no 办理 button.
    client.force_login(people["mediator"])
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200 and "当前环节" in response.content.decode()
    assert task_url not in response.content.decode()
    # Taken by head2: head no longer gets the button.
    client.force_login(head2)
    client.post(reverse("task_take", args=[open_task(case, "review").pk]))
    client.force_login(head)
    assert task_url not in client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_taking_a_task_finished_meanwhile_explains_instead_of_404(client, case_and_heads):
    case, head, head2 = case_and_heads
    task = open_task(case, "review")
    accept(case, head2)
    client.force_login(head)
    response = client.post(reverse("task_take", args=[task.pk]), follow=True)
    assert response.status_code == 200
    assert f"此任务已由{head2.staff.full_name}于2026年3月2日 10:05办理完毕。" in response.content.decode()
