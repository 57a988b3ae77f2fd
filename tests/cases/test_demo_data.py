"""manage.py demo_data: every state of DOMAIN §2.2 the flow reaches, one login per role, idempotent."""

import datetime
import importlib
import sys
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from mediation.cases import demo
from mediation.cases.management.commands import demo_data
from mediation.cases.models import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseStatus,
    Channel,
    ClosingCode,
    CourtReport,
)
from mediation.clocks.models import Clock
from parties.models import Agency, Employer, Role, Staff, Worker
from workflows.models import TaskAddress

pytestmark = pytest.mark.django_db

S = CaseStatus
# The states a case rests in when driven through CaseFlow (MEDIATION_FAILED passes straight on to REFERRED_OUT).
REACHABLE = {
    S.RECEIVED, S.ACCEPTED, S.IN_MEDIATION, S.EXTENDED, S.AGREEMENT_EFFECTIVE, S.CONFIRMATION_PENDING, S.CONFIRMED,
    S.CONFIRMATION_REFUSED, S.PERFORMING, S.DEFAULTED, S.ENFORCEMENT, S.PERFORMED, S.REFERRED_OUT, S.WITHDRAWN,
    S.NOT_ACCEPTED, S.REDIRECTED, S.CLOSED, S.ARCHIVED,
}


def run(*args):
    out = StringIO()
    call_command("demo_data", "--skip-other-demos", *args, verbosity=0, stdout=out)
    return out.getvalue()


def footprint():
    return {model.__name__: model.objects.count()
            for model in (Agency, get_user_model(), Staff, Case, CaseEvent, Task, TaskAddress, Clock, Worker, Employer,
                          CaseGroupObjectPermission)}


def test_demo_data_covers_every_state_and_role_and_runs_twice(client):
    first = run()
    assert "已创建演示案件" in first
    assert demo.DEMO_PASSWORD in first and "hb_mediator" in first

    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert REACHABLE <= set(statuses), REACHABLE - set(statuses)
    assert 45 <= sum(statuses.values()) <= 70  # about sixty, a dozen of them last year's (the cockpit's 同比)
    # A year earlier, the same weeks hold cases too, of several outcomes: the cockpit's 同比 has
    # something to compare with (issue 11 item 5).
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    earlier = Case.objects.filter(received_on__lt=year_ago)
    assert earlier.count() >= 12
    assert earlier.filter(received_on__gte=year_ago - datetime.timedelta(days=61)).count() >= 8
    assert len(set(earlier.values_list("closing_code", flat=True))) >= 5
    # Each case's status is where its own audit trail leads: every status change was recorded by a
    # service step, each from the status the previous one left (not set behind the log's back).
    for case in Case.objects.prefetch_related("events"):
        trail = [e.changes["status"] for e in sorted(case.events.all(), key=lambda e: (e.created_at, e.pk))
                 if e.action.startswith("case.") and "status" in (e.changes or {})]
        assert trail and trail[0][0] is None, case.case_no
        assert all(b[0] == a[1] for a, b in zip(trail, trail[1:], strict=False)), (case.case_no, trail)
        assert trail[-1][1] == case.status, (case.case_no, trail)
    # What each state implies in the records (DOMAIN §2.2), whatever the demo meant to build.
    agreed = [S.AGREEMENT_EFFECTIVE, S.CONFIRMATION_PENDING, S.CONFIRMED, S.CONFIRMATION_REFUSED, S.PERFORMING,
              S.DEFAULTED, S.ENFORCEMENT, S.PERFORMED]
    for case in Case.objects.filter(status__in=[S.IN_MEDIATION, S.EXTENDED, *agreed]):
        assert case.accepted_on and case.lead_mediator_id, case.case_no
    assert not Case.objects.filter(status=S.RECEIVED, accepted_on__isnull=False).exists()
    assert all(hasattr(c, "agreement") for c in Case.objects.filter(status__in=agreed))
    assert not Case.objects.filter(status__in=[S.RECEIVED, S.ACCEPTED, S.IN_MEDIATION], agreement__isnull=False)
    assert all(c.extensions.exists() for c in Case.objects.filter(status=S.EXTENDED))

    # Each role has a login; the Hanbin union has the whole team; partners of Hanbin and the city have liaisons.
    for role in Role.values:
        assert Staff.objects.filter(role_rows__role=role).exists(), role
    hb = Staff.objects.filter(agency__name="汉滨区总工会")
    assert hb.filter(role_rows__role=Role.MEDIATOR).count() == 2
    assert hb.filter(role_rows__role=Role.LABOR_SUPERVISOR).count() == 2
    for key in ("court", "procuratorate", "legal_aid", "arbitration", "inspection"):
        for county in ("610902", "city"):
            agency = Agency.objects.get(pk=demo.agencies_ensure_ankang()[f"{key}:{county}"].pk)
            assert agency.staff.filter(role_rows__role=Role.LIAISON).exists(), agency.name
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.staff.has_role(Role.ADMIN)
    assert all(s.full_name and not s.full_name.isascii() for s in Staff.objects.all())

    # Several counties and channels, collective disputes of 10–40 workers.
    assert Case.objects.values("county").distinct().count() >= 4
    assert {Channel.WALK_IN, Channel.HOTLINE_12351, Channel.COURT_DELEGATED, Channel.ARB_REFERRED} <= set(
        Case.objects.values_list("channel", flat=True))
    collective = Case.objects.filter(is_collective=True)
    assert collective.count() >= 5 and all(10 <= c.workers_count <= 40 for c in collective)

    # Built through the flow: a process, an audit trail and clocks for every case; the court follows its delegations.
    for case in Case.objects.all():
        assert case.process.flow_class is not None
        assert case.events.filter(action="case.registered").exists()
        assert Clock.objects.filter(case=case, rule_code="D1").exists()
    for case in Case.objects.filter(status__in=[S.CLOSED, S.ARCHIVED]):
        assert case.closing_code in ClosingCode.values
    delegated = Case.objects.filter(channel=Channel.COURT_DELEGATED, county="610902")
    assert delegated.exists()
    for case in delegated:
        assert CaseGroupObjectPermission.objects.filter(content_object=case, group=case.source_agency.group).exists()
    # Delegated cases whose mediation ended were reported back to the court (DOMAIN §2.3); the court
    # acknowledged all but the newest agreement, which waits in its liaison's inbox.
    ended = [c for c in delegated if c.agreement_effective_on or c.failure_reason]
    assert ended and all(c.court_reports.exists() for c in ended)
    reports = CourtReport.objects.filter(case__in=delegated)
    assert reports.filter(acknowledged_on__isnull=False).exists() and reports.filter(acknowledged_on__isnull=True).exists()
    assert all(r.document is not None for r in reports)
    received = sorted(Case.objects.filter(agency__name="汉滨区总工会").values_list("case_no", "received_on"))
    assert [d for _no, d in received] == sorted(d for _no, d in received)  # numbers follow receipt dates

    # The logins work and land on real work.
    assert client.login(username="hb_mediator", password=demo.DEMO_PASSWORD)
    assert client.get("/inbox/").status_code == 200
    client.logout()
    assert client.login(username="hb_court", password=demo.DEMO_PASSWORD)
    page = client.get("/cases/")
    assert page.status_code == 200 and page.context["page"].paginator.count >= delegated.count()

    # A second run changes nothing.
    before = footprint()
    second = run()
    assert footprint() == before
    assert "演示案件已存在" in second and "演示账号已存在" in second


def test_other_areas_demo_loaders_are_found_and_called(monkeypatch, tmp_path):
    # The names the command knows are real modules with a loader.
    for name in demo_data.OTHER_DEMOS:
        assert demo_data._module_exists(name) and callable(importlib.import_module(name).load_demo), name
    # Discovery and import as they run, on a package written for the test: a loader, a module
    # without one, a missing module and a missing package.
    package = tmp_path / "demo_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "loaded.py").write_text("CALLS = []\n\n\ndef load_demo():\n    CALLS.append(1)\n"
                                       "    return '3 typical cases'\n")
    (package / "no_loader.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(demo_data, "OTHER_DEMOS",
                        ("demo_probe.loaded", "demo_probe.no_loader", "demo_probe.missing", "no_such_area.demo"))
    monkeypatch.setattr(demo, "demo_load", lambda progress: demo.DemoResult(cases_existing=1))
    out = StringIO()
    try:
        call_command("demo_data", verbosity=2, stdout=out)
        assert sys.modules["demo_probe.loaded"].CALLS == [1]
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "demo_probe"]:
            del sys.modules[name]
    text = out.getvalue()
    assert "demo_probe.loaded.load_demo()：3 typical cases" in text
    assert "demo_probe.no_loader 没有 load_demo()，跳过。" in text
    assert "（demo_probe.missing 不存在，跳过）" in text and "（no_such_area.demo 不存在，跳过）" in text


def test_logins_table_aligns_chinese_names():
    table = demo.format_logins([demo.Login("汉滨区总工会", "hb_head", "张国华", "调解委员会主任", False),
                                demo.Login("汉滨区总工会", "hb_mediator2", "罗丹", "调解员", False)], "pw")
    lines = table.splitlines()
    assert lines[0] == "汉滨区总工会"
    # The role column starts at the same terminal cell although 张国华 has one character more than 罗丹.
    assert demo._width(lines[1].split("调解委员会主任")[0]) == demo._width(lines[2].split("调解员")[0])
    assert "pw" in table
