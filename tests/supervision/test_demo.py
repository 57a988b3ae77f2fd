"""The 一函两书 demo (mediation.supervision.demo), loaded by manage.py demo_data after the cases:
six matters in their states, real work waiting in the partners' inboxes, idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from mediation.cases.demo import DEMO_PASSWORD, demo_users_ensure
from mediation.cases.management.commands import demo_data as demo_data_command
from mediation.clocks.models import Clock
from mediation.supervision import demo
from mediation.supervision.models import (
    ClueSource,
    DepartmentDecision,
    Investigation,
    Letter,
    LetterKind,
    LetterRecipient,
    LinkDirection,
    MatterCaseLink,
    MatterEvent,
    MatterStatus,
    ProcuratorateReferral,
    SupervisionMatter,
    Verification,
    Violation,
)
from parties.models import Employer
from parties.services import agencies_ensure_ankang
from parties.validators import validate_credit_code
from workflows.engine import OPEN_TASK_STATUSES
from workflows.selectors import inbox_for

pytestmark = pytest.mark.django_db

S = MatterStatus


@pytest.fixture
def only_this_demo(monkeypatch):
    """Other areas' loaders (search.demo, being written elsewhere) are not under test here."""
    monkeypatch.setattr(demo_data_command, "OTHER_DEMOS", ("mediation.supervision.demo",))


def run_demo_data() -> str:
    out = StringIO()
    call_command("demo_data", verbosity=0, stdout=out)
    return out.getvalue()


def footprint():
    models = (SupervisionMatter, Letter, LetterRecipient, Violation, Investigation, MatterEvent, MatterCaseLink,
              ProcuratorateReferral, Employer, Task, Clock)
    return {model.__name__: model.objects.count() for model in models}


def user(username):
    return get_user_model().objects.get(username=username)


def open_steps(matter, username):
    """The open steps of `matter` waiting in `username`'s inbox."""
    return sorted(t.flow_task.name for t in inbox_for(user(username))
                  .filter(process__supervisionprocess__matter=matter))


def recipient_clock(recipient, code):
    return Clock.objects.get(object_id=recipient.pk, rule_code=code)


def test_demo_data_loads_the_supervision_matters_once(only_this_demo, client):
    first = run_demo_data()
    assert "mediation.supervision.demo.load_demo()：已创建一函两书演示事项 6 件" in first

    matters = {m.title: m for m in SupervisionMatter.objects.all()}
    assert {title: m.status for title, m in matters.items()} == {p.title: p.state for p in demo.PLANS}
    today = timezone.localdate()
    assert all(letter.issued_on <= today for letter in Letter.objects.all())
    for letter in Letter.objects.prefetch_related("recipients"):
        assert letter.doc_no in letter.rendered_text
        assert all(r.name in letter.rendered_text for r in letter.recipients.all())
    # Document numbers follow the issue dates within each series.
    series = {}
    for letter in Letter.objects.order_by("number"):
        series.setdefault((letter.kind, letter.year), []).append(letter.issued_on)
    assert all(days == sorted(days) for days in series.values()), series
    for employer in Employer.objects.filter(supervision_matters__isnull=False).distinct():
        validate_credit_code(employer.credit_code)

    # 1. 提示函 before the Spring Festival, wages paid, closed.
    festival = matters[demo.TITLE_FESTIVAL_FACTORY]
    reminder = festival.letters.get()
    assert reminder.kind == LetterKind.REMINDER and reminder.doc_no.startswith("汉滨工监提〔")
    assert festival.closed_on < demo.spring_festival(festival.closed_on.year + (festival.closed_on.month > 6))
    assert festival.amount_recovered == 186400 and festival.workers_covered == 52
    assert recipient_clock(reminder.recipients.get(), "D42").status == "met"
    assert not Task.objects.filter(process__supervisionprocess__matter=festival, status__in=OPEN_TASK_STATUSES)

    # 2. The whole ladder; labor inspection filed the 建议书 and owes its result.
    coach = matters[demo.TITLE_COACH]
    kinds = list(coach.letters.order_by("issued_on").values_list("kind", flat=True))
    assert kinds == [LetterKind.REMINDER, LetterKind.OPINION, LetterKind.RECOMMENDATION]
    recommendation = coach.letters.get(kind=LetterKind.RECOMMENDATION)
    assert recommendation.department.name == "汉滨区劳动保障监察大队"
    assert recommendation.handling.decision == DepartmentDecision.FILED
    assert recipient_clock(recommendation.recipients.get(), "D41").status == "met"
    assert open_steps(coach, "hb_insp") == ["department_result"]
    assert client.login(username="hb_insp", password=DEMO_PASSWORD)
    page = client.get(f"/supervision/{coach.pk}/")
    assert page.status_code == 200 and recommendation.doc_no in page.content.decode()

    # 3. 意见书 delivered, the reply awaited against D40.
    supermarket = matters[demo.TITLE_SUPERMARKET]
    opinion = supermarket.letters.get()
    assert opinion.kind == LetterKind.OPINION and opinion.violations.count() == 3
    assert recipient_clock(opinion.recipients.get(), "D40").status == "running"
    assert open_steps(supermarket, "hb_lsup") == ["follow_opinion"]

    # 4. A clue from a demo mediation case, waiting for the investigation.
    clue = matters[demo.TITLE_CASE_CLUE]
    assert clue.source == ClueSource.CASE and clue.source_case is not None
    link = MatterCaseLink.objects.get(matter=clue)
    assert link.case == clue.source_case and link.direction == LinkDirection.CASE_SPAWNED_MATTER
    assert clue.source_case.case_no in clue.clue
    assert open_steps(clue, "hb_lsup") == open_steps(clue, "hb_lsup2") == ["investigate"]

    # 5. Passed to the procuratorate, whose feedback is awaited; the 意见书 is still to be drafted.
    tea = matters[demo.TITLE_TEA]
    referral = tea.referrals.get()
    assert referral.agency.name == "汉滨区人民检察院" and not referral.feedback_on
    assert open_steps(tea, "hb_procur") == ["procuratorate_feedback"]
    assert open_steps(tea, "hb_lsup") == ["issue_opinion"]
    client.logout()
    assert client.login(username="hb_procur", password=DEMO_PASSWORD)
    assert client.get(f"/supervision/{tea.pk}/").status_code == 200

    # 6. The mass 提示函 to Hanbin's builders, co-issued with the HR bureau.
    campaign = matters[demo.TITLE_CAMPAIGN]
    letter = campaign.letters.get()
    assert campaign.is_campaign and campaign.employer is None
    assert letter.co_issuers.get().name == "汉滨区人力资源和社会保障局"
    recipients = list(letter.recipients.all())
    assert len(recipients) == 5 and all(r.is_delivered for r in recipients)
    assert sorted(r.verification for r in recipients) == sorted(
        ["", "", "", Verification.PARTIAL, Verification.RECTIFIED])
    assert {recipient_clock(r, "D42").status for r in recipients if not r.reply_kind} == {"running"}

    # The labor-law supervisors' inbox holds the three matters that wait on the union.
    lsup_steps = sorted(t.flow_task.name for t in inbox_for(user("hb_lsup"))
                        .filter(process__supervisionprocess__isnull=False))
    assert lsup_steps == ["follow_opinion", "investigate", "issue_opinion"]

    # A second run changes nothing and says so.
    before = footprint()
    second = run_demo_data()
    assert footprint() == before
    assert "一函两书演示事项已存在（6 件），未作改动" in second


def test_load_demo_without_the_demo_cases():
    """Without mediation cases the clue comes from risk screening; the logins are made if missing."""
    demo_users_ensure(agencies_ensure_ankang())
    message = demo.load_demo()
    assert message.startswith("已创建一函两书演示事项 6 件")
    clue = SupervisionMatter.objects.get(title=demo.TITLE_CASE_CLUE)
    assert clue.source == ClueSource.SCREENING and clue.source_case is None
    assert not MatterCaseLink.objects.exists()
    assert set(SupervisionMatter.objects.values_list("status", flat=True)) == {p.state for p in demo.PLANS}
    before = footprint()
    assert demo.load_demo() == "一函两书演示事项已存在（6 件），未作改动。"
    assert footprint() == before
