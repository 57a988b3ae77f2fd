"""Factories for the typical-case library, and a closed mediation case to nominate."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from mediation.cases.models import (
    Agreement,
    Case,
    CaseRespondent,
    CaseStatus,
    CaseWorker,
    Channel,
    Claim,
    ClosingCode,
    DisputeType,
    MediationSession,
    SessionForm,
)
from parties.models import County, Industry
from search.models import PartnerAgency, SavedSearch, SynonymGroup, TypicalCase, TypicalCaseStatus
from tests.factories.parties import EmployerFactory, WorkerFactory


class TypicalCaseFactory(factory.django.DjangoModelFactory):
    """A published typical case; pass status=… for one in the pipeline."""

    class Meta:
        model = TypicalCase

    title = factory.Sequence(lambda n: f"汉滨区某企业第{n}号劳动争议调解案")
    county = County.HANBIN
    year = 2024
    dispute_type = DisputeType.WAGES
    tags = factory.LazyFunction(list)
    agencies = factory.LazyFunction(lambda: [PartnerAgency.UNION])
    channel = Channel.WALK_IN
    outcome = ClosingCode.SUCCESS_PAID_ON_SPOT
    amount_yuan = Decimal("10000.00")
    workers_count = 1
    summary = "职工到区总工会求助，反映与用人单位发生争议。"
    handling = "调解员约谈企业负责人，核对材料，双方达成协议。"
    significance = "工会调解及时化解纠纷。"
    status = TypicalCaseStatus.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == TypicalCaseStatus.PUBLISHED else None
    )
    version = 1


class SynonymGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SynonymGroup

    rule = "加班费, 加班工资"


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    name = factory.Sequence(lambda n: f"检索{n}")
    query = "工伤"
    filters = factory.LazyFunction(dict)
    alert = True


def closed_case(*, agency, created_by, mediator=None, status=CaseStatus.CLOSED, **overrides) -> Case:
    """A construction wage-arrears case closed by judicial confirmation, with named parties."""
    values = dict(
        case_no=f"汉滨工调〔2025〕第{Case.objects.count() + 1:04d}号",
        year=2025,
        agency=agency,
        county=County.HANBIN,
        channel=Channel.HOTLINE_12351,
        title="某安置小区项目农民工欠薪",
        facts=(
            "申请人王建国等12名农民工在安康恒通建筑劳务有限公司承建的安置小区项目务工，"
            "公司拖欠工资共计36万元。王建国（身份证号610902198506010013，电话13912345678）"
            "拨打12351热线求助。本案原编号汉滨工调〔2024〕第0007号。"
        ),
        industry=Industry.CONSTRUCTION,
        is_collective=True,
        workers_count=12,
        status=status,
        received_on=datetime.date(2025, 1, 6),
        accepted_on=datetime.date(2025, 1, 7),
        closed_on=datetime.date(2025, 3, 1),
        closing_code=ClosingCode.SUCCESS_JUDICIAL_CONFIRMED,
        lead_mediator=mediator,
        created_by=created_by,
    )
    values.update(overrides)
    case = Case.objects.create(**values)
    worker = WorkerFactory(name="王建国", id_number="610902198506010013", phone="13912345678")
    link = CaseWorker.objects.create(case=case, worker=worker, is_representative=True,
                                     amount_claimed=Decimal("30000"))
    employer = EmployerFactory(name="安康恒通建筑劳务有限公司", industry=Industry.CONSTRUCTION,
                               legal_representative="李志强")
    CaseRespondent.objects.create(case=case, employer=employer)
    CaseRespondent.objects.create(case=case, person_name="赵大海", role="CREW_BOSS")
    Claim.objects.create(case=case, dispute_type=DisputeType.WAGES, subtype="农民工工资", case_worker=link,
                         amount_claimed=Decimal("360000"), amount_agreed=Decimal("350000"))
    MediationSession.objects.create(
        case=case, held_at=timezone.make_aware(datetime.datetime(2025, 1, 10, 9, 30)), form=SessionForm.FACE_TO_FACE,
        participants="王建国、李志强、调解员", points_in_dispute="总包与分包谁先清偿农民工工资",
        result="总包同意先行垫付", recorded_by=created_by,
    )
    Agreement.objects.create(case=case, terms="总包单位于2025年2月1日前支付35万元。", amount_total=Decimal("350000"),
                             signed_on=datetime.date(2025, 1, 15), applicant_signed=True, respondent_signed=True,
                             mediator_signed=True, sealed=True)
    return case
