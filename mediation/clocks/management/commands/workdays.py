"""Operator's view of the working-day calendar.

  manage.py workdays info 2026-02-14 --json
  manage.py workdays add 2026-02-10 3 --unit working --json
  manage.py workdays add 2026-09-30 15 --unit calendar --county 610902

Bad input (a date that is not YYYY-MM-DD, a negative N, an unknown unit) ends with a
one-line message on stderr and exit code 2. A year without an official schedule is
answered from the provisional calendar (the statutory holidays, no 调休): the answer
carries "calendar_loaded": false / "provisional": true and one line on stderr says so.
"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from mediation.clocks.calendar import calendar_for, provisional_text
from mediation.clocks.workdays import Unit, add_period

UNITS = [u.value for u in Unit]


def _fail(message: str):
    return CommandError(message, returncode=2)


def _date(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        raise _fail(f"日期无效：{value!r}，应为 YYYY-MM-DD（例如 2026-03-05）") from None


class Command(BaseCommand):
    help = "查询工作日历：某日是否工作日，或某日起若干日/工作日后的届满日。"

    def add_arguments(self, parser):
        # Positionals are optional and untyped so that every mistake gets our one-line message.
        parser.add_argument("action", nargs="?", help="info | add")
        parser.add_argument("date", nargs="?", help="YYYY-MM-DD")
        parser.add_argument("n", nargs="?", help="期间长度（add）")
        parser.add_argument("--unit", default="calendar", help="working | calendar | month | year")
        parser.add_argument("--county", default="", help="县区代码，适用该地区的节假日调整")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action=None, date=None, n=None, unit="calendar", county="", as_json=False, **options):
        if action not in ("info", "add"):
            raise _fail(f"未知操作：{action!r}，应为 info 或 add")
        day = _date(date)
        cal = calendar_for(county)
        if action == "info":
            if n is not None:
                raise _fail("info 只接受一个日期")
            info = cal.day(day)
            result = {"date": day.isoformat(), "kind": info.kind.value, "holiday": info.holiday,
                      "calendar_loaded": info.loaded}
            text = f"{day.isoformat()} {info.kind.value}{' ' + info.holiday if info.holiday else ''}"
            missing = [] if info.loaded else [day.year]
            if info.provisional:
                result["provisional"] = True
        else:
            try:
                count = int(n)
            except (TypeError, ValueError):
                raise _fail(f"期间长度无效：{n!r}，应为非负整数") from None
            if count < 0:
                raise _fail(f"期间长度不能为负数：{count}")
            if unit not in UNITS:
                raise _fail(f"未知单位：{unit!r}，应为 {' | '.join(UNITS)}")
            counted = add_period(cal, day, count, unit)
            result = {"start": day.isoformat(), "n": count, "unit": unit, "due": counted.value.isoformat()}
            text = f"{day.isoformat()} + {count} {unit} → {counted.value.isoformat()}"
            missing = sorted(counted.missing_years)
            if missing:
                result.update(provisional=True, missing_years=missing)
        self.stdout.write(json.dumps(result, ensure_ascii=False) if as_json else text)
        if missing:
            self.stderr.write(provisional_text(missing))
