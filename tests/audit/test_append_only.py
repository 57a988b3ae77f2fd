"""Audit that cannot be bypassed (issue 9, item 8).

The database itself refuses to change or delete audit events and issued letters — raw SQL,
past the ORM guard, on SQLite and on PostgreSQL alike (this module runs in both passes).
The admin can neither edit nor delete flow processes, tasks, workers or employers, and
taking a task is written to the case's log."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from viewflow.workflow.models import Process, Task

from mediation.cases.models import CaseEvent
from mediation.supervision import services as supervision
from mediation.supervision.models import Letter, LetterKind, MatterEvent
from parties.models import Employer, Worker
from search.models import TypicalCaseEvent
from tests.factories.cases import open_case, open_task
from tests.factories.search import TypicalCaseFactory
from tests.factories.seeds import reseed_migration_data
from tests.factories.supervision import employer, letter_kwargs, second_supervisor, signed

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=CST), tick=False):
        yield


def raw(sql, params=()):
    """Run one statement the way a script would, outside the ORM; returns the row count."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def case(people, ankang):
    return open_case(people["intake"], ankang["union:610902"])


@pytest.fixture
def letter(people, ankang):
    lsup = people["labor_supervisor"]
    matter = supervision.matter_register(actor=lsup, title="某超市拖欠工资", source="SCREENING",
                                         clue="风险排查发现该单位工资发放异常。", employer=employer())
    supervision.investigation_record(actor=lsup, matter=matter, conducted_on=datetime.date(2026, 3, 2),
                                     method="实地查看", findings="工资台账显示2月工资未发。", conclusion="RISK",
                                     investigators=[lsup, second_supervisor(ankang)])
    return signed(lsup, matter, LetterKind.REMINDER,
                                    **letter_kwargs(LetterKind.REMINDER, datetime.date(2026, 3, 2)))


def _event_of(kind, case, letter, people):
    if kind is CaseEvent:
        return case.events.first()
    if kind is MatterEvent:
        return letter.matter.events.first()
    return TypicalCaseEvent.objects.create(typical_case=TypicalCaseFactory(), actor=people["supervisor"],
                                           action="create", summary="录入")


@pytest.mark.parametrize("model", [CaseEvent, MatterEvent, TypicalCaseEvent], ids=lambda m: m.__name__)
def test_the_database_refuses_to_change_or_delete_an_audit_event(model, case, letter, people):
    event = _event_of(model, case, letter, people)
    table = model._meta.db_table
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"UPDATE {table} SET summary = %s WHERE id = %s", ["篡改", event.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"DELETE FROM {table} WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"DELETE FROM {table}")  # not even all at once
    event.refresh_from_db()
    assert event.summary != "篡改"


def test_the_database_freezes_an_issued_letter_but_not_its_bookkeeping(letter):
    table = Letter._meta.db_table
    for column, value in [("rendered_text", "篡改"), ("content_sha256", "0" * 64), ("doc_no", "伪造〔2026〕9号"),
                          ("issued_on", "2026-01-01")]:
        with pytest.raises(IntegrityError, match="frozen"):
            raw(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, letter.pk])
    with pytest.raises(IntegrityError, match="frozen"):
        raw(f"DELETE FROM {table} WHERE id = %s", [letter.pk])
    # A field that is not part of the issued text may still be corrected.
    assert raw(f"UPDATE {table} SET contact_phone = %s WHERE id = %s", ["0915-3210000", letter.pk]) == 1
    # Saving the unchanged row (what Django's save() does: every column) is not a change.
    Letter.objects.get(pk=letter.pk).save()
    stored = Letter.objects.get(pk=letter.pk)
    assert stored.rendered_text == letter.rendered_text and stored.content_sha256 == letter.content_sha256


def test_a_letter_without_its_hash_is_a_draft_the_database_lets_go(letter):
    """The trigger keys on the issued state (the hash), not on the table."""
    table = Letter._meta.db_table
    raw(f"INSERT INTO {table} (matter_id, kind, year, number, doc_no, issuer_id, subject, facts, legal_basis, "
        "requirements, recommended_actions, contact_person, contact_phone, cc, signatory, issued_on, issued_by_id, "
        "template_id, rendered_text, content_sha256, created_at) "
        f"SELECT matter_id, kind, year, number + 100, 'DRAFT-1', issuer_id, subject, facts, legal_basis, requirements, "
        "recommended_actions, contact_person, contact_phone, cc, signatory, issued_on, issued_by_id, template_id, "
        f"'', '', created_at FROM {table} WHERE id = %s", [letter.pk])
    draft = Letter.objects.get(doc_no="DRAFT-1")
    assert raw(f"UPDATE {table} SET rendered_text = %s WHERE id = %s", ["草稿", draft.pk]) == 1
    assert raw(f"DELETE FROM {table} WHERE id = %s", [draft.pk]) == 1


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_empties_the_log_and_restores_the_triggers(people, ankang):
    """What runs after every transactional test (tests/conftest.py): on SQLite the flush
    DELETEs every row, so it drops the triggers, empties the tables and re-creates them."""
    open_case(people["intake"], ankang["union:610902"])
    assert CaseEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not CaseEvent.objects.exists()
    reseed_migration_data()
    from parties.services import agencies_ensure_ankang
    from tests.factories.parties import staff_user

    agencies = agencies_ensure_ankang()
    case = open_case(staff_user(agencies["union:610902"], "INTAKE"), agencies["union:610902"])
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"DELETE FROM {CaseEvent._meta.db_table} WHERE case_id = %s", [case.pk])


# ------------------------------------------------ the admin


@pytest.fixture
def admin_client(people):
    user = get_user_model().objects.create_superuser("root", "root@example.test", "x-admin-2026")
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_cannot_edit_or_delete_processes_and_tasks(admin_client, case):
    process = Process.objects.get(caseprocess__case=case)
    task = open_task(case, "review")
    assert admin_client.get(f"/admin/viewflow/process/{process.pk}/change/").status_code == 200  # may look
    assert admin_client.post(f"/admin/viewflow/process/{process.pk}/change/", {"status": "DONE"}).status_code == 403
    assert admin_client.post(f"/admin/viewflow/process/{process.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/admin/viewflow/task/{task.pk}/change/", {"status": "DONE"}).status_code == 403
    assert admin_client.post(f"/admin/viewflow/task/{task.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Task.objects.get(pk=task.pk).status == "NEW" and Process.objects.filter(pk=process.pk).exists()


def test_the_admin_cannot_edit_workers_or_employers(admin_client, case):
    worker = Worker.objects.get(case_links__case=case)
    boss = Employer.objects.first()
    assert admin_client.get(f"/admin/parties/worker/{worker.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/parties/worker/{worker.pk}/change/", {"name": "改名", "gender": "M"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/parties/worker/{worker.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/admin/parties/employer/{boss.pk}/change/", {"name": "改名"}).status_code == 403
    assert admin_client.get("/admin/parties/worker/add/").status_code == 403
    worker.refresh_from_db()
    assert worker.name != "改名"


# ------------------------------------------------ taking a task


def test_taking_a_task_writes_an_event(people, case):
    review = open_task(case, "review")
    client = Client()
    client.force_login(people["head"])
    response = client.post(f"/tasks/{review.pk}/take/")
    assert response.status_code == 302
    event = case.events.get(action="task.claim")
    assert event.actor == people["head"] and event.agency == people["head"].staff.agency
    assert "受理审查" in event.summary
    assert event.changes["task"] == [None, review.pk]


def test_a_guard_lost_in_a_table_rebuild_is_put_back_after_migrate(case):
    """On SQLite, a migration that alters a guarded table rebuilds it and the DROP of the old
    table takes its triggers; post_migrate re-installs whatever is missing."""
    from mediation.lib import dbguard

    table = CaseEvent._meta.db_table
    with connection.cursor() as cursor:
        for sql in dbguard.drop_sql(connection.vendor, table):
            cursor.execute(sql)
    assert dbguard.ensure_guards(connection) == [table]
    assert dbguard.ensure_guards(connection) == []  # idempotent
    assert case.events.exists()
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"DELETE FROM {table}")
    # And every guard of the registry is in place after the test database was migrated.
    for guard in dbguard.GUARDS:
        names = dbguard.trigger_names(connection.vendor, guard["table"], flag=guard.get("flag"))
        assert set(names) <= dbguard._trigger_names(connection, guard["table"])
