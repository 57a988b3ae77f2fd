"""Who sees what (DOMAIN §1.5): every role × every page and API endpoint.

A case a user may not see answers 404, exactly like a missing one.
"""

import copy
import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from viewflow.workflow.flow.viewset import FlowViewset

from mediation.cases import permissions, services, steps
from mediation.cases.models import CaseStatus, RequestKind
from search import permissions as search_permissions
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


# ---------------------------------------------------------------- mediation.cases.permissions, role × action

UNION = {"intake", "mediator", "mediator2", "head", "labor_supervisor", "supervisor", "other_county_mediator", "admin"}
PARTNERS = {"court", "arbitration", "inspection", "legal_aid", "procuratorate"}
EVERYONE = UNION | PARTNERS
HANDLERS = {"intake", "mediator", "mediator2", "head"}  # the Hanbin union's case workers

# Who may, on a Hanbin case in mediation (no step addressed to a partner yet).
MATRIX = {
    "see": {"intake", "mediator", "mediator2", "head", "labor_supervisor", "supervisor"},
    # The function is scope-blind: it is only ever asked about a case the user already sees.
    "see_personal_data": (HANDLERS | {"supervisor", "other_county_mediator"} | PARTNERS),
    "see_personal_data_in_lists": HANDLERS | {"supervisor", "other_county_mediator"},
    "see_internal_records": UNION,
    "see_overdue_dashboard": UNION,
    "nominate_typical_case": set(),  # the case is still open
    "register_case": HANDLERS | {"other_county_mediator", "court", "arbitration"},
    "work_on": HANDLERS,
    "edit": HANDLERS,
    "extend": {"head"},
    "approve": {"head"},
    "assign_mediator": {"head"},
    "lead_mediation": {"mediator", "mediator2", "head"},
    "assist_mediation": HANDLERS | {"labor_supervisor"},
}

ACTIONS = {
    "see": lambda user, case: permissions.cases_visible_to(user).filter(pk=case.pk).exists(),
    "see_personal_data": permissions.may_see_personal_data,
    "see_personal_data_in_lists": lambda user, case: permissions.may_see_personal_data_in_lists(user),
    "see_internal_records": lambda user, case: permissions.may_see_internal_records(user),
    "see_overdue_dashboard": lambda user, case: permissions.may_see_overdue_dashboard(user),
    "nominate_typical_case": permissions.may_nominate_typical_case,
    "register_case": lambda user, case: permissions.may_register_case(user),
    "work_on": permissions.may_work_on,
    "edit": permissions.may_edit,
    "extend": permissions.may_extend,
    "approve": lambda user, case: permissions.may_approve(user),
    "assign_mediator": permissions.may_assign_mediator,
    "lead_mediation": permissions.may_lead_mediation,
    "assist_mediation": permissions.may_assist_mediation,
}


@pytest.fixture
def mediating_case(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"])
    do(case, "review", people["head"], steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True,
       decision="accept")
    do(case, "assign", people["head"], steps.mediator_assign, case=case, mediator=people["mediator"])
    services.session_record(case=case, actor=people["mediator"], held_at=datetime.datetime.now(datetime.UTC),
                            form="VIDEO", place="线上", participants="双方", points_in_dispute="金额")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_MEDIATION
    return case


def test_the_matrix_names_every_action_and_every_role(people):
    assert set(MATRIX) == set(ACTIONS)
    assert EVERYONE == set(people)


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_role_by_action(who, people, mediating_case):
    """Each role against every action (one case per role: building it is the slow part)."""
    got = {action: ACTIONS[action](people[who], mediating_case) for action in sorted(MATRIX)}
    assert got == {action: who in allowed for action, allowed in sorted(MATRIX.items())}


def test_intake_family_tells_how_each_role_opens_a_case(people):
    family = {who: permissions.intake_family(user) for who, user in people.items()}
    assert family == {**dict.fromkeys(EVERYONE), **dict.fromkeys(HANDLERS | {"other_county_mediator"}, "union"),
                      "court": "court", "arbitration": "arbitration"}


def test_anonymous_may_nothing(mediating_case):
    from django.contrib.auth.models import AnonymousUser

    for action, check in ACTIONS.items():
        assert check(AnonymousUser(), mediating_case) is False, action
    assert permissions.intake_family(AnonymousUser()) is None


def test_case_state_narrows_what_a_handler_may_do(people, mediating_case):
    closed, archived, received = (copy.copy(mediating_case) for _ in range(3))
    closed.status, archived.status, received.status = CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.RECEIVED
    for who in EVERYONE:
        user = people[who]
        # 提名典型案例 is offered on a closed case to whoever may nominate (DOMAIN §2.6: mediators,
        # supervisors and partners) — not to intake or the administrator, whom the nomination refuses.
        nominators = (UNION | PARTNERS) - {"intake", "admin"}
        assert permissions.may_nominate_typical_case(user, closed) is (who in nominators), who
        assert permissions.may_nominate_typical_case(user, closed) is search_permissions.can_nominate(user), who
        # An archived case is read-only, even for its handlers.
        assert permissions.may_edit(user, archived) is False, who
        assert permissions.may_work_on(user, archived) is (who in HANDLERS), who
        # An extension is approved while mediating only.
        assert permissions.may_extend(user, received) is False, who


def test_a_head_of_another_union_neither_extends_nor_assigns(ankang, mediating_case):
    from parties.models import Role
    from tests.factories.parties import staff_user

    other_head = staff_user(ankang["union:610921"], Role.COMMITTEE_HEAD, username="hy_head")
    assert permissions.may_approve(other_head) is True  # the role…
    assert permissions.may_extend(other_head, mediating_case) is False  # …but not this union's case
    assert permissions.may_assign_mediator(other_head, mediating_case) is False
    assert permissions.may_lead_mediation(other_head, mediating_case) is False


def test_services_refuse_through_the_same_rules(people, mediating_case):
    """The service keeps its own message; the rule is the permission function's."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="延期须经调解委员会主任批准"):
        services.case_extend(case=mediating_case, actor=people["mediator"], days=10, applicant_consent="书面同意",
                             respondent_consent="书面同意", consented_on=TODAY)
    with pytest.raises(ValidationError, match="只能指派本调解组织的调解员"):
        services.case_assign_mediator(case=mediating_case, actor=people["head"], mediator=people["intake"])


# ---------------------------------------------------------------- the same rules over HTTP

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _body(response, path) -> str:
    """The page without its per-render CSRF tokens and its own address (the language form's `next`)."""
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode()).replace(path, "PATH")


def test_a_partner_sees_only_the_steps_addressed_to_it(people, ankang, court_case):
    client = Client()
    client.force_login(people["court"])
    own = open_task(court_case, "judicial_confirmation")
    tasks = list(court_case.process.task_set.filter(flow_task_type="HUMAN"))
    assert len(tasks) > 3 and own in tasks
    for task in tasks:
        assert client.get(f"/tasks/{task.pk}/").status_code == (200 if task == own else 404), task.flow_task.name
    page = client.get(f"/cases/{court_case.pk}/")
    assert re.findall(r'href="/tasks/(\d+)/"', page.content.decode()) == [str(own.pk)]
    # The union's own file stays with the union: no session records, no case file, no forms.
    assert page.context["may_see_internal_records"] is False
    assert page.context["may_edit"] is False and page.context["may_extend"] is False
    assert "调解记录" not in page.content.decode()
    # A case with no step addressed to the court does not exist for it.
    other = open_case(people["intake"], ankang["union:610902"], seed=3)
    assert client.get(f"/cases/{other.pk}/").status_code == 404
    assert other.case_no not in client.get("/cases/").content.decode()


@pytest.mark.parametrize("who", ["other_county_mediator", "arbitration", "admin"])
def test_a_case_not_yours_answers_exactly_like_a_missing_one(who, people, court_case):
    client = Client()
    client.force_login(people[who])
    attachment = court_case.attachments.get()
    missing = court_case.pk + 100000
    pairs = [
        (f"/cases/{court_case.pk}/", f"/cases/{missing}/"),
        (f"/cases/{court_case.pk}/attachments/{attachment.pk}/", f"/cases/{missing}/attachments/{attachment.pk}/"),
        (f"/cases/{court_case.pk}/documents/1.pdf", f"/cases/{missing}/documents/1.pdf"),
        (f"/api/v1/cases/{court_case.pk}/", f"/api/v1/cases/{missing}/"),
    ]
    for mine, gone in pairs:
        a, b = client.get(mine), client.get(gone)
        assert (a.status_code, b.status_code) == (404, 404), mine
        assert _body(a, mine) == _body(b, gone), mine
    # The writes too: refused as "not found", before any rule about the form is applied.
    for path in ("attachments/", "agents/", "extend/", "documents/", "case-file/"):
        mine, gone = f"/cases/{court_case.pk}/{path}", f"/cases/{missing}/{path}"
        a, b = client.post(mine, {}), client.post(gone, {})
        assert (a.status_code, b.status_code) == (404, 404), path
        assert _body(a, mine) == _body(b, gone), path


def test_a_role_that_sees_the_case_but_may_not_work_on_it_gets_404_on_writes(people, court_case):
    """The labor-law supervisor reads the case (masked) and changes nothing."""
    client = Client()
    client.force_login(people["labor_supervisor"])
    assert client.get(f"/cases/{court_case.pk}/").status_code == 200
    for path in ("attachments/", "agents/", "extend/", "documents/", "case-file/"):
        assert client.post(f"/cases/{court_case.pk}/{path}", {}).status_code == 404, path


@pytest.mark.parametrize("who", ["labor_supervisor"])
def test_id_numbers_masked_for_a_role_without_personal_data_rights(who, people, court_case):
    from mediation.lib.masking import mask_id_number, mask_phone

    client = Client()
    client.force_login(people[who])
    case_worker = court_case.case_workers.select_related("worker").first()
    id_number, masked = case_worker.worker.id_number, mask_id_number(case_worker.worker.id_number)
    assert masked != id_number and "*" in masked
    page = client.get(f"/cases/{court_case.pk}/")
    body = page.content.decode()
    assert page.context["full_personal_data"] is False
    assert id_number not in body and masked in body
    assert case_worker.phone not in body and mask_phone(case_worker.phone) in body
    api = client.get(f"/api/v1/cases/{court_case.pk}/").json()
    assert {w["id_number"] for w in api["workers"]} == {
        mask_id_number(cw.worker.id_number) for cw in court_case.case_workers.select_related("worker")}
    listing = client.get("/cases/").content.decode()
    assert id_number not in listing and case_worker.phone not in listing
    # Nor is a read of masked data an access event.
    assert not court_case.events.filter(action="case.personal_data_viewed").exists()


def test_a_case_handler_sees_full_numbers_and_phones_in_the_list(people, court_case):
    client = Client()
    client.force_login(people["mediator"])
    case_worker = court_case.case_workers.first()
    listing = client.get("/cases/").content.decode()
    assert case_worker.worker.id_number not in listing  # ID numbers masked in every list
    first = court_case.case_workers.order_by("-is_representative", "id").first()
    assert first.phone in listing


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_the_header_links_follow_the_permission_functions(who, people):
    """base.html reads nav_may_register / nav_may_see_overdue (mediation.cases.context_processors)."""
    client = Client()
    client.force_login(people[who])
    page = client.get("/cases/")
    body = page.content.decode()
    assert ('href="/cases/new/"' in body) is permissions.may_register_case(people[who]) is (
        who in MATRIX["register_case"])
    assert (f'href="{reverse("clocks:overdue")}"' in body) is (who in UNION)
    # Whoever may register a case is let in by the page itself.
    assert (client.get("/cases/new/").status_code == 200) is (who in MATRIX["register_case"])
