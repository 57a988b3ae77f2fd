"""manage.py runserver_all: two children, signals passed on, stops when either dies."""

import os
import signal
import sys
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command

from mediation.cases import demo
from mediation.cases.management.commands import runserver_all
from mediation.cases.management.commands.runserver_all import Child, child_commands, supervise


def sleeper(seconds=30, code=0):
    return [sys.executable, "-c", f"import sys, time; time.sleep({seconds}); sys.exit({code})"]


def test_children_are_the_dev_server_and_a_worker_with_beat_on_this_interpreter():
    web, worker = child_commands(host="0.0.0.0", port=8123)
    assert web.argv[0] == worker.argv[0] == sys.executable
    assert web.argv[1].endswith("manage.py") and web.argv[2:] == ["runserver", "0.0.0.0:8123"]
    assert worker.argv[1:] == ["-m", "celery", "-A", "mediation", "worker", "-B", "-l", "info", "--concurrency", "1"]
    assert "--noreload" in child_commands(host="127.0.0.1", port=8000, noreload=True)[0].argv


def test_when_one_child_exits_the_other_is_stopped_and_its_status_returned():
    children = [Child("long", sleeper(30)), Child("short", sleeper(0.3, code=3), signal_group=False)]
    started = time.monotonic()
    status = supervise(children, cwd=os.getcwd(), env=dict(os.environ), out=StringIO(), grace=5)
    assert status == 3
    assert time.monotonic() - started < 10
    assert all(c.process.poll() is not None for c in children)


def test_sigterm_is_passed_on_to_both_children():
    # Should the signal come before supervise() installs its handler, it must not end the test run.
    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    children = [Child("a", sleeper(20)), Child("b", sleeper(20), signal_group=False)]
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    out = StringIO()
    try:
        status = supervise(children, cwd=os.getcwd(), env=dict(os.environ), out=out, grace=5)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert status == 0
    assert "SIGTERM" in out.getvalue()
    assert [c.process.returncode for c in children] == [-signal.SIGTERM, -signal.SIGTERM]


@pytest.mark.django_db
def test_banner_lists_the_logins_from_the_database(monkeypatch):
    from parties.services import agencies_ensure_ankang

    demo.demo_users_ensure(agencies_ensure_ankang())
    seen = {}
    monkeypatch.setattr(runserver_all, "supervise", lambda children, **kw: seen.setdefault("children", children) and 0)
    out = StringIO()
    call_command("runserver_all", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "汉滨区总工会" in text and "hb_head" in text and "调解委员会主任" in text
    assert demo.DEMO_PASSWORD in text
    assert "http://127.0.0.1:8123/" in text
    assert [c.name for c in seen["children"]] == ["web", "worker"]
