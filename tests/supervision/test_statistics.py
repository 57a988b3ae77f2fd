"""DOMAIN §4.6: letters by type and month, reply and rectification rate, referrals and results, per county."""

import datetime

import pytest

from mediation.supervision import services, steps
from mediation.supervision.models import (
    Conclusion,
    DepartmentDecision,
    DepartmentResult,
    LetterKind,
    ProcuratorateAction,
    ReferralGround,
    ReplyKind,
    Verification,
)
from mediation.supervision.selectors import supervision_statistics
from parties.models import County, Role
from tests.factories.parties import staff_user
from tests.factories.supervision import deliver, do, employer, investigate, issue, open_matter
from tests.supervision.test_flow import run_to_recommendation
from workflows.supervision_flow import referral_open

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def data(people, ankang, sup, cal):
    """Hanbin: one matter up to an order to correct; one rectified after a 提示函.
    Hanyin: one 提示函 delivered, not yet answered. One referral with feedback."""
    lsup, insp = sup["lsup"], people["inspection"]
    matter, reminder, opinion, rec = run_to_recommendation(sup, cal, ankang)
    services.letter_delivery_record(actor=lsup, recipient=rec.recipients.get(), method="IN_PERSON",
                                    delivered_on=D(2026, 4, 10), receipt="收文118号")
    services.department_filing_record(actor=insp, letter=rec, decision=DepartmentDecision.FILED,
                                      decided_on=D(2026, 4, 10), filing_no="汉人社监立〔2026〕12号")
    services.department_result_record(actor=insp, letter=rec, result=DepartmentResult.ORDER_TO_CORRECT,
                                      result_on=D(2026, 4, 10), result_note="责令改正。")

    second = open_matter(lsup, emp=employer(name="汉滨茶业有限公司"))
    investigate(second, lsup, sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(second, "issue_reminder", lsup, LetterKind.REMINDER, D(2026, 4, 10), request_reply=False)
    deliver(letter, lsup, D(2026, 4, 10))
    do(second, "follow_reminder", lsup, steps.letter_follow, recipient=letter.recipients.get(), reply_kind=ReplyKind.ACCEPTED, replied_on=D(2026, 4, 10), reply_content="已补发。", verification=Verification.RECTIFIED, verified_on=D(2026, 4, 10), amount_recovered="50000", workers_covered=8)
    referral = referral_open(actor=lsup, matter=matter, agency=ankang["procuratorate:610902"],
                             sent_on=D(2026, 4, 10), grounds=[ReferralGround.MIGRANT_WAGES], note="农民工欠薪。")
    services.procuratorate_feedback_record(actor=people["procuratorate"], referral=referral,
                                           action=ProcuratorateAction.SUPPORT_PROSECUTION,
                                           closed_on=D(2026, 4, 10), feedback="已支持起诉。", feedback_on=D(2026, 4, 10))

    hy1 = staff_user(ankang["union:610921"], Role.LABOR_SUPERVISOR, username="hy_lsup")
    hy2 = staff_user(ankang["union:610921"], Role.LABOR_SUPERVISOR, username="hy_lsup2")
    third = open_matter(hy1, emp=employer(name="汉阴社区工厂", county=County.HANYIN))
    investigate(third, hy1, hy2, conclusion=Conclusion.RISK)
    hy_letter = issue(third, "issue_reminder", hy1, LetterKind.REMINDER, D(2026, 4, 10))
    deliver(hy_letter, hy1, D(2026, 4, 10))
    return {"hy_lsup": hy1}


def test_city_supervisor_sees_every_county(people, data):
    stats = supervision_statistics(people["supervisor"], year=2026)
    assert stats["by_kind"] == {"REMINDER": 3, "OPINION": 1, "RECOMMENDATION": 1}
    march, april = stats["months"][2], stats["months"][3]
    assert march["counts"] == {"REMINDER": 1, "OPINION": 1, "RECOMMENDATION": 0}
    assert april["counts"] == {"REMINDER": 2, "OPINION": 0, "RECOMMENDATION": 1}
    # Answered employer letters: reminder ignored, opinion refused, reminder accepted → 2 of 3 replied
    # in writing,
    # 1 of 3 rectified. The unanswered Hanyin reminder does not count yet.
    assert (stats["answered"], stats["replied"], stats["rectified"]) == (3, 2, 1)
    assert round(stats["reply_rate"], 3) == round(2 / 3, 3)
    assert round(stats["rectification_rate"], 3) == round(1 / 3, 3)
    assert stats["recommendations"]["filed"] == 1
    assert [(r["result"], r["n"]) for r in stats["recommendations"]["results"]] == [("ORDER_TO_CORRECT", 1)]
    assert stats["referrals"]["total"] == 1 and stats["referrals"]["answered"] == 1
    assert stats["referrals"]["actions"][0]["label"] == "支持起诉"
    counties = {c["code"]: c for c in stats["per_county"]}
    assert counties[County.HANBIN]["counts"] == {"REMINDER": 2, "OPINION": 1, "RECOMMENDATION": 1}
    assert counties[County.HANBIN]["rectified"] == 1 and counties[County.HANBIN]["matters"] == 2
    assert counties[County.HANYIN]["counts"]["REMINDER"] == 1
    assert stats["amount_recovered"] == 50000 and stats["workers_covered"] == 8


def test_a_county_sees_its_own_figures(data):
    stats = supervision_statistics(data["hy_lsup"], year=2026)
    assert stats["by_kind"] == {"REMINDER": 1, "OPINION": 0, "RECOMMENDATION": 0}
    assert [c["code"] for c in stats["per_county"]] == [County.HANYIN]
    assert stats["reply_rate"] is None  # nothing answered yet


def test_filter_by_county_and_year(people, data):
    assert supervision_statistics(people["supervisor"], year=2026, county=County.HANYIN)["by_kind"]["REMINDER"] == 1
    assert supervision_statistics(people["supervisor"], year=2025)["by_kind"] == {
        "REMINDER": 0, "OPINION": 0, "RECOMMENDATION": 0}
