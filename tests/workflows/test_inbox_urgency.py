"""The inbox by urgency (issue 10 item 4): overdue first, then the soonest due date, then by
arrival; filters by kind of task, county and clock state; the counts link to those filters;
deadline badges in words. Dates frozen with time_machine."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from viewflow.workflow.fields import get_task_ref

from mediation.cases import steps
from tests.factories.cases import do, open_case, open_task
from workflows.case_flow import CaseFlow

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


def at(day, hour=9):
    return time_machine.travel(datetime.datetime(2026, 11, day, hour, 0, tzinfo=CST), tick=False)


@pytest.fixture
def desk(people, ankang):
    """Hanbin, November 2026 (no holidays): three cases waiting for review (D2, 3 working days)
    and one waiting for its mediator (no clock). Arrival order: A, B, C's assignment, D."""
    union = ankang["union:610902"]
    with at(2, 9):
        a = open_case(
            people["intake"], union, seed=1, received_on=datetime.date(2026, 11, 2)
        )  # D2 due 11-05
    with at(9, 9):
        b = open_case(
            people["intake"], union, seed=2, received_on=datetime.date(2026, 11, 9)
        )  # due 11-12
    with at(10, 9):
        c = open_case(people["intake"], union, seed=3, received_on=datetime.date(2026, 11, 10))
        do(
            c,
            "review",
            people["head"],
            steps.review_decide, case=c, decided_on=datetime.date(2026, 11, 10), respondent_consents=True, decision="accept",
        )
    with at(10, 11):
        d = open_case(
            people["intake"], union, seed=4, received_on=datetime.date(2026, 11, 10)
        )  # due 11-13
    return {"a": a, "b": b, "c": c, "d": d}


def _inbox(user, query=""):
    client = Client()
    client.force_login(user)
    response = client.get(f"/inbox/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _task_ids(html):
    return [int(x) for x in re.findall(r'<td><a href="/tasks/(\d+)/">', html)]


def test_overdue_first_then_soonest_due_then_arrival(desk, people):
    expected = [
        open_task(desk["a"], "review").pk,
        open_task(desk["b"], "review").pk,
        open_task(desk["d"], "review").pk,
        open_task(desk["c"], "assign").pk,
    ]
    with at(10, 15):
        html = _inbox(people["head"])
    assert _task_ids(html) == expected


def test_deadline_badges_in_words(desk, people):
    with at(10, 15):
        html = _inbox(people["head"])
    assert "决定是否受理调解申请期限已超期5天" in html
    assert "决定是否受理调解申请期限剩余2个工作日" in html  # B: due Thursday 11-12
    assert 'class="overdue"' in html


def test_counts_link_to_their_filters(desk, people):
    with at(10, 15):
        html = _inbox(people["head"])
    assert re.search(
        r'href="\?clock=overdue" id="count-overdue-link"><span class="stat" id="count-overdue">1<',
        html,
    )
    assert re.search(r'id="count-total">4<', html)
    with at(10, 15):
        overdue = _inbox(people["head"], "?clock=overdue")
    assert _task_ids(overdue) == [open_task(desk["a"], "review").pk]


def test_filter_by_kind_county_and_clock_state(desk, people):
    assign_ref = get_task_ref(CaseFlow.assign)
    with at(10, 15):
        assert _task_ids(_inbox(people["head"], f"?kind={assign_ref}")) == [
            open_task(desk["c"], "assign").pk
        ]
        assert _task_ids(_inbox(people["head"], "?clock=none")) == [
            open_task(desk["c"], "assign").pk
        ]
        assert _task_ids(_inbox(people["head"], "?clock=running")) == [
            open_task(desk["b"], "review").pk,
            open_task(desk["d"], "review").pk,
        ]
        assert len(_task_ids(_inbox(people["head"], "?county=610902"))) == 4
        assert _task_ids(_inbox(people["head"], "?county=610921")) == []
    # Two days later B is in its warning window (D2 warns on its second day).
    with at(11, 15):
        soon = _task_ids(_inbox(people["head"], "?clock=due_soon"))
    assert (
        open_task(desk["b"], "review").pk in soon and open_task(desk["a"], "review").pk not in soon
    )


def test_accept_and_assign_in_one_step(desk, people):
    case = desk["b"]
    task = open_task(case, "review")
    client = Client()
    client.force_login(people["head"])
    with at(10, 15):
        page = client.get(f"/tasks/{task.pk}/").content.decode()
        assert "事实与理由" in page and "工程完工后劳务分包方拖欠工资" in page
        assert "工人0" in page and "拖欠工资" in page  # the workers and the claims
        response = client.post(
            f"/tasks/{task.pk}/",
            {
                "decision": "accept",
                "decided_on": "2026-11-10",
                "respondent_consents": "on",
                "mediator": people["mediator"].pk,
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "ACCEPTED" and case.lead_mediator == people["mediator"]
    assert open_task(case, "mediate").owner == people["mediator"]
    actions = list(case.events.values_list("action", flat=True))
    assert "case.accept" in actions and "case.assign" in actions


def test_accept_and_assign_refused_leaves_nothing_half_saved(desk, people):
    case = desk["b"]
    task = open_task(case, "review")
    client = Client()
    client.force_login(people["head"])
    with at(10, 15):
        # Without the respondent's consent the acceptance is refused: neither step happens.
        response = client.post(
            f"/tasks/{task.pk}/",
            {"decision": "accept", "decided_on": "2026-11-10", "mediator": people["mediator"].pk},
        )
    assert response.status_code == 200
    assert "被申请人不同意调解的，不能受理" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "RECEIVED" and case.lead_mediator is None
    assert open_task(case, "review").pk == task.pk
