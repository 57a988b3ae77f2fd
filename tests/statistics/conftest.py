"""One hand-built set of cases across two years and two counties; the figures every test expects
are written in the tests, worked out by hand from this list (see docs/statistics.md)."""

import datetime

import pytest
import time_machine

from mediation.cases.models import CaseStatus, ClosingCode
from mediation.clocks.models import ClockStatus
from mediation.supervision.models import LetterKind, ReplyKind, Verification
from parties.models import County, Role
from search.models import TypicalCaseStatus
from tests.factories import statistics as f
from tests.factories.parties import staff_user

D = datetime.date
TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
HB, HY = County.HANBIN, County.HANYIN


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def dataset(frozen, ankang, people):
    hb, hy = ankang[f"union:{HB}"], ankang[f"union:{HY}"]
    user = people["head"]
    hy_head = staff_user(hy, Role.COMMITTEE_HEAD, username="hy_head")
    arb_hb, aid_hb, arb_hy = (
        ankang[f"arbitration:{HB}"],
        ankang[f"legal_aid:{HB}"],
        ankang[f"arbitration:{HY}"],
    )
    S, C = CaseStatus, ClosingCode

    # Hanbin, this year
    a = f.stat_case(
        hb,
        user,
        received_on=D(2026, 1, 10),
        status=S.CLOSED,
        closed_on=D(2026, 2, 1),
        closing_code=C.SUCCESS_PAID_ON_SPOT,
        workers=38,
        migrant=30,
        claimed="380000",
    )
    f.agreement(a, signed_on=D(2026, 1, 20), total="300000", spot=True)
    b = f.stat_case(
        hb,
        user,
        received_on=D(2026, 2, 5),
        status=S.PERFORMING,
        workers=2,
        nef=2,
        claimed="20000",
        dispute_type="SEVERANCE",
    )
    f.agreement(
        b,
        signed_on=D(2026, 3, 1),
        total="18000",
        instalments=[
            (D(2026, 3, 15), "6000", D(2026, 3, 14)),
            (D(2026, 4, 15), "6000", D(2026, 4, 20)),
            (D(2026, 5, 15), "6000", None),
        ],
    )
    c = f.stat_case(
        hb,
        user,
        received_on=D(2026, 3, 3),
        status=S.CLOSED,
        closed_on=D(2026, 4, 10),
        closing_code=C.FAILED_TO_ARBITRATION,
        migrant=1,
        claimed="5000",
    )
    f.stat_case(
        hb,
        user,
        received_on=D(2026, 4, 1),
        status=S.CLOSED,
        closed_on=D(2026, 4, 2),
        closing_code=C.NOT_ACCEPTED,
        migrant=0,
        claimed="3000",
    )
    e = f.stat_case(
        hb,
        user,
        received_on=D(2026, 5, 10),
        status=S.IN_MEDIATION,
        migrant=0,
        claimed="8000",
        employment_form="NEF_LABOR",
    )
    f.clock(e, due_on=D(2026, 6, 10), warn_on=D(2026, 6, 5))  # overdue on 15 June
    f.clock(
        e, due_on=D(2026, 6, 1), warn_on=D(2026, 5, 28), status=ClockStatus.MET, code="D2"
    )  # stopped: ignored
    f.referral(a, arb_hb, sent_on=D(2026, 1, 12), decided_on=D(2026, 1, 13))  # 1 day
    f.referral(c, arb_hb, sent_on=D(2026, 3, 20), decided_on=D(2026, 3, 25))  # 5 days
    f.referral(e, arb_hb, sent_on=D(2026, 5, 12), decided_on=D(2026, 5, 21))  # 9 days
    f.referral(e, aid_hb, sent_on=D(2026, 5, 15), kind="LEGAL_AID")  # not answered
    # Hanbin, last year
    old = f.stat_case(
        hb,
        user,
        received_on=D(2025, 3, 1),
        status=S.ARCHIVED,
        closed_on=D(2025, 4, 1),
        closing_code=C.SUCCESS_JUDICIAL_CONFIRMED,
        workers=3,
        migrant=3,
        claimed="30000",
    )
    f.agreement(
        old,
        signed_on=D(2025, 3, 20),
        total="30000",
        instalments=[(D(2025, 4, 1), "10000", D(2025, 4, 1)), (D(2026, 1, 1), "20000", None)],
    )
    f.stat_case(
        hb,
        user,
        received_on=D(2025, 6, 1),
        status=S.CLOSED,
        closed_on=D(2025, 6, 20),
        closing_code=C.WITHDRAWN,
        migrant=0,
    )
    # Hanyin, this year
    h = f.stat_case(
        hy,
        hy_head,
        received_on=D(2026, 2, 20),
        status=S.CLOSED,
        closed_on=D(2026, 3, 10),
        closing_code=C.SUCCESS_INSTALMENTS_DONE,
        workers=12,
        migrant=12,
        claimed="120000",
    )
    f.agreement(
        h,
        signed_on=D(2026, 2, 25),
        total="120000",
        instalments=[
            (D(2026, 3, 1), "60000", D(2026, 3, 1)),
            (D(2026, 3, 8), "60000", D(2026, 3, 8)),
        ],
    )
    i = f.stat_case(
        hy, hy_head, received_on=D(2026, 5, 20), status=S.IN_MEDIATION, migrant=0, claimed="2000"
    )
    f.clock(i, due_on=D(2026, 6, 20), warn_on=D(2026, 6, 12))  # at risk on 15 June
    f.referral(i, arb_hy, sent_on=D(2026, 5, 25), decided_on=D(2026, 6, 4))  # 10 days
    # A draft (no receipt date) is never counted.
    f.stat_case(hb, user, received_on=None, status=S.DRAFT, migrant=0)

    # 一函两书
    sup = people["supervisor"]
    f.letter(
        hb,
        sup,
        county=HB,
        kind=LetterKind.REMINDER,
        issued_on=D(2026, 3, 1),
        reply=ReplyKind.ACCEPTED,
        verification=Verification.RECTIFIED,
    )
    f.letter(
        hb,
        sup,
        county=HB,
        kind=LetterKind.OPINION,
        issued_on=D(2026, 4, 1),
        reply=ReplyKind.REFUSED,
        verification=Verification.NOT_RECTIFIED,
    )
    f.letter(
        hb,
        sup,
        county=HB,
        kind=LetterKind.REMINDER,
        issued_on=D(2025, 5, 1),
        reply=ReplyKind.ACCEPTED,
        verification=Verification.RECTIFIED,
    )
    f.letter(hy, sup, county=HY, kind=LetterKind.RECOMMENDATION, issued_on=D(2026, 5, 1))
    # 典型案例
    f.typical(HB, published_on=D(2026, 4, 1))
    f.typical(HY, published_on=D(2026, 5, 1))
    f.typical(HB, published_on=D(2025, 2, 1))
    f.typical(HB, published_on=D(2026, 4, 2), status=TypicalCaseStatus.UNDER_REVIEW)
    return {"hy_head": hy_head}
