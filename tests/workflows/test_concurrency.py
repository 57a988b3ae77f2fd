"""Concurrency on PostgreSQL: gap-free case numbers and one winner per task."""

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext  # noqa: F401

from mediation.cases import steps
from mediation.cases.models import Case
from tests.factories.cases import open_case, open_task
from workflows.engine import TaskConflict, step_complete, task_claim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_parallel(n, target):
    """Run target(i) in n threads released at the same moment; return results and errors."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 — collected for the assertions
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def test_twenty_parallel_registrations_get_consecutive_numbers(people, ankang):
    results, errors = run_parallel(20, lambda i: open_case(people["intake"], ankang["union:610902"], seed=100 + i).pk)
    assert errors == [None] * 20
    numbers = sorted(Case.objects.values_list("case_no", flat=True))
    assert numbers == [f"汉滨工调〔{datetime.date.today().year}〕第{n:04d}号" for n in range(1, 21)]


def test_two_users_completing_the_same_task_one_wins(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"])
    head2 = people["head"]
    from parties.models import Role
    from tests.factories.parties import staff_user

    other_head = staff_user(ankang["union:610902"], Role.COMMITTEE_HEAD, username="hb_head2")
    task = open_task(case, "review")
    users = [head2, other_head]

    def complete(i):
        return step_complete(task=task, user=users[i], entry=steps.review_decide, case=case, decision="accept",
                             decided_on=datetime.date.today(), respondent_consents=True)

    results, errors = run_parallel(2, complete)
    assert sum(e is None for e in errors) == 1
    loser = next(e for e in errors if e is not None)
    assert isinstance(loser, TaskConflict) and ("办理" in loser.message or "领取" in loser.message)
    case.refresh_from_db()
    assert case.status == "ACCEPTED"
    assert case.events.filter(action="case.accept").count() == 1


def test_two_users_taking_the_same_task_one_wins(people, ankang):
    from parties.models import Role
    from tests.factories.parties import staff_user

    case = open_case(people["intake"], ankang["union:610902"])
    other_head = staff_user(ankang["union:610902"], Role.COMMITTEE_HEAD, username="hb_head3")
    users = [people["head"], other_head]
    task = open_task(case, "review")
    results, errors = run_parallel(2, lambda i: task_claim(task=task, user=users[i]))
    assert sum(e is None for e in errors) == 1
    assert isinstance(next(e for e in errors if e is not None), TaskConflict)
    task.refresh_from_db()
    assert task.owner in users
