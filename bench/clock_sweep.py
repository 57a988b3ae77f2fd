"""Benchmark of the reminder sweep (mediation.clocks.reminders.clocks_sweep) on PostgreSQL.

    .venv/bin/python bench/clock_sweep.py                  # 100,000 running clocks
    .venv/bin/python bench/clock_sweep.py --clocks 20000 --runs 5 --regenerate
    .venv/bin/python bench/clock_sweep.py --scenarios workers --workers 1,2

Uses its own database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/concord_bench_clocks),
creating and migrating it if needed, and fills it with bulk inserts, and a Redis broker
(CELERY_BROKER_URL, default redis://127.0.0.1:6379/0) with a queue of its own. Then, for each
scenario, it resets the reminders and times the sweep a few times, printing the median
time, the queries per batch and the resident memory (peak, and growth during the sweep).
Notification delivery is queued on a queue no worker reads: the sweep is measured.

Scenarios:
  all-due   every running clock needs a reminder today (⅓ at 80 %, ⅓ due today, ⅓ overdue):
            the worst case, about 2.3 notifications per clock;
  scaling   the same with a fifth of the clocks, to show memory does not grow with their number;
  steady    a normal day: 2 % of the clocks need a reminder, the rest are skipped by the index;
  idle      a second sweep the same day: nothing left to send;
  workers   the all-due case end to end through Celery: the beat task (sweep_clocks) is queued,
            a real `celery worker` plans the ranges and fans them out, and 1, then 2 … worker
            processes take the range tasks; timed from queuing until the last range task has
            committed (each range task pushes its end time to a Redis list, see
            sweep_worker_settings: the wait adds no load to the database). Then checks that no
            clock is left and counts the notifications. Prints the median and the 1 → N scaling.

Besides wall-clock times, which a shared machine makes noisy, it prints the load average at
the start and end of each run and CPU seconds: of the sweeping process(es) and of the
PostgreSQL backends serving them (read from /proc, so PostgreSQL must run on this machine;
each worker task reads its own backend's, see sweep_worker_settings), and the share of the
cursor UPDATEs that PostgreSQL made HOT updates.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/concord_bench_clocks")
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "sweep_worker_settings"
os.environ["DEBUG"] = "0"  # no query log kept in memory
os.environ.setdefault("SECRET_KEY", "bench-clock-sweep-" + uuid.uuid4().hex)  # DEBUG off refuses the dev key
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("BENCH_SWEEP_QUEUE", f"bench-sweep-{uuid.uuid4().hex[:8]}")
os.environ.setdefault("CONCORD_VAR_DIR", "/tmp/concord-bench-clocks")
os.environ.setdefault("LOG_LEVEL", "WARNING")

RULES = ("D1", "D2", "D3", "D13")  # one active clock per case and rule: cases = clocks / 4


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL=postgres://…")
    admin = psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"],
                            password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True)
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
        admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
        print(f"created database {cfg['NAME']}")
    admin.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pids() -> list[int]:
    """The PostgreSQL backends connected to the bench database, this process's own included."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [row[0] for row in cursor.fetchall()]


def cpu_snapshot(pids) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in pids}


def cpu_used(before: dict[int, float], pids) -> float:
    """CPU seconds used since `before` by `pids` (a process not in `before` counts from its start)."""
    return sum(max(cpu_seconds(pid) - before.get(pid, 0.0), 0.0) for pid in pids)


def hot_counters() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    with connection.cursor() as cursor:  # a new statement: the counters flushed at the end of the last
        cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'clocks_clock'")
        return cursor.fetchone()


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def generate(n_clocks: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from mediation.cases.models import Case, Channel
    from mediation.clocks.models import Clock, DeadlineRule
    from parties.models import Staff
    from parties.services import COUNTY_CODES, agencies_ensure_ankang, staff_create

    agencies = agencies_ensure_ankang()
    users = {}
    for code in COUNTY_CODES:
        for role in ("MEDIATOR", "COMMITTEE_HEAD"):
            name = f"bench_{role.lower()}_{code}"
            staff = Staff.objects.filter(user__username=name).first() or staff_create(
                username=name, password="x-bench-2026", agency=agencies[f"union:{code}"], full_name=name,
                roles=[role], email=f"{name}@example.test")
            users[(code, role)] = staff.user
    if not Staff.objects.filter(user__username="bench_supervisor").exists():
        staff_create(username="bench_supervisor", password="x-bench-2026", agency=agencies["union:city"],
                     full_name="督导", roles=["UNION_SUPERVISOR"], email="sup@example.test")

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification, clocks_clockpause, clocks_clockextension, "
                       "clocks_clock RESTART IDENTITY CASCADE")
    Case.objects.filter(case_no__startswith="BENCH-").delete()

    today = timezone.localdate()
    n_cases = -(-n_clocks // len(RULES))
    creator = users[(COUNTY_CODES[0], "MEDIATOR")]
    t0 = time.perf_counter()
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            [Case(case_no=f"BENCH-{i:07d}", year=2026, agency=agencies[f"union:{COUNTY_CODES[i % 10]}"],
                  county=COUNTY_CODES[i % 10], channel=Channel.WALK_IN, title=f"欠薪纠纷{i}", facts="拖欠工资。",
                  created_by=creator, status="IN_MEDIATION")
             for i in range(n_cases)],
            batch_size=5000,
        )
    ct = ContentType.objects.get_for_model(Case)
    rules = {r.code: r for r in DeadlineRule.objects.current().filter(locality="", code__in=RULES)}
    batch = []
    with transaction.atomic():
        for i in range(n_clocks):
            case, code = cases[i // len(RULES)], RULES[i % len(RULES)]
            owner = None if i % 5 == 0 else users[(case.county, "MEDIATOR")]  # a fifth unassigned
            due = today + datetime.timedelta(days=(3, 0, -2)[i % 3])
            batch.append(Clock(
                content_type=ct, object_id=case.pk, case=case, owner=owner, agency_id=case.agency_id,
                county=case.county, rule=rules[code], rule_code=code, started_on=due - datetime.timedelta(days=15),
                due_on=due, warn_on=min(due, today), status="running", next_reminder_on=today,
            ))
            if len(batch) == 10000:
                Clock.objects.bulk_create(batch)
                batch = []
        Clock.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clocks_clock")
    print(f"generated {n_cases:,} cases and {n_clocks:,} running clocks in {time.perf_counter() - t0:.1f} s")


def reset(due_fraction: float) -> int:
    """Forget all reminders; make `due_fraction` of the clocks need one today (spread over the id range)."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    every = max(1, round(1 / due_fraction))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_delivery, notifications_notification RESTART IDENTITY")
        cursor.execute(
            "UPDATE clocks_clock SET reminder_stage = 0, "
            "next_reminder_on = CASE WHEN id %% %s = 0 THEN %s::date ELSE %s::date END",
            [every, today, today + datetime.timedelta(days=30)],
        )
        cursor.execute("SELECT COUNT(*) FROM clocks_clock WHERE next_reminder_on <= %s", [today])
        due = cursor.fetchone()[0]
    with connection.cursor() as cursor:  # outside any transaction: VACUUM needs autocommit
        cursor.execute("VACUUM FULL ANALYZE clocks_clock")  # the resets above leave dead rows behind
    return due


def sweep_once(batch_size: int) -> dict:
    from django.db import connection

    from mediation.clocks.reminders import clocks_sweep

    counter = {"queries": 0, "rss_max": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        counter["rss_max"] = max(counter["rss_max"], rss_kb())
        return execute(sql, params, many, context)

    rss_before = rss_kb()
    pids = backend_pids()
    pg_before, hot_before, load_before = cpu_snapshot(pids), hot_counters(), load()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    with connection.execute_wrapper(count):
        stats = clocks_sweep(batch_size=batch_size)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    hot_after = hot_counters()
    updated = hot_after[0] - hot_before[0]
    return {"seconds": elapsed, "stats": stats, "queries": counter["queries"],
            "rss_growth_kb": max(counter["rss_max"], rss_kb()) - rss_before,
            "cpu": cpu, "pg_cpu": cpu_used(pg_before, pids), "load": f"{load_before}→{load()}",
            "hot": (hot_after[1] - hot_before[1]) / updated if updated else None}


def scenario(name: str, fraction: float, runs: int, batch_size: int, *, then_idle: bool = False) -> None:
    times, idle_times, results = [], [], []
    for _ in range(runs):
        due = reset(fraction)
        results.append(sweep_once(batch_size))
        times.append(results[-1]["seconds"])
        if then_idle:
            idle_times.append(sweep_once(batch_size)["seconds"])
    result = results[-1]
    s = result["stats"]
    real_batches = max(s.batches, 1)
    hot = f"{result['hot']:.0%}" if result["hot"] is not None else "-"
    print(f"{name:<9} clocks due {due:>7,}  median {statistics.median(times):6.2f} s  "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})  batches {s.batches}  "
          f"notifications {s.notifications:,}  SQL statements/batch {result['queries'] / real_batches:.1f}  "
          f"RSS growth {result['rss_growth_kb'] / 1024:.1f} MiB")
    print(f"{'':<9} CPU median: sweep {statistics.median(r['cpu'] for r in results):.2f} s, PostgreSQL backend "
          f"{statistics.median(r['pg_cpu'] for r in results):.2f} s; HOT updates {hot}; load average "
          f"(1 min) {', '.join(r['load'] for r in results)}")
    if then_idle:
        print(f"{'idle':<9} second sweep the same day: median {statistics.median(idle_times) * 1000:.0f} ms")


def purge_delivery_queue() -> None:
    """Drop the delivery tasks the sweeps queued (nobody reads that queue)."""
    from mediation.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(os.environ["BENCH_SWEEP_QUEUE"] + "-delivery")


def redis_client():
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def start_workers(n: int, log_dir: Path) -> list[subprocess.Popen]:
    celery = Path(sys.executable).with_name("celery")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)])}
    workers, logs = [], []
    for i in range(n):
        log = log_dir / f"worker{i + 1}.log"
        log.unlink(missing_ok=True)
        logs.append(log)
        workers.append(subprocess.Popen(
            [str(celery), "-A", "mediation", "worker", "-P", "solo", "-n", f"bench{i + 1}@%h",
             "-Q", os.environ["BENCH_SWEEP_QUEUE"], "-l", "info", "--without-mingle", "--without-gossip",
             "--without-heartbeat", "--prefetch-multiplier", "1"],
            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True))
    deadline = time.monotonic() + 120
    while not all(log.exists() and " ready." in log.read_text(errors="replace") for log in logs):
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            stop_workers(workers)
            sys.exit(f"workers did not start; see {log_dir}")
        time.sleep(0.2)
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for w in workers:
        if w.poll() is None:
            os.killpg(w.pid, signal.SIGTERM)
    for w in workers:
        try:
            w.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(w.pid, signal.SIGKILL)
            w.wait(5)


def workers_scenario(counts: list[int], runs: int, batch_size: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from mediation.clocks.models import Clock
    from mediation.clocks.reminders import clocks_sweep_plan
    from mediation.clocks.tasks import sweep_clocks

    try:
        from mediation.clocks.reminders import due_filter
    except ImportError:  # a checkout from before the HOT sweep (to compare with it on the same machine)
        from django.db.models import Q

        def due_filter(today):
            return Q(status="running", next_reminder_on__lte=today)
    from mediation.notifications.models import Notification

    log_dir = Path(os.environ["CONCORD_VAR_DIR"]) / "bench-workers"
    log_dir.mkdir(parents=True, exist_ok=True)
    done_key = os.environ["BENCH_SWEEP_QUEUE"] + ":done"
    r = redis_client()
    summary: dict[int, dict[str, float]] = {}
    for n in counts:
        workers = start_workers(n, log_dir)
        times, worker_cpu, pg_cpu, loads, sent = [], [], [], [], 0
        try:
            for _ in range(runs):
                due = reset(1.0)
                purge_delivery_queue()
                today = timezone.localdate()
                expected = len(clocks_sweep_plan(today=today, batch_size=batch_size))
                r.delete(done_key)
                w_before, load_before = cpu_snapshot(w.pid for w in workers), load()
                connection.close()  # nothing of ours open during the run
                t0 = time.time()
                sweep_clocks.apply_async(kwargs={"batch_size": batch_size})
                while r.llen(done_key) < expected + 1:  # the plan, then each range
                    if time.time() > t0 + 600 or any(w.poll() is not None for w in workers):
                        sys.exit(f"the sweep did not finish; see {log_dir}")
                    time.sleep(0.01)
                ends = [line.decode().split() for line in r.lrange(done_key, 0, -1)]
                times.append(max(float(end) for _kind, end, *_ in ends) - t0)
                if any(state != "SUCCESS" for _kind, _end, state, *_ in ends):
                    sys.exit(f"a task of the sweep failed; see {log_dir}")
                worker_cpu.append(cpu_used(w_before, [w.pid for w in workers]))
                pg_cpu.append(sum(float(cpu) for *_, cpu in ends))
                loads.append(f"{load_before}→{load()}")
                left = Clock.objects.filter(due_filter(today)).count()
                if left:
                    sys.exit(f"{left} clocks still need their reminder after the sweep")
                sent = Notification.objects.count()
                per_worker = sorted(sum(1 for kind, _e, _s, pid, _c in ends if kind == "range" and pid == str(w.pid))
                                    for w in workers)
        finally:
            stop_workers(workers)
        purge_delivery_queue()
        summary[n] = {"time": statistics.median(times), "worker_cpu": statistics.median(worker_cpu),
                      "pg_cpu": statistics.median(pg_cpu)}
        print(f"workers {n}  clocks due {due:>7,}  median {summary[n]['time']:6.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})  notifications {sent:,}  "
              f"{due / summary[n]['time']:,.0f} clocks/s  ranges {expected} (per worker {per_worker})")
        print(f"{'':<9} CPU median: workers {summary[n]['worker_cpu']:.2f} s, PostgreSQL backends "
              f"{summary[n]['pg_cpu']:.2f} s; load average (1 min) {', '.join(loads)}")
    first = counts[0]
    for n in counts[1:]:
        print(f"scaling {first} → {n} workers: {summary[first]['time'] / summary[n]['time']:.2f}× faster "
              f"(ideal {n / first:.0f}×; this machine has {os.cpu_count()} cores shared with PostgreSQL); "
              f"CPU {summary[n]['worker_cpu'] + summary[n]['pg_cpu']:.2f} s against "
              f"{summary[first]['worker_cpu'] + summary[first]['pg_cpu']:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=2500, help="clocks per batch and per range task")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--scenarios", default="all-due,scaling,steady,workers",
                        help="comma-separated: all-due, scaling, steady, workers")
    parser.add_argument("--workers", default="1,2", help="worker process counts for the workers scenario")
    args = parser.parse_args()
    chosen = set(args.scenarios.split(","))

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mediation.clocks.models import Clock

    if args.regenerate or Clock.objects.filter(status="running").count() != args.clocks:
        generate(args.clocks)
    print(f"PostgreSQL, {args.clocks:,} running clocks, batch size {args.batch_size}, {args.runs} runs each; "
          f"today {datetime.date.today()}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          f"{os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    reset(0.001)
    sweep_once(args.batch_size)  # warm-up: URL resolver, translation catalogues, first imports
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RSS before the sweeps {rss_kb() / 1024:.0f} MiB (peak so far {peak_before:.0f} MiB)")
    if "all-due" in chosen:
        scenario("all-due", 1.0, args.runs, args.batch_size, then_idle=True)
    if "scaling" in chosen:
        scenario("scaling", 0.2, args.runs, args.batch_size)
    if "steady" in chosen:
        scenario("steady", 0.02, args.runs, args.batch_size)
    purge_delivery_queue()
    if "workers" in chosen:
        workers_scenario([int(n) for n in args.workers.split(",")], args.runs, args.batch_size)
    print(f"RSS after the sweeps {rss_kb() / 1024:.0f} MiB; peak RSS of the process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
