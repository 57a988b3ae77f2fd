"""Who may see and do what with a supervision matter (mediation.supervision.permissions):
every role against every action through the permission functions, then the same rules over
real URLs — a partner sees only the steps addressed to it, a matter that is not yours answers
exactly like one that does not exist."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task

from mediation.supervision import permissions, services, steps
from mediation.supervision.models import Conclusion, LetterKind, SupervisionMatter
from parties.models import AgencyLevel, County, Industry, Role
from tests.factories.parties import AgencyFactory, EmployerFactory, staff_user
from tests.factories.supervision import (
    chair,
    do,
    investigate,
    issue,
    letter_kwargs,
    open_matter,
    open_task,
)
from tests.supervision.test_flow import run_to_recommendation

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def who(people, ankang, sup):
    """The people of the matrix: Hanbin's union, the city, a neighbouring county and partners."""
    return {
        "lsup": sup["lsup"],
        "supervisor": people["supervisor"],  # the city union supervisor
        "mediator": people["mediator"],
        "head": people["head"],
        "intake": people["intake"],
        "chair": chair(ankang["union:610902"]),
        "other_lsup": staff_user(ankang["union:610921"], Role.LABOR_SUPERVISOR, username="hy_lsup"),
        "admin": people["admin"],
        "inspection": people["inspection"],
        "procuratorate": people["procuratorate"],
        "court": people["court"],
    }


HANBIN_UNION = {"lsup", "mediator", "head", "intake", "chair"}
UNION = HANBIN_UNION | {"supervisor", "other_lsup", "admin"}
PARTNERS = {"inspection", "procuratorate", "court"}
EVERYONE = UNION | PARTNERS
WRITERS = {"lsup", "supervisor", "other_lsup"}  # union labor-law supervisors and supervisors

# Who may, on a Hanbin matter under investigation (no step addressed to a partner yet).
MATRIX = {
    "see": HANBIN_UNION | {"supervisor"},
    "see_internal_records": UNION,
    "register_matter": WRITERS,
    "see_statistics": WRITERS,
    "write": {"lsup", "supervisor"},  # the matter's county, or the city
    "handle": {"lsup", "supervisor"},  # what the services apply, for the matter's union
    "investigate": {"lsup", "other_lsup"},  # labor-law supervisors only
    "refer_to_procuratorate": {"lsup", "supervisor"},  # a county union may refer
    "sign_off": {"chair"},
    "answer_for_the_inspection": {"inspection"},
}

ACTIONS = {
    "see": lambda user, m: permissions.matters_visible_to(user).filter(pk=m.pk).exists(),
    "see_internal_records": lambda user, m: permissions.may_see_internal_records(user),
    "register_matter": lambda user, m: permissions.may_register_matter(user),
    "see_statistics": lambda user, m: permissions.may_see_statistics(user),
    "write": permissions.may_write,
    "handle": lambda user, m: permissions.may_handle(user, m.agency),
    "investigate": lambda user, m: permissions.may_investigate(user),
    "refer_to_procuratorate": permissions.may_refer_to_procuratorate,
    "sign_off": permissions.may_sign_off,
    "answer_for_the_inspection": lambda user, m: permissions.is_staff_of(user, m._inspection),
}


@pytest.fixture
def matter(sup, ankang, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    matter._inspection = ankang["inspection:610902"]
    return matter


def test_the_matrix_names_every_action(who):
    assert set(MATRIX) == set(ACTIONS)
    assert set(who) == EVERYONE


@pytest.mark.parametrize("name", sorted(EVERYONE))
def test_role_by_action(name, who, matter):
    got = {action: ACTIONS[action](who[name], matter) for action in sorted(MATRIX)}
    assert got == {action: name in allowed for action, allowed in sorted(MATRIX.items())}


def test_anonymous_may_nothing(matter):
    from django.contrib.auth.models import AnonymousUser

    for action, check in ACTIONS.items():
        assert check(AnonymousUser(), matter) is False, action


def test_a_grassroots_union_does_not_refer_to_the_procuratorate(who, matter):
    grassroots = AgencyFactory(level=AgencyLevel.GRASSROOTS, county=County.HANBIN)
    small = SupervisionMatter(agency=grassroots, county=County.HANBIN)
    assert permissions.may_write(who["lsup"], small) is True
    assert permissions.may_refer_to_procuratorate(who["lsup"], small) is False


def test_the_chair_of_another_union_does_not_sign_off(ankang, matter):
    assert permissions.may_sign_off(chair(ankang["union:610921"]), matter) is False
    assert permissions.may_sign_off(chair(ankang["union:city"]), matter) is False


def test_services_refuse_through_the_same_rules(who, matter, sup):
    """Each service keeps its own message; the rule is the permission function's."""

    def record(actor, *investigators):
        services.investigation_record(actor=actor, matter=matter, conducted_on=D(2026, 3, 2), method="实地查看",
                                      findings="工资未发放。", conclusion=Conclusion.RISK, investigators=investigators)

    with pytest.raises(ValidationError, match="只有工会劳动法律监督员或督导可以办理此事项"):
        record(who["mediator"], who["lsup"], sup["lsup2"])
    with pytest.raises(ValidationError, match="只能办理本县区工会的监督事项"):
        record(who["other_lsup"], who["lsup"], sup["lsup2"])
    with pytest.raises(ValidationError, match="不是工会劳动法律监督员，不能作为调查人员"):
        record(who["lsup"], who["lsup"], who["supervisor"])
    record(who["lsup"], who["lsup"], sup["lsup2"])
    draft = services.letter_draft(actor=who["lsup"], matter=matter, kind=LetterKind.REMINDER,
                                  **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)))
    with pytest.raises(ValidationError, match="工会主席或副主席签发"):
        services.letter_sign_off(actor=who["lsup"], draft=draft, approve=True)


# ---------------------------------------------------------------- the same rules over HTTP

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _body(response, path) -> str:
    """The page without its per-render CSRF tokens and its own address (the language form's `next`)."""
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode()).replace(path, "PATH")


def test_a_partner_sees_only_the_steps_addressed_to_it(who, sup, ankang, cal):
    matter, _reminder, _opinion, rec = run_to_recommendation(sup, cal, ankang)
    do(matter, "deliver_recommendation", sup["lsup"], steps.recommendation_deliver, recipient=rec.recipients.get(),
       method="IN_PERSON", delivered_on=D(2026, 4, 10), receipt="监察大队收文登记2026-118")
    own = open_task(matter, "department_filing")
    tasks = list(Task.objects.filter(process__supervisionprocess__matter=matter, flow_task_type="HUMAN"))
    assert len(tasks) > 5 and own in tasks
    client = Client()
    client.force_login(who["inspection"])
    for task in tasks:
        assert client.get(f"/tasks/{task.pk}/").status_code == (200 if task == own else 404), task.flow_task.name
    page = client.get(reverse("supervision:matter_detail", args=[matter.pk]))
    assert re.findall(r'href="/tasks/(\d+)/"', page.content.decode()) == [str(own.pk)]
    assert page.context["may_see_internal_records"] is False and page.context["may_write"] is False
    assert "12351热线反映" not in page.content.decode()  # the clue stays with the union
    # The procuratorate has no step on this matter: it does not exist for it.
    client.force_login(who["procuratorate"])
    assert client.get(reverse("supervision:matter_detail", args=[matter.pk])).status_code == 404
    for task in tasks:
        assert client.get(f"/tasks/{task.pk}/").status_code == 404


@pytest.mark.parametrize("name", ["other_lsup", "court", "admin"])
def test_a_matter_not_yours_answers_exactly_like_a_missing_one(name, who, sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(matter, "issue_reminder", sup["lsup"], LetterKind.REMINDER, D(2026, 3, 2))
    missing = matter.pk + 100000
    client = Client()
    client.force_login(who[name])
    pairs = [tuple(reverse("supervision:matter_detail", args=[m]) for m in (matter.pk, missing))]
    for view in ("letter_detail", "letter_pdf", "letter_docx"):
        pairs.append(tuple(reverse(f"supervision:{view}", args=[m, letter.pk]) for m in (matter.pk, missing)))
    for mine, gone in pairs:
        a, b = client.get(mine), client.get(gone)
        assert (a.status_code, b.status_code) == (404, 404), mine
        assert _body(a, mine) == _body(b, gone), mine
    for view in ("matter_refer", "matter_link_case", "matter_spawn_case"):
        mine, gone = (reverse(f"supervision:{view}", args=[m]) for m in (matter.pk, missing))
        a, b = client.post(mine, {}), client.post(gone, {})
        assert (a.status_code, b.status_code) == (404, 404), view
        assert _body(a, mine) == _body(b, gone), view


def test_a_union_reader_sees_the_matter_and_writes_nothing(who, sup, cal):
    """The Hanbin mediator reads the county's matter (and its internal file) but has no forms."""
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    client = Client()
    client.force_login(who["mediator"])
    page = client.get(reverse("supervision:matter_detail", args=[matter.pk]))
    assert page.status_code == 200
    assert page.context["may_see_internal_records"] is True and page.context["may_write"] is False
    assert "12351热线反映" in page.content.decode()
    for view in ("matter_refer", "matter_link_case", "matter_spawn_case"):
        assert client.post(reverse(f"supervision:{view}", args=[matter.pk]), {}).status_code == 404, view
    for url in (reverse("supervision:matter_new"), reverse("supervision:campaign_new"),
                reverse("supervision:statistics")):
        assert client.get(url).status_code == 404, url


def test_only_the_chair_gets_the_sign_off_form_of_a_mass_reminder(who, sup, cal):
    for i in range(2):
        EmployerFactory(industry=Industry.CONSTRUCTION, county=County.HANBIN, name=f"汉滨建工{i}有限公司")
    draft = services.reminder_campaign_draft(
        actor=sup["lsup"], title="春节前集中提示", county=County.HANBIN, industry=Industry.CONSTRUCTION,
        subject="按时足额支付农民工工资", facts="节前欠薪风险。", legal_basis="《保障农民工工资支付条例》第三条",
        requirements="全面自查。")
    matter = draft.matter
    client = Client()
    for name in sorted(EVERYONE):
        client.force_login(who[name])
        page = client.get(reverse("supervision:matter_detail", args=[matter.pk]))
        if page.status_code == 404:
            assert not permissions.matters_visible_to(who[name]).filter(pk=matter.pk).exists(), name
            continue
        assert ("sign_off_form" in page.context) is (name == "chair"), name
    client.force_login(who["lsup"])
    url = reverse("supervision:draft_sign_off", args=[matter.pk, draft.pk])
    assert client.post(url, {"so-decision": "approve"}).status_code == 404
    assert not matter.letters.exists()


def test_the_case_page_offers_a_clue_only_to_supervision_staff(who, people, ankang, cal):
    """The case page's panel reads `may_register` from the permission function."""
    from tests.factories.cases import open_case

    case = open_case(people["intake"], ankang["union:610902"])
    client = Client()
    for name, user in (("lsup", who["lsup"]), ("mediator", who["mediator"]), ("supervisor", who["supervisor"])):
        client.force_login(user)
        body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert (reverse("supervision:matter_new") + f"?case={case.pk}" in body) is (name in WRITERS), name

