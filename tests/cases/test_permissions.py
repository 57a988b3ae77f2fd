"""Who sees what (DOMAIN §1.5): every role × every page and API endpoint.

A case a user may not see answers 404, exactly like a missing one.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from viewflow.workflow.flow.viewset import FlowViewset

from mediation.cases import services, steps
from mediation.cases.models import RequestKind
from tests.factories.cases import do, open_case, open_task
from tests.workflows.step_pages import agreement_data, complete_step
from workflows.case_flow import CaseFlow
from workflows.supervision_flow import SupervisionFlow

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date.today()


@pytest.fixture
def court_case(people, ankang):
    """A Hanbin case waiting for the Hanbin court's judicial confirmation."""
    case = open_case(people["intake"], ankang["union:610902"], workers=3)
    do(case, "review", people["head"], steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept")
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    services.session_record(case=case, actor=people["mediator"], held_at=datetime.datetime.now(datetime.UTC),
                            form="VIDEO", place="线上", participants="双方", points_in_dispute="金额")

    complete_step(case, "mediate", people["mediator"], agreement_data(
        TODAY, terms="分期支付", amount="15000", path="JUDICIAL",
        instalments=[(TODAY + datetime.timedelta(days=20), "15000")]))
    complete_step(case, "file_confirmation", people["mediator"],
                  {"decision": "apply", "filed_on": TODAY.isoformat()})
    case.refresh_from_db()
    assert case.agreement.amount_total == Decimal("15000")
    assert case.confirmation_requests.get().kind == RequestKind.JUDICIAL_CONFIRMATION
    services.attachment_add(case=case, actor=people["mediator"],
                            upload=SimpleUploadedFile("agreement.pdf", PDF), title="调解协议书")
    return case


SEES_CASE = {
    "intake": True, "mediator": True, "mediator2": True, "head": True, "labor_supervisor": True,
    "supervisor": True, "other_county_mediator": False, "court": True, "arbitration": False,
    "inspection": False, "legal_aid": False, "procuratorate": False, "admin": False,
}


@pytest.mark.parametrize("who", sorted(SEES_CASE))
def test_case_pages_and_api(who, people, court_case):
    client = Client()
    client.force_login(people[who])
    case = court_case
    attachment = case.attachments.get()
    expected = 200 if SEES_CASE[who] else 404
    assert client.get(f"/cases/{case.pk}/").status_code == expected
    assert client.get(f"/cases/{case.pk}/attachments/{attachment.pk}/").status_code == expected
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == expected
    # A missing case looks the same as a forbidden one.
    assert client.get("/cases/999999/").status_code == 404
    assert client.get("/api/v1/cases/999999/").status_code == 404
    listed = client.get("/cases/").content.decode()
    assert (case.case_no in listed) is SEES_CASE[who]
    api_list = client.get("/api/v1/cases/").json()
    assert any(r["id"] == case.pk for r in api_list["results"]) is SEES_CASE[who]
    for url in ("/inbox/", "/api/v1/me/", "/api/v1/tasks/"):
        assert client.get(url).status_code == 200


TASK_ACTORS = {"court": 200}


@pytest.mark.parametrize("who", sorted(SEES_CASE))
def test_task_page_only_for_the_addressed_agency(who, people, court_case):
    client = Client()
    client.force_login(people[who])
    task = open_task(court_case, "judicial_confirmation")
    assert client.get(f"/tasks/{task.pk}/").status_code == TASK_ACTORS.get(who, 404)
    inbox = client.get("/inbox/").content.decode()
    assert (f"/tasks/{task.pk}/" in inbox) is (who == "court")


def test_procuratorate_never_sees_a_case_without_a_procuratorate_task(people, court_case):
    client = Client()
    client.force_login(people["procuratorate"])
    case = court_case
    for url in ("/inbox/", "/cases/", "/api/v1/cases/", "/api/v1/tasks/", "/api/v1/me/"):
        body = client.get(url).content.decode()
        assert case.case_no not in body
        assert case.title not in body
    for url in (f"/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/"):
        assert client.get(url).status_code == 404
    for task in court_case.process.task_set.all():
        assert client.get(f"/tasks/{task.pk}/").status_code == 404


def _viewflow_routes(patterns, prefix=""):
    """(path, name) of every URL pattern whose view is viewflow's own (its built-in pages)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _viewflow_routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            module = getattr(entry.callback, "__module__", "") or ""
            view_class = getattr(entry.callback, "view_class", None)
            if module.startswith("viewflow.") or (view_class and view_class.__module__.startswith("viewflow.")):
                yield prefix + str(entry.pattern), entry.name


def test_viewflow_own_pages_are_not_exposed(people, court_case):
    """Viewflow's process and task lists are not filtered per object: they are not mounted.
    Staff reach tasks only through /tasks/<id>/, which checks the task's address."""
    # What mounting a flow would add: its dashboard, process list, process and task pages.
    would_be = [FlowViewset(flow).urls[0] for flow in (CaseFlow, SupervisionFlow)]
    assert {"index", "process_list", "process_detail", "task_list"} <= {
        name for patterns in would_be for _path, name in _viewflow_routes(patterns)}
    # None of them is in the site's URLs, under any prefix (the admin is checked below).
    site = [entry for entry in get_resolver().url_patterns if str(entry.pattern) != "admin/"]
    assert list(_viewflow_routes(site)) == []
    task = open_task(court_case, "judicial_confirmation")
    with pytest.raises(NoReverseMatch):
        CaseFlow.instance.reverse("index")
    with pytest.raises(NoReverseMatch):
        task.flow_task.reverse("execute", kwargs={"process_pk": task.process_id, "task_pk": task.pk})
    # The real task page: the court liaison it is addressed to opens it; nobody else can.
    for who, status in (("court", 200), ("mediator", 404), ("procuratorate", 404), ("supervisor", 404)):
        client = Client()
        client.force_login(people[who])
        assert client.get(reverse("task_detail", args=[task.pk])).status_code == status, who
        if status == 404:
            assert client.post(reverse("task_take", args=[task.pk])).status_code == 404, who
        # The admin (with viewflow's process admin) is for administrators only.
        response = client.get("/admin/viewflow/process/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/cases/", "/api/v1/cases/1/", "/api/v1/tasks/",
                                 "/api/v1/precedents/", "/api/v1/precedents/1/", "/api/v1/precedents/1/similar/"])
def test_anonymous_api_answers_401_with_the_token_challenge(url):
    # REST_FRAMEWORK: token authentication first, so anonymous answers 401 + WWW-Authenticate.
    response = Client().get(url)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


def test_anonymous_is_sent_to_login(court_case):
    client = Client()
    response = client.get(f"/cases/{court_case.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_personal_data_masked_for_roles_that_do_not_need_it(people, court_case):
    worker = court_case.case_workers.first().worker
    for who, full in (("mediator", True), ("supervisor", True), ("court", True), ("labor_supervisor", False)):
        client = Client()
        client.force_login(people[who])
        body = client.get(f"/cases/{court_case.pk}/").content.decode()
        assert (worker.id_number in body) is full, who
        api = client.get(f"/api/v1/cases/{court_case.pk}/").json()
        assert (api["workers"][0]["id_number"] == worker.id_number) is full
    # Lists never show full ID numbers.
    client = Client()
    client.force_login(people["mediator"])
    assert worker.id_number not in client.get("/cases/").content.decode()


def test_partner_view_of_personal_data_is_logged(people, court_case):
    client = Client()
    client.force_login(people["court"])
    client.get(f"/cases/{court_case.pk}/")
    assert court_case.events.filter(action="case.personal_data_viewed", actor=people["court"]).exists()


def test_partner_sees_only_partner_events_and_no_session_records(people, court_case):
    session_file = SimpleUploadedFile("record.pdf", PDF)
    session = court_case.sessions.get()
    from mediation.cases.services import _attachment_create

    att = _attachment_create(case=court_case, actor=people["mediator"], upload=session_file, title="调解笔录",
                             session=session)
    client = Client()
    client.force_login(people["court"])
    body = client.get(f"/cases/{court_case.pk}/").content.decode()
    i = body.find("调解笔录")
    assert i == -1, body[i - 300:i + 100]
    assert "争议焦点" not in body
    assert client.get(f"/cases/{court_case.pk}/attachments/{att.pk}/").status_code == 404
    api_events = client.get(f"/api/v1/cases/{court_case.pk}/").json()["events"]
    assert all(e["action"] != "case.session" for e in api_events)
