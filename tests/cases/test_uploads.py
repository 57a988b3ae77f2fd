"""Uploaded files of a transaction that rolls back or dies are not kept (issue 9, item 9)."""

import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from mediation.cases import services
from mediation.cases.models import Attachment
from mediation.cases.tasks import sweep_orphan_uploads
from mediation.lib import uploads
from tests.factories.cases import open_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files of this test only (the database rolls back after a test; the disk does not)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    uploads._pending().clear()  # markers left by earlier tests, whose transactions are over


@pytest.fixture
def case(people, ankang):
    return open_case(people["intake"], ankang["union:610902"])


@pytest.fixture
def mediator(people, case):
    case.lead_mediator = people["mediator"]
    case.save(update_fields=["lead_mediator"])
    client = Client()
    client.force_login(people["mediator"])
    return client


def stored_files(case):
    storage = Attachment._meta.get_field("file").storage
    try:
        return sorted(storage.listdir(f"cases/{case.pk}")[1])
    except FileNotFoundError:
        return []


def test_an_upload_whose_transaction_fails_leaves_no_file(case, mediator, monkeypatch):
    real = services.record_event

    def failing(target, **kwargs):
        if kwargs.get("action") == "case.attachment":
            raise ValidationError("日志写入失败")
        return real(target, **kwargs)

    monkeypatch.setattr(services, "record_event", failing)
    response = mediator.post(f"/cases/{case.pk}/attachments/",
                             {"title": "工资条", "file": SimpleUploadedFile("wages.pdf", PDF)})
    assert response.status_code == 302
    assert not case.attachments.exists()
    assert stored_files(case) == []  # written during the transaction, removed with it


def test_an_upload_that_commits_keeps_its_file(case, mediator):
    response = mediator.post(f"/cases/{case.pk}/attachments/",
                             {"title": "工资条", "file": SimpleUploadedFile("wages.pdf", PDF)})
    assert response.status_code == 302
    att = case.attachments.get()
    assert stored_files(case) == [os.path.basename(att.file.name)]
    assert mediator.get(f"/cases/{case.pk}/attachments/{att.pk}/").status_code == 200


def test_a_rolled_back_service_call_outside_a_request(case, people):
    """A Celery task or a command: the files go when the task ends (task_postrun) or at once."""
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attachment_add(case=case, actor=people["mediator"], upload=SimpleUploadedFile("a.pdf", PDF),
                                title="材料")
        assert len(stored_files(case)) == 1
        raise RuntimeError("later step failed")
    assert uploads.remove_uncommitted() == 1
    assert stored_files(case) == []


def test_the_sweep_removes_old_files_no_row_references(case, people):
    kept = services.attachment_add(case=case, actor=people["mediator"], upload=SimpleUploadedFile("k.pdf", PDF),
                                   title="保留")
    storage = Attachment._meta.get_field("file").storage
    old_orphan = storage.save(f"cases/{case.pk}/orphan.pdf", ContentFile(PDF))
    storage.save(f"cases/{case.pk}/young.pdf", ContentFile(PDF))
    two_hours_ago = time.time() - 7200
    for name in (old_orphan, kept.file.name):
        os.utime(storage.path(name), (two_hours_ago, two_hours_ago))
    assert sweep_orphan_uploads.apply().get() == 1
    assert stored_files(case) == sorted([os.path.basename(kept.file.name), "young.pdf"])
