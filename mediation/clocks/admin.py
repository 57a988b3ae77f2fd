"""Admin: deadline rules (editing makes a new version), the holiday overrides, clocks (read-only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .events import EVENT_FIELDS, Event
from .models import CalendarOverride, CalendarYear, Clock, ClockExtension, ClockPause, DeadlineRule


class CurrentVersionFilter(admin.SimpleListFilter):
    title = gettext_lazy("版本")
    parameter_name = "versions"

    def lookups(self, request, model_admin):
        return [("all", gettext_lazy("全部版本（含历史）"))]

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.filter(superseded_at__isnull=True)

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": _("当前版本")}
        yield from list(super().choices(changelist))[1:]


def _events_field(label):
    return forms.MultipleChoiceField(label=label, required=False, choices=Event.choices,
                                     widget=forms.CheckboxSelectMultiple)


class DeadlineRuleForm(forms.ModelForm):
    """The procedure events are picked from the catalogue the steps emit (events.Event)."""

    starts_on = forms.ChoiceField(label=gettext_lazy("开始计时的程序事件"), required=False,
                                  choices=[("", "—"), *Event.choices])
    stops_on = _events_field(gettext_lazy("按期完成（停止计时）的程序事件"))
    waived_on = _events_field(gettext_lazy("免除（不再计时）的程序事件"))
    pauses_on = _events_field(gettext_lazy("暂停计时的程序事件"))
    resumes_on = _events_field(gettext_lazy("恢复计时的程序事件"))
    extended_on = _events_field(gettext_lazy("延长期限的程序事件"))

    class Meta:
        model = DeadlineRule
        fields = ("code", "locality", "title", "period", "unit", "start_event", "legal_basis", "status",
                  *EVENT_FIELDS, "lapses_at_due", "warn_percent", "warn_day", "extension_max_days",
                  "extension_needs_consent",
                  "due_notice", "note")


def _event_labels(names) -> list[str]:
    return [str(Event(n).label) if n in Event.values else n for n in names]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    form = DeadlineRuleForm
    list_display = ("code", "title", "locality", "period", "unit", "started_by", "stopped_by", "status",
                    "version", "superseded_at")
    list_filter = (CurrentVersionFilter, "status", "unit", "locality")
    search_fields = ("code", "title", "legal_basis")
    readonly_fields = ("version", "created_at", "created_by", "superseded_at")
    fieldsets = (
        (None, {"fields": ("code", "locality", "title", "period", "unit", "start_event", "legal_basis", "status")}),
        (gettext_lazy("程序事件：什么开始、停止、免除、暂停、恢复这一时限"), {"fields": EVENT_FIELDS}),
        (gettext_lazy("提醒与延长"), {"fields": ("lapses_at_due", "warn_percent", "warn_day", "extension_max_days",
                                                 "extension_needs_consent", "due_notice", "note")}),
        (gettext_lazy("版本"), {"fields": ("version", "created_at", "created_by", "superseded_at")}),
    )

    @admin.display(description=gettext_lazy("开始计时"))
    def started_by(self, obj):
        return "、".join(_event_labels(obj.events()["starts_on"])) or "—"

    @admin.display(description=gettext_lazy("停止 / 免除计时"))
    def stopped_by(self, obj):
        names = _event_labels(obj.stops_on) + [f"{label}（{_('免除')}）" for label in _event_labels(obj.waived_on)]
        return format_html_join("", "{}<br>", ((n,) for n in names)) if names else "—"

    def get_readonly_fields(self, request, obj=None):
        # A version's key does not change; a local rule is added as a new row.
        return (*self.readonly_fields, "code", "locality") if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_current:
            return False  # history is read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.rule_save_version(rule=obj, actor=request.user)
        messages.info(request, _("已保存为 %(code)s 第%(v)s版；进行中的时限仍按原版本计算，新启动的时限适用新版本。")
                      % {"code": obj.code, "v": obj.version})


def _recomputed(request, n: int) -> None:
    if n:
        messages.info(request, _("已按新的节假日安排重新计算%(n)s个进行中时限的届满日。") % {"n": n})


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "locality", "note")
    list_filter = ("kind", "locality")
    date_hierarchy = "date"
    search_fields = ("name", "note")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recomputed(request, services.clocks_recompute(county=obj.locality, since=obj.date, actor=request.user))

    def delete_model(self, request, obj):
        locality, day = obj.locality, obj.date
        super().delete_model(request, obj)
        _recomputed(request, services.clocks_recompute(county=locality, since=day, actor=request.user))


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "loaded_at", "loaded_by")
    readonly_fields = ("loaded_at", "loaded_by")

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "year") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        entry = services.calendar_year_record(year=obj.year, source=obj.source, actor=request.user)
        obj.pk, obj._state.adding = entry.pk, False
        messages.info(request, _("%(y)s年节假日安排已登记，相关时限已重新计算。") % {"y": obj.year})


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClockPauseInline(_ReadOnlyInline):
    model = ClockPause


class ClockExtensionInline(_ReadOnlyInline):
    model = ClockExtension


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    """Read-only: clocks change only through the services the case flow calls."""

    list_display = ("rule_code", "case", "started_on", "due_on", "status", "owner", "agency", "calendar_missing_years")
    list_filter = ("status", "rule_code", "county")
    search_fields = ("rule_code", "case__case_no")
    date_hierarchy = "due_on"
    list_select_related = ("case", "owner", "agency")
    inlines = [ClockPauseInline, ClockExtensionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
