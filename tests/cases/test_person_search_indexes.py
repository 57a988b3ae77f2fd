"""On PostgreSQL the lookups of "find a case by a person" can use the indexes of migrations
cases 0004 and 0010 (trigram GIN, pattern btree; name and phone as the case records them).
With sequential and plain index scans disabled, EXPLAIN must name them: a lookup the indexes
cannot serve would still show a sequential scan."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from mediation.cases.selectors import case_list_for_user
from tests.factories.parties import make_credit_code, make_resident_id
from workflows.services import case_open

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORKER_ID = make_resident_id(birth=datetime.date(1990, 1, 2), seed=303)


@pytest.fixture
def case(people, ankang):
    return case_open(
        actor=people["intake"],
        agency=ankang["union:610902"],
        channel="WALK_IN",
        title="追索劳动报酬纠纷",
        facts="拖欠工资。",
        county="610902",
        received_on=datetime.date.today(),
        workers=[
            {
                "name": "司马相如",
                "id_number": WORKER_ID,
                "phone": "13712345678",
                "amount_claimed": Decimal("1000"),
                "is_representative": False,
                "is_migrant": False,
            }
        ],
        respondents=[
            {
                "name": "安康市汉滨区秦岭电子科技有限公司",
                "credit_code": make_credit_code(seed=303),
                "legal_representative": "钱某",
                "county": "610902",
                "role": "EMPLOYER",
            }
        ],
        claims=[
            {"dispute_type": "WAGES", "subtype": "拖欠工资", "amount_claimed": Decimal("1000")}
        ],
    )


@pytest.mark.parametrize(
    "q, index",
    [
        ("司马相如", "rev10_caseworker_name_like"),
        (WORKER_ID[-4:], "desk_worker_id_trgm"),
        ("3712345678", "rev10_caseworker_phone_trgm"),
        ("秦岭电子科技", "desk_employer_name_trgm"),
        ("汉滨工调〔", "desk_case_no_trgm"),
    ],
)
def test_explain_uses_the_person_search_indexes(case, people, q, index):
    qs = case_list_for_user(people["mediator"], q=q)
    assert case in qs
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Tiny tables: without this the planner rightly prefers to read them whole (or walk a
        # primary key); bitmap scans can only come from an index whose condition matches.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
