"""Parallel registrations on the embedded default (SQLite file, WAL, IMMEDIATE transactions).

    .venv/bin/python bench/parallel_registration.py              # 5 rounds of 20 at once
    .venv/bin/python bench/parallel_registration.py --rounds 3 --parallel 10

Migrates a fresh SQLite file in a temporary folder, then posts `--parallel` registrations through
the real registration page at the same moment, `--rounds` times, and prints the median and p95
time of one registration, the wall time of a round, and whether every registration succeeded with
consecutive numbers. Bounded: at most a few minutes on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--parallel", type=int, default=20)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="concord-bench-parallel-")
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args, folder: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(CONCORD_VAR_DIR=folder, DJANGO_SETTINGS_MODULE="mediation.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_test_environment

    from mediation.cases.models import Case
    from parties.models import Role
    from parties.services import agencies_ensure_ankang, staff_create
    from tests.cases.parallel_registration import register_in_parallel

    setup_test_environment()
    call_command("migrate", verbosity=0)
    agency = agencies_ensure_ankang()["union:610902"]
    user = staff_create(
        username="bench_intake",
        password="x-Concord-2026",
        agency=agency,
        full_name="压测登记员",
        roles=[Role.INTAKE],
    ).user
    connections.close_all()
    timings, walls, failures = [], [], 0
    for r in range(args.rounds):
        began = time.perf_counter()
        results = register_in_parallel(
            user, agency.county, n=args.parallel, timings=timings, offset=r * args.parallel
        )
        walls.append(time.perf_counter() - began)
        failures += sum(1 for status, _ in results if status != 302)
    numbers = sorted(
        int(no.split("第")[1][:4]) for no in Case.objects.values_list("case_no", flat=True)
    )
    total = args.rounds * args.parallel
    timings.sort()
    print(
        f"SQLite file, WAL, IMMEDIATE: {args.rounds} rounds × {args.parallel} registrations at once"
    )
    print(
        f"  one registration: median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
    )
    print(f"  one round (wall): median {statistics.median(walls):.2f} s")
    print(
        f"  succeeded: {total - failures}/{total}; numbers consecutive 1..{total}: {numbers == list(range(1, total + 1))}"
    )


if __name__ == "__main__":
    main()
