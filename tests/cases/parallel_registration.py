"""20 registrations at once through the real registration page, each in its own thread with its
own database connection. Used by test_parallel_registration.py: on SQLite it runs in a child
process against a real database file (the `make run` default), on PostgreSQL inside the test.
"""

from __future__ import annotations

import threading

from django.db import connections
from django.test import Client

N = 20


def form_data(i: int, county: str) -> dict:
    from tests.factories.parties import make_credit_code, make_resident_id

    return {
        "channel": "WALK_IN",
        "received_on": "2026-03-02",
        "county": county,
        "title": f"并发登记{i}",
        "facts": "拖欠工资",
        "industry": "OTHER",
        "employment_form": "STANDARD",
        "workers": f"工人{i}，{make_resident_id(seed=3000 + i)}，139{i:08d}，1000",
        "employer_name": f"某公司{i}",
        "employer_credit_code": make_credit_code(seed=3000 + i),
        "employer_legal_rep": "李某",
        "employer_kind": "ENTERPRISE",
        "employer_role": "EMPLOYER",
        "claim_type": "WAGES",
        "claim_subtype": "拖欠工资",
        # Half from the page (with its one-time token), half like a script posting without one.
        **({"_submission": f"parallel-{i}"} if i % 2 == 0 else {}),
    }


def register_in_parallel(
    user, county: str, n: int = N, timings: list | None = None, offset: int = 0
) -> list[tuple[int, str]]:
    """Post n registrations at the same moment; returns (status, location or error) per thread.
    `timings` receives each request's seconds (for bench/parallel_registration.py)."""
    import time

    start = threading.Barrier(n)
    results: list[tuple[int, str]] = [(0, "")] * n

    def one(i: int) -> None:
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            began = time.perf_counter()
            response = client.post("/cases/new/", form_data(offset + i, county))
            if timings is not None:
                timings.append(time.perf_counter() - began)
            results[i] = (response.status_code, response.get("Location", ""))
        except Exception as exc:  # reported, never swallowed: the caller asserts on it
            results[i] = (-1, repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def main() -> None:
    """Child process: migrate a fresh SQLite file, register 20 cases at once, print JSON."""
    import json

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from mediation.cases.models import Case
    from parties.models import Role
    from parties.services import agencies_ensure_ankang, staff_create

    agency = agencies_ensure_ankang()["union:610902"]
    user = staff_create(
        username="par_intake",
        password="x-Concord-2026",
        agency=agency,
        full_name="并发登记员",
        roles=[Role.INTAKE],
    ).user
    connections.close_all()
    results = register_in_parallel(user, agency.county)
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                "results": results,
                "case_nos": sorted(Case.objects.values_list("case_no", flat=True)),
                "journal_mode": journal,
                "vendor": connections["default"].vendor,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
