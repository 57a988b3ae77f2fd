"""Ledgers (台账) to Excel (issue 10 item 5): the .xlsx read back with openpyxl matches the
list it was exported from, with the same filters and the same permission scope."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from mediation.cases import steps
from mediation.ledgers.models import ExportStatus, LedgerExport
from tests.factories.cases import do, open_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def cases(people, ankang):
    union = ankang["union:610902"]
    made = [open_case(people["intake"], union, workers=n, seed=n) for n in (1, 3, 12)]
    accepted = made[1]
    do(
        accepted,
        "review",
        people["head"],
        steps.review_decide, case=accepted, decided_on=TODAY, respondent_consents=True, decision="accept",
    )
    do(
        accepted,
        "assign",
        people["head"],
        steps.mediator_assign, case=accepted, mediator=people["mediator"],
    )
    other_county = open_case(people["intake"], ankang["union:610921"], county="610921", seed=50)
    return {"hanbin": made, "hanyin": other_county}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _export(client, kind, query, django_capture_on_commit_callbacks):
    confirm = client.get(f"/ledgers/{kind}/?{query}")
    assert confirm.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ledgers/{kind}/?{query}")
    assert response.status_code == 302
    status = client.get(response["Location"])
    assert status.status_code == 200
    html = status.content.decode()
    assert 'id="export-download"' in html and "已完成" in html
    export = LedgerExport.objects.latest("id")
    assert export.status == ExportStatus.DONE and export.rows_done == export.rows_total
    download = client.get(f"/ledgers/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]  # workers' names and phones
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    return confirm.content.decode(), [tuple(r) for r in ws.iter_rows(values_only=True)], export


def test_cases_ledger_matches_the_list(cases, people, django_capture_on_commit_callbacks):
    client = _client(people["mediator"])
    listed = re.findall(
        r'<a href="/cases/\d+/">([^<]+)</a>', client.get("/cases/").content.decode()
    )
    confirm, rows, _export_obj = _export(client, "cases", "", django_capture_on_commit_callbacks)
    assert "将导出 3 行" in confirm
    header, body = rows[0], rows[1:]
    assert header == (
        "案号",
        "收件日期",
        "申请人",
        "人数",
        "被申请人",
        "争议类型",
        "金额",
        "状态",
        "调解员",
        "结案方式",
        "履行金额",
    )
    assert [r[0] for r in body] == listed
    assert cases["hanyin"].case_no not in [r[0] for r in body]  # another county: not in scope
    by_no = {r[0]: r for r in body}
    collective = by_no[cases["hanbin"][2].case_no]
    assert collective[2] == "工人0等12人" and collective[3] == 12
    assert collective[4] == "安康某建筑劳务有限公司12" and collective[5] == "欠薪"
    assert Decimal(str(collective[6])) == Decimal("60000") and collective[7] == "已收件待审查"
    assert collective[1].date() == TODAY
    assigned = by_no[cases["hanbin"][1].case_no]
    assert assigned[7] == "已受理" and assigned[8] == people["mediator"].staff.full_name


def test_cases_ledger_keeps_the_filters(cases, people, django_capture_on_commit_callbacks):
    client = _client(people["mediator"])
    confirm, rows, export = _export(
        client, "cases", "status=ACCEPTED&page=3", django_capture_on_commit_callbacks
    )
    assert export.params == {"status": "ACCEPTED"}  # the page number is not a filter
    assert "<li>状态：已受理</li>" in confirm
    assert [r[0] for r in rows[1:]] == [cases["hanbin"][1].case_no]


def test_tasks_ledger_with_a_kind_filter(cases, people, django_capture_on_commit_callbacks):
    from viewflow.workflow.fields import get_task_ref

    from workflows.case_flow import CaseFlow

    client = _client(people["head"])
    query = f"kind={get_task_ref(CaseFlow.review)}"
    confirm, rows, _e = _export(client, "tasks", query, django_capture_on_commit_callbacks)
    assert "<li>任务类型：受理审查</li>" in confirm
    assert len(rows) == 1 + 2 and all(r[0] == "受理审查" for r in rows[1:])


def test_tasks_ledger_matches_the_inbox(cases, people, django_capture_on_commit_callbacks):
    client = _client(people["head"])
    inbox = client.get("/inbox/").content.decode()
    listed = re.findall(r'<td class="subject">([^<]+)</td>', inbox)
    _confirm, rows, _e = _export(client, "tasks", "", django_capture_on_commit_callbacks)
    assert rows[0][:4] == ("任务", "案件/事项", "县区", "期限")
    assert [r[1] for r in rows[1:]] == listed
    assert all(r[0] == "受理审查" for r in rows[1:])
    assert all("决定是否受理调解申请期限剩余" in r[3] for r in rows[1:])


def test_matters_and_overdue_ledgers_export(cases, people, django_capture_on_commit_callbacks):
    client = _client(people["head"])
    _c, rows, _e = _export(client, "overdue", "", django_capture_on_commit_callbacks)
    assert rows[0][0] == "届满日" and len(rows) == 1  # nothing overdue today
    _c, rows, _e = _export(client, "matters", "", django_capture_on_commit_callbacks)
    assert rows[0][:3] == ("编号", "登记日期", "事项名称")


def test_an_export_is_only_for_who_asked_for_it(cases, people, django_capture_on_commit_callbacks):
    _confirm, _rows, export = _export(
        _client(people["mediator"]), "cases", "", django_capture_on_commit_callbacks
    )
    other = _client(people["mediator2"])
    assert other.get(f"/ledgers/exports/{export.pk}/").status_code == 404
    assert other.get(f"/ledgers/exports/{export.pk}/download/").status_code == 404


def test_unknown_ledger_is_404(people):
    assert _client(people["mediator"]).get("/ledgers/nothing/").status_code == 404


def test_progress_page_while_running(people):
    export = LedgerExport.objects.create(
        kind="cases",
        requested_by=people["mediator"],
        status=ExportStatus.RUNNING,
        rows_total=50000,
        rows_done=12000,
    )
    html = _client(people["mediator"]).get(f"/ledgers/exports/{export.pk}/").content.decode()
    assert 'value="24"' in html and "已写入 12000 / 50000 行" in html
    assert '<meta http-equiv="refresh" content="2">' in html
