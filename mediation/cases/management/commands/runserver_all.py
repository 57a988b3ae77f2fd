"""manage.py runserver_all — the development server and a Celery worker with embedded beat.

Both run as children with the same Python (the project's venv) and the same settings; the
default broker is the folder of mediation/settings/celery.py, so no broker server is needed.
Ctrl-C or SIGTERM is passed on to both; when either child stops, the other is stopped too
and the command exits with the child's status.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from mediation.cases import demo

# A real database has many staff: the banner lists the first ones only.
MAX_LOGINS_SHOWN = 60
# How long the children get to stop after the signal before they are killed.
STOP_GRACE_SECONDS = 10.0


@dataclass
class Child:
    name: str
    argv: list[str]
    # Stop by signalling the whole process group (runserver: the reloader and its server
    # child) or the main process only (celery: it stops its own pool; a pool process killed
    # from outside is logged as an error).
    signal_group: bool = True
    process: subprocess.Popen | None = None


def child_commands(*, host: str, port: int, noreload: bool = False) -> list[Child]:
    """The web server and the worker, run with this interpreter from the project directory."""
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    web = [sys.executable, manage, "runserver", f"{host}:{port}"]
    if noreload:
        web.append("--noreload")
    worker = [sys.executable, "-m", "celery", "-A", "mediation", "worker", "-B", "-l", "info", "--concurrency", "1"]
    return [Child("web", web), Child("worker", worker, signal_group=False)]


def _signal_group(child: Child, signum: int) -> None:
    """Signal the child's own process group (it was started in a session of its own)."""
    if child.process is None:
        return
    try:
        os.killpg(child.process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _signal(child: Child, signum: int) -> None:
    if child.process is None or child.process.poll() is not None:
        return
    if child.signal_group:
        _signal_group(child, signum)
    else:
        child.process.send_signal(signum)


def supervise(children: list[Child], *, cwd: str, env: dict[str, str], out=sys.stdout,
              grace: float = STOP_GRACE_SECONDS) -> int:
    """Start the children, wait until one exits or we are told to stop, then stop them all.

    Returns the exit status: that of the child that stopped first, 0 after Ctrl-C/SIGTERM.
    """
    received: list[int] = []

    def on_signal(signum, _frame):
        received.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        for child in children:
            # A session of its own: the terminal's Ctrl-C reaches us only, and we pass it on.
            child.process = subprocess.Popen(child.argv, cwd=cwd, env=env, start_new_session=True)
            out.write(f"[runserver_all] {child.name} 已启动（pid {child.process.pid}）：{' '.join(child.argv[1:])}\n")
        out.flush()
        first_exit: Child | None = None
        while not received and first_exit is None:
            for child in children:
                if child.process.poll() is not None:
                    first_exit = child
                    break
            time.sleep(0.2)
        if first_exit is not None:
            status = first_exit.process.returncode
            out.write(f"[runserver_all] {first_exit.name} 已退出（状态 {status}），正在停止其他进程……\n")
            stop_signal = signal.SIGTERM
        else:
            stop_signal = received[0]
            out.write(f"[runserver_all] 收到 {signal.Signals(stop_signal).name}，正在停止……\n")
        out.flush()
        for child in children:
            _signal(child, stop_signal)
        deadline = time.monotonic() + grace
        for child in children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                out.write(f"[runserver_all] {child.name} 未在 {grace:.0f} 秒内退出，强制结束。\n")
                _signal_group(child, signal.SIGKILL)
                child.process.wait()
        # Stray members of the children's groups (e.g. runserver's reloaded child) go too.
        for child in children:
            _signal_group(child, signal.SIGTERM)
    finally:
        for child in children:
            if child.process is not None and child.process.poll() is None:
                _signal_group(child, signal.SIGKILL)
        for s, handler in previous.items():
            signal.signal(s, handler)
    return status if status >= 0 else 128 - status


class Command(BaseCommand):
    help = "同时启动开发服务器和带定时调度（beat）的 Celery worker，并显示演示账号。"
    requires_system_checks = []  # runserver checks on start

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--noreload", action="store_true", help="开发服务器不自动重载代码。")

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        url_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{url_host}:{port}/"
        self._print_logins(url)
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings.base")
        env.setdefault("PYTHONUNBUFFERED", "1")
        children = child_commands(host=host, port=port, noreload=options["noreload"])
        status = supervise(children, cwd=str(settings.BASE_DIR), env=env, out=self.stdout)
        if status:
            sys.exit(status)

    def _print_logins(self, url: str) -> None:
        try:
            logins = demo.staff_logins()
            password = demo.demo_password_if_loaded()
        except Exception as exc:  # e.g. migrations not applied yet: the server still starts and says so
            self.stdout.write(self.style.WARNING(f"无法读取账号（{exc.__class__.__name__}: {exc}）。请先运行 migrate。"))
            return
        self.stdout.write(self.style.MIGRATE_HEADING("工作人员账号"))
        shown = logins[:MAX_LOGINS_SHOWN]
        self.stdout.write(demo.format_logins(shown, password))
        if len(logins) > len(shown):
            self.stdout.write(f"……另有 {len(logins) - len(shown)} 个账号未列出。")
        if not password:
            self.stdout.write("（未加载演示数据或演示密码已修改：请使用各自的密码。加载演示数据：python manage.py demo_data）")
        self.stdout.write(self.style.SUCCESS(f"\n打开 {url} 登录；后台管理 {url}admin/ 。按 Ctrl-C 停止服务器和 worker。\n"))
