"""Issue 9: fuzzing the registration form, the main step forms and the API (Hypothesis).

Bounded: few examples per test, no example database, the whole file well under a minute.
Each example asserts what a user is promised: never a 500 (the test client re-raises any
exception), a stored value equal to what validation accepted, and nothing half-saved when
the input is refused.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation.cases import steps
from mediation.cases.forms import RegistrationForm
from mediation.cases.models import Case, CaseEvent, CaseWorker, MediationSession
from parties.models import Employer, Worker
from tests.factories.cases import do, open_case, open_task
from tests.factories.parties import make_credit_code, make_resident_id

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
TODAY = datetime.date.today()
WIDE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

# Text people type, and what they paste by mistake: CJK, full-width forms, look-alikes,
# control characters, markup, very long runs.
alphabet = st.sampled_from(
    list("张三李四王五工资欠薪,，;；、 \t\n0123456789０１２３４５６７８９XxＸХ-－—.．元<>&\"'")
    + ["\x00", "\u200b", "\ufeff", "😀", "𠀀"]
)
noisy_text = st.text(alphabet=alphabet, max_size=60) | st.text(max_size=30)


@st.composite
def id_numbers(draw):
    seed = draw(st.integers(0, 20000))
    number = make_resident_id(seed=seed)
    return (
        draw(
            st.sampled_from(
                [
                    number,
                    number.translate(WIDE),
                    number.lower(),
                    number[:-1],
                    number[:-1] + "Y",
                    f" {number} ",
                    make_resident_id(birth=TODAY + datetime.timedelta(days=30), seed=seed),
                ]
            )
        )
        if draw(st.booleans())
        else draw(noisy_text)
    )


@st.composite
def worker_lines(draw):
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(["张三", "李四", "", "王" * 50]) | noisy_text)
        phone = draw(
            st.sampled_from(["13900000001", "１３９００００００１", "0915-1234567", "12345", ""])
        )
        amount = draw(
            st.sampled_from(
                ["8000", "８０００", "-1", "1e9", "NaN", "Infinity", "0.001", "abc", ""]
            )
            | st.decimals(allow_nan=False, places=2, min_value=0, max_value=10**9).map(str)
        )
        marks = draw(st.lists(st.sampled_from(["代表", "农民工", "外地", ""]), max_size=2))
        lines.append("，".join([name, draw(id_numbers()), phone, amount, *marks]))
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


# Text a valid form accepts, in all its variety: CJK, full-width, look-alikes, markup, spaces.
valid_text = st.text(
    alphabet=st.sampled_from(list("张三李四工资欠薪０１２Ｘ<>&\"' 元—")), min_size=1, max_size=40
).filter(lambda t: t.strip())


@st.composite
def valid_worker_lines(draw):
    lines = []
    for i in range(draw(st.integers(1, 3))):
        number = make_resident_id(seed=draw(st.integers(0, 20000)) * 3 + i)
        number = draw(
            st.sampled_from([number, number.translate(WIDE), number.lower(), f" {number} "])
        )
        phone = draw(
            st.sampled_from(
                ["13900000001", "１３９００００００１", "0915-1234567", "", "139 0000 0002"]
            )
        )
        amount = draw(st.sampled_from(["8000", "８０００", "0", "0.5", "99999999.99"]))
        marks = draw(st.lists(st.sampled_from(["代表", "农民工"]), max_size=2, unique=True))
        name = draw(
            valid_text.filter(lambda t: len(t.strip()) <= 40 and not set(t) & set(",，;；、\t"))
        )
        lines.append("，".join([name, number, phone, amount, *marks]))
    return "\n".join(lines)


@st.composite
def registrations(draw):
    """Half the examples are valid in every field (varied), half carry noise anywhere."""
    code = make_credit_code(seed=draw(st.integers(0, 500)))
    if draw(st.booleans()):
        pick = {
            "channel": st.sampled_from(["WALK_IN", "HOTLINE_12351", "ONLINE"]),
            "received_on": st.sampled_from(
                [TODAY.isoformat(), (TODAY - datetime.timedelta(days=3)).isoformat()]
            ),
            "county": st.sampled_from(["610902", "610921"]),
            "title": valid_text,
            "facts": valid_text,
            "industry": st.sampled_from(["OTHER", "CONSTRUCTION"]),
            "employment_form": st.just("STANDARD"),
            "workers": valid_worker_lines(),
            "employer_name": valid_text,
            "employer_credit_code": st.sampled_from(
                [code, code.lower().translate(WIDE), f" {code}"]
            ),
            "employer_legal_rep": valid_text.filter(lambda t: len(t) <= 40),
            "employer_phone": st.sampled_from(["", "０９１５－１２３４５６７"]),
            "employer_role": st.just("EMPLOYER"),
            "claim_type": st.sampled_from(["WAGES", "SEVERANCE"]),
            "claim_subtype": valid_text,
            "extra_claim_type": st.just(""),
            "extra_claim_subtype": st.just(""),
            "extra_claim_amount": st.just(""),
            "confirm_duplicate": st.just("on"),
        }
    else:
        pick = {
            "channel": st.sampled_from(["WALK_IN", "COURT_DELEGATED", "BOGUS", ""]),
            "received_on": st.sampled_from(
                [TODAY.isoformat(), "2026-02-30", "0001-01-01", "9999-12-31", "昨天", ""]
            ),
            "county": st.sampled_from(["610902", "610921", "999999", ""]),
            "title": noisy_text,
            "facts": noisy_text,
            "industry": st.sampled_from(["OTHER", "CONSTRUCTION", "NOPE"]),
            "employment_form": st.sampled_from(["STANDARD", "X"]),
            "workers": worker_lines(),
            "employer_name": noisy_text,
            "employer_credit_code": st.sampled_from(
                [code, code.lower().translate(WIDE), code[:-1] + "I", ""]
            )
            | noisy_text,
            "employer_legal_rep": noisy_text,
            "employer_phone": st.sampled_from(["", "０９１５－１２３４５６７", "x"]),
            "employer_role": st.sampled_from(["EMPLOYER", "NOPE"]),
            "claim_type": st.sampled_from(["WAGES", "SEVERANCE", "?"]),
            "claim_subtype": noisy_text,
            "extra_claim_type": st.sampled_from(["", "OVERTIME"]),
            "extra_claim_subtype": noisy_text,
            "extra_claim_amount": st.sampled_from(["", "100", "-5", "1e400"]),
            "confirm_duplicate": st.sampled_from(["", "on"]),
        }
    return {"employer_kind": "ENTERPRISE", **{k: draw(v) for k, v in pick.items()}}


def counts():
    return (
        Case.objects.count(),
        Worker.objects.count(),
        Employer.objects.count(),
        CaseEvent.objects.count(),
        CaseWorker.objects.count(),
    )


def test_registration_form(people):
    client = Client()
    client.force_login(people["intake"])
    agency = people["intake"].staff.agency
    outcomes = []

    @FUZZ
    @given(data=registrations())
    def check(data):
        before = counts()
        last = Case.objects.order_by("-pk").first()
        response = client.post("/cases/new/", data)
        assert response.status_code in (200, 302)
        outcomes.append(response.status_code)
        if response.status_code == 200:
            assert counts() == before, "a refused registration saved something"
            return
        case = Case.objects.order_by("-pk").first()
        assert case != last and response["Location"] == f"/cases/{case.pk}/"
        form = RegistrationForm(data, agency=agency)
        assert form.is_valid()
        accepted = form.cleaned_data
        assert (case.title, case.facts, case.county) == (
            accepted["title"].strip(),
            accepted["facts"].strip(),
            accepted["county"],
        )
        stored = [
            (cw.name, cw.worker.id_number, cw.phone, cw.amount_claimed, cw.is_migrant)
            for cw in case.case_workers.order_by("pk")
        ]
        typed = [
            (w["name"], w["id_number"], w["phone"], w["amount_claimed"], w["is_migrant"])
            for w in accepted["workers"]
        ]
        assert sorted(stored) == sorted(typed)
        assert case.respondents.first().employer.credit_code == accepted["employer_credit_code"]

    check()
    assert 302 in outcomes and 200 in outcomes  # both paths were exercised


@pytest.fixture
def mediating(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=11)
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


def test_session_record_and_outcome_forms(people, mediating):
    client = Client()
    client.force_login(people["mediator"])
    url = f"/tasks/{open_task(mediating, 'mediate').pk}/"

    @FUZZ
    @given(
        action=st.sampled_from(["session", "outcome", "", "bogus"]),
        held_at=st.sampled_from(
            [
                "",
                "2026-13-01T10:00",
                "2026-01-05T09:00",
                (TODAY + datetime.timedelta(days=2)).isoformat() + "T09:00",
            ]
        ),
        text=noisy_text,
        outcome=st.sampled_from(["agreement", "failed", "withdrawn", "x", ""]),
        amount=st.sampled_from(["", "100", "-1", "1e20", "NaN"]),
        instalments=st.sampled_from(["", "2026-12-20，100", "明天，100", "2026-12-20"]),
        on=st.sampled_from(["", TODAY.isoformat(), "2099-01-01"]),
    )
    def check(action, held_at, text, outcome, amount, instalments, on):
        sessions = MediationSession.objects.filter(case=mediating).count()
        events = CaseEvent.objects.filter(case=mediating).count()
        status = Case.objects.get(pk=mediating.pk).status
        response = client.post(
            url,
            {
                "action": action,
                "held_at": held_at,
                "form": "FACE_TO_FACE",
                "place": text,
                "participants": text,
                "points_in_dispute": text,
                "outcome": outcome,
                "on": on,
                "terms": text,
                "amount_total": amount,
                "instalments": instalments,
                "reason": text,
                "applicant_signed": "on",
                "respondent_signed": "on",
                "mediator_signed": "on",
                "sealed": "on",
            },
        )
        # The step may be finished by an earlier example (an accepted withdrawal): then it is gone.
        assert response.status_code in (200, 302, 404)
        case = Case.objects.get(pk=mediating.pk)
        if response.status_code == 200:
            assert MediationSession.objects.filter(case=mediating).count() == sessions
            assert (
                CaseEvent.objects.filter(case=mediating).count() == events and case.status == status
            )
        elif action == "session" and response.status_code == 302:
            saved = MediationSession.objects.filter(case=mediating).order_by("-pk").first()
            assert saved.points_in_dispute == text.strip() or saved.points_in_dispute == text

    check()


def test_review_form_on_fresh_cases(people, ankang):
    client = Client()
    client.force_login(people["head"])
    seeds = iter(range(100, 200))

    @settings(FUZZ, max_examples=8)
    @given(
        decision=st.sampled_from(["accept", "not_accept", "redirect", "maybe", ""]),
        decided_on=st.sampled_from([TODAY.isoformat(), "2099-01-01", "", "2026-02-30"]),
        reason=noisy_text,
        consent=st.sampled_from(["", "on"]),
    )
    def check(decision, decided_on, reason, consent):
        case = open_case(people["intake"], ankang["union:610902"], seed=next(seeds))
        events = CaseEvent.objects.filter(case=case).count()
        response = client.post(
            f"/tasks/{open_task(case, 'review').pk}/",
            {
                "decision": decision,
                "decided_on": decided_on,
                "reason": reason,
                "redirected_to": reason,
                "respondent_consents": consent,
            },
        )
        assert response.status_code in (200, 302)
        case.refresh_from_db()
        if response.status_code == 200:
            assert (
                case.status == "RECEIVED" and CaseEvent.objects.filter(case=case).count() == events
            )
        else:
            assert case.status in ("ACCEPTED", "NOT_ACCEPTED", "REDIRECTED")
            if case.status != "ACCEPTED":
                assert case.decision_reason == reason.strip()

    check()


def test_api_endpoints(people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], seed=7)
    client = Client()
    client.force_login(people["head"])

    @FUZZ
    @given(
        path=st.sampled_from(
            [
                "/api/v1/cases/",
                f"/api/v1/cases/{case.pk}/",
                "/api/v1/cases/999999/",
                "/api/v1/tasks/",
                "/api/v1/me/",
                "/api/v1/precedents/",
            ]
        ),
        params=st.dictionaries(
            st.sampled_from(["status", "page", "q", "page_size", "county", "year"]),
            noisy_text | st.sampled_from(["-1", "0", "99999999999999999999", "RECEIVED"]),
            max_size=3,
        ),
    )
    def check(path, params):
        response = client.get(path, params)
        assert response.status_code in (200, 400, 404)
        if response.status_code == 200:
            response.json()

    check()
    assert Decimal(case.claims.get().amount_claimed) == Decimal("5000")
