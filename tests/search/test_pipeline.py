"""The publication pipeline (DOMAIN §2.6): nominate → draft → de-identify → review → publish."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mediation.cases.models import CaseStatus, Channel, ClosingCode, DisputeType
from parties.models import County
from search import services
from search.models import (
    DEIDENTIFICATION_CHECKLIST,
    PartnerAgency,
    TypicalCaseEvent,
    TypicalCaseStatus,
)
from tests.factories.search import TypicalCaseFactory, closed_case

pytestmark = pytest.mark.django_db
S = TypicalCaseStatus
ALL_TICKED = {code: True for code, _label in DEIDENTIFICATION_CHECKLIST}


@pytest.fixture
def case(ankang, people):
    return closed_case(agency=ankang["union:610902"], created_by=people["intake"], mediator=people["mediator"])


def nominate(people, case):
    return services.typical_case_nominate(user=people["mediator"], case_id=case.pk)


def deidentify(user, tc, policy="INDUSTRY", names=None):
    preview = services.typical_case_deidentify_preview(user=user, typical_case=tc, policy=policy, extra_names=names)
    return services.typical_case_deidentify(user=user, typical_case_id=tc.pk, policy=policy, extra_names=names,
                                            digest=preview.digest)


def test_nominating_a_closed_case_prefills_from_the_case_file(people, case):
    tc = nominate(people, case)
    assert tc.status == S.NOMINATED and tc.version == 1
    assert tc.source_case == case and tc.nominated_by == people["mediator"]
    assert tc.county == County.HANBIN and tc.year == 2025
    assert tc.dispute_type == DisputeType.WAGES
    assert tc.channel == Channel.HOTLINE_12351 and tc.outcome == ClosingCode.SUCCESS_JUDICIAL_CONFIRMED
    assert tc.amount_yuan == 350000 and tc.workers_count == 12
    assert tc.agencies == [PartnerAgency.UNION, PartnerAgency.COURT]
    assert {"农民工工资", "建筑业", "司法确认", "集体争议"} <= set(tc.tags)
    assert tc.summary == case.facts
    assert "总包与分包谁先清偿农民工工资" in tc.handling and "35万元" in tc.handling
    assert tc.title == "汉滨区某安置小区项目农民工欠薪案"
    assert tc.versions.count() == 1
    assert TypicalCaseEvent.objects.filter(typical_case=tc, action="nominate", actor=people["mediator"]).exists()


def test_only_closed_cases_visible_to_the_user_can_be_nominated(ankang, people, case):
    open_case = closed_case(agency=ankang["union:610902"], created_by=people["intake"],
                            status=CaseStatus.IN_MEDIATION)
    with pytest.raises(ValidationError):
        services.typical_case_nominate(user=people["mediator"], case_id=open_case.pk)
    with pytest.raises(Http404):  # another county's mediator cannot see the case at all
        services.typical_case_nominate(user=people["other_county_mediator"], case_id=case.pk)
    with pytest.raises(PermissionDenied):  # intake officers do not nominate (DOMAIN §1.5)
        services.typical_case_nominate(user=people["intake"], case_id=case.pk)
    nominate(people, case)
    with pytest.raises(ValidationError):  # once is enough
        services.typical_case_nominate(user=people["supervisor"], case_id=case.pk)


def test_deidentification_applies_exactly_the_preview(people, case):
    tc = nominate(people, case)
    preview = services.typical_case_deidentify_preview(user=people["mediator"], typical_case=tc, policy="INDUSTRY",
                                                       extra_names=["孙丽"])
    tc = services.typical_case_deidentify(user=people["mediator"], typical_case_id=tc.pk, policy="INDUSTRY",
                                          extra_names=["孙丽"], digest=preview.digest)
    assert tc.status == S.DEIDENTIFIED and tc.version == 2
    assert tc.summary == preview.fields["summary"]
    assert "王建国" not in tc.summary and "王某" in tc.summary
    assert "安康恒通建筑劳务有限公司" not in tc.summary and "某建筑公司" in tc.summary
    assert "610902198506010013" not in tc.summary and "13912345678" not in tc.summary
    assert "〔2024〕第0007号" not in tc.summary
    assert "李志强" not in tc.handling  # a legal representative named in the session record


def test_a_stale_preview_is_refused(people, case):
    tc = nominate(people, case)
    preview = services.typical_case_deidentify_preview(user=people["mediator"], typical_case=tc, policy="KEEP")
    services.typical_case_update(user=people["mediator"], typical_case_id=tc.pk,
                                 values={"significance": "新增的典型意义。"})
    with pytest.raises(ValidationError):
        services.typical_case_deidentify(user=people["mediator"], typical_case_id=tc.pk, policy="KEEP",
                                         digest=preview.digest)


def test_keep_policy_keeps_employer_names(people, case):
    tc = deidentify(people["mediator"], nominate(people, case), policy="KEEP")
    assert "安康恒通建筑劳务有限公司" in tc.summary and "王建国" not in tc.summary


def test_full_pipeline_to_publication_with_checklist_and_supervisor(people, case, on_commit):
    tc = nominate(people, case)
    tc = services.typical_case_update(user=people["mediator"], typical_case_id=tc.pk,
                                      values={"significance": "总包先行清偿，春节前兑现工资。"})
    assert tc.status == S.DRAFTING
    tc = deidentify(people["mediator"], tc)
    tc = services.typical_case_submit(user=people["mediator"], typical_case_id=tc.pk)
    assert tc.status == S.UNDER_REVIEW
    with pytest.raises(PermissionDenied):  # the writer cannot approve
        services.typical_case_publish(user=people["mediator"], typical_case_id=tc.pk)
    with pytest.raises(ValidationError):  # not before the checklist is complete
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
    services.typical_case_review(user=people["supervisor"], typical_case_id=tc.pk,
                                 checklist={**ALL_TICKED, "facts": False})
    with pytest.raises(ValidationError):
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
    services.typical_case_review(user=people["supervisor"], typical_case_id=tc.pk, checklist=ALL_TICKED)
    with on_commit():
        tc = services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
    assert tc.status == S.PUBLISHED and tc.reviewer == people["supervisor"] and tc.published_at
    actions = list(tc.versions.order_by("version").values_list("action", flat=True))
    assert actions == ["nominate", "edit", "deidentify", "submit", "review", "review", "publish"]
    assert tc.version == 7
    assert tc.versions.get(version=7).snapshot["status"] == S.PUBLISHED
    assert list(tc.events.values_list("to_status", flat=True))[-1] == S.PUBLISHED


def test_submit_is_refused_while_identifying_data_remains(people, case):
    tc = deidentify(people["mediator"], nominate(people, case))
    # Writing a name back after de-identification sends the case back to drafting…
    tc = services.typical_case_update(user=people["mediator"], typical_case_id=tc.pk,
                                      values={"summary": tc.summary + "联系人王建国13912345678。"})
    assert tc.status == S.DRAFTING
    # …and even forced to DEIDENTIFIED it cannot be submitted.
    type(tc).objects.filter(pk=tc.pk).update(status=S.DEIDENTIFIED)
    with pytest.raises(ValidationError) as err:
        services.typical_case_submit(user=people["mediator"], typical_case_id=tc.pk)
    assert any("电话号码" in m for m in err.value.messages)


def test_return_reject_and_unpublish_need_a_reason_and_a_supervisor(people, case):
    tc = services.typical_case_submit(user=people["mediator"],
                                      typical_case_id=deidentify(people["mediator"], nominate(people, case)).pk)
    with pytest.raises(ValidationError):
        services.typical_case_return(user=people["supervisor"], typical_case_id=tc.pk, reason=" ")
    tc = services.typical_case_return(user=people["supervisor"], typical_case_id=tc.pk, reason="请补充典型意义")
    assert tc.status == S.DRAFTING and tc.rejection_reason == "请补充典型意义"
    with pytest.raises(PermissionDenied):
        services.typical_case_reject(user=people["head"], typical_case_id=tc.pk, reason="不典型")
    tc = services.typical_case_reject(user=people["supervisor"], typical_case_id=tc.pk, reason="不典型")
    assert tc.status == S.REJECTED
    with pytest.raises(ValidationError):  # a rejected case cannot be published
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)

    published = TypicalCaseFactory()
    with pytest.raises(PermissionDenied):
        services.typical_case_unpublish(user=people["mediator"], typical_case_id=published.pk, reason="x")
    published = services.typical_case_unpublish(user=people["supervisor"], typical_case_id=published.pk,
                                                reason="当事人提出异议")
    assert published.status == S.UNPUBLISHED and published.version == 2


def test_editing_a_published_case_is_for_supervisors_and_keeps_it_clean(people):
    tc = TypicalCaseFactory()
    with pytest.raises(PermissionDenied):
        services.typical_case_update(user=people["mediator"], typical_case_id=tc.pk, values={"title": "改"})
    with pytest.raises(ValidationError):
        services.typical_case_update(user=people["supervisor"], typical_case_id=tc.pk,
                                     values={"summary": "联系电话13912345678"})
    tc = services.typical_case_update(user=people["supervisor"], typical_case_id=tc.pk,
                                      values={"significance": "更正后的典型意义。"})
    assert tc.status == S.PUBLISHED and tc.version == 2
    assert tc.versions.get(version=2).snapshot["significance"] == "更正后的典型意义。"


def test_a_case_written_without_a_source_case(people):
    values = {"title": "石泉县新闻报道中的欠薪调解案", "county": County.SHIQUAN, "year": 2025,
              "dispute_type": DisputeType.WAGES, "agencies": [PartnerAgency.UNION], "summary": "据报道……",
              "amount_yuan": "1000", "workers_count": 2, "tags": ["欠薪"]}
    tc = services.typical_case_create(user=people["labor_supervisor"], values=values)
    assert tc.status == S.DRAFTING and tc.source_case is None and tc.agency == people["labor_supervisor"].staff.agency
    with pytest.raises(ValidationError):  # the identity (title + county + year) is unique
        services.typical_case_create(user=people["mediator"], values=values)
    with pytest.raises(ValidationError):
        services.typical_case_create(user=people["mediator"], values={**values, "title": "另一个", "agencies": ["外星"]})
