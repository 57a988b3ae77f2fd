"""A pause for 等待工伤认定 stops the mediation period and moves its due date (DOMAIN §3.2 D34).

Which clocks stand still is data: D3 pauses on mediation.paused; D1 (the Art. 14 window) does not.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mediation.cases import services, steps
from tests.factories.cases import do, open_case

D = datetime.date


@time_machine.travel("2026-03-20 10:00 +0800", tick=False)
def test_waiting_for_the_injury_determination_moves_d3_by_the_paused_days(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], received_on=D(2026, 3, 2))
    do(case, "review", people["head"], steps.review_decide, case=case, decision="accept", decided_on=D(2026, 3, 2),
       respondent_consents=True)
    d3 = case.clocks.get(rule_code="D3")
    # 企业劳动争议协商调解规定: 15 days from acceptance on 3月2日 (not counted): 3月3日 is day 1, 3月17日 day 15.
    assert d3.due_on == D(2026, 3, 17)

    services.case_pause(case=case, actor=people["mediator"], reason="等待工伤认定", on=D(2026, 3, 5))
    d3.refresh_from_db()
    assert d3.status == "paused"
    assert case.clocks.get(rule_code="D1").status == "running"  # the arbitration window does not wait
    with pytest.raises(ValidationError):
        services.case_pause(case=case, actor=people["mediator"], reason="", on=D(2026, 3, 6))

    services.case_resume(case=case, actor=people["mediator"], on=D(2026, 3, 15))
    d3.refresh_from_db()
    # Paused from 3月5日 to 3月15日: 10 days stood still, so day 15 moves from 3月17日 to 3月27日 (a Friday).
    assert (d3.status, d3.due_on) == ("running", D(2026, 3, 27))
    assert list(case.events.filter(action__in=["case.paused", "case.resumed"]).values_list("action", flat=True)) == [
        "case.paused", "case.resumed"]
