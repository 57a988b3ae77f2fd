"""A case stepped up to an effective agreement through the real entry points and task pages,
for the scenarios after the agreement (issue 8 B6/B7)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client

from mediation.cases import services, steps
from mediation.clocks.models import Clock
from tests.factories.cases import do, open_case, open_task
from tests.workflows.step_pages import agreement_data, complete_step

CST = datetime.timezone(datetime.timedelta(hours=8))


def claim(item: str, dispute_type: str, subtype: str, amount: str = "60000") -> dict:
    return {"dispute_type": dispute_type, "subtype": subtype, "item": item, "amount_claimed": Decimal(amount)}


WAGES = claim("WAGES", "WAGES", "拖欠工资")


def case_with_agreement(people, ankang, cal, *, on: datetime.date, path: str = "JUDICIAL",
                        instalments=None, claims=None, seed: int = 0):
    """Received, accepted and mediated on `on`; the agreement takes effect that day (T8)."""
    cal.to(on)
    case = open_case(people["intake"], ankang["union:610902"], received_on=on, seed=seed,
                     claims=claims or [WAGES])
    do(case, "review", people["head"], steps.review_decide, case=case, decision="accept", decided_on=on,
       respondent_consents=True)
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    services.session_record(case=case, actor=people["mediator"],
                            held_at=datetime.datetime.combine(on, datetime.time(9, 0), tzinfo=CST),
                            form="FACE_TO_FACE", place="区总工会调解室", participants="双方",
                            points_in_dispute="欠付工资数额")
    if instalments is None:
        instalments = [(on + datetime.timedelta(days=60), "60000")]
    complete_step(case, "mediate", people["mediator"], agreement_data(
        on, terms="被申请人按期支付工资。", amount=str(sum(Decimal(a) for _d, a in instalments)), path=path,
        instalments=instalments))
    case.refresh_from_db()
    return case


def clock(case, code: str) -> Clock:
    """The case's latest clock of rule `code`."""
    return Clock.objects.filter(case=case, rule_code=code).latest("id")


def page(user, case, step: str):
    client = Client()
    client.force_login(user)
    return client, f"/tasks/{open_task(case, step).pk}/"


def post_side_action(user, case, step: str, data: dict) -> str:
    """A side action on the open task page (it does not complete the step): the page redirects
    back to itself on success; the page's text is returned otherwise, for the refusal it shows."""
    client, url = page(user, case, step)
    response = client.post(url, data)
    if response.status_code == 302:
        assert response["Location"] == url, response["Location"]
        return ""
    assert response.status_code == 200, response.status_code
    return response.content.decode()
