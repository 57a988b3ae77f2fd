#!/usr/bin/env python
"""Benchmark: the cockpit (数据驾驶舱) and the annual report on PostgreSQL, 50,000 cases over three years.

    .venv/bin/python bench/cockpit.py [--cases 50000] [--requests 30] [--rebuild]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/concord_cockpit11_bench (created and
migrated when missing, reused when it already holds the data). Data are written with COPY (the
helpers of bench/case_lists.py): cases of every outcome in all counties over three years (Hanbin the
busiest), workers (5 % collective cases of 10–40, 农民工 and 新就业形态 flags), claims, agreements
with instalments (paid and unpaid) or paid on the spot, referrals to the partner agencies with
their decision dates, running clocks on open cases, 一函两书 letters with recipients, and
published typical cases. Workflow processes and audit events are not generated: the cockpit does
not read them.

Measures the server time of /statistics/ (this year; a county; a quarter with a dispute type) and
/api/v1/statistics/ through Django's test client (force_login) for the city supervisor and a
county head, with queries per request; then the annual report in each format for the city.
Prints a table; it is not a test. Goals: cockpit median < 150 ms, annual report < 5 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from case_lists import Table, ensure_database, next_id, reset_sequence, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/concord_cockpit11_bench"
SEED = 20261130
COCKPIT_GOAL_MS, REPORT_GOAL_S = 150.0, 5.0
OUTCOMES = [
    ("SUCCESS_PAID_ON_SPOT", 30),
    ("SUCCESS_INSTALMENTS_DONE", 18),
    ("SUCCESS_JUDICIAL_CONFIRMED", 10),
    ("SUCCESS_ARB_REVIEWED", 4),
    ("SUCCESS_PAYMENT_ORDER", 2),
    ("FAILED_TO_ARBITRATION", 14),
    ("FAILED_TO_LITIGATION_LEGAL_AID", 3),
    ("FAILED_TO_LITIGATION_PROCURATORATE", 1),
    ("REFERRED_INSPECTION", 2),
    ("WITHDRAWN", 8),
    ("NOT_ACCEPTED", 5),
    ("REDIRECTED", 3),
]
OPEN = [
    ("RECEIVED", 10),
    ("ACCEPTED", 8),
    ("IN_MEDIATION", 35),
    ("EXTENDED", 8),
    ("AGREEMENT_EFFECTIVE", 6),
    ("CONFIRMATION_PENDING", 5),
    ("PERFORMING", 18),
    ("DEFAULTED", 4),
    ("ENFORCEMENT", 2),
    ("REFERRED_OUT", 4),
]
TYPES = [
    "WAGES",
    "WAGES",
    "WAGES",
    "SEVERANCE",
    "WORK_INJURY",
    "OVERTIME",
    "SOCIAL_INSURANCE",
    "CONTRACT",
]


def weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def generate(n_cases: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from mediation.cases.demo import demo_users_ensure
    from mediation.cases.models import Agreement, Case, CaseWorker, Claim, Instalment, Referral
    from mediation.clocks.models import Clock, DeadlineRule
    from mediation.supervision.models import (
        Letter,
        LetterRecipient,
        LetterTemplate,
        SupervisionMatter,
    )
    from parties.models import Employer, Worker
    from parties.services import COUNTY_SHORT, agencies_ensure_ankang
    from parties.validators import (
        CREDIT_CODE_ALPHABET,
        credit_code_check_char,
        resident_id_check_char,
    )
    from search.models import TypicalCase

    rng = random.Random(SEED)
    started = time.monotonic()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    agencies = agencies_ensure_ankang()
    demo_users_ensure(agencies)
    from django.contrib.auth import get_user_model

    creator = get_user_model().objects.get(username="city_supervisor")
    counties = list(COUNTY_SHORT)
    weights = [40 if c == "610902" else 60 / (len(counties) - 1) for c in counties]
    case_ct = ContentType.objects.get_for_model(Case)
    d3 = (
        DeadlineRule.objects.current()
        .filter(code="D3", locality="")
        .values_list("id", flat=True)
        .first()
    )
    models = (Worker, Case, CaseWorker, Claim, Agreement, Instalment, Referral, Clock)
    tables = {m: Table(m) for m in models}
    ids = {m: next_id(m) for m in models}

    def new_id(model):
        ids[model] += 1
        return ids[model] - 1

    days = 3 * 365
    received_days = sorted(
        today - datetime.timedelta(days=rng.randrange(days)) for _ in range(n_cases)
    )
    numbers: dict = {}
    for received in received_days:
        code = rng.choices(counties, weights=weights)[0]
        union = agencies[f"union:{code}"]
        age = (today - received).days
        closed = rng.random() < min(0.97, age / 60)
        status = "ARCHIVED" if closed and age > 120 else "CLOSED" if closed else weighted(rng, OPEN)
        code_closing = weighted(rng, OUTCOMES) if closed else ""
        closed_on = (
            received + datetime.timedelta(days=min(age, rng.randint(3, 60))) if closed else None
        )
        n_workers = (
            rng.randint(10, 40)
            if rng.random() < 0.05
            else rng.choices([1, 2, 3], weights=[85, 10, 5])[0]
        )
        nef_case = rng.random() < 0.08
        migrant = rng.random() < 0.55
        nef_workers = [nef_case and rng.random() < 0.8 for _i in range(n_workers)]
        case_id = new_id(Case)
        numbers[(union.pk, received.year)] = numbers.get((union.pk, received.year), 0) + 1
        tables[Case].add(
            id=case_id,
            case_no=f"{union.case_prefix}〔{received.year}〕第{numbers[(union.pk, received.year)]:05d}号",
            year=received.year,
            agency_id=union.pk,
            county=code,
            channel="WALK_IN",
            title=f"欠薪纠纷{case_id}",
            facts="申请人称被申请人拖欠工资。",
            industry="OTHER",
            employment_form="NEF_LABOR" if nef_case else "STANDARD",
            is_collective=n_workers >= 10,
            workers_count=n_workers,
            workers_migrant=n_workers if migrant else 0,
            workers_nef=sum(nef_workers),
            status=status,
            received_on=received,
            closed_on=closed_on,
            closing_code=code_closing,
            created_by_id=creator.pk,
            created_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=tz),
            updated_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=tz),
        )
        amount = Decimal(rng.randrange(20, 600) * 100)
        for nef_worker in nef_workers:
            worker_id = new_id(Worker)
            first17 = (
                f"{code}{1970 + rng.randrange(35)}{rng.randrange(1, 13):02d}{rng.randrange(1, 28):02d}"
                f"{rng.randrange(1000):03d}"
            )
            tables[Worker].add(
                id=worker_id,
                name=f"工人{worker_id}",
                id_number=first17 + resident_id_check_char(first17),
                is_migrant=migrant,
                is_new_employment_form=nef_worker,
            )
            # The flags as the case records them (the cockpit counts these, issue 9 item 1).
            tables[CaseWorker].add(
                id=new_id(CaseWorker),
                case_id=case_id,
                worker_id=worker_id,
                name=f"工人{worker_id}",
                is_migrant=migrant,
                is_new_employment_form=nef_worker,
                amount_claimed=amount,
            )
        tables[Claim].add(
            id=new_id(Claim),
            case_id=case_id,
            dispute_type=rng.choice(TYPES),
            subtype="拖欠工资",
            amount_claimed=amount * n_workers,
        )
        if code_closing.startswith("SUCCESS_") or status in (
            "PERFORMING",
            "DEFAULTED",
            "ENFORCEMENT",
        ):
            agreement_id = new_id(Agreement)
            signed = (closed_on or today) - datetime.timedelta(days=rng.randint(0, 20))
            signed = max(signed, received)
            total = amount * n_workers * Decimal("0.8")
            spot = code_closing == "SUCCESS_PAID_ON_SPOT"
            tables[Agreement].add(
                id=agreement_id,
                case_id=case_id,
                terms="分期支付。",
                amount_total=total,
                signed_on=signed,
                paid_on_spot=spot,
                applicant_signed=True,
                respondent_signed=True,
                mediator_signed=True,
                sealed=True,
            )
            if not spot:
                parts = rng.randint(2, 4)
                for k in range(parts):
                    due = signed + datetime.timedelta(days=30 * (k + 1))
                    paid = due if (closed or due < today and rng.random() < 0.7) else None
                    tables[Instalment].add(
                        id=new_id(Instalment),
                        agreement_id=agreement_id,
                        due_on=due,
                        amount=(total / parts).quantize(Decimal("0.01")),
                        paid_on=paid,
                    )
        if code_closing.startswith("FAILED_") or status == "REFERRED_OUT" or rng.random() < 0.03:
            kind, key = rng.choice(
                [
                    ("ARBITRATION", "arbitration"),
                    ("LEGAL_AID", "legal_aid"),
                    ("SUPPORT_PROSECUTION", "procuratorate"),
                    ("INSPECTION", "inspection"),
                ]
            )
            sent = received + datetime.timedelta(days=rng.randint(5, 30))
            sent = min(sent, today)
            decided = sent + datetime.timedelta(days=rng.randint(1, 25))
            decided = decided if decided <= today else None
            tables[Referral].add(
                id=new_id(Referral),
                case_id=case_id,
                kind=kind,
                target_agency_id=agencies[f"{key}:{code}"].pk,
                sent_on=sent,
                status="DECIDED" if decided else "SENT",
                received_on=decided,
                decided_on=decided,
            )
        if not closed:
            due = received + datetime.timedelta(days=rng.randint(15, 45))
            tables[Clock].add(
                id=new_id(Clock),
                content_type_id=case_ct.pk,
                object_id=case_id,
                case_id=case_id,
                agency_id=union.pk,
                county=code,
                rule_id=d3,
                rule_code="D3",
                started_on=received,
                due_on=due,
                warn_on=due - datetime.timedelta(days=3),
                status="running",
                calendar_missing_years=[],
                reminder_stage=0,
                created_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=tz),
                updated_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=tz),
            )
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for model in models:
            n = tables[model].copy(raw)
            reset_sequence(cursor, model)
            print(f"  {model.__name__:<12} {n:>8}")

    # 一函两书 and typical cases: a few thousand rows through bulk_create.
    templates = {t.kind: t for t in LetterTemplate.objects.all()}
    employers = []
    for i in range(600):
        code = rng.choices(counties, weights=weights)[0]
        body = "91" + code + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
        employers.append(
            Employer(
                name=f"安康某公司{i}",
                credit_code=body + credit_code_check_char(body),
                legal_representative="李某",
                county=code,
            )
        )
    Employer.objects.bulk_create(employers, ignore_conflicts=True)
    employers = list(Employer.objects.all()[:600])
    matters, letters, recipients = [], [], []
    for i in range(3000):
        emp = rng.choice(employers)
        issued = today - datetime.timedelta(days=rng.randrange(days))
        matters.append(
            SupervisionMatter(
                matter_no=f"BENCH-{i}",
                year=issued.year,
                agency=agencies[f"union:{emp.county}"],
                county=emp.county,
                title="监督事项",
                employer=emp,
                source="HOTLINE",
                clue="线索",
                created_by=creator,
            )
        )
    SupervisionMatter.objects.bulk_create(matters)
    for i, matter in enumerate(SupervisionMatter.objects.filter(matter_no__startswith="BENCH-")):
        kind = weighted(rng, [("REMINDER", 70), ("OPINION", 20), ("RECOMMENDATION", 10)])
        issued = today - datetime.timedelta(days=rng.randrange(days))
        letters.append(
            Letter(
                matter=matter,
                kind=kind,
                year=issued.year,
                number=100000 + i,
                doc_no=f"BENCH-L{i}",
                issuer=matter.agency,
                subject="欠薪",
                facts="事实",
                legal_basis="劳动法",
                requirements="整改",
                issued_on=issued,
                issued_by=creator,
                template=templates[kind],
                rendered_text="正文",
                content_sha256="0" * 64,
            )
        )
    Letter.objects.bulk_create(letters)
    for letter in Letter.objects.filter(doc_no__startswith="BENCH-L").select_related(
        "matter__employer"
    ):
        reply = weighted(
            rng, [("ACCEPTED", 60), ("PARTIAL", 15), ("REFUSED", 5), ("NO_REPLY", 10), ("", 10)]
        )
        recipients.append(
            LetterRecipient(
                letter=letter,
                employer=letter.matter.employer,
                name=letter.matter.employer.name,
                delivered_on=letter.issued_on,
                reply_kind=reply,
                verification="RECTIFIED" if reply == "ACCEPTED" else "",
            )
        )
    LetterRecipient.objects.bulk_create(recipients)
    typical = []
    for i in range(400):
        published = today - datetime.timedelta(days=rng.randrange(days))
        typical.append(
            TypicalCase(
                title=f"基准典型案例{i}",
                county=rng.choice(counties),
                year=published.year,
                dispute_type=rng.choice(TYPES),
                summary="概况",
                status="PUBLISHED",
                published_at=datetime.datetime.combine(published, datetime.time(10), tzinfo=tz),
            )
        )
    TypicalCase.objects.bulk_create(typical, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {n_cases} cases in {time.monotonic() - started:.0f} s")


def _percentile(samples, pct):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def measure(requests: int) -> bool:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from mediation.statistics import report, selectors

    User = get_user_model()
    year = timezone.localdate().year
    supervisor = User.objects.get(username="city_supervisor")
    head = User.objects.get(username="hb_head")
    ok = True
    # Calibration: the machine is shared; a plain count of all cases shows how loaded it is
    # (a few ms on an idle machine). Read the figures below against it.
    samples = []
    for _ in range(10):
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")
        samples.append((time.perf_counter() - t) * 1000)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"calibration: SELECT count(*) FROM cases_case median {statistics.median(samples):.1f} ms; "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"\n{'request':<62} {'median':>8} {'p95':>8} {'queries':>8}")
    for user, url in [
        (supervisor, f"/statistics/?year={year}"),
        (supervisor, f"/statistics/?year={year - 1}&county=610921"),
        (supervisor, f"/statistics/?year={year}&period=quarter&quarter=2&dispute_type=WAGES"),
        (head, f"/statistics/?year={year}"),
        (supervisor, f"/api/v1/statistics/?year={year}"),
    ]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(requests):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        median = statistics.median(samples)
        ok &= median < COCKPIT_GOAL_MS
        print(
            f"{user.username + ' ' + url:<62} {median:>6.0f}ms {_percentile(samples, 95):>6.0f}ms {len(ctx):>8}"
        )
    print(f"\n{'annual report (city, ' + str(year) + ')':<40} {'median':>8} {'size':>10}")
    for fmt in report.FORMATS:
        samples = []
        for _ in range(3):
            t = time.perf_counter()
            table = selectors.annual_table(supervisor, year=year)
            content = report.render(table, fmt)
            samples.append(time.perf_counter() - t)
        median = statistics.median(samples)
        ok &= median < REPORT_GOAL_S
        print(f"{fmt:<40} {median:>7.2f}s {len(content):>9}B")
    print(
        f"\ngoals: cockpit median < {COCKPIT_GOAL_MS:.0f} ms, report < {REPORT_GOAL_S:.0f} s: "
        f"{'met' if ok else 'NOT met'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--rebuild", action="store_true", help="drop and recreate the benchmark database"
    )
    args = parser.parse_args()
    ensure_database(args.url, rebuild=args.rebuild)
    setup_django(args.url)
    from mediation.cases.models import Case

    have = Case.objects.count()
    if have < args.cases:
        if have:
            print(f"the database holds {have} cases, fewer than {args.cases}: use --rebuild")
            return 2
        generate(args.cases)
    print(
        f"data: {Case.objects.count()} cases, {Case.objects.values('year').distinct().count()} years"
    )
    measure(args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
