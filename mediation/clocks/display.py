"""How a clock reads on a page: countdown, tone, warnings. No writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import workdays
from .calendar import CalendarCache, missing_years_text
from .models import Clock, ClockStatus


@dataclass(frozen=True)
class ClockView:
    clock: Clock
    countdown: str  # 剩余3个工作日 / 今日届满 / 已逾期2天 / 已暂停（…）/ 按期完成
    tone: str  # badge class: ok, warn, bad, info or ""
    missing: str  # 2028年节假日安排未载入
    banner: str  # the rule's due notice once the period has run (D1)
    extended_days: int
    pause_reason: str


def clock_view(clock: Clock, calendars: CalendarCache, today: datetime.date, *, detail: bool = True) -> ClockView:
    """`detail` reads the clock's pauses and extensions (prefetch them); a badge does without."""
    rule = clock.rule
    missing = set(clock.calendar_missing_years or [])
    pause_reason, banner = "", ""
    if clock.status == ClockStatus.PAUSED:
        open_pauses = [p for p in clock.pauses.all() if p.resumed_on is None] if detail else []
        pause_reason = open_pauses[-1].reason if open_pauses else ""
        countdown = _("已暂停（%(reason)s）") % {"reason": pause_reason} if pause_reason else _("已暂停")
        tone = "info"
    elif clock.status == ClockStatus.RUNNING:
        left = workdays.countdown(calendars[clock.county], today, clock.due_on, rule.unit)
        missing |= left.missing_years
        if left.overdue_days:
            countdown, tone = _("已逾期%(n)s天") % {"n": left.overdue_days}, "bad"
        elif today == clock.due_on:
            countdown, tone = _("今日届满"), "warn"
        else:
            if rule.unit == workdays.Unit.WORKING:
                countdown = _("剩余%(n)s个工作日") % {"n": left.remaining}
            else:
                countdown = _("剩余%(n)s天") % {"n": left.remaining}
            tone = "warn" if today >= clock.warn_on else "ok"
        if rule.due_notice and today >= clock.due_on:
            banner = rule.due_notice
    else:
        countdown = clock.get_status_display()
        tone = {ClockStatus.MET: "ok", ClockStatus.MISSED: "bad"}.get(clock.status, "")
    return ClockView(
        clock=clock, countdown=countdown, tone=tone, missing=missing_years_text(missing), banner=banner,
        extended_days=sum(e.days for e in clock.extensions.all()) if detail else 0, pause_reason=pause_reason,
    )


def deadline_label(rule) -> str:
    """What a clock counts, in words, from the rule's own name (rules are data: a renamed rule
    renames its badge). "完成企业/工会调解" → "完成企业/工会调解期限"."""
    title = (rule.title or rule.code).strip()
    return title if title.endswith(("期限", "时效", "期间")) else _("%(title)s期限") % {"title": title}


def deadline_words(
    clock: Clock, calendars: CalendarCache, today: datetime.date, *, detail: bool = False
) -> ClockView:
    """A badge that says what it counts: "完成企业/工会调解期限剩余4天", "…已超期2天". The same
    words on the inbox, the case page's clock panel and every other badge; `detail` (the case
    page) also reads the pause reason and the extensions, as `clock_view` does."""
    view = clock_view(clock, calendars, today, detail=detail)
    label = deadline_label(clock.rule)
    if clock.status == ClockStatus.RUNNING and today > clock.due_on:
        words = _("%(label)s已超期%(n)s天") % {"label": label, "n": (today - clock.due_on).days}
    else:
        words = _("%(label)s%(countdown)s") % {"label": label, "countdown": view.countdown}
    return ClockView(clock=clock, countdown=words, tone=view.tone, missing=view.missing, banner=view.banner,
                     extended_days=view.extended_days, pause_reason=view.pause_reason)
