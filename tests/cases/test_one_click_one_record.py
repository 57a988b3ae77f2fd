"""Issue 9 item 2: one click, one record — through the real pages with their hidden tokens.

A form is posted twice with the token its page rendered (a double click, a resubmit after
Back): one record, and the second answer leads to it with a message.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from mediation.cases import services, steps
from mediation.cases.models import Case, CaseEvent, Instalment, MediationSession
from mediation.lib.idempotency import SubmissionToken
from tests.factories.cases import do, open_case, open_task
from tests.factories.parties import make_credit_code, make_resident_id
from tests.workflows.step_pages import agreement_data, complete_step

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DUPLICATE = "此表单已经提交过，本次未重复保存。"


def form_data(**overrides):
    data = {
        "channel": "WALK_IN",
        "received_on": TODAY.isoformat(),
        "county": "610902",
        "title": "某餐馆服务员欠薪",
        "facts": "拖欠三个月工资",
        "industry": "HOSPITALITY",
        "employment_form": "STANDARD",
        "workers": f"张三，{make_resident_id(seed=1)}，13900000001，8000",
        "employer_name": "汉滨区某餐馆",
        "employer_credit_code": make_credit_code(seed=3),
        "employer_legal_rep": "王某",
        "employer_kind": "INDIVIDUAL",
        "employer_role": "EMPLOYER",
        "claim_type": "WAGES",
        "claim_subtype": "拖欠工资",
    }
    data.update(overrides)
    return data


def login(user):
    client = Client()
    client.force_login(user)
    return client


def token_in(html: str, form_id: str | None = None) -> str:
    if form_id:
        html = html[html.index(f'id="{form_id}"') :]
    return re.search(r'name="_submission" value="([^"]+)"', html).group(1)


def follow_messages(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_registration_posted_twice_with_its_token_creates_one_case(people):
    client = login(people["intake"])
    token = token_in(client.get("/cases/new/").content.decode(), "register-form")
    first = client.post("/cases/new/", form_data(_submission=token))
    second = client.post("/cases/new/", form_data(_submission=token))
    case = Case.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/cases/{case.pk}/"
    assert second.status_code == 302 and second["Location"] == f"/cases/{case.pk}/"
    page = follow_messages(client, second)
    assert DUPLICATE in page and "查看已保存的结果" in page
    assert CaseEvent.objects.filter(action="case.registered").count() == 1
    assert SubmissionToken.objects.get(token=token).result_url == f"/cases/{case.pk}/"


def test_a_refused_submission_keeps_its_token_usable(people):
    client = login(people["intake"])
    token = token_in(client.get("/cases/new/").content.decode(), "register-form")
    refused = client.post("/cases/new/", form_data(_submission=token, workers="张三"))
    assert (
        refused.status_code == 200 and token_in(refused.content.decode(), "register-form") == token
    )
    assert not SubmissionToken.objects.exists() and not Case.objects.exists()
    accepted = client.post("/cases/new/", form_data(_submission=token))
    assert accepted.status_code == 302 and Case.objects.count() == 1


def test_a_second_case_for_the_same_worker_and_employer_needs_confirmation(people):
    client = login(people["intake"])
    client.post("/cases/new/", form_data())
    first = Case.objects.get()
    warned = client.post("/cases/new/", form_data(title="再次登记"))
    body = warned.content.decode()
    assert warned.status_code == 200 and 'id="duplicate-warning"' in body
    assert f'href="/cases/{first.pk}/"' in body and first.case_no in body
    assert "同一劳动者与同一单位已有未结案件" in body and 'name="confirm_duplicate"' in body
    assert Case.objects.count() == 1
    confirmed = client.post("/cases/new/", form_data(title="再次登记", confirm_duplicate="on"))
    assert confirmed.status_code == 302 and Case.objects.count() == 2


def test_the_open_case_warning_matches_only_cases_the_user_may_see(people):
    login(people["intake"]).post("/cases/new/", form_data())
    hanyin = login(people["other_county_mediator"])
    response = hanyin.post("/cases/new/", form_data(county="610921"))
    assert response.status_code == 302  # the Hanbin case is not theirs to see: no warning, no link
    assert Case.objects.count() == 2


@pytest.fixture
def mediating(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=3)
    do(
        case,
        "review",
        people["head"],
        steps.review_decide, case=case, decided_on=TODAY, respondent_consents=True, decision="accept",
    )
    do(
        case,
        "assign",
        people["head"],
        steps.mediator_assign, case=case, mediator=people["mediator"],
    )
    return case


def session_data(token, held_at="2026-01-01T09:30"):
    return {
        "action": "session",
        "_submission": token,
        "held_at": held_at,
        "form": "FACE_TO_FACE",
        "place": "调解室",
        "participants": "双方",
        "points_in_dispute": "工资数额",
    }


def test_session_record_posted_twice_is_saved_once(people, mediating):
    client = login(people["mediator"])
    task = open_task(mediating, "mediate")
    url = reverse("task_detail", args=[task.pk])
    token = token_in(client.get(url).content.decode(), "session-form")
    held = (datetime.datetime.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    first = client.post(url, session_data(token, held))
    second = client.post(url, session_data(token, held))
    assert first.status_code == 302 and second.status_code == 302 and second["Location"] == url
    assert MediationSession.objects.filter(case=mediating).count() == 1
    assert DUPLICATE in follow_messages(client, second)


def test_session_record_from_two_tabs_is_saved_once(people, mediating):
    client = login(people["mediator"])
    url = reverse("task_detail", args=[open_task(mediating, "mediate").pk])
    tab1 = token_in(client.get(url).content.decode(), "session-form")
    tab2 = token_in(client.get(url).content.decode(), "session-form")
    assert tab1 != tab2
    held = (datetime.datetime.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, session_data(tab1, held)).status_code == 302
    again = client.post(url, session_data(tab2, held))
    assert again.status_code == 200 and "该时间的调解记录已经保存" in again.content.decode()
    assert MediationSession.objects.filter(case=mediating).count() == 1


def test_payment_posted_twice_is_recorded_once(people, mediating):
    services.session_record(
        case=mediating,
        actor=people["mediator"],
        held_at=datetime.datetime.now(datetime.UTC),
        form="VIDEO",
        place="线上",
        participants="双方",
        points_in_dispute="金额",
    )

    complete_step(
        mediating,
        "mediate",
        people["mediator"],
        agreement_data(
            TODAY,
            terms="分两期",
            amount="2000",
            path="NONE",
            instalments=[(TODAY, "1000"), (TODAY + datetime.timedelta(days=30), "1000")],
        ),
    )
    client = login(people["mediator"])
    url = reverse("task_detail", args=[open_task(mediating, "follow_up").pk])
    token = token_in(client.get(url).content.decode())
    instalment = Instalment.objects.filter(agreement__case=mediating).order_by("due_on").first()
    data = {
        "action": "payment",
        "_submission": token,
        "instalment": instalment.pk,
        "paid_on": TODAY.isoformat(),
        "proof": "转账流水 001",
    }
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302 and DUPLICATE in follow_messages(client, second)
    assert CaseEvent.objects.filter(case=mediating, action="case.payment_recorded").count() == 1


def test_a_step_completed_twice_is_completed_once_and_the_second_leads_to_the_case(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=4)
    client = login(people["head"])
    url = reverse("task_detail", args=[open_task(case, "review").pk])
    token = token_in(client.get(url).content.decode())
    data = {
        "_submission": token,
        "decision": "accept",
        "decided_on": TODAY.isoformat(),
        "respondent_consents": "on",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"] == f"/cases/{case.pk}/"
    assert CaseEvent.objects.filter(case=case, action="case.accept").count() == 1
    assert DUPLICATE in follow_messages(client, second)


def test_supervision_clue_posted_twice_registers_one_matter(people, ankang):
    from mediation.supervision.models import SupervisionMatter
    from tests.factories.supervision import employer

    client = login(people["labor_supervisor"])
    url = reverse("supervision:matter_new")
    token = token_in(client.get(url).content.decode())
    data = {
        "_submission": token,
        "title": "某超市拖欠工资",
        "employer": employer().pk,
        "source": "HOTLINE",
        "source_ref": "12351-0302",
        "clue": "职工来电反映2月工资未发。",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    matter = SupervisionMatter.objects.get()
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert matter.matter_no
    assert DUPLICATE in follow_messages(client, second)


def test_a_post_without_token_still_works(people):
    """API clients and scripts post without the hidden field."""
    assert login(people["intake"]).post("/cases/new/", form_data()).status_code == 302
    assert Case.objects.count() == 1 and not SubmissionToken.objects.exists()


def test_typical_case_nomination_posted_twice_creates_one_draft(people, ankang):
    from search.models import TypicalCase
    from tests.factories.search import closed_case

    case = closed_case(
        agency=ankang["union:610902"], created_by=people["intake"], mediator=people["mediator"]
    )
    client = login(people["mediator"])
    url = reverse("search:nominate", args=[case.pk])
    token = token_in(client.get(url).content.decode())
    first = client.post(url, {"_submission": token})
    second = client.post(url, {"_submission": token})
    tc = TypicalCase.objects.get(source_case=case)
    assert first["Location"] == second["Location"] == reverse("search:edit", args=[tc.pk])
    assert DUPLICATE in follow_messages(client, second)


def test_taking_a_task_twice_leads_to_the_task(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=5)
    task = open_task(case, "review")
    client = login(people["head"])
    token = token_in(client.get("/inbox/").content.decode())
    url = reverse("task_take", args=[task.pk])
    first = client.post(url, {"_submission": token})
    second = client.post(url, {"_submission": token})
    assert first["Location"] == second["Location"] == reverse("task_detail", args=[task.pk])
    assert DUPLICATE in follow_messages(client, second)


def test_old_submission_tokens_are_purged_daily_and_recent_ones_kept(people):
    """The daily beat task forgets tokens older than CONCORD_SUBMISSION_TOKEN_DAYS (30); a recent one
    still turns a resubmission away."""
    import time_machine

    from mediation.cases.tasks import purge_submission_tokens
    from mediation.settings.celery import CELERY_BEAT_SCHEDULE

    assert CELERY_BEAT_SCHEDULE["purge-submission-tokens"]["task"] == purge_submission_tokens.name
    with time_machine.travel("2026-10-01 09:00 +0800"):
        SubmissionToken.objects.create(token="old", user=people["intake"])
    with time_machine.travel("2026-10-20 09:00 +0800"):
        SubmissionToken.objects.create(token="recent", user=people["intake"])
    with time_machine.travel("2026-11-05 09:00 +0800"):
        assert purge_submission_tokens.apply().get() == 1
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["recent"]
