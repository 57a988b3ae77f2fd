#!/usr/bin/env python
"""Benchmark: the mediator's desk on PostgreSQL at 50,000 cases and ~500,000 audit events.

    .venv/bin/python bench/desk.py [--requests 40] [--rebuild] [--skip-export] [--only inbox|search|export]

Reuses bench/case_lists.py's database and generator (DATABASE_URL from BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/concord_desk_bench). Measures, through Django's test client
(force_login), server time per request:

- the inbox (ordered by urgency, with its counts and filters) for a Hanbin mediator and the
  Hanbin court liaison — goal median < 50 ms, p95 < 150 ms;
- finding a case by a person on the case list (/cases/?q=…): worker name, full ID number, ID tail
  (last 4 and 6 digits), phone, employer name, credit code, case number — goal p95 < 50 ms —
  and prints EXPLAIN ANALYZE of the search query so the index in use can be seen;
- the cases ledger (.xlsx) of all 50,000 cases for the city supervisor, written by the same
  service the Celery task runs — goal < 30 s — with the peak RSS sampled during the export,
  next to a small export, to show that memory stays flat.

Prints a table; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import case_lists  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/concord_desk_bench"
INBOX_GOAL = (50.0, 150.0)
SEARCH_P95_GOAL = 50.0
EXPORT_GOAL_S = 30.0


def _timed(client, url: str, requests: int) -> tuple[float, float, float, float, int]:
    """Server time of `url`: median and p95 wall time, median Python CPU time (unaffected by other
    load on the machine), median SQL time and the number of queries (both from one captured run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    samples, cpu = [], []
    for _ in range(requests):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200
    sql = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    samples.sort()
    return (
        statistics.median(samples),
        case_lists._percentile(samples, 0.95),
        statistics.median(cpu),
        statistics.median(sql),
        len(ctx.captured_queries),
    )


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


HEAD = f"{'median ms':>10s} {'p95 ms':>8s} {'CPU ms':>7s} {'SQL ms':>7s} {'queries':>8s}  goal"


def _cols(median, p95, cpu, sql, queries) -> str:
    return f"{median:10.1f} {p95:8.1f} {cpu:7.1f} {sql:7.1f} {queries:8d}"


def measure_inbox(requests: int) -> bool:
    print("\n== inbox by urgency ==")
    print(f"{'user':14s} {'url':28s} {HEAD}")
    ok = True
    for user, url in (
        ("hb_mediator", "/inbox/"),
        ("hb_court", "/inbox/"),
        ("hb_mediator", "/inbox/?clock=overdue"),
        ("hb_court", "/inbox/?clock=running"),
    ):
        figures = _timed(_client(user), url, requests)
        good = figures[0] < INBOX_GOAL[0] and figures[1] < INBOX_GOAL[1]
        ok &= good
        print(f"{user:14s} {url:28s} {_cols(*figures)}  {'ok' if good else 'MISSED'}")
    return ok


def _search_terms() -> list[tuple[str, str]]:
    """Real values from the Hanbin mediator's scope (the generator is seeded)."""
    from mediation.cases.models import Case, CaseRespondent, CaseWorker

    case = Case.objects.filter(county="610902", is_collective=False).order_by("-id")[100]
    cw = CaseWorker.objects.filter(case=case).select_related("worker").first()
    resp = CaseRespondent.objects.filter(case=case).select_related("employer").first()
    w, e = cw.worker, resp.employer
    return [  # the name and phone as the case records them (what the search matches)
        ("worker name", cw.name),
        ("full ID", w.id_number),
        ("ID tail 6", w.id_number[-6:]),
        ("ID tail 4", w.id_number[-4:]),
        ("phone", cw.phone),
        ("employer name", e.name[-10:]),
        ("credit code", e.credit_code),
        ("case number", case.case_no),
    ]


def measure_search(requests: int) -> bool:
    from urllib.parse import urlencode

    from django.db import connection

    from mediation.cases.selectors import case_list_for_user

    print("\n== find a case by a person (/cases/?q=…) ==")
    print(f"{'user':16s} {'search by':14s} {'q':26s} {'hits':>5s} {HEAD}")
    ok = True
    terms = _search_terms()
    from django.contrib.auth import get_user_model

    for user in ("hb_mediator", "city_supervisor"):
        client = _client(user)
        u = get_user_model().objects.get(username=user)
        figures = _timed(client, "/cases/", requests)
        print(
            f"{user:16s} {'(no search)':14s} {'':26s} {'':5s} {_cols(*figures)}  (for comparison)"
        )
        for label, q in terms:
            hits = case_list_for_user(u, q=q).count()
            figures = _timed(client, "/cases/?" + urlencode({"q": q}), requests)
            good = figures[1] < SEARCH_P95_GOAL
            ok &= good
            print(
                f"{user:16s} {label:14s} {q:26s} {hits:5d} {_cols(*figures)}  {'ok' if good else 'MISSED'}"
            )

    print(
        "\nEXPLAIN ANALYZE of the search (page query, hb_mediator) — the trigram / pattern indexes in use:"
    )
    u = get_user_model().objects.get(username="hb_mediator")
    for label, q in terms:
        if label not in ("ID tail 4", "worker name", "phone", "employer name"):
            continue
        qs = case_list_for_user(u, q=q)[:25]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [line for (line,) in cursor.fetchall()]
        print(f"-- {label} = {q!r}")
        for line in lines:
            if any(k in line for k in ("desk_", "rev10_", "Execution Time")):
                print("   ", line)
    return ok


class RssSampler:
    """Peak resident memory of this process while a block runs (sampled every 20 ms)."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss_mb())
            time.sleep(0.02)

    def __enter__(self):
        self.start = self.rss_mb()
        self.peak = self.start
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measure_export() -> bool:
    from django.contrib.auth import get_user_model

    from mediation.ledgers.models import LedgerExport
    from mediation.ledgers.services import ledger_export_build

    print("\n== cases ledger to .xlsx (openpyxl write-only, rows streamed in chunks of 2,000) ==")
    print(
        f"{'export':24s} {'rows':>7s} {'seconds':>8s} {'CPU s':>6s} {'rows/s':>8s} {'RSS before':>11s} {'peak RSS':>9s} "
        f"{'growth':>7s} {'file MB':>8s}  goal"
    )
    supervisor = get_user_model().objects.get(username="city_supervisor")
    ok = True
    for label, params in (
        ("one county (镇坪县)", {"county": "610927"}),
        ("Hanbin", {"county": "610902"}),
        ("all cases", {}),
    ):
        export = LedgerExport.objects.create(kind="cases", params=params, requested_by=supervisor)
        with RssSampler() as rss:
            t0, c0 = time.perf_counter(), time.process_time()
            export = ledger_export_build(export.pk)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert export.status == "done", export.error
        size = export.file.size / 1e6
        good = seconds < EXPORT_GOAL_S if not params else True
        ok &= good
        print(
            f"{label:24s} {export.rows_done:7d} {seconds:8.1f} {cpu:6.1f} {export.rows_done / seconds:8.0f} "
            f"{rss.start:9.0f} MB {rss.peak:6.0f} MB {rss.peak - rss.start:4.0f} MB {size:8.1f}  "
            f"{'ok' if good else 'MISSED'}"
        )
        export.file.delete(save=False)
        export.delete()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--only", choices=["inbox", "search", "export"], help="measure one part only"
    )
    args = parser.parse_args()

    case_lists.ensure_database(args.url, rebuild=args.rebuild)
    case_lists.setup_django(args.url)
    from django.db import connection

    from mediation.cases.models import Case, CaseEvent

    have = Case.objects.count()
    if not have:
        case_lists.generate(args.cases, args.events)
    elif have < args.cases * 0.99:
        print(f"the database holds {have:,} cases, not {args.cases:,}: run with --rebuild")
        return 2
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"cases {Case.objects.count():,}, audit events {CaseEvent.objects.count():,}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    ok = True
    if args.only in (None, "inbox"):
        ok &= measure_inbox(args.requests)
    if args.only in (None, "search"):
        ok &= measure_search(args.requests)
    if args.only == "export" or (args.only is None and not args.skip_export):
        ok &= measure_export()
    print(
        f"\ngoals: inbox median < {INBOX_GOAL[0]:.0f} ms and p95 < {INBOX_GOAL[1]:.0f} ms; search p95 < "
        f"{SEARCH_P95_GOAL:.0f} ms; 50,000-row export < {EXPORT_GOAL_S:.0f} s — {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
