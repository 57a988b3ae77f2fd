"""The paperwork prints the parties as the case records them (CaseWorker.name / .phone, the
case's own snapshot, issue 9 item 1), not the person record another case may have registered
differently: the agreement, the cover of the case file and the step pages' party panel."""

import io

import pytest
from pypdf import PdfReader

from mediation.cases import document_services
from mediation.cases.models import DocumentKind, RequestKind
from mediation.cases.services import case_worker_correct
from tests.cases.test_documents import (  # noqa: F401 - the frozen clock of those tests
    closed_case,
    frozen,
    mediated,
    pdf_bytes,
    pdf_text,
)
from tests.factories.cases import open_case, open_task
from tests.workflows.step_pages import complete_step

pytestmark = pytest.mark.django_db


def _correct(case, people):
    """The first worker's name and phone corrected on this case only; the person record keeps
    the registration's."""
    cw = case.case_workers.order_by("id").first()
    case_worker_correct(
        case_worker=cw, actor=people["mediator"], name="欧阳立新", phone="13655556666"
    )
    cw.worker.refresh_from_db()
    assert cw.worker.name == "工人0" and cw.worker.phone != "13655556666"
    return cw


def test_the_agreement_prints_the_name_and_phone_the_case_records(people, ankang):
    case = mediated(people, ankang)
    _correct(case, people)
    doc = document_services.document_generate(
        case=case, actor=people["mediator"], kind=DocumentKind.AGREEMENT
    )
    text = pdf_text(pdf_bytes(doc))
    assert "欧阳立新" in text and "工人0" not in text
    assert "欧阳立新" in doc.rendered_text and "13655556666" in doc.rendered_text


def test_the_case_file_cover_names_the_parties_as_recorded(people, ankang):
    case = closed_case(people, ankang)
    case.case_workers.filter(pk=case.case_workers.order_by("id").first().pk).update(name="欧阳立新")
    doc = document_services.case_file_generate(case=case, actor=people["head"])
    cover = pdf_text(pdf_bytes(doc), 1)
    assert len(PdfReader(io.BytesIO(pdf_bytes(doc))).pages) == doc.pages
    assert "欧阳立新、工人1" in cover


def test_the_courts_task_page_shows_the_parties_as_recorded(client, people, ankang):
    case = mediated(people, ankang)
    _correct(case, people)

    complete_step(
        case,
        "file_confirmation",
        people["mediator"],
        {"decision": "apply", "filed_on": case.agreement.signed_on.isoformat()},
    )
    assert case.confirmation_requests.get().kind == RequestKind.JUDICIAL_CONFIRMATION
    task = open_task(case, "judicial_confirmation")
    client.force_login(people["court"])
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "欧阳立新" in page and "工人0" not in page


def test_the_review_page_shows_the_workers_as_recorded(client, people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=2, seed=5)
    _correct(case, people)
    client.force_login(people["head"])
    page = client.get(f"/tasks/{open_task(case, 'review').pk}/").content.decode()
    assert "欧阳立新" in page and "工人0" not in page
