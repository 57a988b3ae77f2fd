"""Issue 9 item 9 on the case documents: the PDF of a document or case file printed inside a
transaction that then rolls back is removed; the beat sweep of orphan uploads keeps the PDFs
of stored documents (they are not attachments, and are kept for the archive)."""

import os
import time

import pytest
from django.db import transaction

from mediation.cases import document_services
from mediation.cases.models import CaseDocument, DocumentKind
from mediation.cases.tasks import sweep_orphan_uploads
from mediation.lib import uploads
from tests.cases.test_documents import accepted, frozen  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    uploads._pending().clear()


def stored_pdfs(case) -> list[str]:
    storage = CaseDocument._meta.get_field("pdf").storage
    try:
        return sorted(storage.listdir(f"cases/{case.pk}/documents")[1])
    except FileNotFoundError:
        return []


def test_a_document_printed_in_a_transaction_that_rolls_back_leaves_no_file(people, ankang):
    case = accepted(people, ankang)
    with pytest.raises(RuntimeError), transaction.atomic():
        document_services.document_generate(
            case=case, actor=people["mediator"], kind=DocumentKind.ACCEPTANCE_NOTICE
        )
        assert len(stored_pdfs(case)) == 1
        raise RuntimeError("a later step of the same request failed")
    assert not case.documents.exists()
    assert uploads.remove_uncommitted() == 1
    assert stored_pdfs(case) == []


def test_a_document_that_commits_keeps_its_file(people, ankang):
    case = accepted(people, ankang)
    doc = document_services.document_generate(
        case=case, actor=people["mediator"], kind=DocumentKind.ACCEPTANCE_NOTICE
    )
    uploads.remove_uncommitted()
    assert stored_pdfs(case) == [os.path.basename(doc.pdf.name)]


def test_the_orphan_sweep_keeps_the_pdfs_of_stored_documents(people, ankang):
    case = accepted(people, ankang)
    doc = document_services.document_generate(
        case=case, actor=people["mediator"], kind=DocumentKind.ACCEPTANCE_NOTICE
    )
    storage = CaseDocument._meta.get_field("pdf").storage
    orphan = storage.save(f"cases/{case.pk}/documents/orphan.pdf", storage.open(doc.pdf.name))
    two_hours_ago = time.time() - 7200
    for name in (doc.pdf.name, orphan):
        os.utime(storage.path(name), (two_hours_ago, two_hours_ago))
    assert sweep_orphan_uploads.apply().get() == 1  # the orphan only
    assert stored_pdfs(case) == [os.path.basename(doc.pdf.name)]
    with CaseDocument.objects.get(pk=doc.pk).pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
