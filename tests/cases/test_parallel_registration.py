"""Issue 9 item 10: the embedded default holds several users.

20 registrations posted at the same moment all succeed, with consecutive case numbers:
on SQLite with a real database file (WAL, IMMEDIATE transactions), and on PostgreSQL.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cases.parallel_registration import N, register_in_parallel

ROOT = Path(__file__).resolve().parents[2]


def assert_twenty_consecutive(results, case_nos, prefix):
    assert [status for status, _ in results] == [302] * N, results
    assert all(location.startswith("/cases/") for _, location in results)
    assert case_nos == [f"{prefix}〔2026〕第{i:04d}号" for i in range(1, N + 1)]


@pytest.mark.xdist_group("parallel_registration")
def test_twenty_parallel_registrations_on_a_sqlite_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        CONCORD_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="mediation.settings.test",
        PYTHONPATH=str(ROOT),
        CELERY_TASK_ALWAYS_EAGER="1",
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.cases.parallel_registration"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["vendor"] == "sqlite" and report["journal_mode"] == "wal"
    assert (tmp_path / "concord.sqlite3").exists()
    assert_twenty_consecutive(report["results"], report["case_nos"], "汉滨工调")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_registrations_on_postgresql(people, ankang):
    from mediation.cases.models import Case

    results = register_in_parallel(people["intake"], "610902")
    assert_twenty_consecutive(
        results, sorted(Case.objects.values_list("case_no", flat=True)), "汉滨工调"
    )
