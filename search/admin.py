from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .importing import import_typical_cases
from .models import (
    ConceptEntry,
    SavedSearch,
    SynonymGroup,
    Topic,
    TypicalCase,
    TypicalCaseEvent,
    TypicalCaseVersion,
)
from .tasks import queue_index


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.json 或 .csv）"))
    skip_invalid = forms.BooleanField(label=_("跳过有错误的记录，导入其余记录"), required=False)


class TypicalCaseVersionInline(admin.TabularInline):
    model = TypicalCaseVersion
    extra = 0
    can_delete = False
    fields = ("version", "status", "action", "created_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TypicalCase)
class TypicalCaseAdmin(admin.ModelAdmin):
    list_display = ("title", "county", "year", "dispute_type", "status", "version", "published_at")
    list_filter = ("status", "county", "year", "dispute_type")
    search_fields = ("title",)
    # Content and status change only through the pipeline (search.services), which versions and indexes.
    readonly_fields = [f.name for f in TypicalCase._meta.fields]
    inlines = [TypicalCaseVersionInline]
    change_list_template = "search/admin/typical_case_changelist.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="search_typicalcase_import"),
        ] + super().get_urls()

    def import_view(self, request):
        if not request.user.has_perm("search.add_typicalcase"):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_typical_cases(upload.read(), upload.name,
                                          skip_invalid=form.cleaned_data["skip_invalid"], user=request.user)
            if report.imported:
                messages.success(request, _("导入完成：新导入并发布%(new)s条，已存在未改动%(old)s条，跳过错误记录%(bad)s条。")
                                 % {"new": len(report.created), "old": report.existing, "bad": report.skipped_invalid})
                if not report.errors and not report.mappings:
                    return redirect(reverse("admin:search_typicalcase_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "title": _("导入典型案例")}
        return TemplateResponse(request, "search/admin/import.html", context)


@admin.register(ConceptEntry)
class ConceptEntryAdmin(admin.ModelAdmin):
    """The legal concept dictionary; an edit applies to the next search (no reindexing)."""

    list_display = ("term", "kind", "expansions", "source", "enabled", "updated_at")
    list_filter = ("kind", "enabled")
    search_fields = ("term", "expansions", "source")
    list_editable = ("enabled",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "implied_dispute_type", "aliases", "order", "enabled")
    list_editable = ("order", "enabled")
    search_fields = ("name", "aliases")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        queue_index(obj.typical_cases.values_list("pk", flat=True))  # the index holds topic names

    def delete_model(self, request, obj):
        ids = list(obj.typical_cases.values_list("pk", flat=True))
        super().delete_model(request, obj)
        queue_index(ids)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("rule", "enabled", "note", "updated_at")
    list_editable = ("enabled",)
    search_fields = ("rule",)


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "query", "alert", "created_at")
    list_filter = ("alert",)


@admin.register(TypicalCaseEvent)
class TypicalCaseEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "typical_case", "action", "actor", "from_status", "to_status")
    readonly_fields = [f.name for f in TypicalCaseEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
