"""Concurrency on PostgreSQL: letters issued at the same moment get distinct consecutive numbers."""

import datetime
import threading

import pytest
from django.db import connection

from mediation.supervision import services
from mediation.supervision.models import Conclusion, Letter, LetterKind
from tests.factories.supervision import (
    chair,
    employer,
    letter_kwargs,
    reseed_migration_data,
    signed,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_parallel(n, target):
    """Run target(i) in n threads (each its own connection) released at the same moment."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 — collected for the assertions
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def investigated_matter(sup, n):
    matter = services.matter_register(actor=sup["lsup"], title=f"排查{n}", source="SCREENING", clue="…",
                                      employer=employer(name=f"并发测试公司{n}"))
    services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=datetime.date.today(),
                                  method="实地查看", findings="…", conclusion=Conclusion.VIOLATION,
                                  investigators=[sup["lsup"], sup["lsup2"]])
    matter.refresh_from_db()
    return matter


@pytest.mark.parametrize("kind", [LetterKind.REMINDER, LetterKind.OPINION])
def test_letters_issued_at_the_same_moment_get_consecutive_numbers(sup, kind):
    assert connection.vendor == "postgresql"
    reseed_migration_data()
    n = 6
    matters = [investigated_matter(sup, i) for i in range(n)]
    chair(matters[0].agency)  # the chair who signs them off, made before the threads
    today = datetime.date.today()

    def issue(i):
        return signed(actor=sup["lsup"], matter=matters[i], kind=kind, **letter_kwargs(kind, today)).doc_no

    results, errors = run_parallel(n, issue)
    assert errors == [None] * n
    char = {"REMINDER": "提", "OPINION": "意"}[kind]
    expected = [f"汉滨工监{char}〔{today.year}〕{k}号" for k in range(1, n + 1)]
    assert sorted(results, key=lambda s: int(s.split("〕")[1][:-1])) == expected
    assert sorted(Letter.objects.values_list("number", flat=True)) == list(range(1, n + 1))
