"""A partner agency's task page shows the parties and the documents the task needs (issue 10
item 4): the court liaison decides a judicial confirmation without a detour to the case page."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mediation.cases import services, steps
from mediation.cases.models import RequestKind
from tests.factories.cases import do, open_case, open_task
from tests.workflows.step_pages import agreement_data, complete_step

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date.today()


@pytest.fixture
def court_case(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=3, seed=31)
    do(
        case,
        "review",
        people["head"],
        steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept",
    )
    do(
        case,
        "assign",
        people["head"],
        steps.mediator_assign, case=case, mediator=people["mediator"],
    )
    session = services.session_record(
        case=case,
        actor=people["mediator"],
        held_at=datetime.datetime.now(datetime.UTC),
        form="VIDEO",
        place="线上",
        participants="双方",
        points_in_dispute="金额",
        attachments=[SimpleUploadedFile("session.pdf", PDF)],
    )

    complete_step(case, "mediate", people["mediator"], agreement_data(
        TODAY, terms="被申请人分两期支付工资15000元", amount="15000", path="JUDICIAL",
        instalments=[(TODAY + datetime.timedelta(days=20), "15000")]))
    complete_step(case, "file_confirmation", people["mediator"],
                  {"decision": "apply", "filed_on": TODAY.isoformat()})
    case.refresh_from_db()
    assert case.agreement.amount_total == Decimal("15000")
    assert case.confirmation_requests.get().kind == RequestKind.JUDICIAL_CONFIRMATION
    services.attachment_add(
        case=case,
        actor=people["mediator"],
        upload=SimpleUploadedFile("agreement.pdf", PDF),
        title="调解协议书（签字版）",
    )
    return case, session


def test_court_task_page_shows_parties_and_documents(court_case, people):
    case, session = court_case
    task = open_task(case, "judicial_confirmation")
    client = Client()
    client.force_login(people["court"])
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    for cw in case.case_workers.select_related("worker"):
        assert (
            cw.worker.name in html and cw.worker.id_number in html
        )  # the liaison may see them: logged
    assert "安康某建筑劳务有限公司31" in html  # the respondent
    assert "被申请人分两期支付工资15000元" in html and "15,000.00 元" in html  # the agreement
    assert "司法确认" in html  # the application
    assert "调解协议书（签字版）" in html  # the attachment the court needs…
    assert (
        "session.pdf" not in html and f"/attachments/{session.attachments.get().pk}/" not in html
    )  # …not the session record
    assert case.events.filter(action="case.personal_data_viewed", actor=people["court"]).exists()


def test_the_parties_panel_is_only_for_who_may_act_on_the_task(court_case, people):
    """Another agency's task is 404, like a missing one: its parties are not shown."""
    case, _session = court_case
    task = open_task(case, "judicial_confirmation")
    client = Client()
    for who in ("labor_supervisor", "arbitration"):
        client.force_login(people[who])
        assert client.get(f"/tasks/{task.pk}/").status_code == 404
