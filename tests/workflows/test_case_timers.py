"""Clocks that change the flow: viewflow timers driven by the clocks' due dates."""

import datetime

import pytest
import time_machine
from django.test import Client

from mediation.cases import services, steps
from tests.factories.cases import do, open_case
from workflows.tasks import fire_due_timers

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))


def test_d1_arbitration_window_opens_after_fifteen_days(people, ankang):
    # Received Monday 2026-03-02: D1 is 15 calendar days, the day of receipt not counted → 2026-03-17.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CST), tick=False):
        case = open_case(people["intake"], ankang["union:610902"], received_on=datetime.date(2026, 3, 2))
        do(case, "review", people["head"], steps.review_decide, case=case, decided_on=datetime.date(2026, 3, 2), respondent_consents=True, decision="accept")
        assert fire_due_timers() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 17, 12, 0, tzinfo=CST), tick=False):
        fire_due_timers()
        assert not case.events.filter(action="case.arbitration_window_open").exists()
    with time_machine.travel(datetime.datetime(2026, 3, 18, 8, 0, tzinfo=CST), tick=False):
        assert fire_due_timers() >= 1
        assert case.events.filter(action="case.arbitration_window_open").count() == 1
        client = Client()
        client.force_login(people["head"])
        assert "可以依法申请劳动仲裁" in client.get(f"/cases/{case.pk}/").content.decode()
        assert fire_due_timers() == 0  # fired once


def test_overdue_mediation_escalates_to_the_committee_head(people, ankang):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CST), tick=False):
        case = open_case(people["intake"], ankang["union:610902"], received_on=datetime.date(2026, 3, 2))
        do(case, "review", people["head"], steps.review_decide, case=case, decided_on=datetime.date(2026, 3, 2), respondent_consents=True, decision="accept")
        do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    # D3: 15 days from acceptance → 2026-03-17; escalation the day after.
    with time_machine.travel(datetime.datetime(2026, 3, 18, 9, 0, tzinfo=CST), tick=False):
        fire_due_timers()
        assert case.events.filter(action="case.mediation_overdue").count() == 1
        from mediation.notifications.models import Notification

        assert Notification.objects.filter(recipient=people["head"], verb="mediation_overdue").exists()
        # The mediation task is still open: the escalation runs beside it.
        from tests.factories.cases import open_task

        assert open_task(case, "mediate")


def test_extension_moves_the_escalation_timer(people, ankang):
    from workflows.services import case_extend

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CST), tick=False):
        case = open_case(people["intake"], ankang["union:610902"], received_on=datetime.date(2026, 3, 2))
        do(case, "review", people["head"], steps.review_decide, case=case, decided_on=datetime.date(2026, 3, 2), respondent_consents=True, decision="accept")
        do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=CST), tick=False):
        services.session_record(case=case, actor=people["mediator"], held_at=datetime.datetime.now(CST),
                                form="CAUCUS", place="调解室", participants="双方", points_in_dispute="数额")
        case_extend(case=case, actor=people["head"], days=10, applicant_consent="书面同意",
                    respondent_consent="笔录签字", consented_on=datetime.date(2026, 3, 10))
    with time_machine.travel(datetime.datetime(2026, 3, 18, 9, 0, tzinfo=CST), tick=False):
        fire_due_timers()
        assert not case.events.filter(action="case.mediation_overdue").exists()
    # 15 + 10 days from 2026-03-02 → 2026-03-27; escalation the day after.
    with time_machine.travel(datetime.datetime(2026, 3, 28, 9, 0, tzinfo=CST), tick=False):
        fire_due_timers()
        assert case.events.filter(action="case.mediation_overdue").count() == 1


def test_missed_instalment_marks_default(people, ankang):
    from decimal import Decimal

    from mediation.cases.models import ConfirmationPath
    from mediation.cases.tasks import mark_defaults
    from tests.workflows.step_pages import agreement_data, complete_step

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CST), tick=False):
        case = open_case(people["intake"], ankang["union:610902"], received_on=datetime.date(2026, 3, 2))
        do(case, "review", people["head"], steps.review_decide, case=case, decided_on=datetime.date(2026, 3, 2), respondent_consents=True, decision="accept")
        do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
        services.session_record(case=case, actor=people["mediator"], held_at=datetime.datetime.now(CST),
                                form="FACE_TO_FACE", place="调解室", participants="双方", points_in_dispute="数额")

        complete_step(case, "mediate", people["mediator"], agreement_data(
            datetime.date(2026, 3, 2), terms="3月10日前付清", amount="8000", path=ConfirmationPath.NONE,
            instalments=[(datetime.date(2026, 3, 10), "8000")]))
        case.refresh_from_db()
        assert list(case.agreement.instalments.values_list("due_on", "amount")) == [
            (datetime.date(2026, 3, 10), Decimal("8000"))]
    with time_machine.travel(datetime.datetime(2026, 3, 10, 20, 0, tzinfo=CST), tick=False):
        assert mark_defaults() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 11, 8, 0, tzinfo=CST), tick=False):
        assert mark_defaults() == 1
        assert mark_defaults() == 0
    case.refresh_from_db()
    assert case.status == "DEFAULTED"
    # An unconfirmed agreement: the mediator is pointed to a payment order or arbitration (Art. 15, 16),
    # not to enforcement, which needs a confirmed agreement.
    from mediation.notifications.models import Notification

    note = Notification.objects.get(recipient=people["mediator"], verb="case_defaulted")
    assert "支付令" in note.text and "仲裁" in note.text and "强制执行" not in note.text
