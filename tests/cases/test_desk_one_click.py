"""Issue 10 × issue 9 item 2: the desk's new forms — print for signing, attach the signed scan,
bind the case file, export a ledger, accept and assign in one step — carry a submission token:
posted twice with the token their page rendered (a double click), they make one record."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mediation.cases.models import Attachment, CaseDocument, CaseEvent, DocumentKind
from mediation.ledgers.models import LedgerExport
from tests.cases.test_documents import (  # noqa: F401 - the frozen clock of those tests
    accepted,
    closed_case,
    frozen,
    mediated,
    multi_page_pdf,
)
from tests.factories.cases import open_task

pytestmark = pytest.mark.django_db

DUPLICATE = "此表单已经提交过，本次未重复保存。"
TOKEN = re.compile(r'name="_submission" value="([^"]+)"')


def form_token(html: str, action: str) -> str:
    """The token of the form posting to `action`."""
    start = html.index(f'action="{action}"')
    return TOKEN.search(html, start).group(1)


def test_printing_for_signature_twice_stores_one_document(client, people, ankang):
    case = mediated(people, ankang)
    client.force_login(people["mediator"])
    action = f"/cases/{case.pk}/documents/"
    token = form_token(client.get(f"/cases/{case.pk}/").content.decode(), action)
    data = {"kind": "AGREEMENT", "_submission": token}
    first = client.post(action, data)
    second = client.post(action, data)
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"]
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.AGREEMENT).count() == 1
    assert CaseEvent.objects.filter(case=case, action="case.document").count() == 1
    assert DUPLICATE in client.get(second["Location"]).content.decode()


def test_the_signed_scan_posted_twice_is_attached_once(client, people, ankang):
    case = mediated(people, ankang)
    client.force_login(people["mediator"])
    client.post(f"/cases/{case.pk}/documents/", {"kind": "AGREEMENT"})
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.AGREEMENT)
    action = f"/cases/{case.pk}/documents/{doc.pk}/scan/"
    token = form_token(client.get(f"/cases/{case.pk}/").content.decode(), action)
    before = Attachment.objects.filter(case=case).count()
    for _ in range(2):
        response = client.post(
            action,
            {
                "file": SimpleUploadedFile("signed.pdf", multi_page_pdf("签字件")),
                "_submission": token,
            },
        )
        assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert DUPLICATE in page and "该文书已附签字件" not in page
    assert Attachment.objects.filter(case=case).count() == before + 1
    assert CaseEvent.objects.filter(case=case, action="case.document_signed").count() == 1


def test_binding_the_case_file_twice_binds_once(client, people, ankang):
    case = closed_case(people, ankang)
    client.force_login(people["head"])
    action = f"/cases/{case.pk}/case-file/"
    token = form_token(client.get(f"/cases/{case.pk}/").content.decode(), action)
    for _ in range(2):
        assert client.post(action, {"_submission": token}).status_code == 302
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.CASE_FILE).count() == 1
    assert CaseEvent.objects.filter(case=case, action="case.case_file").count() == 1


def test_a_refused_print_keeps_its_token_usable(client, people, ankang):
    case = accepted(people, ankang)  # no agreement yet: the agreement cannot be printed
    client.force_login(people["mediator"])
    action = f"/cases/{case.pk}/documents/"
    token = form_token(client.get(f"/cases/{case.pk}/").content.decode(), action)
    client.post(action, {"kind": "AGREEMENT", "_submission": token})
    assert not CaseDocument.objects.filter(case=case).exists()
    client.post(action, {"kind": "ACCEPTANCE_NOTICE", "_submission": token})
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE).exists()


def test_the_documents_panel_of_a_step_page_never_shares_the_steps_token(client, people, ankang):
    """A step page shown again after a refused POST keeps the step form's token; the documents
    panel on it must have tokens of its own, or printing would use up the step's token."""
    case = accepted(people, ankang)
    task = open_task(case, "mediate")
    client.force_login(people["mediator"])
    step_token = "step-token-refused-once"
    page = client.post(f"/tasks/{task.pk}/", {"_submission": step_token}).content.decode()
    assert f'action="/cases/{case.pk}/documents/"' in page
    assert step_token in page  # the step's own form kept its token
    panel = page[page.index('id="documents"') :]
    panel = panel[: panel.index("</div>")]
    tokens = TOKEN.findall(panel)
    assert tokens and step_token not in tokens and len(set(tokens)) == len(tokens)


def test_a_ledger_export_started_twice_is_one_export(
    client, people, ankang, django_capture_on_commit_callbacks
):
    accepted(people, ankang)
    client.force_login(people["head"])
    html = client.get("/ledgers/cases/?status=ACCEPTED").content.decode()
    token = TOKEN.search(html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/ledgers/cases/?status=ACCEPTED", {"_submission": token})
        second = client.post("/ledgers/cases/?status=ACCEPTED", {"_submission": token})
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert LedgerExport.objects.count() == 1


def test_accept_and_assign_posted_twice_accepts_and_assigns_once(client, people, ankang):
    from tests.factories.cases import open_case

    case = open_case(people["intake"], ankang["union:610902"], seed=7)
    task = open_task(case, "review")
    client.force_login(people["head"])
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "同时指派主办调解员" in page
    token = TOKEN.search(page).group(1)
    data = {
        "decision": "accept",
        "decided_on": case.received_on.isoformat(),
        "respondent_consents": "on",
        "mediator": people["mediator"].pk,
        "_submission": token,
    }
    first = client.post(f"/tasks/{task.pk}/", data)
    second = client.post(f"/tasks/{task.pk}/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert DUPLICATE in client.get(second["Location"]).content.decode()
    case.refresh_from_db()
    assert case.status == "ACCEPTED" and case.lead_mediator == people["mediator"]
    actions = list(case.events.values_list("action", flat=True))
    assert actions.count("case.accept") == 1 and actions.count("case.assign") == 1
