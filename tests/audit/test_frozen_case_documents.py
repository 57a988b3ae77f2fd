"""Issue 9 item 8 on the case documents: a printed document (受理通知书, 调解协议书, the case file…)
is an official signed record, frozen in the database like an issued letter — its number, text,
file and hash cannot be changed or the row deleted, by raw SQL past the ORM either (SQLite and
PostgreSQL alike). Its signed scan can still be attached, once, through the service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client

from mediation.cases import document_services
from mediation.cases.models import CaseDocument, CaseEvent, DocumentKind
from mediation.lib import dbguard
from tests.cases.test_documents import accepted, frozen  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def printed(people, ankang):
    case = accepted(people, ankang)
    return document_services.document_generate(
        case=case, actor=people["mediator"], kind=DocumentKind.ACCEPTANCE_NOTICE
    )


def test_the_database_freezes_a_printed_document(printed):
    table = CaseDocument._meta.db_table
    for column, value in [
        ("doc_no", "伪造〔2026〕9号"),
        ("rendered_text", "篡改"),
        ("sha256", "0" * 64),
        ("pdf", "cases/1/documents/other.pdf"),
        ("title", "改名"),
        ("pages", 9),
    ]:
        with pytest.raises(IntegrityError, match="frozen"):
            raw(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, printed.pk])
    with pytest.raises(IntegrityError, match="frozen"):
        raw(f"DELETE FROM {table} WHERE id = %s", [printed.pk])
    stored = CaseDocument.objects.get(pk=printed.pk)
    assert (stored.doc_no, stored.sha256, stored.rendered_text) == (
        printed.doc_no,
        printed.sha256,
        printed.rendered_text,
    )
    # Saving the unchanged row (every column, as Django's save() does) is not a change.
    stored.save()


def test_the_signed_scan_is_still_attached_through_the_page(printed, people):
    client = Client()
    client.force_login(people["mediator"])
    response = client.post(
        f"/cases/{printed.case_id}/documents/{printed.pk}/scan/",
        {"file": SimpleUploadedFile("scan.pdf", PDF)},
    )
    assert response.status_code == 302
    printed.refresh_from_db()
    assert printed.signed_scan is not None
    assert CaseEvent.objects.filter(case=printed.case, action="case.document_signed").count() == 1


def test_the_guard_is_installed_and_in_the_registry(printed):
    guard = next(g for g in dbguard.GUARDS if g["table"] == CaseDocument._meta.db_table)
    names = dbguard.trigger_names(connection.vendor, guard["table"], flag=guard["flag"])
    assert set(names) <= dbguard._trigger_names(connection, guard["table"])
    assert "signed_scan_id" not in guard["columns"]
