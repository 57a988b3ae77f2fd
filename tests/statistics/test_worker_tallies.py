"""The cockpit counts 农民工 / 新就业形态 workers from tallies each case stores (issue 11, performance):
the case services keep them equal to the case's own worker rows, at registration and when a
person's data on the case are corrected, and the cockpit's figures follow."""

import datetime
from decimal import Decimal

import pytest

from mediation.cases import services
from mediation.statistics import selectors
from tests.factories.cases import open_case, worker_rows
from tests.factories.parties import make_credit_code
from workflows.services import case_open

pytestmark = pytest.mark.django_db


def workers_figures(user):
    figures = selectors.cockpit(user, selectors.default_filters(user))["current"]
    return figures["workers"], figures["workers_migrant"], figures["workers_nef"]


def test_registration_and_correction_keep_the_tallies_and_the_cockpit_follows(people, ankang):
    workers = worker_rows(12, seed=31, reps=2)
    for row in workers[:7]:
        row["is_migrant"] = True
    for row in workers[5:9]:
        row["is_new_employment_form"] = True
    case = case_open(
        actor=people["intake"],
        agency=ankang["union:610902"],
        channel="WALK_IN",
        title="某社区工厂12名职工欠薪纠纷",
        facts="拖欠工资。",
        county="610902",
        received_on=datetime.date.today(),
        workers=workers,
        respondents=[
            {
                "name": "安康某毛绒玩具有限公司",
                "credit_code": make_credit_code(seed=131),
                "legal_representative": "李某",
                "county": "610902",
                "role": "EMPLOYER",
            }
        ],
        claims=[
            {"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": Decimal("60000")}
        ],
    )
    case.refresh_from_db()
    assert (case.workers_count, case.workers_migrant, case.workers_nef) == (12, 7, 4)
    assert workers_figures(people["supervisor"]) == (12, 7, 4)

    # One worker was not a migrant worker after all, another one was new-employment-form.
    first, last = case.case_workers.order_by("id")[0], case.case_workers.order_by("id")[11]
    services.case_worker_correct(
        case_worker=first,
        actor=people["intake"],
        name=first.name,
        phone=first.phone,
        is_migrant=False,
    )
    services.case_worker_correct(
        case_worker=last,
        actor=people["intake"],
        name=last.name,
        phone=last.phone,
        is_new_employment_form=True,
    )
    case.refresh_from_db()
    assert (case.workers_migrant, case.workers_nef) == (6, 5)
    assert workers_figures(people["supervisor"]) == (12, 6, 5)


def test_a_new_employment_form_case_counts_all_its_workers_as_nef(people, ankang):
    open_case(
        people["intake"], ankang["union:610902"], workers=3, seed=32, employment_form="NEF_LABOR"
    )
    assert workers_figures(people["supervisor"]) == (3, 0, 3)
