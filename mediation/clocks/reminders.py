"""The reminder sweep: clocks at their reminder point (80 % by default), due today, overdue.

DOMAIN §3.3. Who is told:
* the task owner, or, while the task is unassigned, the handlers (liaison, mediator)
  of the clock's agency;
* the committee head(s) of the case's agency (the clock's agency if it has no case);
* once overdue, the union supervisor(s) of the city union.

Exactly once: each reminder is a notification whose dedupe key names the clock, the
stage and the due date; the unique constraint (recipient, dedupe_key) turns a second
insert, by a second beat or a retried task, into a no-op. Paused and stopped clocks
never fire: the sweep reads running clocks only.

Scale: the sweep is planned as id ranges of about `batch_size` clocks needing a
reminder (`clocks_sweep_plan`); each range is one `clocks_sweep_range`, which several
Celery workers take in parallel (tasks.sweep_clocks fans them out). Within a range, a
fixed number of set-based statements per batch (select, insert the notifications, queue
their emails, move the cursors) and nothing kept between batches but the counters.
Ranges do not overlap, and rows another sweep holds are skipped (SKIP LOCKED), so two
sweeps at once still send each reminder once. The cursor UPDATE writes no indexed
column, so PostgreSQL makes it a HOT update (docs/reminder_sweep.md).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.lib.templatetags.concord import format_date
from mediation.notifications.services import Broadcast, notify_broadcasts
from parties.models import AgencyKind, AgencyLevel, Role, StaffRole

from . import workdays
from .calendar import CalendarCache, missing_years_text
from .models import Clock, ClockStatus, ReminderStage

HANDLER_ROLES = (Role.LIAISON, Role.MEDIATOR)
# Clocks per transaction, and per range task of the Celery fan-out (bench/clock_sweep.py).
BATCH_SIZE = 2500
_PLACEHOLDER = 2147483647
KIND = {ReminderStage.WARNING: "warning", ReminderStage.DUE: "due", ReminderStage.OVERDUE: "overdue"}
_FIELDS = (
    "id", "rule_code", "due_on", "warn_on", "reminder_stage", "owner_id", "agency_id", "case_id", "county",
    "content_type_id", "object_id",
)
# Read as plain values: the years as their JSON text, decoded only for the rare clock that has some.
_ANNOTATIONS = {
    "case_agency_id": F("case__agency_id"), "case_no": F("case__case_no"), "rule_title": F("rule__title"),
    "rule_unit": F("rule__unit"), "missing_json": Cast("calendar_missing_years", TextField()),
}
_COLUMNS = (*_FIELDS, *_ANNOTATIONS)


def due_filter(today: datetime.date) -> Q:
    """Running clocks whose next reminder is due. next_reminder_on is never before warn_on (it is
    warn_on, due_on or the day after, and warn_on ≤ due_on), and no reminder fires before warn_on:
    the condition on warn_on changes nothing but lets the index on warn_on find the clocks. The
    index does not hold next_reminder_on, which the sweep writes (HOT updates, see models)."""
    return Q(status=ClockStatus.RUNNING, warn_on__lte=today, next_reminder_on__lte=today)


@dataclass
class SweepStats:
    clocks: int = 0
    notifications: int = 0
    batches: int = 0


class Directory:
    """Staff by agency and role, loaded in one query for the whole sweep."""

    def __init__(self) -> None:
        self.by_agency_role: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.city_supervisors: list[int] = []
        rows = StaffRole.objects.filter(
            role__in=[*HANDLER_ROLES, Role.COMMITTEE_HEAD, Role.UNION_SUPERVISOR], staff__user__is_active=True
        ).values_list("role", "staff__agency_id", "staff__agency__kind", "staff__agency__level", "staff__user_id")
        for role, agency_id, kind, level, user_id in rows:
            self.by_agency_role[(agency_id, role)].append(user_id)
            if role == Role.UNION_SUPERVISOR and kind == AgencyKind.UNION and level == AgencyLevel.CITY:
                self.city_supervisors.append(user_id)

        # The answer depends on four values only; a sweep meets few combinations of them.
        self._answers: dict[tuple, tuple[int, ...]] = {}

    def recipients(self, row, stage: ReminderStage) -> tuple[int, ...]:
        key = (row.owner_id, row.agency_id, row.case_agency_id, stage == ReminderStage.OVERDUE)
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = tuple(self._recipients(*key))
        return found

    def _recipients(self, owner_id: int | None, agency_id: int | None, case_agency_id: int | None,
                    overdue: bool) -> set[int]:
        out: set[int] = set()
        if owner_id:
            out.add(owner_id)
        elif agency_id:
            for role in HANDLER_ROLES:
                out.update(self.by_agency_role.get((agency_id, role), ()))
        head_agency = case_agency_id or agency_id
        if head_agency:
            out.update(self.by_agency_role.get((head_agency, Role.COMMITTEE_HEAD), ()))
        if overdue:
            out.update(self.city_supervisors)
        return out


def stage_on(today: datetime.date, warn_on: datetime.date, due_on: datetime.date) -> ReminderStage:
    if today > due_on:
        return ReminderStage.OVERDUE
    if today == due_on:
        return ReminderStage.DUE
    if today >= warn_on:
        return ReminderStage.WARNING
    return ReminderStage.NONE


def next_reminder_day(stage: int, warn_on: datetime.date, due_on: datetime.date) -> datetime.date | None:
    """The day the stage after `stage` becomes due; None once the overdue reminder went out."""
    return {ReminderStage.NONE: warn_on, ReminderStage.WARNING: due_on,
            ReminderStage.DUE: due_on + workdays.ONE_DAY}.get(stage)


class _Texts:
    """Reminder texts; the countdown of working-day clocks is computed once per (county, due day)."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.calendars = CalendarCache()
        self.remaining: dict[tuple[str, datetime.date, str], str] = {}
        self.url = reverse("clocks:calendar")
        # One reverse() for all rows: the case page's URL with a placeholder id.
        self.case_url = reverse("case_detail", kwargs={"case_id": _PLACEHOLDER}).replace(str(_PLACEHOLDER), "{}")
        # Translated once per sweep, not once per row: the sweep writes thousands of these.
        self.templates = {
            ReminderStage.OVERDUE: _("【时限已逾期】%(what)s已于%(due)s届满，已逾期%(n)s天。"),
            ReminderStage.DUE: _("【时限今日届满】%(what)s今日（%(due)s）届满。"),
            ReminderStage.WARNING: _("【时限提醒】%(what)s将于%(due)s届满，%(left)s。"),
        }
        self.provisional = _("（%(missing)s，届满日暂按法定节假日推算，为暂定日期，请核对）")
        self.dates: dict[datetime.date, str] = {}
        # Clocks on something other than a case (a supervision matter): its number and page.
        self.subjects: dict[tuple[int, int], tuple[str, str]] = {}

    def load_subjects(self, rows: list) -> None:
        """One query per kind of subject in the batch, for the clocks that are not a case's."""
        wanted: dict[int, set[int]] = defaultdict(set)
        for row in rows:
            if not row.case_id and (row.content_type_id, row.object_id) not in self.subjects:
                wanted[row.content_type_id].add(row.object_id)
        for ct_id, ids in wanted.items():
            model = ContentType.objects.get_for_id(ct_id).model_class()
            if model is None:
                continue
            # A clock may run on a part of the file (a letter's recipient, a referral): the model
            # names the path to what the reminder opens (`clock_owner_path`, e.g. "letter__matter").
            path = getattr(model, "clock_owner_path", "")
            queryset = model._default_manager.select_related(path) if path else model._default_manager.all()
            for pk, obj in queryset.in_bulk(list(ids)).items():
                for part in filter(None, path.split("__")):
                    obj = getattr(obj, part)
                number = getattr(obj, "matter_no", None) or getattr(obj, "case_no", None) or str(obj)
                url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
                self.subjects[(ct_id, pk)] = (number, url)

    def _remaining(self, row) -> str:
        key = (row.county, row.due_on, row.rule_unit)
        if key not in self.remaining:
            left = workdays.countdown(self.calendars[row.county], self.today, row.due_on, row.rule_unit)
            if row.rule_unit == workdays.Unit.WORKING:
                self.remaining[key] = _("剩余%(n)s个工作日") % {"n": left.remaining}
            else:
                self.remaining[key] = _("剩余%(n)s天") % {"n": left.remaining}
        return self.remaining[key]

    def _number(self, row) -> str:
        if row.case_no:
            return row.case_no
        return self.subjects.get((row.content_type_id, row.object_id), ("", ""))[0]

    def text(self, row, stage: ReminderStage) -> str:
        number = self._number(row)
        what = f"{number + ' ' if number else ''}{row.rule_title}（{row.rule_code}）"
        due = self.dates.get(row.due_on) or self.dates.setdefault(row.due_on, format_date(row.due_on))
        values = {"what": what, "due": due}
        if stage == ReminderStage.OVERDUE:
            values["n"] = (self.today - row.due_on).days
        elif stage == ReminderStage.WARNING:
            values["left"] = self._remaining(row)
        text = self.templates[stage] % values
        missing = json.loads(row.missing_json) if row.missing_json and len(row.missing_json) > 2 else None
        if missing:  # "[]" for nearly every clock
            text += self.provisional % {"missing": missing_years_text(missing)}
        return text

    def link(self, row) -> str:
        if row.case_id:
            return self.case_url.format(row.case_id)
        subject_url = self.subjects.get((row.content_type_id, row.object_id), ("", ""))[1]
        return subject_url or f"{self.url}?month={row.due_on:%Y-%m}"


_CONTEXT: dict[tuple[str, datetime.date], tuple[Directory, _Texts]] = {}


def sweep_context(sweep: str | None, today: datetime.date) -> tuple[Directory, _Texts]:
    """The staff directory and the reminder texts of one sweep. Built once per sweep in each
    worker process (`sweep` names the sweep, see tasks): a worker taking fifty ranges of the same
    sweep loads the staff and the calendars once, as the in-process sweep does."""
    if sweep is None:
        return Directory(), _Texts(today)
    key = (sweep, today)
    if key not in _CONTEXT:
        _CONTEXT.clear()  # the previous sweep's
        _CONTEXT[key] = (Directory(), _Texts(today))
    return _CONTEXT[key]


# next_reminder_day in SQL: the day the stage after v.stage becomes due.
_NEXT_DAY_SQL = ("CASE v.stage WHEN 0 THEN c.warn_on WHEN 1 THEN c.due_on WHEN 2 THEN c.due_on + 1 "
                 "ELSE NULL END")


def _save_cursor(rows: list, stages: list[int]) -> None:
    """Write the stage reached by each clock of a batch and its next reminder day, in one
    statement. Neither column is in an index: on PostgreSQL this is a HOT update (the new row
    versions go on the same pages, no index entry is written). PostgreSQL works out the next
    day itself (`next_reminder_day`, in SQL): only the ids and stages travel, as two array
    literals."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Clock._meta.db_table} AS c SET reminder_stage = v.stage, next_reminder_on = {_NEXT_DAY_SQL} "
                "FROM unnest(%s::bigint[], %s::smallint[]) AS v(id, stage) WHERE c.id = v.id",
                ["{" + ",".join(str(row.id) for row in rows) + "}", "{" + ",".join(map(str, stages)) + "}"],
            )
    else:
        Clock.objects.bulk_update(
            [Clock(id=row.id, reminder_stage=stage, next_reminder_on=next_reminder_day(stage, row.warn_on, row.due_on))
             for row, stage in zip(rows, stages, strict=True)],
            ["reminder_stage", "next_reminder_on"],
        )


def clocks_lapse(*, today: datetime.date) -> int:
    """Close the running clocks of parties' windows (DeadlineRule.lapses_at_due) whose due day is past:
    status 期间届满 on the due day, no reminder. One UPDATE; returns how many."""
    return Clock.objects.filter(status=ClockStatus.RUNNING, due_on__lt=today, rule__lapses_at_due=True).update(
        status=ClockStatus.LAPSED, stopped_on=F("due_on"), next_reminder_on=None)


def clocks_sweep_plan(*, today: datetime.date, batch_size: int = BATCH_SIZE) -> list[tuple[int, int | None]]:
    """The id ranges [lo, hi] of the running clocks needing a reminder `today`, about `batch_size`
    each, in one query. The last range is open (hi None): clocks started since are in it too.
    Parties' windows whose last day has passed are closed first (clocks_lapse): they are nobody's delay."""
    clocks_lapse(today=today)
    ids = list(Clock.objects.filter(due_filter(today)).order_by("id").values_list("id", flat=True))
    starts = ids[::batch_size]
    return [(lo, starts[i + 1] - 1 if i + 1 < len(starts) else None) for i, lo in enumerate(starts)]


def clocks_sweep_range(
    *, lo: int, hi: int | None, today: datetime.date, batch_size: int = BATCH_SIZE,
    directory: Directory | None = None, texts: _Texts | None = None, sweep: str | None = None,
) -> SweepStats:
    """Send the reminders due `today` for the running clocks with lo ≤ id ≤ hi (hi None: no end).
    `sweep` names the sweep the range belongs to: its directory and texts are then shared by
    the ranges one process takes (`sweep_context`)."""
    if directory is None or texts is None:
        directory, texts = sweep_context(sweep, today)
    stats, after = SweepStats(), lo
    while True:
        with transaction.atomic():
            # Rows another sweep is working on are skipped (PostgreSQL); the unique dedupe key makes
            # the outcome the same where rows cannot be locked (SQLite). Processed rows move past
            # today and leave the sweep.
            rows = Clock.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                due_filter(today), id__gte=after)
            if hi is not None:
                rows = rows.filter(id__lte=hi)
            rows = list(rows.annotate(**_ANNOTATIONS).order_by("id").values_list(*_COLUMNS, named=True)[:batch_size])
            if not rows:
                return stats
            after = rows[-1].id + 1
            broadcasts: list[Broadcast] = []
            stages: list[int] = []
            texts.load_subjects(rows)
            for row in rows:
                stage = stage_on(today, row.warn_on, row.due_on)
                if stage > row.reminder_stage:
                    kind = KIND[stage]
                    # One text and link per clock, whoever receives it.
                    broadcasts.append(Broadcast(
                        directory.recipients(row, stage), f"clock.{kind}", texts.text(row, stage),
                        texts.link(row), f"clock:{row.id}:{kind}:{row.due_on:%Y%m%d}"))
                else:
                    stage = row.reminder_stage
                stages.append(int(stage))
            stats.notifications += len(notify_broadcasts(broadcasts=broadcasts, email=True))
            _save_cursor(rows, stages)
        stats.clocks += len(rows)
        stats.batches += 1
        if len(rows) < batch_size or (hi is not None and after > hi):
            return stats


def clocks_sweep(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> SweepStats:
    """Send the reminders due `today` (default: today in Asia/Shanghai), range after range in this
    process. Safe to run twice at once. The beat task spreads the same ranges over the workers."""
    today = today or timezone.localdate()
    directory, texts, stats = Directory(), _Texts(today), SweepStats()
    for lo, hi in clocks_sweep_plan(today=today, batch_size=batch_size):
        part = clocks_sweep_range(lo=lo, hi=hi, today=today, batch_size=batch_size, directory=directory,
                                  texts=texts)
        stats.clocks += part.clocks
        stats.notifications += part.notifications
        stats.batches += part.batches
    return stats
