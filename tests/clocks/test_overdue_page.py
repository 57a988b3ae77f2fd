"""The supervisor's list of everything overdue, by county, limited to visible cases."""

import datetime

import pytest
import time_machine
from django.test import Client

from tests.factories.cases import open_case

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))


def test_overdue_by_county_respects_case_visibility(people, ankang):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CST), tick=False):
        hanbin = open_case(people["intake"], ankang["union:610902"], received_on=datetime.date(2026, 3, 2))
        hanyin = open_case(people["other_county_mediator"], ankang["union:610921"], county="610921",
                           received_on=datetime.date(2026, 3, 2), seed=3)
    # D2 (3 working days from Monday 2 March) fell due on Thursday 5 March.
    with time_machine.travel(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=CST), tick=False):
        supervisor = Client()
        supervisor.force_login(people["supervisor"])
        body = supervisor.get("/clocks/overdue/").content.decode()
        assert hanbin.case_no in body and hanyin.case_no in body
        assert "汉滨区" in body and "汉阴县" in body
        body = supervisor.get("/clocks/overdue/?county=610921").content.decode()
        assert hanyin.case_no in body and hanbin.case_no not in body
        mediator = Client()
        mediator.force_login(people["mediator"])
        body = mediator.get("/clocks/overdue/").content.decode()
        assert hanbin.case_no in body and hanyin.case_no not in body
        court = Client()
        court.force_login(people["court"])
        body = court.get("/clocks/overdue/").content.decode()
        assert hanbin.case_no not in body and "没有逾期的时限" in body
