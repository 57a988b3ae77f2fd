"""Hand-built cases for the cockpit's figures: rows written directly (no flow), so that each test
states exactly which cases exist and what the figures must be."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mediation.cases.models import (
    Agreement,
    Case,
    CaseStatus,
    CaseWorker,
    Channel,
    Claim,
    Instalment,
    Referral,
    ReferralKind,
)
from mediation.clocks.models import Clock, ClockStatus, DeadlineRule
from mediation.supervision.models import (
    Letter,
    LetterRecipient,
    LetterTemplate,
    ReplyKind,
    SupervisionMatter,
    Verification,
)
from search.models import TypicalCase, TypicalCaseStatus
from tests.factories.parties import EmployerFactory, WorkerFactory

_numbers = itertools.count(1)


def stat_case(
    agency,
    created_by,
    *,
    received_on: datetime.date | None,
    status=CaseStatus.IN_MEDIATION,
    closed_on=None,
    closing_code="",
    workers=1,
    migrant=0,
    nef=0,
    claimed="1000.00",
    dispute_type="WAGES",
    employment_form="STANDARD",
    county=None,
) -> Case:
    """A case with `workers` workers (`migrant` of them 农民工, `nef` 新就业形态) and one claim."""
    n = next(_numbers)
    year = received_on.year if received_on else 2026
    case = Case.objects.create(
        case_no=f"统调〔{year}〕第{n:05d}号",
        year=year,
        agency=agency,
        county=county or agency.county,
        channel=Channel.WALK_IN,
        title=f"统计测试案件{n}",
        facts="测试。",
        created_by=created_by,
        status=status,
        received_on=received_on,
        closed_on=closed_on,
        closing_code=closing_code,
        workers_count=workers,
        workers_migrant=migrant,
        workers_nef=nef,
        is_collective=workers >= 10,
        employment_form=employment_form,
    )
    for i in range(workers):
        # The flags as this case records them (a case keeps its own, issue 9 item 1).
        CaseWorker.objects.create(
            case=case,
            worker=WorkerFactory(),
            is_migrant=i < migrant,
            is_new_employment_form=migrant <= i < migrant + nef,
        )
    Claim.objects.create(
        case=case, dispute_type=dispute_type, subtype="测试", amount_claimed=Decimal(claimed)
    )
    return case


def agreement(case, *, signed_on, total, spot=False, instalments=()) -> Agreement:
    """instalments: (due_on, amount, paid_on or None)."""
    a = Agreement.objects.create(
        case=case,
        terms="分期支付。",
        amount_total=Decimal(total),
        signed_on=signed_on,
        paid_on_spot=spot,
        applicant_signed=True,
        respondent_signed=True,
        mediator_signed=True,
        sealed=True,
    )
    for due_on, amount, paid_on in instalments:
        Instalment.objects.create(
            agreement=a, due_on=due_on, amount=Decimal(amount), paid_on=paid_on
        )
    return a


def referral(case, agency, *, sent_on, decided_on=None, kind=ReferralKind.ARBITRATION) -> Referral:
    return Referral.objects.create(
        case=case,
        kind=kind,
        target_agency=agency,
        sent_on=sent_on,
        decided_on=decided_on,
        received_on=decided_on,
        status="DECIDED" if decided_on else "SENT",
    )


def clock(case, *, due_on, warn_on, status=ClockStatus.RUNNING, code="D3") -> Clock:
    rule = DeadlineRule.objects.current().filter(code=code, locality="").first()
    return Clock.objects.create(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        case=case,
        agency=case.agency,
        rule=rule,
        rule_code=code,
        started_on=warn_on - datetime.timedelta(days=10),
        due_on=due_on,
        warn_on=warn_on,
        status=status,
    )


def letter(
    agency, user, *, county, kind, issued_on, reply="", verification="", delivered=True
) -> Letter:
    n = next(_numbers)
    matter = SupervisionMatter.objects.create(
        matter_no=f"统监〔{issued_on.year}〕{n}号",
        year=issued_on.year,
        agency=agency,
        county=county,
        title=f"监督事项{n}",
        source="HOTLINE",
        clue="线索。",
        created_by=user,
    )
    emp = EmployerFactory(county=county)
    doc = Letter.objects.create(
        matter=matter,
        kind=kind,
        year=issued_on.year,
        number=n,
        doc_no=f"统监{kind}〔{issued_on.year}〕{n}号",
        issuer=agency,
        subject="欠薪",
        facts="事实。",
        legal_basis="劳动法。",
        requirements="整改。",
        issued_on=issued_on,
        issued_by=user,
        template=LetterTemplate.objects.get(kind=kind),
        rendered_text="正文",
        content_sha256="0" * 64,
    )
    LetterRecipient.objects.create(
        letter=doc,
        employer=emp,
        name=emp.name,
        delivered_on=issued_on if delivered else None,
        reply_kind=reply,
        verification=verification,
    )
    return doc


def typical(
    county, *, published_on: datetime.date, status=TypicalCaseStatus.PUBLISHED, dispute_type="WAGES"
):
    n = next(_numbers)
    at = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(10)))
    return TypicalCase.objects.create(
        title=f"典型案例{n}",
        county=county,
        year=published_on.year,
        dispute_type=dispute_type,
        summary="概况。",
        status=status,
        published_at=at,
    )


ACCEPTED, RECTIFIED = ReplyKind.ACCEPTED, Verification.RECTIFIED
