"""Writes of statutory clocks (DOMAIN §3): start, stop, extend, pause, resume, reassign.

Each runs in one transaction that also writes the case audit event. Due dates come
from `workdays.schedule` on the calendar of the clock's locality; a clock whose
dates touch a year without official holiday data is still computed, carries the
year in `calendar_missing_years`, and the administrators are told once per year.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.notifications.services import admins_of_deployment, notify

from . import workdays
from .calendar import calendar_for, missing_years_text
from .events import Event
from .hooks import record_case_event
from .models import (
    ACTIVE_STATUSES,
    UNIT_SUFFIX,
    CalendarYear,
    Clock,
    ClockExtension,
    ClockPause,
    ClockStatus,
    DeadlineRule,
    ReminderStage,
)
from .reminders import next_reminder_day
from .selectors import rule_current

SHANGHAI = ZoneInfo("Asia/Shanghai")

def clock_due_at(clock: Clock) -> datetime.datetime:
    """The moment the clock has run out: 00:00 Asia/Shanghai of the day after the due day.
    For viewflow's `.OnTimeout(delay)` (D1 banner, D3 escalation)."""
    return datetime.datetime.combine(clock.due_on + workdays.ONE_DAY, datetime.time.min, tzinfo=SHANGHAI)


def _audit(clock: Clock, *, actor, action: str, summary: str, changes: dict | None = None) -> None:
    if clock.case_id is None:
        return
    record_case_event(clock.case, actor=actor, action=action, summary=summary, changes=changes or {})


def _label(clock: Clock) -> str:
    return f"{clock.rule_code} {clock.rule.title}"


def _alert_missing_calendar(years) -> None:
    """Tell the administrators, once per year, that a clock needs a year's holidays."""
    admins = admins_of_deployment()
    for year in sorted(years):
        notify(
            recipients=admins,
            verb="calendar.missing",
            text=_(
                "%(missing)s：已有时限的届满日落在该年度，系统暂按《全国年节及纪念日放假办法》规定的法定节假日"
                "和周六、周日休息推算（不含调休），并在时限上标注为暂定。"
                "请在“节假日调整”中录入国务院公布的放假和调休安排，并登记该年度。"
            ) % {"missing": missing_years_text([year])},
            url=reverse("admin:clocks_calendaroverride_changelist"),
            dedupe_key=f"calendar-missing:{year}",
        )


def _reschedule(clock: Clock, cal: workdays.WorkCalendar | None = None) -> bool:
    """Recompute the clock's dates from its rule version, extensions and pauses.
    Returns True if the due date changed (the reminders then start over for the new date)."""
    rule = clock.rule
    if clock.due_fixed_on is not None:
        return _reschedule_fixed(clock)
    result = workdays.schedule(
        cal or calendar_for(clock.county),
        started_on=clock.started_on,
        period=rule.period,
        unit=rule.unit,
        extension=sum(e.days for e in clock.extensions.all()) if clock.pk else 0,
        pauses=[workdays.Pause(p.paused_on, p.resumed_on) for p in clock.pauses.all()] if clock.pk else [],
        warn_percent=rule.warn_percent,
        warn_day=rule.warn_day,
    )
    changed = clock.due_on != result.due_on
    newly_missing = set(result.missing_years) - set(clock.calendar_missing_years or [])
    clock.due_on, clock.warn_on = result.due_on, result.warn_on
    clock.calendar_missing_years = sorted(result.missing_years)
    if changed:
        clock.reminder_stage = ReminderStage.NONE
    clock.next_reminder_on = (
        next_reminder_day(clock.reminder_stage, clock.warn_on, clock.due_on)
        if clock.status == ClockStatus.RUNNING else None
    )
    if newly_missing:
        _alert_missing_calendar(newly_missing)
    return changed


def _reschedule_fixed(clock: Clock) -> bool:
    """A due date fixed by the authority that owns the period (the delegating court's own date):
    kept as given, moved only by the extensions and closed pauses recorded on the clock (calendar
    days); the reminder falls at the rule's point of the span from the start to that date."""
    rule = clock.rule
    extension = sum(e.days for e in clock.extensions.all()) if clock.pk else 0
    paused = sum((p.resumed_on - p.paused_on).days for p in clock.pauses.all() if p.resumed_on) if clock.pk else 0
    due = clock.due_fixed_on + datetime.timedelta(days=extension + paused)
    total = (clock.due_fixed_on - clock.started_on).days + extension
    k = max(1, min(rule.warn_day or total * rule.warn_percent // 100, total)) if total > 0 else 0
    warn = min(clock.started_on + datetime.timedelta(days=k + paused), due)
    changed = clock.due_on != due
    clock.due_on, clock.warn_on, clock.calendar_missing_years = due, warn, []
    if changed:
        clock.reminder_stage = ReminderStage.NONE
    clock.next_reminder_on = (
        next_reminder_day(clock.reminder_stage, clock.warn_on, clock.due_on)
        if clock.status == ClockStatus.RUNNING else None
    )
    return changed


def _active(subject, rule_code: str) -> Clock | None:
    ct = ContentType.objects.get_for_model(subject)
    return (
        Clock.objects.select_for_update(of=("self",))
        .filter(content_type=ct, object_id=subject.pk, rule_code=rule_code, status__in=ACTIVE_STATUSES)
        .select_related("rule", "case")
        .first()
    )


def _require_active(subject, rule_code: str) -> Clock:
    clock = _active(subject, rule_code)
    if clock is None:
        raise ValidationError(_("没有进行中的时限 %(code)s。") % {"code": rule_code})
    return clock


def _case_of(subject, case):
    if case is not None:
        return case
    if isinstance(subject, Clock.case.field.related_model):  # the subject is the case itself
        return subject
    return getattr(subject, "case", None)


@transaction.atomic
def clock_start(
    *,
    subject,
    rule_code: str,
    started_on: datetime.date,
    case=None,
    task=None,
    owner=None,
    agency=None,
    actor=None,
    county: str | None = None,
    due_fixed_on: datetime.date | None = None,
    due_fixed_by: str = "",
) -> Clock:
    """Start the clock `rule_code` on `subject`, triggered on `started_on` (which does not count).

    `due_fixed_on`: the due date another authority set for this period (a delegating court's own
    date), kept instead of the rule's count; `due_fixed_by` says who set it and in which document.

    Idempotent: an active (running or paused) clock of that subject and rule is returned as is.
    `case` defaults to the subject itself or its `.case`; the locality (`county`) to the
    case's county, then the agency's; it picks the local rule and the local calendar.
    """
    existing = _active(subject, rule_code)
    if existing is not None:
        return existing
    case = _case_of(subject, case)
    if county is None:
        county = case.county if case is not None else (agency.county if agency is not None else "")
    rule = rule_current(rule_code, county)
    clock = Clock(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, case=case, task=task,
        owner=owner, agency=agency or (case.agency if case is not None else None), county=county,
        rule=rule, rule_code=rule_code, started_on=started_on,
        due_fixed_on=due_fixed_on, due_fixed_by=due_fixed_by if due_fixed_on else "",
    )
    if due_fixed_on is not None and due_fixed_on <= started_on:
        raise ValidationError(_("确定的届满日应晚于起算日。"), code="due_fixed_on")
    _reschedule(clock)
    try:
        with transaction.atomic():
            clock.save()
    except IntegrityError:
        # Another transaction started the same clock first (one_active_clock_per_subject_rule).
        return _require_active(subject, rule_code)
    period = (_("%(by)s确定") % {"by": clock.due_fixed_by or _("有权机关")}) if due_fixed_on else rule.period_text
    _audit(
        clock, actor=actor, action="clock.started",
        summary=_("开始计时：%(label)s，%(period)s，届满日 %(due)s") % {
            "label": _label(clock), "period": period, "due": f"{clock.due_on:%Y-%m-%d}"},
        changes={"rule": [None, f"{rule.code} v{rule.version}"], "due_on": [None, clock.due_on]},
    )
    return clock


@transaction.atomic
def clock_stop(
    *, subject, rule_code: str, on: datetime.date, status: str = "met", actor=None
) -> Clock | None:
    """Stop the active clock: met if `on` ≤ due, else missed; or waived. None if none is active."""
    if status not in (ClockStatus.MET, ClockStatus.WAIVED):
        raise ValueError("status must be 'met' or 'waived'")
    clock = _active(subject, rule_code)
    if clock is None:
        return None
    return _stop(clock, on=on, status=status, actor=actor)


def _stop(clock: Clock, *, on: datetime.date, status: str, actor) -> Clock:
    open_pause = clock.pauses.filter(resumed_on__isnull=True).first()
    if open_pause is not None:
        open_pause.resumed_on = max(on, open_pause.paused_on)
        open_pause.resumed_by = actor
        open_pause.save(update_fields=["resumed_on", "resumed_by"])
        _reschedule(clock)
    if status == ClockStatus.WAIVED:
        clock.status = ClockStatus.WAIVED
    else:
        clock.status = ClockStatus.MET if on <= clock.due_on else ClockStatus.MISSED
    clock.stopped_on = on
    clock.next_reminder_on = None
    clock.save()
    _audit(
        clock, actor=actor, action="clock.stopped",
        summary=_("结束计时：%(label)s，%(status)s") % {"label": _label(clock), "status": clock.get_status_display()},
        changes={"status": ["running", clock.status], "stopped_on": [None, on]},
    )
    return clock


@transaction.atomic
def clock_extend(
    *, subject, rule_code: str, days: int, applicant_consent: str, respondent_consent: str, actor
) -> Clock:
    """Extend an active clock (e.g. D3 by D3a) within the rule's cap, recording the consents."""
    clock = _require_active(subject, rule_code)
    rule: DeadlineRule = clock.rule
    unit = UNIT_SUFFIX[rule.unit]
    if not isinstance(days, int) or days <= 0:
        raise ValidationError(_("延长天数须为正整数。"))
    if rule.extension_max_days == 0:
        raise ValidationError(_("“%(label)s”依规定不能延长。") % {"label": _label(clock)})
    already = sum(e.days for e in clock.extensions.all())
    cap = rule.extension_max_days
    if cap is not None and already + days > cap:
        raise ValidationError(
            _(
                "超出延长上限：%(label)s的总期限不得超过%(total)s%(unit)s（最多延长%(cap)s%(unit)s），"
                "已延长%(already)s%(unit)s，本次最多还可延长%(left)s%(unit)s。"
            ) % {"label": _label(clock), "total": rule.period + cap, "cap": cap, "already": already,
                 "left": cap - already, "unit": unit}
        )
    applicant_consent, respondent_consent = (applicant_consent or "").strip(), (respondent_consent or "").strip()
    if rule.extension_needs_consent and not (applicant_consent and respondent_consent):
        raise ValidationError(_("延长须记录申请人和被申请人双方的同意（同意方式，如书面签字、电话录音）。"))
    ClockExtension.objects.create(
        clock=clock, days=days, applicant_consent=applicant_consent, respondent_consent=respondent_consent,
        approved_by=actor,
    )
    before = clock.due_on
    _reschedule(clock)
    clock.save()
    _audit(
        clock, actor=actor, action="clock.extended",
        summary=_("延长期限：%(label)s 延长%(days)s%(unit)s，届满日改为 %(due)s") % {
            "label": _label(clock), "days": days, "unit": unit, "due": f"{clock.due_on:%Y-%m-%d}"},
        changes={
            "due_on": [before, clock.due_on], "extension_days": [already, already + days],
            "applicant_consent": [None, applicant_consent], "respondent_consent": [None, respondent_consent],
        },
    )
    return clock


@transaction.atomic
def clock_pause(*, subject, rule_code: str, reason: str, on: datetime.date, actor) -> Clock:
    """Stop the count from the day after `on`, e.g. 等待工伤认定 (D34)."""
    return _pause(_require_active(subject, rule_code), reason=reason, on=on, actor=actor)


def _pause(clock: Clock, *, reason: str, on: datetime.date, actor) -> Clock:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写暂停原因，例如“等待工伤认定”。"))
    if clock.status == ClockStatus.PAUSED:
        raise ValidationError(_("该时限已暂停。"))
    if on < clock.started_on:
        raise ValidationError(_("暂停日不能早于起算日。"))
    ClockPause.objects.create(clock=clock, paused_on=on, reason=reason, paused_by=actor)
    clock.status = ClockStatus.PAUSED
    clock.next_reminder_on = None
    clock.save()
    _audit(
        clock, actor=actor, action="clock.paused",
        summary=_("暂停计时：%(label)s（%(reason)s）") % {"label": _label(clock), "reason": reason},
        changes={"status": ["running", "paused"], "paused_on": [None, on]},
    )
    return clock


@transaction.atomic
def clock_resume(*, subject, rule_code: str, on: datetime.date, actor) -> Clock:
    """Resume a paused clock; the due date moves by the paused span."""
    return _resume(_require_active(subject, rule_code), on=on, actor=actor)


def _resume(clock: Clock, *, on: datetime.date, actor) -> Clock:
    pause = clock.pauses.filter(resumed_on__isnull=True).first()
    if clock.status != ClockStatus.PAUSED or pause is None:
        raise ValidationError(_("该时限没有暂停。"))
    if on < pause.paused_on:
        raise ValidationError(_("恢复日不能早于暂停日。"))
    pause.resumed_on, pause.resumed_by = on, actor
    pause.save(update_fields=["resumed_on", "resumed_by"])
    before = clock.due_on
    clock.status = ClockStatus.RUNNING
    _reschedule(clock)
    clock.save()
    _audit(
        clock, actor=actor, action="clock.resumed",
        summary=_("恢复计时：%(label)s，届满日改为 %(due)s") % {"label": _label(clock), "due": f"{clock.due_on:%Y-%m-%d}"},
        changes={"status": ["paused", "running"], "due_on": [before, clock.due_on]},
    )
    return clock


@transaction.atomic
def clock_reassign(*, subject, rule_code: str, task=None, owner=None, agency=None) -> Clock | None:
    """Move an active clock to the next task and owner (None: unassigned); the agency
    changes only when given. None if no clock is active."""
    clock = _active(subject, rule_code)
    if clock is None:
        return None
    clock.task, clock.owner = task, owner
    if agency is not None:
        clock.agency = agency
    clock.save(update_fields=["task", "owner", "agency", "updated_at"])
    return clock


@transaction.atomic
def clocks_recompute(*, county: str | None = None, since: datetime.date | None = None, actor=None) -> int:
    """Recompute active clocks after the calendar changed (override days, a year loaded).

    `county` None or "": every locality; `since`: only clocks still running on or after that day.
    Returns how many due dates moved; each move is recorded on the case.
    """
    qs = (
        Clock.objects.select_for_update(of=("self",))
        .filter(status__in=ACTIVE_STATUSES)
        .select_related("rule", "case")
    )
    if county:
        qs = qs.filter(county=county)
    if since is not None:
        qs = qs.filter(due_on__gte=since)
    calendars: dict[str, workdays.WorkCalendar] = {}
    moved = 0
    for clock in qs.prefetch_related("pauses", "extensions"):
        before, missing_before = clock.due_on, list(clock.calendar_missing_years)
        cal = calendars.get(clock.county) or calendars.setdefault(clock.county, calendar_for(clock.county))
        if _reschedule(clock, cal) or missing_before != clock.calendar_missing_years:
            clock.save()
        if clock.due_on != before:
            moved += 1
            _audit(
                clock, actor=actor, action="clock.rescheduled",
                summary=_("节假日安排调整，%(label)s 届满日改为 %(due)s") % {
                    "label": _label(clock), "due": f"{clock.due_on:%Y-%m-%d}"},
                changes={"due_on": [before, clock.due_on]},
            )
    return moved


@transaction.atomic
def calendar_year_record(*, year: int, source: str, actor=None) -> CalendarYear:
    """Record that a year's official schedule is entered, and recompute the clocks waiting for it."""
    entry = CalendarYear(year=year, source=source, loaded_by=actor)
    entry.full_clean()
    entry.save()
    clocks_recompute(since=datetime.date(year, 1, 1), actor=actor)
    return entry


@transaction.atomic
def rule_save_version(*, rule: DeadlineRule, actor=None) -> DeadlineRule:
    """Save `rule` (new or edited) as the newest version of its code and locality.

    The current version is superseded, never changed: clocks that started under it
    keep it; clocks started from now on use the new one.
    """
    versions = list(DeadlineRule.objects.select_for_update().filter(code=rule.code, locality=rule.locality))
    now = timezone.now()
    for current in (v for v in versions if v.superseded_at is None):
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    rule.pk, rule._state.adding = None, True
    rule.version = max((v.version for v in versions), default=0) + 1
    rule.created_by, rule.superseded_at = actor, None
    rule.full_clean()
    rule.save()
    return rule


def clock_due_preview(*, rule_code: str, started_on: datetime.date, county: str = "") -> datetime.date:
    """The due date `clock_start` would give a clock of `rule_code` started on `started_on`.

    For a document that prints its own deadline before the clock exists (a 意见书 names the
    reply date of D40): the same rule version, calendar and arithmetic as `clock_start`, so
    the printed date and the clock's due date are one and the same."""
    clock = Clock(rule=rule_current(rule_code, county), rule_code=rule_code, county=county, started_on=started_on)
    _reschedule(clock)
    return clock.due_on


# ---------------------------------------------------------------- procedure events (issue 8 A2)

def _rules_for_event(event: str, county: str) -> list[DeadlineRule]:
    """The current rules of `county` (its own version, else the city default) that name `event`."""
    by_code: dict[str, DeadlineRule] = {}
    for rule in DeadlineRule.objects.current().filter(locality__in={"", county}).order_by("code", "locality"):
        if rule.locality == county or rule.code not in by_code:
            by_code[rule.code] = rule
    return [r for r in by_code.values() if any(event in names for names in r.events().values())]


def _active_for_event(subject, case) -> list[Clock]:
    """The active clocks an event on `subject` may move, in one query: for each rule code, the
    subject's own clock; failing that, those in the case that hang on another kind of object (an event
    on a confirmation request stops the case's D20; one on the case stops a request's D26) — never a
    sibling of the subject (another referral, another request)."""
    ct = ContentType.objects.get_for_model(subject)
    mine = Q(content_type=ct, object_id=subject.pk)
    clocks = list(Clock.objects.select_for_update(of=("self",))
                  .filter(mine | Q(case=case) if case is not None else mine, status__in=ACTIVE_STATUSES)
                  .select_related("rule", "case").order_by("id"))
    by_code: dict[str, list[Clock]] = {}
    for clock in clocks:
        by_code.setdefault(clock.rule_code, []).append(clock)
    chosen = []
    for group in by_code.values():
        own = [c for c in group if c.content_type_id == ct.pk and c.object_id == subject.pk]
        chosen += own or [c for c in group if c.content_type_id != ct.pk]
    return chosen


@transaction.atomic
def event_emit(
    event: str,
    *,
    subject,
    on: datetime.date,
    actor=None,
    case=None,
    agency=None,
    county: str | None = None,
    reason: str = "",
    extension: dict | None = None,
    due_on: datetime.date | None = None,
    due_set_by: str = "",
) -> list[Clock]:
    """A step of the procedure happened on `on`: stop, waive, pause, resume, extend and start the clocks
    whose rules name `event` (DeadlineRule.starts_on/stops_on/…). Returns the clocks started.

    `due_on`: a due date the event itself carries (a court's delegation letter names its own date,
    DOMAIN §3.4): the clocks the event starts run to it instead of the rule's count (`due_set_by`:
    who set it).

    The one place where clocks follow the procedure: services emit events and never name rules.
    """
    event = Event(event).value
    case = _case_of(subject, case)
    if county is None:
        county = case.county if case is not None else (agency.county if agency is not None else "")
    # A running clock ends, pauses or moves by the rule version it started with.
    for clock in _active_for_event(subject, case):
        rule = clock.rule
        if event in rule.stops_on or event in rule.waived_on:
            _stop(clock, on=on, status=ClockStatus.MET if event in rule.stops_on else ClockStatus.WAIVED, actor=actor)
        elif event in rule.pauses_on and clock.status == ClockStatus.RUNNING:
            _pause(clock, reason=reason, on=on, actor=actor)
        elif event in rule.resumes_on and clock.status == ClockStatus.PAUSED:
            _resume(clock, on=on, actor=actor)
        elif event in rule.extended_on:
            if extension is None:
                raise ValidationError(_("延长期限须写明延长天数和双方当事人的同意。"))
            # clock_extend enforces the rule's cap and its consent requirement.
            clock_extend(subject=clock.subject, rule_code=rule.code, actor=actor, **extension)
    # New clocks start by the rules in force today (the locality's own version first).
    rules = _rules_for_event(event, county)
    return [
        clock_start(subject=subject, rule_code=rule.code, started_on=on, case=case, agency=agency,
                    actor=actor, county=county, due_fixed_on=due_on, due_fixed_by=due_set_by)
        for rule in rules if rule.starts_on == event
    ]


def clocks_assign_to_task(*, subject, event: str, task, owner=None, agency=None) -> list[Clock]:
    """Hang the subject's active clocks that `event` stops on `task` — the step that emits the
    event is the one running against them — so the inbox shows them and reminders reach the owner."""
    case = _case_of(subject, None)
    county = case.county if case is not None else getattr(agency, "county", "") or ""
    moved = []
    for rule in _rules_for_event(Event(event).value, county):
        if event in rule.stops_on:
            clock = clock_reassign(subject=subject, rule_code=rule.code, task=task, owner=owner, agency=agency)
            if clock is not None:
                moved.append(clock)
    return moved


@transaction.atomic
def clocks_follow_task(*, subject, task, agency=None, owner=None) -> int:
    """Hang on `task` the subject's active clocks that no task carries yet and that run for `agency`
    (the task's): a step that records, one save after another, events starting further clocks of its
    own (the arbitration after a referral: receipt → D13, acceptance → D14, D15) keeps them in its
    inbox row and its owner's reminders. Returns how many clocks moved."""
    qs = Clock.objects.filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk,
                              status__in=ACTIVE_STATUSES, task__isnull=True)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.update(task=task, owner=owner)


def event_due_preview(event: str, *, started_on: datetime.date, county: str = "") -> datetime.date:
    """The due date of the clock that `event` would start on `started_on` (a letter prints the reply
    date of the clock its issue starts: one source for both)."""
    codes = [r.code for r in _rules_for_event(Event(event).value, county) if r.starts_on == event]
    if len(codes) != 1:
        raise ValidationError(_("程序事件“%(e)s”应当恰好开始一个时限，现为%(n)d个。")
                              % {"e": Event(event).label, "n": len(codes)})
    return clock_due_preview(rule_code=codes[0], started_on=started_on, county=county)
