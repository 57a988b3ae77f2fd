"""manage.py demo_data — Ankang's agencies, one login per role and ~50 cases in every state.

Idempotent: a second run creates nothing and says so. The work is in mediation.cases.demo.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mediation.cases import demo
from mediation.cases.models import CaseStatus

# Demo loaders of other areas, called when they exist: each exposes load_demo().
OTHER_DEMOS = ("search.demo", "mediation.supervision.demo")


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


class Command(BaseCommand):
    help = "创建演示数据：安康市机构、各角色演示账号和约50件处于各状态的调解案件（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--skip-other-demos", action="store_true",
                            help="只创建机构、账号和案件，不调用 search.demo / supervision.demo 的 load_demo()。")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="结尾提示中显示的网址。")

    def handle(self, *args, **options):
        if getattr(settings, "CONCORD_PRODUCTION", False):
            # Demo accounts share a published password: never in a real deployment.
            raise CommandError("生产环境配置（mediation.settings.production）下拒绝载入演示数据：演示账号的密码是公开的。")
        verbosity = options["verbosity"]

        def progress(items, total):
            return tqdm(items, total=total, desc="创建演示案件", unit="件", file=sys.stderr,
                        disable=verbosity == 0, dynamic_ncols=True)

        result = demo.demo_load(progress=progress)
        if result.users_created:
            self.stdout.write(f"已创建演示账号 {len(result.users_created)} 个；已存在 {len(result.users_existing)} 个。")
        else:
            self.stdout.write(f"演示账号已存在（{len(result.users_existing)} 个），未作改动。")
        if result.cases_created:
            self.stdout.write(self.style.SUCCESS(
                f"已创建演示案件 {result.cases_created} 件，用时 {result.seconds:.1f} 秒。"))
            for status, label in CaseStatus.choices:
                if result.statuses.get(status):
                    self.stdout.write(f"  {label}（{status}）：{result.statuses[status]}")
            timers, reminders = demo.demo_catch_up()
            self.stdout.write(f"补跑定时任务：触发流程定时器 {timers} 个，生成时限提醒 {reminders} 条。")
        else:
            self.stdout.write(f"演示案件已存在（{result.cases_existing} 件），未重复创建。")

        if not options["skip_other_demos"]:
            for name in OTHER_DEMOS:
                self._other_demo(name)

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("演示账号"))
        password = demo.demo_password_if_loaded()
        self.stdout.write(demo.format_logins(demo.staff_logins(demo.DEMO_USERNAMES), password))
        self.stdout.write("")
        self.stdout.write(f"启动：make run（或 python manage.py runserver_all），然后打开 {options['url']} 登录。")

    def _other_demo(self, name: str) -> None:
        if not _module_exists(name):
            if self.verbosity_level > 1:
                self.stdout.write(f"（{name} 不存在，跳过）")
            return
        loader = getattr(importlib.import_module(name), "load_demo", None)
        if loader is None:
            self.stdout.write(self.style.WARNING(f"{name} 没有 load_demo()，跳过。"))
            return
        outcome = loader()
        self.stdout.write(f"{name}.load_demo()：{outcome if outcome is not None else '完成'}")

    def execute(self, *args, **options):
        self.verbosity_level = options.get("verbosity", 1)
        return super().execute(*args, **options)
