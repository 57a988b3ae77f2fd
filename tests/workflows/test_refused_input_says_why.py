"""Refused input says why: a payment without its proof is not silently dropped."""

import datetime

import pytest
from django.test import Client

from mediation.cases import steps
from mediation.cases.models import RequestDecision
from tests.cases.test_permissions import court_case  # noqa: F401  (the fixture)
from tests.factories.cases import do, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(people, court_case):  # noqa: F811
    request = court_case.confirmation_requests.get()
    do(court_case, "judicial_confirmation", people["court"], steps.confirmation_rule, request=request, decision=RequestDecision.CONFIRMED, accepted_on=datetime.date.today(), decided_on=datetime.date.today(), ruling_no="(2026)陕0902民特12号")
    client = Client()
    client.force_login(people["mediator"])
    return court_case, open_task(court_case, "follow_up"), client


def test_payment_without_proof_says_why_and_records_nothing(follow_up):
    case, task, client = follow_up
    instalment = case.agreement.instalments.get()
    response = client.post(f"/tasks/{task.pk}/", {"action": "payment", "instalment": instalment.pk,
                                                  "paid_on": datetime.date.today().isoformat(), "proof": "  "})
    assert response.status_code == 200
    assert "请填写付款凭证（转账流水号、收据编号等），未登记付款。" in response.content.decode()
    instalment.refresh_from_db()
    assert instalment.paid_on is None


def test_payment_with_a_bad_date_says_why(follow_up):
    case, task, client = follow_up
    instalment = case.agreement.instalments.get()
    response = client.post(f"/tasks/{task.pk}/", {"action": "payment", "instalment": instalment.pk,
                                                  "paid_on": "yesterday", "proof": "银行流水 123"})
    assert response.status_code == 200 and "实付日期格式应为 2026-12-20。" in response.content.decode()


def test_payment_with_proof_is_recorded(follow_up):
    case, task, client = follow_up
    instalment = case.agreement.instalments.get()
    response = client.post(f"/tasks/{task.pk}/", {"action": "payment", "instalment": instalment.pk,
                                                  "paid_on": datetime.date.today().isoformat(),
                                                  "proof": "银行流水 123"})
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.paid_on == datetime.date.today() and instalment.proof == "银行流水 123"
