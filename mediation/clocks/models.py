"""Statutory clocks (法定时限): the working-day calendar, the deadline rules, the clocks.

DOMAIN §3. Rules are data, versioned: a running clock keeps the rule version it
started with. Due dates are computed by `workdays.schedule` and stored for queries;
`services` recompute them on every change.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parties.models import County

from .events import EVENT_FIELDS, Event
from .workdays import DayKind, Unit

FIRST_YEAR, LAST_YEAR = 2000, 2100
year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]

# "" is the city-wide default; a county code is the locality that overrides it.
LOCALITY_CHOICES = [("", _("全市（默认）")), *County.choices]


class CalendarYear(models.Model):
    """A year beyond the `chinese_calendar` package whose official schedule is entered.

    The State Council announces next year's holidays each November (国务院办公厅关于
    ××××年部分节假日安排的通知). An administrator enters the holidays and 调休 days as
    override days, then records the year here: from then on its plain weekdays count
    as known working days and clocks stop warning "节假日安排未载入".
    """

    year = models.PositiveIntegerField(_("年度"), unique=True, validators=year_validators)
    source = models.CharField(_("依据文件"), max_length=200, help_text=_("例如：国办发明电〔2026〕×号"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("载入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="calendar_year_in_range",
                violation_error_message=_("年度须在2000年至2100年之间。"),
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}


class OverrideKind(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, _("节假日（放假）")
    MAKEUP_WORKDAY = DayKind.MAKEUP_WORKDAY.value, _("调休上班日")


class CalendarOverride(models.Model):
    """One day that the package does not know or that a locality sets differently."""

    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(_("节日名称"), max_length=60, help_text=_("例如：春节、国庆节"))
    locality = models.CharField(_("适用地区"), max_length=6, choices=LOCALITY_CHOICES, blank=True)
    note = models.CharField(_("依据/备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date", "locality"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "locality"],
                name="unique_override_day_locality",
                violation_error_message=_("同一地区的同一日期只能有一条记录：不能既是节假日又是调休上班日。"),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    date__gte=datetime.date(FIRST_YEAR, 1, 1), date__lte=datetime.date(LAST_YEAR, 12, 31)
                ),
                name="override_date_in_range",
                violation_error_message=_("日期须在2000年至2100年之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OverrideKind.values),
                name="override_kind_valid",
                violation_error_message=_("类型只能是节假日或调休上班日。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.date and not FIRST_YEAR <= self.date.year <= LAST_YEAR:
            errors["date"] = _("日期须在2000年至2100年之间。")
        elif self.date and self.kind == OverrideKind.MAKEUP_WORKDAY and self.date.weekday() < 5:
            errors["kind"] = _("调休上班日必须是周六或周日：周一至周五本来就是工作日。")
        if self.date and "date" not in errors:
            other = (
                CalendarOverride.objects.filter(date=self.date, locality=self.locality)
                .exclude(pk=self.pk)
                .first()
            )
            if other is not None and other.kind != self.kind:
                errors["kind"] = _(
                    "%(date)s 已标记为“%(other)s”，同一日期不能既是节假日又是调休上班日。"
                ) % {"date": f"{self.date:%Y-%m-%d}", "other": other.get_kind_display()}
        if errors:
            raise ValidationError(errors)


class RuleStatus(models.TextChoices):
    """DOMAIN §0: how sure we are of the figure."""

    CONFIRMED = "confirmed", _("已确认")
    LOCAL = "local", _("地方规定")
    INFERRED = "inferred", _("推定待核实")


class UnitChoices(models.TextChoices):
    CALENDAR = Unit.CALENDAR.value, _("日（自然日）")
    WORKING = Unit.WORKING.value, _("工作日")
    MONTH = Unit.MONTH.value, _("月")
    YEAR = Unit.YEAR.value, _("年")


class DeadlineRuleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)


class DeadlineRule(models.Model):
    """One version of a deadline rule (DOMAIN §3.2) for one locality.

    Rows are never edited: a change is a new version (services.rule_revise), and
    the previous one gets `superseded_at`. Clocks point at the version they started with.
    """

    code = models.CharField(_("规则编号"), max_length=10, db_index=True)
    locality = models.CharField(_("适用地区"), max_length=6, choices=LOCALITY_CHOICES, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("事项"), max_length=200)
    period = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("计算单位"), max_length=10, choices=UnitChoices.choices)
    start_event = models.CharField(_("起算事件"), max_length=200)
    # What starts and ends the clock, as procedure events (events.Event) that the steps emit.
    starts_on = models.CharField(_("开始计时的程序事件"), max_length=60, blank=True)
    stops_on = models.JSONField(_("按期完成（停止计时）的程序事件"), default=list, blank=True)
    waived_on = models.JSONField(_("免除（不再计时）的程序事件"), default=list, blank=True)
    pauses_on = models.JSONField(_("暂停计时的程序事件"), default=list, blank=True)
    resumes_on = models.JSONField(_("恢复计时的程序事件"), default=list, blank=True)
    extended_on = models.JSONField(_("延长期限的程序事件"), default=list, blank=True)
    legal_basis = models.TextField(_("法律依据"))
    status = models.CharField(_("依据状态"), max_length=10, choices=RuleStatus.choices)
    warn_percent = models.PositiveSmallIntegerField(
        _("提醒点（期限的百分比）"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    warn_day = models.PositiveSmallIntegerField(
        _("提醒日（第几日，优先于百分比）"), null=True, blank=True
    )
    extension_max_days = models.PositiveIntegerField(
        _("最多可延长"), null=True, blank=True, default=0,
        help_text=_("0：不可延长；留空：可协议延长，不设上限"),
    )
    extension_needs_consent = models.BooleanField(_("延长须双方当事人同意"), default=False)
    # A party's window (D1, D16–D18, D20, D21): when it runs out nobody is late — it just closes.
    lapses_at_due = models.BooleanField(
        _("当事人权利期间"), default=False,
        help_text=_("届满即告结束（记为“期间届满”），不发送逾期提醒，例如申请司法确认、起诉的期间"))
    due_notice = models.TextField(_("届满提示"), blank=True, help_text=_("期限届满时在案件页显示的提示"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("生效时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修订人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    superseded_at = models.DateTimeField(_("被取代时间"), null=True, blank=True)

    objects = DeadlineRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["code", "locality", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "locality", "version"], name="unique_rule_version"),
            models.UniqueConstraint(
                fields=["code", "locality"], condition=models.Q(superseded_at__isnull=True),
                name="one_current_rule_version",
            ),
            models.CheckConstraint(
                condition=models.Q(warn_percent__gte=1, warn_percent__lte=100), name="rule_warn_percent_range"
            ),
        ]

    def __str__(self) -> str:
        where = f"·{self.get_locality_display()}" if self.locality else ""
        return f"{self.code} {self.title}{where}（v{self.version}）"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def clean(self) -> None:
        known = set(Event.values)
        errors = {}
        if self.starts_on and self.starts_on not in known:
            errors["starts_on"] = _("只能选择系统中的程序事件。")
        for field in EVENT_FIELDS[1:]:
            value = getattr(self, field)
            if not isinstance(value, list) or any(v not in known for v in value):
                errors[field] = _("只能选择系统中的程序事件。")
        if errors:
            raise ValidationError(errors)

    def events(self) -> dict[str, list[str]]:
        """{field: [event, …]} — what starts, stops, waives, pauses and resumes this rule."""
        return {"starts_on": [self.starts_on] if self.starts_on else [],
                **{f: list(getattr(self, f) or []) for f in EVENT_FIELDS[1:]}}

    @property
    def period_text(self) -> str:
        return _("%(n)s%(unit)s") % {"n": self.period, "unit": UNIT_SUFFIX[self.unit]}


UNIT_SUFFIX = {
    Unit.CALENDAR.value: _("日"),
    Unit.WORKING.value: _("个工作日"),
    Unit.MONTH.value: _("个月"),
    Unit.YEAR.value: _("年"),
}


class ClockStatus(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("按期完成")
    MISSED = "missed", _("逾期完成")
    WAIVED = "waived", _("免除")
    LAPSED = "lapsed", _("期间届满")


ACTIVE_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED)


class ReminderStage(models.IntegerChoices):
    """How far the reminder sweep has got with a clock (each stage fires once)."""

    NONE = 0, _("未提醒")
    WARNING = 1, _("临近届满")
    DUE = 2, _("今日届满")
    OVERDUE = 3, _("已逾期")


class Clock(models.Model):
    # Single-column indexes that a composite index below already covers are left out, and no
    # index holds a column the reminder sweep writes (reminder_stage, next_reminder_on): its
    # UPDATE then is a HOT update, which writes none of the indexes (docs/reminder_sweep.md).
    # On PostgreSQL the table keeps half of each page free for those updates (fillfactor 50,
    # migration 0004_clock_sweep_indexes).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # Denormalized for fast filtering (inbox rows, calendars, the sweep).
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.CASCADE, related_name="clocks"
    )
    task = models.ForeignKey(
        "viewflow.Task", verbose_name=_("待办任务"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="clocks",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="clocks", db_index=False,
    )
    agency = models.ForeignKey(
        "parties.Agency", verbose_name=_("承办机构"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="clocks", db_index=False,
    )
    county = models.CharField(_("适用地区"), max_length=6, choices=LOCALITY_CHOICES, blank=True)
    # No index on rule: nothing looks clocks up by rule version, and versions are never deleted.
    rule = models.ForeignKey(DeadlineRule, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="clocks",
                             db_index=False)
    rule_code = models.CharField(_("规则编号"), max_length=10)
    started_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("届满日"))
    # A due date set by another authority rather than counted from the rule: the delegating court's
    # own date (D10, DOMAIN §3.4 — "the court owns the clock"). Recomputations keep it.
    due_fixed_on = models.DateField(_("确定的届满日"), null=True, blank=True)
    due_fixed_by = models.CharField(_("确定届满日的机关及文书"), max_length=200, blank=True)
    warn_on = models.DateField(_("提醒日"))
    status = models.CharField(_("状态"), max_length=10, choices=ClockStatus.choices, default=ClockStatus.RUNNING)
    stopped_on = models.DateField(_("结束日"), null=True, blank=True)
    calendar_missing_years = models.JSONField(_("未载入节假日安排的年度"), default=list, blank=True)
    reminder_stage = models.PositiveSmallIntegerField(
        _("提醒进度"), choices=ReminderStage.choices, default=ReminderStage.NONE
    )
    next_reminder_on = models.DateField(_("下次提醒日"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        ordering = ["due_on", "id"]
        constraints = [
            # clock_start is idempotent, also under concurrency: one active clock per subject and rule.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rule_code"],
                condition=models.Q(status__in=["running", "paused"]),
                name="one_active_clock_per_subject_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The sweep: running clocks past their reminder day (next_reminder_on is never before
            # warn_on, and the sweep filters on both; see reminders.due_filter).
            models.Index(fields=["warn_on"], condition=models.Q(status="running"), name="clock_sweep_warn_idx"),
            models.Index(fields=["owner", "due_on"]),
            models.Index(fields=["agency", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.due_on:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ClockPause(models.Model):
    """A span in which the clock stood still, e.g. 等待工伤认定 (DOMAIN §3.2 D34)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField(_("暂停日"))
    resumed_on = models.DateField(_("恢复日"), null=True, blank=True)
    reason = models.CharField(_("暂停原因"), max_length=200)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("时限暂停")
        verbose_name_plural = _("时限暂停")
        ordering = ["paused_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"], condition=models.Q(resumed_on__isnull=True), name="one_open_pause_per_clock"
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.resumed_on:%Y-%m-%d}" if self.resumed_on else "…"
        return f"{self.paused_on:%Y-%m-%d}–{end} {self.reason}"


class ClockExtension(models.Model):
    """An extension (e.g. D3a), with the consent of both parties where the rule needs it."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("延长天数"))
    applicant_consent = models.CharField(_("申请人同意方式"), max_length=200, blank=True)
    respondent_consent = models.CharField(_("被申请人同意方式"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("时限延长")
        verbose_name_plural = _("时限延长")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"+{self.days}"
